/** /decisions/:id/package.md: the decision package as a Markdown file to download. */
import type { LoaderFunctionArgs } from '@remix-run/node';
import { asServiceError, requireCapability } from '~/lib/auth.server';

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  requireCapability(context, request, 'decisions:read');
  try {
    const markdown = await context.services.decisions.packageMarkdown(context.ctx, params.id ?? '');
    const title = markdown.split('\n', 1)[0]!.replace(/^# /, '').replace(/\\/g, '');
    const filename = `${
      title
        .replace(/[^\p{L}\p{N}]+/gu, '-')
        .replace(/^-|-$/g, '')
        .slice(0, 60) || 'decision'
    }.md`;
    return new Response(markdown, {
      headers: {
        'Content-Type': 'text/markdown; charset=utf-8',
        'Content-Disposition': `attachment; filename="${filename.replace(/[^\x20-\x7e]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(filename)}`,
        'Cache-Control': 'no-store',
      },
    });
  } catch (err) {
    const e = asServiceError(err);
    if (e?.status === 404) throw new Response('Not found', { status: 404 });
    throw err;
  }
}
