// The audit log's filters, shared by the back-office's list of every org's entries and an org's own
// Activity page: who, what, which record, from where, when. Each narrows through an index
// (migrations 0001, 0009, 0011); the queries alias audit_log as `a`. Who is matched by the person's
// id (looked up by their email first), so the actor index narrows it, not a join.
import type { FilterDecl } from '../admin/lists.ts';

/** `example`: what the action box suggests (the actions people of that page look for). */
export function auditFilters(example: string) {
  return {
    actor: { kind: 'text', name: 'actor', label: 'Who (email)', column: 'a.actor_user_id', match: 'person' },
    action: {
      kind: 'text',
      name: 'action',
      label: 'What (action)',
      column: 'a.action',
      match: 'exact-or-prefix',
      example,
    },
    record: [
      { kind: 'text', name: 'target_type', label: 'Record type', column: 'a.target_type', match: 'exact' },
      { kind: 'text', name: 'target', label: 'Record id', column: 'a.target_id', match: 'exact' },
      { kind: 'text', name: 'ip', label: 'IP address', column: 'a.ip', match: 'inet' },
      { kind: 'text', name: 'request', label: 'Request id', column: 'a.request_id', match: 'exact' },
    ],
    when: { kind: 'dates', name: 'when', label: 'When', column: 'a.created_at' },
  } as const satisfies { actor: FilterDecl; action: FilterDecl; record: readonly FilterDecl[]; when: FilterDecl };
}
