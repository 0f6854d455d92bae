/** Bootstrap and recovery on a server: create users, reset passwords, disable accounts, list roles. */
import { createCtx, systemActor } from '../../lib/ctx';
import { AppError } from '../../lib/errors';
import type { Runtime } from '../../runtime';
import type { Command } from '../command';

const cliCtx = (runtime: Runtime) =>
  createCtx({ db: runtime.services.database.db, log: runtime.services.log, actor: systemActor('cli') });

async function userIdByEmail(runtime: Runtime, email: string): Promise<string> {
  const user = await runtime.services.users.findByEmail(cliCtx(runtime), email.trim());
  if (!user) throw new AppError('not_found:users', `No user with e-mail ${email}`);
  return user.id;
}

export const usersCreate: Command = {
  name: 'users:create',
  summary: 'Create a local account (the first account is always an administrator)',
  flags: {
    email: { type: 'string', description: 'E-mail address', required: true },
    password: { type: 'string', description: 'Password (at least 10 characters)' },
    name: { type: 'string', description: 'Display name' },
    role: { type: 'string', description: 'Role name(s), comma-separated (default: auth.default_role)' },
  },
  needsDatabase: true,
  async run({ flags, io, runtime }) {
    const roles = typeof flags.role === 'string' ? flags.role.split(',').filter(Boolean) : undefined;
    const user = await runtime.services.users.create(cliCtx(runtime), {
      email: String(flags.email),
      password: typeof flags.password === 'string' ? flags.password : undefined,
      name: typeof flags.name === 'string' ? flags.name : undefined,
      roles,
    });
    io.result(user, () => `created ${user.email} (${user.roles.map((r) => r.name).join(', ')})`);
  },
};

export const usersList: Command = {
  name: 'users:list',
  summary: 'List users (newest first)',
  flags: {
    q: { type: 'string', description: 'Search e-mail or name' },
    limit: { type: 'string', description: 'How many (default 100)' },
  },
  needsDatabase: true,
  async run({ flags, io, runtime }) {
    const page = await runtime.services.users.list(cliCtx(runtime), {
      q: typeof flags.q === 'string' ? flags.q : undefined,
      limit: typeof flags.limit === 'string' ? Number(flags.limit) : 100,
    });
    io.table(
      page.items.map((u) => ({
        email: u.email,
        name: u.name,
        status: u.status,
        roles: u.roles.map((r) => r.name).join(','),
        lastLoginAt: u.lastLoginAt ?? '',
        id: u.id,
      })),
    );
  },
};

export const usersSetPassword: Command = {
  name: 'users:set-password',
  summary: "Set a user's password and end all their sessions",
  flags: {
    email: { type: 'string', description: 'E-mail address', required: true },
    password: { type: 'string', description: 'New password (at least 10 characters)', required: true },
  },
  needsDatabase: true,
  async run({ flags, io, runtime }) {
    const id = await userIdByEmail(runtime, String(flags.email));
    const result = await runtime.services.auth.setPassword(cliCtx(runtime), id, String(flags.password));
    io.result(
      result,
      () =>
        `password set; ${result.sessionsEnded} session(s) ended, ${result.apiKeysRevoked} API key(s) revoked`,
    );
  },
};

export const usersDisable: Command = {
  name: 'users:disable',
  summary: 'Disable a user and end their sessions at once (--enable to undo)',
  flags: {
    email: { type: 'string', description: 'E-mail address', required: true },
    enable: { type: 'boolean', description: 'Re-enable instead' },
  },
  needsDatabase: true,
  async run({ flags, io, runtime }) {
    const id = await userIdByEmail(runtime, String(flags.email));
    const status = flags.enable === true ? 'active' : 'disabled';
    const user = await runtime.services.users.setStatus(cliCtx(runtime), id, status);
    io.result(user, () => `${user.email} is now ${user.status}`);
  },
};

export const rolesList: Command = {
  name: 'roles:list',
  summary: 'List roles and their capabilities',
  needsDatabase: true,
  async run({ io, runtime }) {
    const roles = await runtime.services.roles.list(cliCtx(runtime));
    io.table(
      roles.map((r) => ({
        name: r.name,
        system: r.isSystem,
        users: r.userCount,
        capabilities: r.capabilities.join(' '),
      })),
    );
  },
};
