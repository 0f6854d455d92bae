/**
 * REST contract of the model registry: admin routes under /admin/models (capability admin:models) and
 * GET /models for the models the caller may use on a surface.
 */
import { createRoute, z } from '@hono/zod-openapi';
import {
  AdminModel,
  CreateModelInput,
  DiscoveredModelView,
  GrantsInput,
  ModelRefInput,
  ModelTestResultView,
  Provider,
  ProviderStatusView,
  Surface,
  UpdateModelInput,
  UsableModel,
} from './models.schemas';

const tags = ['Models'];
const adminTags = ['Admin: models'];

const ErrorResponse = z
  .object({
    error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
    requestId: z.string(),
  })
  .openapi('ModelsError');
const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
const body = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { 'application/json': { schema } },
});
const adminErrors = {
  401: json(ErrorResponse, 'Not signed in'),
  403: json(ErrorResponse, 'Missing capability admin:models'),
};
const notFound = { 404: json(ErrorResponse, 'No such model') };
const invalid = { 422: json(ErrorResponse, 'Invalid input (details.fields names each field)') };

const IdParams = z.object({
  id: z.string().openapi({ param: { name: 'id', in: 'path' }, example: '6f1c…' }),
});

export const listUsable = createRoute({
  method: 'get',
  path: '/models',
  tags,
  summary: 'Models the caller may use on a surface (model pickers)',
  request: {
    query: z.object({
      surface: Surface.default('chat').openapi({ param: { name: 'surface', in: 'query' } }),
    }),
  },
  responses: {
    200: json(z.object({ models: z.array(UsableModel) }), 'Usable models, by display name'),
    401: json(ErrorResponse, 'Not signed in'),
    403: json(ErrorResponse, 'Missing the surface capability (chat:use, compare:use, assistants:use)'),
    ...invalid,
  },
});

export const list = createRoute({
  method: 'get',
  path: '/admin/models',
  tags: adminTags,
  summary: 'Every registered model with its grants',
  responses: { 200: json(z.object({ models: z.array(AdminModel) }), 'All models'), ...adminErrors },
});

export const providers = createRoute({
  method: 'get',
  path: '/admin/models/providers',
  tags: adminTags,
  summary: 'Which providers are configured, and the settings still missing',
  responses: {
    200: json(z.object({ providers: z.array(ProviderStatusView) }), 'Provider status'),
    ...adminErrors,
  },
});

export const discover = createRoute({
  method: 'get',
  path: '/admin/models/discover',
  tags: adminTags,
  summary: "List the provider's models (to pick which to add)",
  request: {
    query: z.object({
      provider: Provider.openapi({ param: { name: 'provider', in: 'query' } }),
      baseUrl: z
        .string()
        .optional()
        .openapi({ param: { name: 'baseUrl', in: 'query' }, description: 'openai-compatible server URL' }),
    }),
  },
  responses: {
    200: json(z.object({ models: z.array(DiscoveredModelView) }), "The provider's models"),
    ...adminErrors,
    ...invalid,
    502: json(ErrorResponse, 'The provider refused or could not be reached'),
    409: json(ErrorResponse, 'The provider is not configured yet (details.missing lists the settings)'),
  },
});

export const testRef = createRoute({
  method: 'post',
  path: '/admin/models/test',
  tags: adminTags,
  summary: 'One-token call against a provider model not saved yet',
  request: { body: body(ModelRefInput) },
  responses: {
    200: json(ModelTestResultView, 'The outcome (ok: false carries the provider error)'),
    ...adminErrors,
    ...invalid,
  },
});

export const create = createRoute({
  method: 'post',
  path: '/admin/models',
  tags: adminTags,
  summary: 'Register a model',
  request: { body: body(CreateModelInput) },
  responses: {
    201: json(AdminModel, 'Created'),
    ...adminErrors,
    409: json(ErrorResponse, 'Already registered for this provider'),
    ...invalid,
  },
});

export const getOne = createRoute({
  method: 'get',
  path: '/admin/models/{id}',
  tags: adminTags,
  summary: 'One model',
  request: { params: IdParams },
  responses: { 200: json(AdminModel, 'The model'), ...adminErrors, ...notFound },
});

export const patch = createRoute({
  method: 'patch',
  path: '/admin/models/{id}',
  tags: adminTags,
  summary: 'Change a model (display, prices, surfaces, active …)',
  request: { params: IdParams, body: body(UpdateModelInput) },
  responses: { 200: json(AdminModel, 'Updated'), ...adminErrors, ...notFound, ...invalid },
});

export const remove = createRoute({
  method: 'delete',
  path: '/admin/models/{id}',
  tags: adminTags,
  summary: 'Delete a model (refused while conversations or usage refer to it: deactivate instead)',
  request: { params: IdParams },
  responses: {
    204: { description: 'Deleted' },
    ...adminErrors,
    ...notFound,
    409: json(ErrorResponse, 'In use'),
  },
});

export const setGrants = createRoute({
  method: 'put',
  path: '/admin/models/{id}/grants',
  tags: adminTags,
  summary: 'Replace who may use the model (empty = everyone with the surface capability)',
  request: { params: IdParams, body: body(GrantsInput) },
  responses: { 200: json(AdminModel, 'Updated'), ...adminErrors, ...notFound, ...invalid },
});

export const test = createRoute({
  method: 'post',
  path: '/admin/models/{id}/test',
  tags: adminTags,
  summary: 'One-token call against a registered model',
  request: { params: IdParams },
  responses: {
    200: json(ModelTestResultView, 'The outcome (ok: false carries the provider error)'),
    ...adminErrors,
    ...notFound,
  },
});
