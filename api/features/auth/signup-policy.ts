/** The sign-up policy (settings): whether sign-up is open, to which e-mail domains, with which first role. */
import type { z } from 'zod';
import { assertCan } from '../../lib/authz';
import type { Ctx } from '../../lib/ctx';
import { parseInput } from '../../lib/validate';
import type { RolesService } from '../roles/roles.service';
import type { SettingsService } from '../settings/settings.service';
import { anyUserExists } from '../users/users.repo';
import type { UsersService } from '../users/users.service';
import { type SignupPolicy, SignupPolicyInput } from './auth.schemas';

export class SignupPolicies {
  constructor(
    private readonly deps: { settings: SettingsService; users: UsersService; roles: RolesService },
  ) {}

  async get(ctx: Ctx): Promise<SignupPolicy> {
    const { settings } = this.deps;
    const domains = (await settings.get(ctx, 'auth.signup_domains')) ?? '';
    return {
      signupEnabled: await settings.getBoolean(ctx, 'auth.signup_enabled', true),
      signupDomains: domains
        .split(',')
        .map((d) => d.trim().toLowerCase().replace(/^@/, ''))
        .filter(Boolean),
      defaultRole: await this.deps.users.defaultRole(ctx),
    };
  }

  /** The policy for the admin console. */
  async view(ctx: Ctx): Promise<SignupPolicy> {
    assertCan(ctx.actor, 'admin:settings');
    return this.get(ctx);
  }

  async set(ctx: Ctx, input: z.input<typeof SignupPolicyInput>): Promise<SignupPolicy> {
    assertCan(ctx.actor, 'admin:settings');
    const data = parseInput(SignupPolicyInput, input, 'settings');
    if (data.defaultRole) await this.deps.roles.resolveNames(ctx, [data.defaultRole], 'defaultRole');
    const { settings } = this.deps;
    if (data.signupEnabled !== undefined)
      await settings.set(ctx, { key: 'auth.signup_enabled', value: String(data.signupEnabled) });
    if (data.signupDomains !== undefined)
      await settings.set(ctx, {
        key: 'auth.signup_domains',
        value: [...new Set(data.signupDomains)].join(','),
      });
    if (data.defaultRole !== undefined)
      await settings.set(ctx, { key: 'auth.default_role', value: data.defaultRole });
    return this.get(ctx);
  }

  /** Whether the sign-up page should offer a form (the first account is always allowed). */
  async open(ctx: Ctx): Promise<boolean> {
    const policy = await this.get(ctx);
    return policy.signupEnabled || !(await anyUserExists(ctx.db));
  }
}
