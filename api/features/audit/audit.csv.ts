/** RFC 4180 CSV for the audit export; cells starting with = + - @ are quoted with a leading ' (CSV injection). */
import type { AuditEventRow } from './audit.repo';

export const AUDIT_CSV_HEADER = [
  'id',
  'created_at',
  'actor_id',
  'actor_type',
  'actor_label',
  'action',
  'target_type',
  'target_id',
  'ip',
  'request_id',
  'details',
];

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s =
    typeof value === 'string' ? value : value instanceof Date ? value.toISOString() : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function auditCsvRow(e: AuditEventRow): string {
  return [
    e.id,
    e.createdAt,
    e.actorId,
    e.actorType,
    e.actorLabel,
    e.action,
    e.targetType,
    e.targetId,
    e.ip,
    e.requestId,
    e.details,
  ]
    .map(csvCell)
    .join(',');
}
