/** Usage and budget contract shared by the services (validation) and the routes (OpenAPI). */
import { z } from '@hono/zod-openapi';

export { BUDGET_CAPABILITIES } from '../../lib/capabilities';

const UsdLimit = z
  .union([z.string().trim(), z.number().nonnegative()])
  .transform((v) => (typeof v === 'number' ? v.toString() : v))
  .refine((v) => /^\d{1,8}(\.\d{1,6})?$/.test(v), 'must be a USD amount with at most 6 decimals')
  .openapi({ type: 'string', example: '25', description: 'USD per month' });

export const Month = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month as YYYY-MM')
  .openapi({ example: '2026-11' });

export const BudgetInput = z
  .object({
    scope: z.enum(['role', 'user']),
    role: z.string().trim().min(1).max(40).optional().openapi({ description: 'Role name (scope role)' }),
    userId: z.uuid().optional().openapi({ description: 'scope user' }),
    limitTokens: z.number().int().nonnegative().max(1e15).nullable().default(null),
    limitCostUsd: UsdLimit.nullable().default(null),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.scope === 'role' && !v.role)
      ctx.addIssue({ code: 'custom', path: ['role'], message: 'is required' });
    if (v.scope === 'user' && !v.userId)
      ctx.addIssue({ code: 'custom', path: ['userId'], message: 'is required' });
    if (v.scope === 'role' && v.userId)
      ctx.addIssue({ code: 'custom', path: ['userId'], message: 'only for scope user' });
    if (v.scope === 'user' && v.role)
      ctx.addIssue({ code: 'custom', path: ['role'], message: 'only for scope role' });
  })
  .openapi('BudgetInput');

export const BudgetPatch = z
  .object({
    limitTokens: z.number().int().nonnegative().max(1e15).nullable(),
    limitCostUsd: UsdLimit.nullable(),
  })
  .partial()
  .strict()
  .openapi('BudgetPatch');

export const Budget = z
  .object({
    id: z.uuid(),
    scope: z.enum(['role', 'user']),
    roleId: z.uuid().nullable(),
    role: z.string().nullable(),
    userId: z.uuid().nullable(),
    userEmail: z.string().nullable(),
    period: z.literal('month'),
    limitTokens: z.number().int().nullable().openapi({ description: 'null = no token limit' }),
    limitCostUsd: z.string().nullable().openapi({ description: 'null = no cost limit' }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Budget');
export type BudgetView = z.infer<typeof Budget>;

export const BudgetStatus = z
  .object({
    source: z
      .enum(['user', 'role', 'none'])
      .openapi({ description: 'Where the limit comes from: a per-user override, the roles, or no limit' }),
    limitTokens: z.number().int().nullable(),
    limitCostUsd: z.string().nullable(),
    usedTokens: z.number().int(),
    usedCostUsd: z.string(),
    exceeded: z.boolean(),
    resetsAt: z.string().openapi({ description: 'First instant of next month (UTC)' }),
  })
  .openapi('BudgetStatus');
export type BudgetStatusView = z.infer<typeof BudgetStatus>;

export const MyUsage = z
  .object({
    month: Month,
    inputTokens: z.number().int(),
    outputTokens: z.number().int(),
    cachedInputTokens: z.number().int(),
    totalTokens: z.number().int(),
    costUsd: z.string(),
    calls: z.number().int(),
    byModel: z.array(
      z.object({
        modelId: z.uuid(),
        displayName: z.string(),
        inputTokens: z.number().int(),
        outputTokens: z.number().int(),
        cachedInputTokens: z.number().int(),
        costUsd: z.string(),
        calls: z.number().int(),
      }),
    ),
    bySurface: z.array(
      z.object({
        surface: z.string(),
        totalTokens: z.number().int(),
        costUsd: z.string(),
        calls: z.number().int(),
      }),
    ),
    budget: BudgetStatus.openapi({ description: 'Current month only' }),
  })
  .openapi('MyUsage');
export type MyUsageView = z.infer<typeof MyUsage>;
