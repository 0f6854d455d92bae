import type { WebLoadContext } from '../api/web-mount';

declare module '@remix-run/node' {
  interface AppLoadContext extends WebLoadContext {}
}
