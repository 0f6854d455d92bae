import { describe, expect, it } from 'vitest';
import { CreateKeyInput } from './api-keys.schemas';

const messageFor = (rateLimitRpm: unknown) =>
  CreateKeyInput.safeParse({ name: 'k', scopes: ['chat'], rateLimitRpm }).error?.issues[0]?.message;

describe('API key input messages say what is wrong', () => {
  it.each([
    [1_000_000, 'must be at most 100,000'],
    [0, 'must be at least 1'],
    [2.5, 'must be a whole number'],
  ])('rate limit %s → %s', (value, message) => {
    expect(messageFor(value)).toBe(message);
  });
});
