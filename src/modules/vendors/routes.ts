import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../core/db/pool.ts';
import { actorOf, requireOrg, requireViewer } from '../../core/http/auth.ts';
import { ValidationError } from '../../core/http/errors.ts';
import { formValues, parseForm, type FormState } from '../../core/http/forms.ts';
import { idParam } from '../../core/http/params.ts';
import { pageContext } from '../../core/views/context.ts';
import { flash } from '../../core/views/flash.ts';
import { sendHtml } from '../../core/views/render.ts';
import { canInvoices } from '../invoices/service.ts';
import { can } from './policy.ts';
import {
  createVendor,
  listVendors,
  setVendorArchived,
  updateVendor,
  vendorDetail,
  vendorForm,
  vendorSchema,
  type OrgActor,
} from './service.ts';
import { VendorFormPage, VendorPage, VendorsPage } from './views.tsx';

const BANK_FIELDS = ['iban', 'account_number'];

/**
 * The form shown again after an error: everything typed except bank details, which no page
 * ever echoes. A bank detail that was typed is asked for again (left empty, an edit would
 * silently keep the old one).
 */
function refusedForm(body: unknown, errors: Record<string, string>): FormState {
  const typed = formValues(body);
  const again = { ...errors };
  for (const k of BANK_FIELDS)
    if (typed[k]?.trim() && !again[k]) again[k] = 'Enter it again: bank details are never shown back on a page.';
  return { values: Object.fromEntries(Object.entries(typed).filter(([k]) => !BANK_FIELDS.includes(k))), errors: again };
}

function orgActor(request: FastifyRequest): OrgActor {
  return { ...actorOf(request), userId: requireViewer(request).id };
}

type ListQuery = { Querystring: { q?: string; archived?: string } };

export function registerVendorPages(scope: FastifyInstance, db: Db): void {
  const formPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    vendorId: string | null,
    form: FormState | null,
    status = 200,
  ) => {
    const data = await vendorForm(db, orgActor(request), requireOrg(request), vendorId);
    const v = data.vendor;
    const initial: FormState = v
      ? {
          values: {
            name: v.name,
            tax_id: v.tax_id,
            bic: v.bic ?? '',
            default_currency: v.default_currency,
            email: v.email ?? '',
          },
          errors: {},
        }
      : { values: { default_currency: data.orgCurrency }, errors: {} };
    return sendHtml(
      reply,
      VendorFormPage({
        ctx: pageContext(request, reply),
        form: form ?? initial,
        currencies: data.currencies,
        vendor: v,
      }),
      status,
    );
  };

  scope.get<ListQuery>('/vendors', async (request, reply) => {
    const org = requireOrg(request);
    const filter = {
      q: String(request.query.q ?? '')
        .trim()
        .slice(0, 100),
      archived: request.query.archived === '1',
    };
    const vendors = await listVendors(db, orgActor(request), org, filter);
    return sendHtml(
      reply,
      VendorsPage({ ctx: pageContext(request, reply), vendors, filter, canManage: can(org, 'vendor.manage') }),
    );
  });

  scope.get('/vendors/new', (request, reply) => formPage(request, reply, null, null));

  scope.post('/vendors', async (request, reply) => {
    const org = requireOrg(request);
    const parsed = parseForm(vendorSchema, request.body);
    if (!parsed.ok) return formPage(request, reply, null, refusedForm(request.body, parsed.form.errors), 422);
    try {
      const v = await createVendor(db, orgActor(request), org, parsed.data);
      flash(reply, 'success', `${v.name} was added.`);
      return await reply.redirect(`/o/${org.slug}/vendors/${v.id}`, 303);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return formPage(request, reply, null, refusedForm(request.body, err.fieldErrors), 422);
    }
  });

  scope.get('/vendors/:vendorId', async (request, reply) => {
    const org = requireOrg(request);
    const data = await vendorDetail(db, orgActor(request), org, idParam(request.params, 'vendorId'));
    return sendHtml(
      reply,
      VendorPage({
        ctx: pageContext(request, reply),
        ...data,
        canManage: can(org, 'vendor.manage'),
        canInvoice: canInvoices(org, 'invoice.create'),
      }),
    );
  });

  scope.get('/vendors/:vendorId/edit', (request, reply) =>
    formPage(request, reply, idParam(request.params, 'vendorId'), null),
  );

  scope.post('/vendors/:vendorId/edit', async (request, reply) => {
    const org = requireOrg(request);
    const id = idParam(request.params, 'vendorId');
    const parsed = parseForm(vendorSchema, request.body);
    if (!parsed.ok) return formPage(request, reply, id, refusedForm(request.body, parsed.form.errors), 422);
    try {
      const r = await updateVendor(db, orgActor(request), org, id, parsed.data);
      flash(
        reply,
        r.changed.length ? 'success' : 'info',
        r.changed.length ? `${r.name} was saved.` : 'Nothing changed.',
      );
      return await reply.redirect(`/o/${org.slug}/vendors/${id}`, 303);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return formPage(request, reply, id, refusedForm(request.body, err.fieldErrors), 422);
    }
  });

  scope.post('/vendors/:vendorId/archive', async (request, reply) => {
    const org = requireOrg(request);
    const id = idParam(request.params, 'vendorId');
    const r = await setVendorArchived(db, orgActor(request), org, id, true);
    flash(reply, 'success', `${r.name} was archived. It is no longer offered for new invoices.`);
    return reply.redirect(`/o/${org.slug}/vendors/${id}`, 303);
  });

  scope.post('/vendors/:vendorId/unarchive', async (request, reply) => {
    const org = requireOrg(request);
    const id = idParam(request.params, 'vendorId');
    const r = await setVendorArchived(db, orgActor(request), org, id, false);
    flash(reply, 'success', `${r.name} is active again.`);
    return reply.redirect(`/o/${org.slug}/vendors/${id}`, 303);
  });
}
