/**
 * Branding beyond the product name: a logo and an accent colour. The logo's bytes live in the object store
 * (DATA_DIR/uploads or S3) under a name made from their hash; the `branding.logo` setting records which
 * object is current, so a change is audited (settings: before → after), reaches other processes through the
 * settings' NOTIFY, and a new logo gets a new URL (`/api/branding/logo?v=<hash>`, cached for a year) while
 * the stable `/api/branding/logo` always answers the current one. The accent colour is the
 * `branding.accent_color` setting, applied by a small stylesheet (`/api/branding/theme.css?v=<colour>`).
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { assertCan } from '../../lib/authz';
import type { Ctx } from '../../lib/ctx';
import { AppError } from '../../lib/errors';
import type { ObjectStoreDriver, ObjectStores } from '../../lib/object-store';
import { parseInput } from '../../lib/validate';
import { defineSettings } from '../settings/settings.registry';
import type { SettingsService } from '../settings/settings.service';
import { AccentColor, accentCss } from './accent';
import { ACCENT_SETTING, LOGO_SETTING } from './branding.keys';
import { DEFAULT_MARK_SVG } from './default-mark';
import { LOGO_TYPES, type LogoMediaType, readLogoImage } from './logo-image';

const ADMIN = 'admin:settings';

defineSettings([
  {
    key: ACCENT_SETTING,
    label: 'Accent colour',
    category: 'branding',
    description:
      'Hex colour for buttons, links and focus rings (e.g. #0f766e); white text on it must reach 4.5:1 contrast (WCAG AA). Not set = the default blue',
    schema: AccentColor,
  },
  {
    key: LOGO_SETTING,
    label: 'Logo',
    category: 'branding',
    description:
      'The uploaded logo shown in the header instead of the default mark (set by uploading a file)',
  },
]);

export const AccentInput = z.object({ accentColor: AccentColor.nullable() });

/** What `branding.logo` holds: where the current logo is and what it is. */
const StoredLogo = z.object({
  key: z.string(),
  store: z.enum(['local', 's3']),
  type: z.enum(Object.keys(LOGO_TYPES) as [LogoMediaType, ...LogoMediaType[]]),
  width: z.number().int(),
  height: z.number().int(),
  bytes: z.number().int(),
});
type StoredLogo = z.infer<typeof StoredLogo>;

export interface BrandingView {
  /** Lowercase #rrggbb, or null for the default. */
  accentColor: string | null;
  /** The stylesheet that applies the accent (versioned by the colour), or null without one. */
  themeCssUrl: string | null;
  logo: { url: string; mediaType: string; width: number; height: number; bytes: number } | null;
}

export interface LogoFile {
  bytes: Uint8Array;
  mediaType: string;
  /** Short content hash: the URL's `v` and the ETag. */
  version: string;
}

const DEFAULT_MARK_FILE: LogoFile = {
  bytes: new TextEncoder().encode(DEFAULT_MARK_SVG),
  mediaType: 'image/svg+xml',
  version: 'default-mark',
};

const versionOf = (key: string) => /logo-([0-9a-f]+)\./.exec(key)?.[1] ?? '';

export class BrandingService {
  /** The current logo's bytes, so a page view does not read S3 each time (one entry, ≤ 512 KB). */
  private cached: { key: string; file: LogoFile } | null = null;

  constructor(private readonly deps: { settings: SettingsService; stores: ObjectStores }) {}

  /** For every page (the root loader), anyone: public facts about the look. */
  async view(ctx: Ctx): Promise<BrandingView> {
    const accentColor = await this.accent(ctx);
    const logo = await this.storedLogo(ctx);
    return {
      accentColor,
      themeCssUrl: accentColor ? `/api/branding/theme.css?v=${accentColor.slice(1)}` : null,
      logo: logo
        ? {
            url: `/api/branding/logo?v=${versionOf(logo.key)}`,
            mediaType: logo.type,
            width: logo.width,
            height: logo.height,
            bytes: logo.bytes,
          }
        : null,
    };
  }

  async setAccent(ctx: Ctx, input: z.input<typeof AccentInput>): Promise<BrandingView> {
    assertCan(ctx.actor, ADMIN);
    const { accentColor } = parseInput(AccentInput, input, 'branding');
    if (accentColor) await this.deps.settings.set(ctx, { key: ACCENT_SETTING, value: accentColor });
    else await this.deps.settings.unset(ctx, ACCENT_SETTING);
    return this.view(ctx);
  }

  /** The accent's stylesheet (empty when none is set). */
  async themeCss(ctx: Ctx): Promise<{ css: string; version: string }> {
    const accent = await this.accent(ctx);
    return {
      css: accent ? accentCss(accent) : '/* No accent colour set. */\n',
      version: accent?.slice(1) ?? '',
    };
  }

  /** Checks the image (type from content, size, pixel bounds), stores it, then makes it current. */
  async uploadLogo(ctx: Ctx, input: { bytes: Uint8Array }): Promise<BrandingView> {
    assertCan(ctx.actor, ADMIN);
    const image = await readLogoImage(input.bytes);
    const hash = createHash('sha256').update(input.bytes).digest('hex').slice(0, 16);
    const store = this.deps.stores.primary;
    const stored: StoredLogo = {
      key: `branding/logo-${hash}.${LOGO_TYPES[image.mediaType]}`,
      store: store.driver,
      type: image.mediaType,
      width: image.width,
      height: image.height,
      bytes: input.bytes.byteLength,
    };
    const previous = await this.storedLogo(ctx);
    await store.put(stored.key, input.bytes, { contentType: image.mediaType });
    await this.deps.settings.set(ctx, { key: LOGO_SETTING, value: JSON.stringify(stored) });
    if (previous && previous.key !== stored.key) await this.deleteObject(ctx, previous);
    return this.view(ctx);
  }

  /** Back to the default mark. */
  async removeLogo(ctx: Ctx): Promise<BrandingView> {
    assertCan(ctx.actor, ADMIN);
    const previous = await this.storedLogo(ctx);
    await this.deps.settings.unset(ctx, LOGO_SETTING);
    if (previous) await this.deleteObject(ctx, previous);
    return this.view(ctx);
  }

  /**
   * What /favicon.ico answers (browsers ask for it on documents that are not pages): the logo, or the
   * default mark when none is set or its object is gone.
   */
  async faviconFile(ctx: Ctx): Promise<LogoFile> {
    try {
      return await this.logoFile(ctx);
    } catch (err) {
      if (err instanceof AppError && err.code === 'not_found:branding') return DEFAULT_MARK_FILE;
      throw err;
    }
  }

  /** The current logo's bytes for the public URL; 404 when none is set. */
  async logoFile(ctx: Ctx): Promise<LogoFile> {
    const logo = await this.storedLogo(ctx);
    if (!logo) throw new AppError('not_found:branding', 'No logo is set');
    if (this.cached?.key === logo.key) return this.cached.file;
    const bytes = await this.deps.stores[logo.store as ObjectStoreDriver]?.get(logo.key);
    if (!bytes) {
      ctx.log.warn(
        { key: logo.key, store: logo.store },
        'the logo setting names an object that is not stored',
      );
      throw new AppError('not_found:branding', 'The logo is no longer stored');
    }
    const file = { bytes, mediaType: logo.type, version: versionOf(logo.key) };
    this.cached = { key: logo.key, file };
    return file;
  }

  private async accent(ctx: Ctx): Promise<string | null> {
    const raw = (await this.deps.settings.get(ctx, ACCENT_SETTING))?.trim();
    // A value written around the checks (SQL, an older version) is ignored rather than applied.
    const parsed = raw ? AccentColor.safeParse(raw) : null;
    return parsed?.success ? parsed.data : null;
  }

  private async storedLogo(ctx: Ctx): Promise<StoredLogo | null> {
    const raw = await this.deps.settings.get(ctx, LOGO_SETTING);
    if (!raw) return null;
    try {
      const parsed = StoredLogo.safeParse(JSON.parse(raw));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  private async deleteObject(ctx: Ctx, logo: StoredLogo): Promise<void> {
    if (this.cached?.key === logo.key) this.cached = null;
    await this.deps.stores[logo.store]?.delete(logo.key).catch((err: unknown) => {
      ctx.log.warn({ err, key: logo.key }, 'the previous logo could not be deleted from the store');
    });
  }
}
