import { Writable } from 'node:stream';
import { APICallError, JSONParseError, RetryError } from 'ai';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../lib/logger';
import { describeUpstreamError, logUpstreamError } from './upstream-errors';

const SECRET = 'sk-live-0123456789abcdefghijklmnop';

const apiError = (statusCode: number, body: string) =>
  new APICallError({
    message: `provider said: ${body}`,
    url: 'https://provider.example/v1/chat/completions',
    requestBodyValues: { messages: [{ role: 'user', content: 'the prompt' }] },
    statusCode,
    responseBody: body,
    isRetryable: statusCode >= 500,
  });

describe('describeUpstreamError', () => {
  it('words HTTP failures by status and never repeats the provider body', () => {
    const cases: Array<[number, string]> = [
      [429, 'rate_limited'],
      [401, 'refused'],
      [403, 'refused'],
      [500, 'unavailable'],
      [503, 'unavailable'],
      [400, 'rejected'],
    ];
    for (const [status, code] of cases) {
      const e = describeUpstreamError(apiError(status, `{"error":"${SECRET} leaked"}`));
      expect(e.code).toBe(code);
      expect(e.message).toContain(`HTTP ${status}`);
      expect(e.message).not.toContain(SECRET);
      expect(e.message).not.toContain('leaked');
    }
  });

  it('looks through retries, and tells unreachable, unreadable and mid-stream failures apart', () => {
    const retried = new RetryError({
      message: 'x',
      reason: 'maxRetriesExceeded',
      errors: [apiError(429, 'slow')],
    });
    expect(describeUpstreamError(retried).code).toBe('rate_limited');
    expect(describeUpstreamError(new TypeError('fetch failed')).code).toBe('unreachable');
    expect(describeUpstreamError(new JSONParseError({ text: '<html>', cause: new Error('x') }))).toEqual({
      code: 'invalid_response',
      message: 'The model provider sent an answer that is not valid JSON.',
    });
    expect(describeUpstreamError({ message: SECRET, type: 'server_error' })).toMatchObject({
      code: 'provider_error',
      message: expect.not.stringContaining(SECRET),
    });
    expect(describeUpstreamError(new TypeError('terminated')).code).toBe('interrupted');
  });
});

describe('logUpstreamError', () => {
  it('logs the provider body masked, without the request (prompt)', () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const log = createLogger({ level: 'info', destination });
    logUpstreamError(log, apiError(500, `{"error":"${SECRET} leaked"}`), { modelId: 'm1' });
    const entry = lines.join('');
    expect(entry).toContain('leaked');
    expect(entry).toContain('"status":500');
    expect(entry).not.toContain(SECRET);
    expect(entry).not.toContain('the prompt');
  });
});
