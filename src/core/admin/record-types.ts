// The shapes of a back-office record page, declared with its list (ListDecl.record) by the module
// that owns the records and rendered by core/admin (record-page.tsx): the record's facts in groups,
// its related records, and its history from the audit log.
import type { ComponentChildren } from 'preact';
import type { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import type { UserActor } from '../audit/audit.ts';
import type { StaffAccess } from '../http/staff-access.ts';
import type { Tx } from '../db/pool.ts';
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
  /** The record's actions that apply to it as it is now (by name), with the choices each offers. */
  offers?: Readonly<Record<string, Offer>>;
  /** What a destructive action asks to be typed: the record's name as people know it. */
  confirmText?: string;
};

/** An action the record offers now. */
export type Offer = {
  choices?: readonly { value: string; label: string }[];
  /** What it will do to this record as it is now, instead of the action's general `explain`. */
  explain?: string;
  /**
   * The record's state as the page shows it (a run's status): the form carries it back, and the action
   * is refused (409) when the record has moved on since; `run` gets it to check again under its lock.
   */
  seen?: string;
};

/** What a staff member gives an action: a stated reason, a chosen value (the member who becomes owner). */
export type ActionInput = { reason?: string; choice?: string; seen?: string };

/**
 * An action on a record, declared with the permission it needs and what it asks before it runs.
 * `run` calls the owning module's service, which checks the staff role again and audits the action;
 * it answers what happened (a success message), or facts to show once (a revealed value).
 */
export type RecordAction = {
  /** The address: POST <record page>/<name>. */
  name: string;
  label: string;
  access: StaffAccess;
  /** What will happen, shown before it happens. */
  explain: string;
  /** Destructive: the record's name (RecordView.confirmText) must be typed, and the button is red. */
  typed?: boolean;
  /** A reason must be given (it is kept in the audit log). */
  reason?: boolean;
  /** The label of the choice the record offers for this action (offers[name].choices). */
  choice?: string;
  run: (app: AppContext, actor: UserActor, key: RecordKey, input: ActionInput) => Promise<ActionOutcome>;
};

/** What happened (the flash), and the record to go to when it is another one (the new run of a retry). */
export type ActionOutcome =
  { message: string; goTo?: RecordKey } | { reveal: { title: string; facts: readonly Fact[] } };

export type RecordDecl = {
  /** Tenant records are addressed as /staff/<list>/:orgId/:<idParam>; others as /staff/<list>/:<idParam>. */
  tenant: boolean;
  /** The path parameter of the record's id, named for its kind as everywhere else ('invoiceId'). */
  idParam: string;
  /**
   * How that parameter is read, for a record not keyed by a UUID (a monthly report is its org's
   * month, '2026-10-01'): anything else answers 404 like an unknown record. Default: a UUID.
   */
  idSchema?: z.ZodType<string>;
  /** The audit log's target_type for this record: its history is the entries that name it. */
  auditTarget: string;
  /** Reads the record in the staff read transaction; null when there is none. */
  load: (tx: Tx, key: RecordKey, view: ListView) => Promise<RecordView | null>;
  actions?: readonly RecordAction[];
};
