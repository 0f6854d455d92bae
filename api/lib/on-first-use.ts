/**
 * A package loaded on first use instead of at start: for big tables a server may never need (the tokenizer's
 * ranks, the password dictionaries; ADR 026). Synchronous, through the package's CommonJS build, so callers
 * stay synchronous.
 */
import { createRequire } from 'node:module';

const load = createRequire(import.meta.url);

export function onFirstUse<T>(specifier: string): () => T {
  let loaded: T | undefined;
  return () => {
    loaded ??= load(specifier) as T;
    return loaded;
  };
}
