/** "Connected apps" on the profile: the OAuth clients a person approved, and forgetting one. */
import { assertSignedIn } from '../../lib/authz';
import type { Ctx } from '../../lib/ctx';
import type { AuditService } from '../audit/audit.service';
import type { GrantStates } from './grant-states';
import { deleteConsent, listConnectedApps, revokeGrantsOf } from './grants.repo';
import { scopeInWords } from './oauth.scopes';

export interface ConnectedApp {
  clientId: string;
  clientName: string;
  scopes: { scope: string; words: string }[];
  consentedAt: string;
  lastUsedAt: string | null;
  activeGrants: number;
}

export class ConnectedApps {
  constructor(private readonly deps: { audit: AuditService; grantStates: GrantStates }) {}

  async list(ctx: Ctx): Promise<ConnectedApp[]> {
    assertSignedIn(ctx.actor);
    const rows = await listConnectedApps(ctx.db, ctx.actor.id, new Date());
    return rows.map((r) => ({
      clientId: r.clientId,
      clientName: r.clientName,
      scopes: r.scopes.map((scope) => ({ scope, words: scopeInWords(scope) })),
      consentedAt: r.consentedAt.toISOString(),
      lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
      activeGrants: r.activeGrants,
    }));
  }

  /** Forgets the consent and revokes every grant (refresh and access tokens) of this app for the person. */
  async disconnect(ctx: Ctx, clientId: string): Promise<{ revokedGrants: number }> {
    assertSignedIn(ctx.actor);
    const userId = ctx.actor.id;
    const result = await ctx.db.transaction(async (tx) => {
      const forgotten = await deleteConsent(tx, userId, clientId);
      const revokedGrants = await revokeGrantsOf(tx, { userId, clientId, reason: 'user', now: new Date() });
      if (forgotten || revokedGrants)
        await this.deps.audit.record(
          { ...ctx, db: tx },
          {
            action: 'oauth.disconnect',
            targetType: 'oauth_client',
            targetId: clientId,
            details: { revokedGrants },
          },
        );
      return { revokedGrants };
    });
    this.deps.grantStates.clear();
    return result;
  }
}
