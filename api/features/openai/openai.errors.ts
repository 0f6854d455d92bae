/**
 * OpenAI's error dialect for the OpenAI-compatible endpoints (`{ error: { message, type, param, code } }`),
 * so OpenAI SDKs raise their usual typed errors (they branch on the HTTP status; `type`/`code` follow
 * OpenAI's own values where one exists). Everything else in the API keeps our `{ error, requestId }` shape.
 */

import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppError } from '../../lib/errors';

/** The gateway's paths (exact, or a prefix ending in '/'). */
const OPENAI_PATHS = ['/api/v1/chat/completions', '/api/v1/models', '/api/v1/models/'];

export const isOpenAiPath = (path: string): boolean =>
  OPENAI_PATHS.some((p) => (p.endsWith('/') ? path.startsWith(p) : path === p));

export const OpenAiError = z
  .object({
    error: z.object({
      message: z.string(),
      type: z.string().openapi({ example: 'invalid_request_error' }),
      param: z.string().nullable(),
      code: z.string().nullable().openapi({ example: 'model_not_found' }),
    }),
  })
  .openapi('OpenAIError');

function typeFor(err: AppError): string {
  if (err.code.startsWith('budget_exceeded:')) return 'insufficient_quota';
  switch (err.status) {
    case 401:
      return 'authentication_error';
    case 403:
      return 'permission_error';
    case 404:
      return 'not_found_error';
    case 429:
      return 'rate_limit_error';
    default:
      return err.status >= 500 ? 'server_error' : 'invalid_request_error';
  }
}

function codeFor(err: AppError): string {
  if (err.code === 'unauthorized:api_key') return 'invalid_api_key';
  if (err.code === 'not_found:models') return 'model_not_found';
  if (err.code.startsWith('rate_limit:')) return 'rate_limit_exceeded';
  if (err.code.startsWith('budget_exceeded:')) return 'insufficient_quota';
  return err.code;
}

/** The first failing field of a validation error, as a dotted path (`messages.0.content`). */
function paramOf(err: AppError): string | null {
  const fields = (err.details as { fields?: Record<string, string> } | undefined)?.fields;
  const first = fields ? Object.keys(fields)[0] : undefined;
  return first && first !== '(body)' ? first : null;
}

export function openAiErrorBody(err: AppError) {
  return { error: { message: err.message, type: typeFor(err), param: paramOf(err), code: codeFor(err) } };
}

export function openAiErrorResponse(c: Context, err: AppError): Response {
  for (const [k, v] of Object.entries(err.headers)) c.header(k, v);
  return c.json(openAiErrorBody(err), err.status as ContentfulStatusCode);
}
