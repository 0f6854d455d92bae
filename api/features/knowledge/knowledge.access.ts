/**
 * Who may read a repository, as SQL over a `knowledge_repositories` alias — every query that returns
 * repository content includes it, so a person without access gets nothing (not a filtered list).
 * Readers: administrators; the owner; everyone with knowledge:use when visibility = 'everyone'; the users and
 * role members named in resource_grants (type 'repository') when visibility is 'roles' or 'users'.
 * A conversation's private repository (`chat_id` set: its large attachments) is its owner's alone,
 * administrators included (jobs and the CLI, trusted, read everything).
 * The capability itself (knowledge:use) is asserted by the service before any query.
 */
import { type SQL, sql } from 'drizzle-orm';
import { isAdmin } from '../../lib/authz';
import type { Actor } from '../../lib/ctx';

export const REPOSITORY_RESOURCE = 'repository';

export function readableBy(actor: Actor, alias = 'r'): SQL {
  const r = sql.raw(alias);
  if (actor.id === null) return isAdmin(actor) ? sql`true` : sql`false`; // jobs and the CLI
  if (isAdmin(actor)) return sql`(${r}.chat_id is null or ${r}.owner_id = ${actor.id}::uuid)`;
  const roles = `{${actor.roles.map((name) => `"${name.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
  return sql`(${r}.owner_id = ${actor.id}::uuid
    or ${r}.chat_id is null and ${r}.visibility = 'everyone'
    or (${r}.chat_id is null and ${r}.visibility in ('roles', 'users') and exists (
      select 1 from resource_grants g left join roles ro on ro.id = g.role_id
      where g.resource_type = ${REPOSITORY_RESOURCE} and g.resource_id = ${r}.id::text
        and (g.user_id = ${actor.id}::uuid or ro.name = any(${roles}::text[])))))`;
}

/** Owners and administrators change a repository and its items. */
export function manageableBy(actor: Actor, alias = 'r'): SQL {
  const r = sql.raw(alias);
  if (actor.id === null) return isAdmin(actor) ? sql`true` : sql`false`; // jobs and the CLI
  if (isAdmin(actor)) return sql`(${r}.chat_id is null or ${r}.owner_id = ${actor.id}::uuid)`;
  return sql`${r}.owner_id = ${actor.id}::uuid`;
}
