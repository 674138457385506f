// The shapes of a back-office record page, declared with its list (ListDecl.record) by the module
// that owns the records and rendered by core/admin (record-page.tsx): the record's facts in groups,
// its related records, and its history from the audit log.
import type { ComponentChildren } from 'preact';
import type { Tx } from '../db/pool.ts';
import type { StaffRole } from '../http/staff-access.ts';
import type { ListView } from './list-types.ts';

/** A record's address: the org it belongs to (null for a record of no org) and its id. */
export type RecordKey = { orgId: string | null; id: string };

/** One labelled value on a record page. */
export type Fact = readonly [label: string, value: ComponentChildren];

export type RecordView = {
  title: string;
  subtitle?: string;
  /** The org whose data this is: its owners see in their Activity that staff opened it. */
  org: { id: string; slug: string; name: string } | null;
  /** The record's facts by group ("Invoice", "Money", "Dates"…); secrets are never among them. */
  groups: readonly { title: string; facts: readonly Fact[] }[];
  /** Related records (members, the invoices of a payout, rejected rows), rendered by the module. */
  related?: ComponentChildren;
  /** What staff may do to the record (forms posting to the owning module's routes), for the viewer's role. */
  actions?: (viewer: RecordActionViewer) => ComponentChildren;
};

/** What an action form needs of the page: the CSRF token, and the viewer's staff role (which buttons to offer). */
export type RecordActionViewer = { csrfToken: string; role: StaffRole | null };

export type RecordDecl = {
  /** Tenant records are addressed as /staff/<list>/:orgId/:<idParam>; others as /staff/<list>/:<idParam>. */
  tenant: boolean;
  /** The path parameter of the record's id, named for its kind as everywhere else ('invoiceId'). */
  idParam: string;
  /** The audit log's target_type for this record: its history is the entries that name it. */
  auditTarget: string;
  /** Reads the record in the staff read transaction; null when there is none. */
  load: (tx: Tx, key: RecordKey, view: ListView) => Promise<RecordView | null>;
};
