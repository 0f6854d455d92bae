import { describe, expect, it } from 'vitest';
import { AppError, ERROR_SURFACES, type ErrorCode, STATUS_BY_TYPE, statusOf } from './errors';

describe('error codes', () => {
  it('take their HTTP status from the one table by their type', () => {
    for (const [type, status] of Object.entries(STATUS_BY_TYPE)) {
      const code = `${type}:chat` as ErrorCode;
      expect(statusOf(code)).toBe(status);
      expect(new AppError(code, 'x').status).toBe(status);
    }
    expect(new AppError('not_found:models', 'No such model').status).toBe(404);
    expect(new AppError('upstream:provider', 'bad answer').status).toBe(502);
    expect(new AppError('conflict:users', 'x', { status: 400 }).status).toBe(400);
  });

  it('are checked by the compiler (type and surface from the lists)', () => {
    // @ts-expect-error — not a known type
    const badType: ErrorCode = 'oops:chat';
    // @ts-expect-error — not a known surface
    const badSurface: ErrorCode = 'not_found:nowhere';
    expect([badType, badSurface]).toHaveLength(2);
    expect(new Set(ERROR_SURFACES).size).toBe(ERROR_SURFACES.length);
  });
});
