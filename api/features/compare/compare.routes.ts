/**
 * Model Compare over HTTP. Runs (start, follow-up, fuse) answer `text/event-stream`: one `data: <json>` line
 * per CompareEvent (compare.schemas.ts) multiplexing every column; closing the request stops every model.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { errorResponses, IdParam, jsonBody, jsonOk } from '../../lib/openapi';
import { requireCapability } from '../../middleware/rbac';
import {
  ComparisonSummary,
  ComparisonView,
  FollowUpInput,
  FuseInput,
  ListComparisonsQuery,
  RenameComparisonInput,
  StartComparisonInput,
} from './compare.schemas';

const guard = [requireCapability('compare:use')];
const tags = ['Compare'];

const eventStream = (description: string) => ({
  description: `${description}. Server-Sent Events, one JSON CompareEvent per \`data:\` line: start, text (column, delta), first-token, result (column, saved result with ttft, tokens/s, tokens, cost), error, done. The comparison id is also in the X-Comparison-Id header.`,
  content: { 'text/event-stream': { schema: z.string() } },
});

export const list = createRoute({
  method: 'get',
  path: '/comparisons',
  tags,
  summary: 'My saved comparisons, most recent first',
  middleware: guard,
  request: { query: ListComparisonsQuery },
  responses: {
    200: jsonOk(z.object({ items: z.array(ComparisonSummary) }), 'Comparisons'),
    ...errorResponses(401, 403, 422),
  },
});

export const getOne = createRoute({
  method: 'get',
  path: '/comparisons/{id}',
  tags,
  summary: 'One comparison with every turn and result',
  middleware: guard,
  request: { params: IdParam },
  responses: { 200: jsonOk(ComparisonView, 'The comparison'), ...errorResponses(401, 403, 404, 422) },
});

export const rename = createRoute({
  method: 'patch',
  path: '/comparisons/{id}',
  tags,
  summary: 'Rename a comparison',
  middleware: guard,
  request: { params: IdParam, body: jsonBody(RenameComparisonInput) },
  responses: {
    200: jsonOk(ComparisonSummary, 'The renamed comparison'),
    ...errorResponses(401, 403, 404, 422),
  },
});

export const remove = createRoute({
  method: 'delete',
  path: '/comparisons/{id}',
  tags,
  summary: 'Delete a comparison',
  middleware: guard,
  request: { params: IdParam },
  responses: { 204: { description: 'Deleted' }, ...errorResponses(401, 403, 404, 422) },
});

export const start = createRoute({
  method: 'post',
  path: '/comparisons',
  tags,
  summary: 'Start a comparison: 2–4 models answer the prompt in parallel',
  middleware: guard,
  request: { body: jsonBody(StartComparisonInput) },
  responses: {
    200: eventStream('Every column streaming'),
    ...errorResponses(401, 403, 404, 422, 429),
  },
});

export const followUp = createRoute({
  method: 'post',
  path: '/comparisons/{id}/turns',
  tags,
  summary: 'Ask every model of a comparison a follow-up',
  middleware: guard,
  request: { params: IdParam, body: jsonBody(FollowUpInput) },
  responses: {
    200: eventStream('Every column streaming'),
    ...errorResponses(401, 403, 404, 422, 429),
  },
});

export const fuse = createRoute({
  method: 'post',
  path: '/comparisons/{id}/fuse',
  tags,
  summary: "Merge a turn's answers into one with a chosen model",
  middleware: guard,
  request: { params: IdParam, body: jsonBody(FuseInput) },
  responses: {
    200: eventStream('The fused answer streaming (column -1)'),
    ...errorResponses(401, 403, 404, 409, 422, 429),
  },
});
