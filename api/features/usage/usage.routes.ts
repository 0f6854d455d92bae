import { createRoute, z } from '@hono/zod-openapi';
import { createMiddleware } from 'hono/factory';
import { assertCanAny } from '../../lib/authz';
import type { AppEnv } from '../../lib/hono-env';
import { errorResponses, IdParam, jsonBody, jsonOk } from '../../lib/openapi';
import { requireUser } from '../../middleware/rbac';
import {
  BUDGET_CAPABILITIES,
  Budget,
  BudgetInput,
  BudgetPatch,
  BudgetStatus,
  Month,
  MyUsage,
} from './usage.schemas';

const requireBudgetAdmin = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    const actor = c.get('ctx').actor;
    assertCanAny(actor, BUDGET_CAPABILITIES);
    await next();
  });

const adminGuard = [requireBudgetAdmin()];

export const myUsage = createRoute({
  method: 'get',
  path: '/usage/me',
  tags: ['Usage'],
  summary: 'My tokens and cost for a month (default: this month) and my budget status',
  middleware: [requireUser()],
  request: { query: z.object({ month: Month.optional() }) },
  responses: { 200: jsonOk(MyUsage, 'My usage'), ...errorResponses(401, 422) },
});

export const myBudget = createRoute({
  method: 'get',
  path: '/usage/me/budget',
  tags: ['Usage'],
  summary: 'My budget status this month (the chat usage meter)',
  middleware: [requireUser()],
  responses: { 200: jsonOk(BudgetStatus, 'Budget status'), ...errorResponses(401) },
});

const tags = ['Admin'];

export const list = createRoute({
  method: 'get',
  path: '/admin/budgets',
  tags,
  summary: 'Monthly budgets per role and per-user overrides',
  middleware: adminGuard,
  responses: { 200: jsonOk(z.object({ items: z.array(Budget) }), 'Budgets'), ...errorResponses(401, 403) },
});

export const create = createRoute({
  method: 'post',
  path: '/admin/budgets',
  tags,
  summary: 'Set a monthly budget for a role or a user (one per role / user)',
  middleware: adminGuard,
  request: { body: jsonBody(BudgetInput) },
  responses: { 201: jsonOk(Budget, 'Created'), ...errorResponses(401, 403, 404, 409, 422) },
});

export const patch = createRoute({
  method: 'patch',
  path: '/admin/budgets/{id}',
  tags,
  summary: 'Change the limits of a budget',
  middleware: adminGuard,
  request: { params: IdParam, body: jsonBody(BudgetPatch) },
  responses: { 200: jsonOk(Budget, 'Updated'), ...errorResponses(401, 403, 404, 422) },
});

export const remove = createRoute({
  method: 'delete',
  path: '/admin/budgets/{id}',
  tags,
  summary: 'Remove a budget',
  middleware: adminGuard,
  request: { params: IdParam },
  responses: { 204: { description: 'Deleted' }, ...errorResponses(401, 403, 404, 422) },
});
