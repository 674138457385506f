// The routes of a record page: GET the page (one withStaff() read of the record and its history,
// then one staff.viewed entry), and POST each declared action. An action re-reads the record,
// refuses one that no longer applies (409), checks what it asks (reason, choice, the typed name;
// 422 with the page again), then calls the owning module's service through `run`.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import { requireActor } from '../http/auth.ts';
import { ConflictError, NotFoundError, ValidationError } from '../http/errors.ts';
import { formValues, type FormState } from '../http/forms.ts';
import { recordId } from '../http/params.ts';
import { route, type RouteDef } from '../http/routes.ts';
import { withStaff } from '../db/tenancy.ts';
import { pageContext } from '../views/context.ts';
import { flash } from '../views/flash.ts';
import { sendHtml } from '../views/render.ts';
import type { AdminList } from './list-types.ts';
import type { AdminNavGroup } from './nav.tsx';
import { actionFields } from './record-actions.tsx';
import { AdminRecordPage } from './record-page.tsx';
import type { ActionOutcome, RecordAction, RecordDecl, RecordKey } from './record-types.ts';
import { recordHistory, recordPath, recordStaffView } from './records.ts';
import { STAFF_TOP_NAV } from './routes.ts';

type Extra = { forms?: Record<string, FormState>; reveal?: Extract<ActionOutcome, { reveal: unknown }>['reveal'] };

function keyOf(record: RecordDecl, params: unknown): RecordKey {
  const p = params as Record<string, string>;
  return { orgId: record.tenant ? p.orgId! : null, id: p[record.idParam]! };
}

async function load(app: AppContext, request: FastifyRequest, record: RecordDecl, key: RecordKey) {
  const view = { zone: request.viewer?.timeZone ?? 'UTC' };
  const found = await withStaff(app.db, requireActor(request).userId, async (tx) => {
    const rec = await record.load(tx, key, view);
    if (!rec) return null;
    const target = { type: record.auditTarget, id: key.id, orgId: rec.org?.id ?? null };
    return { rec, target, history: await recordHistory(tx, target) };
  });
  if (!found) throw new NotFoundError('There is no such record.');
  return found;
}

function page(
  request: FastifyRequest,
  reply: FastifyReply,
  ctx: { list: AdminList; record: RecordDecl; nav: readonly AdminNavGroup[] },
  found: Awaited<ReturnType<typeof load>>,
  key: RecordKey,
  extra: Extra = {},
) {
  const status = extra.forms ? 422 : 200;
  return sendHtml(
    reply,
    AdminRecordPage({
      ctx: pageContext(request, reply),
      list: ctx.list,
      nav: ctx.nav,
      topNav: STAFF_TOP_NAV,
      record: found.rec,
      history: found.history,
      actions: ctx.record.actions ?? [],
      base: recordPath(ctx.list.name, key),
      forms: extra.forms ?? {},
      reveal: extra.reveal,
    }),
    status,
  );
}

/** The record page of a list: /staff/<name>/:orgId/:<kind>Id (or /:<kind>Id for a record of no org). */
export function recordRoutes(list: AdminList, record: RecordDecl, nav: readonly AdminNavGroup[]): RouteDef[] {
  const url = record.tenant
    ? `/staff/${list.name}/:orgId/:${record.idParam}`
    : `/staff/${list.name}/:${record.idParam}`;
  const id = record.idSchema ?? recordId;
  const params = z.object(record.tenant ? { orgId: recordId, [record.idParam]: id } : { [record.idParam]: id });
  const ctx = { list, record, nav };
  return [
    route({
      method: 'GET',
      url,
      access: 'staff:any',
      params,
      handler: async (request, reply, app) => {
        const key = keyOf(record, request.params);
        const found = await load(app, request, record, key);
        await recordStaffView(app.db, requireActor(request), found.target);
        return page(request, reply, ctx, found, key);
      },
    }),
    ...(record.actions ?? []).map((action) => actionRoute(url, params, ctx, action)),
  ];
}

/** "Vendors: reveal the full payment details (reason)": the staff permission table's line. */
function summaryOf(list: AdminList, action: RecordAction): string {
  const asks = [action.reason && 'reason', action.typed && 'name typed'].filter(Boolean).join(', ');
  return `${list.title}: ${action.label.toLowerCase()}${asks ? ` (${asks})` : ''}`;
}

function actionRoute(
  url: string,
  params: z.ZodType,
  ctx: { list: AdminList; record: RecordDecl; nav: readonly AdminNavGroup[] },
  action: RecordAction,
): RouteDef {
  const f = actionFields(action);
  const text = z.string().trim().max(320).optional();
  const body = z.object({ [f.reason]: text, [f.choice]: text, [f.confirm]: text, [f.seen]: text });
  return route({
    method: 'POST',
    url: `${url}/${action.name}`,
    access: action.access,
    summary: summaryOf(ctx.list, action),
    ...(action.typed && { destructive: true as const }),
    params,
    body,
    example: { body: { [f.reason]: 'ticket 1', [f.choice]: '', [f.confirm]: '' } },
    handler: async (request, reply, app) => {
      const key = keyOf(ctx.record, request.params);
      const values = request.body as Record<string, string | undefined>;
      const found = await load(app, request, ctx.record, key);
      const offer = found.rec.offers?.[action.name];
      if (!offer || (offer.seen !== undefined && values[f.seen] !== offer.seen))
        throw new ConflictError(`“${action.label}” no longer applies to this record: it changed. Reload the page.`);
      const errors: Record<string, string> = {};
      const reason = values[f.reason] ?? '';
      const choice = values[f.choice] ?? '';
      if (action.reason && reason.length < 3) errors[f.reason] = 'Give the reason (at least 3 characters).';
      if (action.choice && !offer.choices?.some((c) => c.value === choice))
        errors[f.choice] = 'Choose one of the list.';
      if (action.typed && values[f.confirm] !== found.rec.confirmText)
        errors[f.confirm] = `Type “${found.rec.confirmText ?? ''}” exactly, to confirm.`;
      const refused = (errs: Record<string, string>, message?: string) =>
        page(request, reply, ctx, found, key, {
          forms: { [action.name]: { values: formValues(request.body), errors: errs, message } },
        });
      if (Object.keys(errors).length) return refused(errors);
      let outcome: ActionOutcome;
      try {
        outcome = await action.run(app, requireActor(request), key, {
          reason: action.reason ? reason : undefined,
          choice: action.choice ? choice : undefined,
          seen: offer.seen,
        });
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        return refused(err.fieldErrors, err.message);
      }
      if ('reveal' in outcome) return page(request, reply, ctx, found, key, { reveal: outcome.reveal });
      flash(reply, 'success', outcome.message);
      return reply.redirect(recordPath(ctx.list.name, outcome.goTo ?? key), 303);
    },
  });
}
