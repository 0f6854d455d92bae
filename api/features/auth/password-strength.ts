/**
 * Password strength (issue 9.9): zxcvbn-ts with its offline common-password, name and keyboard-pattern
 * lists (no network, no breach API). A password must reach score 3 of 4 ("safely unguessable": about 10^10
 * guesses); `1234567890`, `password12`, `qwertyuiop` and `Password1!` score 0–1. The packages and their
 * dictionaries load once, on the first check (~20 MB of RSS a server that sets no password does not need).
 */
import type { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { onFirstUse } from '../../lib/on-first-use';

const core = onFirstUse<typeof import('@zxcvbn-ts/core')>('@zxcvbn-ts/core');
const common = onFirstUse<typeof import('@zxcvbn-ts/language-common')>('@zxcvbn-ts/language-common');

export const MIN_SCORE = 3;

let factory: ZxcvbnFactory | null = null;
const zxcvbn = () => {
  if (!factory) {
    const { dictionary, adjacencyGraphs } = common();
    factory = new (core().ZxcvbnFactory)({ dictionary: { ...dictionary }, graphs: adjacencyGraphs });
  }
  return factory;
};

/** zxcvbn's warning keys, in words for the field message. */
const WARNINGS: Record<string, string> = {
  topTen: 'it is one of the most used passwords',
  topHundred: 'it is one of the most used passwords',
  common: 'it is a commonly used password',
  similarToCommon: 'it is too close to a commonly used password',
  wordByItself: 'a single word is easy to guess',
  namesByThemselves: 'names on their own are easy to guess',
  commonNames: 'common names are easy to guess',
  userInputs: 'it contains your name or e-mail',
  straightRow: 'a row of keys is easy to guess',
  keyPattern: 'a keyboard pattern is easy to guess',
  simpleRepeat: 'repeated characters are easy to guess',
  extendedRepeat: 'repeated patterns are easy to guess',
  sequences: 'sequences like abc or 123 are easy to guess',
  recentYears: 'recent years are easy to guess',
  dates: 'dates are easy to guess',
};

/** null when strong enough, else the reason (for a field message such as "password is too easy to guess…"). */
export function passwordWeakness(password: string, userInputs: string[] = []): string | null {
  const result = zxcvbn().check(password, userInputs);
  if (result.score >= MIN_SCORE) return null;
  const why = result.feedback.warning ? WARNINGS[result.feedback.warning] : undefined;
  return `is too easy to guess${why ? `: ${why}` : ''}. Use a longer passphrase of several unrelated words`;
}
