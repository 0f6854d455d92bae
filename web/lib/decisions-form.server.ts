/**
 * The decision capture form → the capture service's input. Repeated inputs (evidence, alternatives, people)
 * arrive as several fields of one name; blank ones are dropped. Everything else is validated by the service,
 * whose field errors come back to the form.
 */
import { formStrings } from './admin.server';
import { formString } from './auth-form.server';

const filled = (form: FormData, name: string) =>
  formStrings(form, name)
    .map((v) => v.trim())
    .filter(Boolean);

const optional = (form: FormData, name: string) => formString(form, name).trim() || undefined;

export function captureInput(form: FormData) {
  return {
    decision: formString(form, 'decision'),
    decidedBy: filled(form, 'decidedBy'),
    reasoning: optional(form, 'reasoning'),
    class: optional(form, 'class'),
    status: optional(form, 'status'),
    evidence: filled(form, 'evidence'),
    constraints: filled(form, 'constraints'),
    conditions: filled(form, 'conditions'),
    alternatives_considered: filled(form, 'alternatives_considered'),
    consulted: filled(form, 'consulted'),
    notified: filled(form, 'notified'),
    supersedes: filled(form, 'supersedes'),
  };
}

/** The list page's filters from its query string (blank = not filtered). */
export function listQuery(url: URL) {
  const get = (name: string) => url.searchParams.get(name)?.trim() || undefined;
  return {
    q: get('q'),
    type: get('type') ?? 'decision',
    status: get('status'),
    class: get('class'),
    person: get('person'),
    since: get('since'),
    until: get('until'),
    cursor: get('cursor'),
    limit: 20,
  };
}
