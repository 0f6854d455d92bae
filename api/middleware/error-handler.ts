import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { isOAuthError } from '../features/oauth/oauth.errors';
import { isOpenAiPath, openAiErrorResponse } from '../features/openai/openai.errors';
import { AppError, type ErrorBody } from '../lib/errors';
import type { AppEnv } from '../lib/hono-env';
import { oauthErrorResponse } from '../oauth/oauth.error-response';

export function errorBody(c: Context<AppEnv>, err: AppError): ErrorBody {
  const error: ErrorBody['error'] = { code: err.code, message: err.message };
  if (err.details !== undefined) error.details = err.details;
  return { error, requestId: c.get('requestId') ?? '' };
}

/** Maps AppError to its status and JSON shape; anything else is logged with its cause and masked. */
export function onError(err: Error, c: Context<AppEnv>): Response {
  // The OAuth endpoints answer RFC 6749 error bodies.
  if (isOAuthError(err)) return oauthErrorResponse(c, err);
  let appError: AppError;
  if (err instanceof AppError) appError = err;
  else if (err instanceof HTTPException) {
    appError = new AppError(
      err.status === 413 ? 'payload_too_large:request' : 'bad_request:request',
      err.message || 'Bad request',
      {
        status: err.status,
      },
    );
  } else if (err instanceof SyntaxError && /JSON/i.test(err.message)) {
    appError = new AppError('bad_request:json', 'The request body is not valid JSON', { status: 400 });
  } else {
    c.get('log')?.error({ err }, 'unhandled error');
    appError = new AppError(
      'internal:server',
      'Something went wrong on our side. Quote the request id if you report it.',
    );
  }
  if (appError.status >= 500 && err instanceof AppError) c.get('log')?.error({ err }, appError.message);
  // The OpenAI-compatible gateway answers in OpenAI's error shape so OpenAI SDKs understand it.
  if (isOpenAiPath(c.req.path)) return openAiErrorResponse(c, appError);
  for (const [k, v] of Object.entries(appError.headers)) c.header(k, v);
  return c.json(errorBody(c, appError), appError.status as ContentfulStatusCode);
}
