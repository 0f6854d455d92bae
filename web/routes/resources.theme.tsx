/**
 * POST /resources/theme — stores the chosen theme in a cookie. Works as a plain form post (redirects back)
 * and through a fetcher (the layout applies the new theme optimistically).
 */
import { type ActionFunctionArgs, redirect } from '@remix-run/node';
import { isTheme, safeRedirectPath, themeCookie } from '~/lib/theme';

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const theme = form.get('theme');
  if (!isTheme(theme))
    return Response.json(
      {
        error: {
          code: 'validation:theme',
          message: 'Invalid theme',
          details: { fields: { theme: 'must be light, dark or system' } },
        },
      },
      { status: 422 },
    );
  const headers = { 'Set-Cookie': themeCookie(theme, context.services.config.secureCookies) };
  const back = form.get('redirectTo');
  if (back !== null) return redirect(safeRedirectPath(back), { headers });
  return Response.json({ theme }, { headers });
}
