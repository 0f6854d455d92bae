/** REST contract for administering SSO providers (capability admin:settings). */
import { createRoute, z } from '@hono/zod-openapi';
import { requireCapability } from '../../middleware/rbac';
import { SSO_PROVIDER_TYPES } from './oidc/provider-config';
import { CreateSsoProviderInput, UpdateSsoProviderInput } from './sso.schemas';

const tags = ['SSO providers'];
/** Before body validation: unauthorised callers get 401/403, never a 422 that reveals the schema. */
const middleware = [requireCapability('admin:settings')];

const ErrorResponse = z
  .object({
    error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
    requestId: z.string(),
  })
  .openapi('SsoError');
const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
const errors = {
  401: json(ErrorResponse, 'Not signed in'),
  403: json(ErrorResponse, 'Missing capability admin:settings'),
};

export const SsoProvider = z
  .object({
    id: z.string(),
    slug: z.string(),
    type: z.enum(SSO_PROVIDER_TYPES),
    displayName: z.string(),
    clientId: z.string(),
    clientSecret: z
      .string()
      .nullable()
      .openapi({ description: 'Masked (••••••••) when set; never the secret' }),
    issuer: z.string().nullable(),
    domain: z.string().nullable(),
    tenant: z.string().nullable(),
    allowedDomains: z.array(z.string()),
    groupClaim: z.string().nullable(),
    groupRoles: z.record(z.string(), z.string()),
    enabled: z.boolean(),
    callbackUrl: z.string().openapi({ description: 'Redirect URI to register at the identity provider' }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('SsoProvider');

export const SsoTestReport = z
  .object({
    ok: z.boolean(),
    slug: z.string(),
    issuer: z.string().nullable(),
    steps: z.array(
      z.object({
        step: z.enum(['configuration', 'discovery', 'jwks']),
        ok: z.boolean(),
        message: z.string(),
      }),
    ),
  })
  .openapi('SsoTestReport');

const IdParams = z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' } }) });

export const list = createRoute({
  method: 'get',
  path: '/admin/sso-providers',
  tags,
  middleware,
  summary: 'List SSO providers',
  responses: { 200: json(z.array(SsoProvider), 'Every configured provider'), ...errors },
});

export const create = createRoute({
  method: 'post',
  path: '/admin/sso-providers',
  tags,
  middleware,
  summary: 'Add an SSO provider',
  request: { body: { required: true, content: { 'application/json': { schema: CreateSsoProviderInput } } } },
  responses: {
    201: json(SsoProvider, 'Created'),
    ...errors,
    409: json(ErrorResponse, 'Slug already taken'),
    422: json(ErrorResponse, 'Invalid input, by field'),
  },
});

export const patch = createRoute({
  method: 'patch',
  path: '/admin/sso-providers/{id}',
  tags,
  middleware,
  summary: 'Change an SSO provider (omit clientSecret to keep it, null to clear it)',
  request: {
    params: IdParams,
    body: { required: true, content: { 'application/json': { schema: UpdateSsoProviderInput } } },
  },
  responses: {
    200: json(SsoProvider, 'Updated'),
    ...errors,
    404: json(ErrorResponse, 'No such provider'),
    422: json(ErrorResponse, 'Invalid input, by field'),
  },
});

export const remove = createRoute({
  method: 'delete',
  path: '/admin/sso-providers/{id}',
  tags,
  middleware,
  summary: 'Delete an SSO provider',
  request: { params: IdParams },
  responses: { 204: { description: 'Deleted' }, ...errors, 404: json(ErrorResponse, 'No such provider') },
});

export const test = createRoute({
  method: 'post',
  path: '/admin/sso-providers/{id}/test',
  tags,
  middleware,
  summary: "Fetch the provider's discovery document and signing keys and report what works",
  request: { params: IdParams },
  responses: {
    200: json(SsoTestReport, 'Step-by-step report (ok=false names what failed)'),
    ...errors,
    404: json(ErrorResponse, 'No such provider'),
  },
});
