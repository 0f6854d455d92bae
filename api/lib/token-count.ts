/**
 * Token counts (gpt-tokenizer's default encoding), with the tokenizer loaded on first use: its tables hold
 * ~55 MB of the process (RSS; 19 MB of JavaScript heap), which a server that never chunks a document or
 * fits retrieved passages into a prompt does not need (ADR 026).
 */
import { onFirstUse } from './on-first-use';

const tokenizer = onFirstUse<typeof import('gpt-tokenizer')>('gpt-tokenizer');

export function countTokens(text: string): number {
  return tokenizer().countTokens(text);
}
