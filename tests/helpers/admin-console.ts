/**
 * The admin console over real HTTP, as the admin-web tests drive it: the app with its web build, one signed-in
 * administrator, staff member and student (cookies a test may replace), document requests as each, and
 * contexts for checking what the services stored.
 */
import { documentClient, type SeededRole, usersForEachRole } from './session';
import { startTestApp, type TestApp } from './test-app';

export type Who = 'admin' | 'staff' | 'student';

export interface AdminConsole {
  app: TestApp;
  ids: Record<SeededRole, string>;
  /** Each person's session cookie; a test that signs someone in again replaces theirs. */
  cookie: Record<Who, string>;
  get(path: string, who: Who): Promise<Response>;
  post(path: string, who: Who, fields: Record<string, string | string[]>): Promise<Response>;
}

export async function startAdminConsole(): Promise<AdminConsole> {
  const app = await startTestApp({ web: true });
  const people = await usersForEachRole(app);
  const cookie: Record<Who, string> = {
    admin: people.cookies.administrator,
    staff: people.cookies.staff,
    student: people.cookies.student,
  };
  const client = documentClient(app, cookie);
  return { app, ids: people.ids, cookie, get: client.get, post: client.post };
}

/** The system's context, and one acting as the administrator (services that need a person, e.g. budgets). */
export const systemOf = (c: AdminConsole) => c.app.services.systemCtx();
export const administratorOf = async (c: AdminConsole) => ({
  ...systemOf(c),
  actor: (await c.app.services.users.actorFor(c.app.database.db, c.ids.administrator!))!,
});
/** The actions of the last 200 audit events. */
export const auditActionsOf = async (c: AdminConsole) =>
  (await c.app.services.audit.list(systemOf(c), { limit: 200 })).map((e) => e.action);
