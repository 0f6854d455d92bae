/**
 * Nightly: delete dynamically registered OAuth clients (MCP agents that registered themselves) that nobody
 * used for `oauth.dynamic_client_unused_days` days (default 30) and that hold no live grant.
 */
import { DEFAULT_UNUSED_DAYS, UNUSED_DAYS_SETTING } from '../../api/features/oauth/clients.registration';
import type { Services } from '../../api/services';
import { retentionJob } from './retention';

export const OAUTH_DYNAMIC_CLIENTS = 'oauth-dynamic-clients';

export const oauthDynamicClientsJob = (services: Services) =>
  retentionJob(services, {
    name: OAUTH_DYNAMIC_CLIENTS,
    schedule: '23 4 * * *',
    noun: 'unused dynamically registered OAuth clients',
    setting: UNUSED_DAYS_SETTING,
    defaultDays: DEFAULT_UNUSED_DAYS,
    minDays: 1,
    prune: (ctx, days) => services.oauthClients.dynamic.expireUnused(ctx, days),
  });
