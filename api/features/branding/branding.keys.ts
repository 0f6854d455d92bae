/** The branding settings edited with their own controls (a file upload, a colour), not as plain text. */
export const ACCENT_SETTING = 'branding.accent_color';
export const LOGO_SETTING = 'branding.logo';
export const BRANDING_KEYS: readonly string[] = [ACCENT_SETTING, LOGO_SETTING];
