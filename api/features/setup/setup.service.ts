/**
 * First run: whether the installation has anybody yet (the landing page then invites creating the
 * administrator account), and the administrator's setup checklist — each step derived from real state
 * (a configured provider, an active chat model, a saved sign-up policy, a second account), never from a
 * "dismissed" flag, so a step un-ticks itself if what it checks goes away.
 */
import { can } from '../../lib/authz';
import type { Ctx } from '../../lib/ctx';
import type { ModelsService } from '../models/models.service';
import type { SettingsService } from '../settings/settings.service';
import { anyUserExists, searchUsers } from '../users/users.repo';

export type SetupStepId = 'provider' | 'model' | 'signup' | 'people';

export interface SetupStep {
  id: SetupStepId;
  label: string;
  /** What doing it means, in a line. */
  hint: string;
  /** Where it is done. */
  href: string;
  done: boolean;
}

/** The settings an administrator saves when deciding who may sign up. */
const SIGNUP_POLICY_KEYS = ['auth.signup_enabled', 'auth.signup_domains', 'auth.default_role'];
/** The checklist is the administrator's: it reads models, settings and people. */
const SETUP_CAPABILITIES = ['admin:models', 'admin:settings', 'admin:users'] as const;

export interface SetupServiceDeps {
  models: ModelsService;
  settings: SettingsService;
}

export class SetupService {
  constructor(private readonly deps: SetupServiceDeps) {}

  /** True on a fresh installation (no account yet): public, as the sign-up form already tells it. */
  async firstRun(ctx: Ctx): Promise<boolean> {
    return !(await anyUserExists(ctx.db));
  }

  /** The checklist for someone who administers models, settings and people; null for anyone else. */
  async checklist(ctx: Ctx): Promise<SetupStep[] | null> {
    if (!SETUP_CAPABILITIES.every((capability) => can(ctx.actor, capability))) return null;
    const { models, settings } = this.deps;
    const [providers, registered, policy, people] = await Promise.all([
      models.providerStatus(ctx),
      models.list(ctx),
      Promise.all(SIGNUP_POLICY_KEYS.map((key) => settings.view(ctx, key))),
      searchUsers(ctx.db, { limit: 1, offset: 0 }),
    ]);
    return [
      {
        id: 'provider',
        label: 'Connect an AI provider',
        hint: 'Enter the API key (or endpoint) of OpenAI, Azure, Google, Amazon Bedrock or your own server.',
        href: '/admin/models#providers',
        done: providers.some((p) => p.configured),
      },
      {
        id: 'model',
        label: 'Add the first model',
        hint: 'Choose which of the provider’s models people may chat with, and at what price.',
        href: '/admin/models',
        done: registered.some((m) => m.active && m.kind === 'chat'),
      },
      {
        id: 'signup',
        label: 'Decide who may sign up',
        hint: 'Open or close self sign-up, limit it to your e-mail domains and pick the role new accounts get.',
        href: '/admin/auth#signup',
        done: policy.some((s) => s.source === 'database'),
      },
      {
        id: 'people',
        label: 'Invite people',
        hint: 'Add accounts for colleagues, or connect single sign-on so they can sign in with it.',
        href: '/admin/users',
        done: people.total > 1,
      },
    ];
  }
}
