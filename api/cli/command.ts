/** The admin CLI's command contract. Each command declares its flags; main.ts parses and runs it. */
import type { Runtime } from '../runtime';

export interface FlagSpec {
  type: 'string' | 'boolean';
  description: string;
  required?: boolean;
  /** The flag may be given several times; its value is then a string[]. */
  multiple?: boolean;
}

/** A parsed flag: a string, a boolean switch, or the strings of a `multiple` flag. */
export type FlagValue = string | boolean | string[] | undefined;

export interface CommandIo {
  json: boolean;
  /** Prints a human line (suppressed with --json). */
  say(text: string): void;
  /** Prints a table of rows (human) or the rows as JSON. */
  table(rows: Record<string, unknown>[]): void;
  /** The command's result: JSON under --json, else printed by `human` when given. */
  result(value: unknown, human?: (value: unknown) => string): void;
}

export interface Command {
  name: string;
  summary: string;
  usage?: string;
  flags?: Record<string, FlagSpec>;
  /** Positional arguments' names, for help. */
  args?: string[];
  /** Commands that need no database (e.g. help) leave this false. */
  needsDatabase?: boolean;
  /** `send` starts the job queue in enqueue-only mode. */
  jobs?: 'send' | 'none';
  run(input: {
    flags: Record<string, FlagValue>;
    args: string[];
    io: CommandIo;
    runtime: Runtime;
  }): Promise<void>;
}

/** A user mistake: exit code 2 with the message, no stack. */
export class UsageError extends Error {
  override name = 'UsageError';
}
