/** Inputs and views of OAuth clients (admin console, CLI, RFC 7591 registration). */
import { z } from 'zod';
import type { OAuthClientStatus } from '../../../db/schema/index';
import { RateLimitRpm } from '../../lib/rate-limit';
import type { ClientWithService, OAuthClientRow } from './clients.repo';
import { isOAuthScope } from './oauth.scopes';
import { redirectUriProblem } from './redirect-uri';

export const REGISTRATION_MODES = ['open', 'approval', 'off'] as const;
export type RegistrationMode = (typeof REGISTRATION_MODES)[number];

const RedirectUri = z
  .string()
  .trim()
  .max(2000)
  .superRefine((v, ctx) => {
    const problem = redirectUriProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

export const RedirectUris = z
  .array(RedirectUri)
  .min(1, 'needs at least one redirect URI')
  .max(20)
  .transform((l) => [...new Set(l)]);

export const ClientScopes = z
  .array(z.string().trim().refine(isOAuthScope, { error: 'is not a known scope' }))
  .min(1, 'needs at least one scope')
  .transform((l) => [...new Set(l)].sort());

export const CreateClientInput = z.object({
  name: z.string({ error: 'is required' }).trim().min(1, 'is required').max(100),
  redirectUris: RedirectUris,
  scopes: ClientScopes,
  public: z.boolean().default(false),
  /** Requests per minute per person through this client's access tokens (default 60). */
  rateLimitRpm: RateLimitRpm.optional(),
  /** E-mail of the user a client_credentials token acts as (confidential clients). */
  serviceUserEmail: z.string().trim().max(320).optional().nullable(),
});

export const UpdateClientInput = z.object({
  name: z.string().trim().min(1, 'is required').max(100).optional(),
  redirectUris: RedirectUris.optional(),
  scopes: ClientScopes.optional(),
  serviceUserEmail: z.string().trim().max(320).optional().nullable(),
  status: z.enum(['active', 'disabled']).optional(),
  rateLimitRpm: RateLimitRpm.optional(),
});

export interface OAuthClientView {
  id: string;
  name: string;
  public: boolean;
  redirectUris: string[];
  scopes: string[];
  dynamic: boolean;
  status: OAuthClientStatus;
  serviceUserEmail: string | null;
  /** Requests per minute per person through this client's access tokens. */
  rateLimitRpm: number;
  lastUsedAt: string | null;
  secretRotatedAt: string | null;
  createdAt: string;
}

export function toClientView(row: OAuthClientRow | ClientWithService): OAuthClientView {
  return {
    id: row.id,
    name: row.name,
    public: row.isPublic,
    redirectUris: row.redirectUris,
    scopes: row.scopes,
    dynamic: row.dynamic,
    status: row.status,
    serviceUserEmail: 'serviceUserEmail' in row ? row.serviceUserEmail : null,
    rateLimitRpm: row.rateLimitRpm,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    secretRotatedAt: row.secretRotatedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

/** RFC 7591 §2 client metadata we read (others are ignored, as §3.1 allows). */
export const RegistrationRequest = z.object({
  redirect_uris: z.array(z.string().max(2000)).min(1).max(20),
  client_name: z.string().trim().max(100).optional(),
  token_endpoint_auth_method: z.string().optional(),
  grant_types: z.array(z.string()).optional(),
  response_types: z.array(z.string()).optional(),
  scope: z.string().max(1000).optional(),
});
