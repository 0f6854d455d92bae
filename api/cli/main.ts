/**
 * Admin CLI: `npm run cli -- <command> [args] [--flags] [--json]`.
 * Exit codes: 0 done, 1 failed, 2 usage error, 78 bad configuration.
 * On the embedded database it joins a running server through its socket, or opens the data directory.
 */
import { parseArgs } from 'node:util';
import pino from 'pino';
import { DataDirInUseError } from '../../db/embedded';
import { loadConfigOrExit } from '../config';
import { AppError } from '../lib/errors';
import { createLogger } from '../lib/logger';
import { type Runtime, startRuntime } from '../runtime';
import { type Command, type CommandIo, type FlagValue, UsageError } from './command';
import { commands } from './registry';

function createIo(json: boolean): CommandIo {
  const out = (text: string) => process.stdout.write(`${text}\n`);
  return {
    json,
    say: (text) => {
      if (!json) out(text);
    },
    table(rows) {
      if (json) return out(JSON.stringify(rows, null, 2));
      if (rows.length === 0) return out('(none)');
      console.table(rows);
    },
    result(value, human) {
      if (json) out(JSON.stringify(value, null, 2));
      else out(human ? human(value) : typeof value === 'string' ? value : JSON.stringify(value, null, 2));
    },
  };
}

function help(command?: Command): string {
  if (!command) {
    const width = Math.max(...commands.map((c) => c.name.length));
    return [
      'AI Studio admin CLI',
      '',
      'Usage: npm run cli -- <command> [arguments] [--flags] [--json]',
      '',
      'Commands:',
      ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
      '',
      'Global flags: --json (machine-readable output), --help',
      'Run `npm run cli -- <command> --help` for a command’s flags.',
    ].join('\n');
  }
  const flags = Object.entries(command.flags ?? {}).map(
    ([name, f]) =>
      `  --${name}${f.type === 'string' ? ' <value>' : ''}${f.required ? ' (required)' : ''}  ${f.description}`,
  );
  return [
    `${command.name} — ${command.summary}`,
    '',
    `Usage: npm run cli -- ${command.name} ${(command.args ?? []).join(' ')}${flags.length ? ' [flags]' : ''}`,
    ...(flags.length ? ['', 'Flags:', ...flags] : []),
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(`${help()}\n`);
    return name ? 0 : 2;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) throw new UsageError(`unknown command "${name}" (run \`npm run cli -- help\` for the list)`);

  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> = {
    json: { type: 'boolean' },
    help: { type: 'boolean' },
  };
  for (const [flag, spec] of Object.entries(command.flags ?? {}))
    options[flag] = spec.multiple ? { type: spec.type, multiple: true } : { type: spec.type };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: rest, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(`${(err as Error).message.split('\n')[0]}\n\n${help(command)}`);
  }
  const flags = parsed.values as Record<string, FlagValue>;
  if (flags.help) {
    process.stdout.write(`${help(command)}\n`);
    return 0;
  }
  for (const [flag, spec] of Object.entries(command.flags ?? {})) {
    if (spec.required && (flags[flag] === undefined || flags[flag] === '')) {
      throw new UsageError(`--${flag} is required\n\n${help(command)}`);
    }
  }
  const io = createIo(flags.json === true);
  const config = loadConfigOrExit();
  const log = createLogger({
    level: config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL,
    destination: pino.destination(2),
  });
  let runtime: Runtime | undefined;
  try {
    if (command.needsDatabase) {
      runtime = await startRuntime({
        config,
        log,
        role: 'client',
        migrate: command.name !== 'db:status',
        jobs: command.jobs ?? 'none',
        applicationName: 'ai-studio-cli',
      });
    }
    await command.run({ flags, args: parsed.positionals, io, runtime: runtime as Runtime });
    return 0;
  } finally {
    await runtime?.close(2_000);
  }
}

main(process.argv.slice(2))
  .then((code) => process.exit(code))
  .catch((err: unknown) => {
    if (err instanceof UsageError) {
      process.stderr.write(`error: ${err.message}\n`);
      process.exit(2);
    }
    if (err instanceof AppError) {
      const details = err.details ? ` ${JSON.stringify(err.details)}` : '';
      process.stderr.write(`error: ${err.message}${details}\n`);
      process.exit(err.status < 500 ? 2 : 1);
    }
    if (err instanceof DataDirInUseError) {
      process.stderr.write(`error: ${err.message}\n`);
      process.exit(1);
    }
    if (err && typeof err === 'object' && 'issues' in err) {
      const issue = (err as { issues: { path: unknown[]; message: string }[] }).issues[0];
      process.stderr.write(`error: ${issue?.path.join('.') || 'input'}: ${issue?.message}\n`);
      process.exit(2);
    }
    const cause = err instanceof Error && err.cause instanceof Error ? ` (${err.cause.message})` : '';
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}${cause}\n`);
    process.exit(1);
  });
