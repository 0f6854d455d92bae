import type { AppRouteHandler } from '../../lib/create-router';
import { APP_VERSION } from '../../lib/version';
import type * as routes from './system.routes';

export const health: AppRouteHandler<typeof routes.health> = (c) =>
  c.json({ status: 'ok' as const, uptimeSeconds: Math.round(process.uptime()), version: APP_VERSION }, 200);

export const ready: AppRouteHandler<typeof routes.ready> = async (c) => {
  const report = await c.get('services').ready();
  return report.ready ? c.json(report, 200) : c.json(report, 503);
};
