import { createCtx, systemActor } from '../../lib/ctx';
import type { Command } from '../command';
import { UsageError } from '../command';

const viewLine = (v: unknown) => {
  const s = v as { key: string; value: string | null; source: string; secret: boolean };
  return `${s.key} = ${s.value ?? '(unset)'}  [${s.source}${s.secret ? ', secret' : ''}]`;
};

export const settingsGet: Command = {
  name: 'settings:get',
  summary: 'Show a setting (secrets masked), or all settings when no key is given',
  args: ['[key]'],
  needsDatabase: true,
  async run({ args, io, runtime }) {
    const { services } = runtime;
    const ctx = createCtx({ db: services.database.db, log: services.log, actor: systemActor('cli') });
    if (args[0]) io.result(await services.settings.view(ctx, args[0]), viewLine);
    else io.table((await services.settings.list(ctx)) as unknown as Record<string, unknown>[]);
  },
};

export const settingsSet: Command = {
  name: 'settings:set',
  summary: 'Set a setting; secret settings are stored encrypted',
  args: ['<key>', '<value>'],
  flags: { secret: { type: 'boolean', description: 'Store encrypted and always show masked' } },
  needsDatabase: true,
  async run({ args, flags, io, runtime }) {
    const [key, value] = args;
    if (!key || value === undefined) throw new UsageError('settings:set needs <key> and <value>');
    const { services } = runtime;
    const ctx = createCtx({ db: services.database.db, log: services.log, actor: systemActor('cli') });
    const view = await services.settings.set(ctx, {
      key,
      value,
      secret: flags.secret === true ? true : undefined,
    });
    io.result(view, viewLine);
  },
};
