/**
 * The Branding section's own controls beside the product name: the logo (upload a PNG, JPEG or WebP;
 * remove to go back to the default mark) and the accent colour (a hex value; the server refuses one that is
 * too light for white text and says why). Both post to /admin/settings; the services check and audit.
 */
import { useFetcher } from '@remix-run/react';
import { FormError } from '~/components/admin/form-error';
import { useFormResult } from '~/components/admin/use-form-result';
import { LogoMark } from '~/components/layout/app-header';
import { Badge, Button, Card, CardContent, FormField, Input } from '~/components/ui';

export interface BrandingState {
  accentColor: string | null;
  logo: { url: string; width: number; height: number; bytes: number } | null;
}

export function LogoCard({ logo }: { logo: BrandingState['logo'] }) {
  const uploader = useFetcher();
  const remover = useFetcher();
  const { ref, busy, error, fieldErrors } = useFormResult(uploader, {
    success: 'Logo saved',
    resetOnSuccess: true,
  });
  const removed = useFormResult(remover, { success: 'Logo removed; the default mark is back' });
  return (
    <Card>
      <CardContent className="pt-6">
        <uploader.Form method="post" encType="multipart/form-data" ref={ref} className="flex flex-col gap-3">
          <input type="hidden" name="intent" value="logo" />
          <FormError error={(error && !fieldErrors.logo ? error : null) ?? removed.error} />
          <div className="flex flex-wrap items-center gap-3">
            <Badge variant={logo ? 'primary' : 'neutral'}>{logo ? 'Set here' : 'Default mark'}</Badge>
            {logo ? (
              <>
                <img src={logo.url} alt="Current logo" className="h-10 w-auto max-w-48 object-contain" />
                <span className="text-sm text-fg-muted">
                  {logo.width}×{logo.height} px, {Math.ceil(logo.bytes / 1024)} KB
                </span>
              </>
            ) : (
              <LogoMark className="size-10" />
            )}
          </div>
          <FormField
            label="Logo"
            hint="PNG, JPEG or WebP, at most 512 KB, each side 16 to 2048 pixels. Shown in the header of every page, the sign-in page included, and as the browser tab's icon (a square image suits it best). SVG is not accepted (it can carry scripts)."
            error={fieldErrors.logo}
          >
            <Input
              type="file"
              name="logo"
              accept="image/png,image/jpeg,image/webp"
              className="max-w-xl"
              required
            />
          </FormField>
          <div className="flex gap-2">
            <Button type="submit" size="sm" loading={busy}>
              Upload logo
            </Button>
            {logo ? (
              <Button
                size="sm"
                variant="ghost"
                loading={removed.busy}
                onClick={() => remover.submit({ intent: 'logo-remove' }, { method: 'post' })}
              >
                Remove logo
              </Button>
            ) : null}
          </div>
        </uploader.Form>
      </CardContent>
    </Card>
  );
}

export function AccentCard({ accentColor }: { accentColor: string | null }) {
  const fetcher = useFetcher();
  const resetter = useFetcher();
  const { ref, busy, error, fieldErrors } = useFormResult(fetcher, { success: 'Accent colour saved' });
  const reset = useFormResult(resetter, { success: 'Accent colour back to the default' });
  return (
    <Card>
      <CardContent className="pt-6">
        <fetcher.Form method="post" ref={ref} className="flex flex-col gap-3">
          <input type="hidden" name="intent" value="accent" />
          <FormError error={(error && !fieldErrors.accentColor ? error : null) ?? reset.error} />
          <div className="flex flex-wrap items-center gap-2">
            <Badge variant={accentColor ? 'primary' : 'neutral'}>
              {accentColor ? 'Set here' : 'Default'}
            </Badge>
            <code className="font-mono text-xs text-fg-muted">branding.accent_color</code>
          </div>
          <FormField
            label="Accent colour"
            hint="A hex colour such as #0f766e, used by buttons, links and focus rings. White text on it must reach a contrast of 4.5:1 (WCAG AA), so very light colours are refused."
            error={fieldErrors.accentColor}
          >
            <Input
              name="accentColor"
              defaultValue={accentColor ?? ''}
              placeholder="#1d4ed8"
              autoComplete="off"
              spellCheck={false}
              className="max-w-xs font-mono"
            />
          </FormField>
          <div className="flex gap-2">
            <Button type="submit" size="sm" loading={busy}>
              Save accent colour
            </Button>
            {accentColor ? (
              <Button
                size="sm"
                variant="ghost"
                loading={reset.busy}
                onClick={() => resetter.submit({ intent: 'accent-reset' }, { method: 'post' })}
              >
                Back to the default colour
              </Button>
            ) : null}
          </div>
        </fetcher.Form>
      </CardContent>
    </Card>
  );
}
