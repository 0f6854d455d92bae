/**
 * Token counts (gpt-tokenizer's default encoding), with the tokenizer loaded on first use: its tables hold
 * ~55 MB of the process (RSS; 19 MB of JavaScript heap), which a server that never chunks a document or
 * fits retrieved passages into a prompt does not need (ADR 026).
 */
import { createRequire } from 'node:module';

type Tokenizer = typeof import('gpt-tokenizer');

let tokenizer: Tokenizer | undefined;

export function countTokens(text: string): number {
  tokenizer ??= createRequire(import.meta.url)('gpt-tokenizer') as Tokenizer;
  return tokenizer.countTokens(text);
}
