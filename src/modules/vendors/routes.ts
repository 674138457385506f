import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../core/app-context.ts';
import { requireActor, requireOrg } from '../../core/http/auth.ts';
import { ValidationError } from '../../core/http/errors.ts';
import { formValues, type FormState } from '../../core/http/forms.ts';
import { orgIdParams, orgParams } from '../../core/http/params.ts';
import { buttonRoute } from '../../core/http/button-route.ts';
import { route } from '../../core/http/routes.ts';
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
} from './service.ts';
import { VendorFormPage } from './vendor-form-views.tsx';
import { VendorPage } from './vendor-views.tsx';
import { VendorsPage } from './vendors-views.tsx';
import { vendorPaths } from './paths.ts';
import { ORG_PARAM } from '../../core/http/paths.ts';

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

const vendorParams = orgIdParams('vendorId');

/** The vendor list's search: the text (at most 100 characters are used) and "include archived". */
const listQuery = z.object({
  q: z
    .string()
    .optional()
    .transform((v) => (v ?? '').trim().slice(0, 100)),
  archived: z.preprocess((v) => (v === '' ? undefined : v), z.literal('1', 'Use 1 or leave it out.').optional()),
});

const vendorExample = {
  name: 'Example Ltd',
  tax_id: 'XX 999 999',
  iban: 'DE89 3704 0044 0532 0130 00',
  bic: 'COBADEFFXXX',
  account_number: '',
  default_currency: 'EUR',
  email: '',
};

async function formPage(
  request: FastifyRequest,
  reply: FastifyReply,
  app: AppContext,
  vendorId: string | null,
  form?: FormState,
) {
  const data = await vendorForm(app.db, requireActor(request), requireOrg(request), vendorId);
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
    form ? 422 : 200,
  );
}

/** The org's vendors: the list, a vendor's page, adding, editing, archiving. */
export const vendorRoutes = [
  route({
    method: 'GET',
    url: vendorPaths.list(ORG_PARAM),
    access: 'vendor.view',
    params: orgParams,
    query: listQuery,
    handler: async (request, reply, { db }) => {
      const org = requireOrg(request);
      const filter = { q: request.query.q, archived: request.query.archived === '1' };
      const vendors = await listVendors(db, requireActor(request), org, filter);
      return sendHtml(
        reply,
        VendorsPage({ ctx: pageContext(request, reply), vendors, filter, canManage: can(org, 'vendor.manage') }),
      );
    },
  }),
  route({
    method: 'GET',
    url: vendorPaths.new(ORG_PARAM),
    access: 'vendor.manage',
    params: orgParams,
    handler: (request, reply, app) => formPage(request, reply, app, null),
  }),
  route({
    method: 'POST',
    url: vendorPaths.list(ORG_PARAM),
    access: 'vendor.manage',
    params: orgParams,
    body: vendorSchema,
    example: { body: vendorExample },
    invalid: (request, reply, app, form) => formPage(request, reply, app, null, refusedForm(request.body, form.errors)),
    handler: async (request, reply, app) => {
      const org = requireOrg(request);
      try {
        const v = await createVendor(app.db, requireActor(request), org, request.body);
        flash(reply, 'success', `${v.name} was added.`);
        return await reply.redirect(vendorPaths.detail(org.slug, v.id), 303);
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        return formPage(request, reply, app, null, refusedForm(request.body, err.fieldErrors));
      }
    },
  }),
  route({
    method: 'GET',
    url: vendorPaths.detail(ORG_PARAM, ':vendorId'),
    access: 'vendor.view',
    params: vendorParams,
    handler: async (request, reply, { db }) => {
      const org = requireOrg(request);
      const data = await vendorDetail(db, requireActor(request), org, request.params.vendorId);
      return sendHtml(
        reply,
        VendorPage({
          ctx: pageContext(request, reply),
          ...data,
          canManage: can(org, 'vendor.manage'),
          canInvoice: canInvoices(org, 'invoice.create'),
        }),
      );
    },
  }),
  route({
    method: 'GET',
    url: vendorPaths.action(ORG_PARAM, ':vendorId', 'edit'),
    access: 'vendor.manage',
    params: vendorParams,
    handler: (request, reply, app) => formPage(request, reply, app, request.params.vendorId),
  }),
  route({
    method: 'POST',
    url: vendorPaths.action(ORG_PARAM, ':vendorId', 'edit'),
    access: 'vendor.manage',
    params: vendorParams,
    body: vendorSchema,
    example: { body: { ...vendorExample, iban: 'GB82 WEST 1234 5698 7654 32', bic: '' } },
    invalid: (request, reply, app, form) =>
      formPage(
        request,
        reply,
        app,
        vendorParams.parse(request.params).vendorId,
        refusedForm(request.body, form.errors),
      ),
    handler: async (request, reply, app) => {
      const org = requireOrg(request);
      const id = request.params.vendorId;
      try {
        const r = await updateVendor(app.db, requireActor(request), org, id, request.body);
        flash(
          reply,
          r.changed.length ? 'success' : 'info',
          r.changed.length ? `${r.name} was saved.` : 'Nothing changed.',
        );
        return await reply.redirect(vendorPaths.detail(org.slug, id), 303);
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        return formPage(request, reply, app, id, refusedForm(request.body, err.fieldErrors));
      }
    },
  }),
  archiveRoute('archive'),
  archiveRoute('unarchive'),
];

/** Archiving a vendor (no longer offered for new invoices) and making it active again. */
function archiveRoute(action: 'archive' | 'unarchive') {
  const archived = action === 'archive';
  return buttonRoute({
    url: vendorPaths.action(ORG_PARAM, ':vendorId', action),
    access: 'vendor.manage',
    idParam: 'vendorId',
    run: (db, actor, org, id) => setVendorArchived(db, actor, org, id, archived),
    message: (r) =>
      archived ? `${r.name} was archived. It is no longer offered for new invoices.` : `${r.name} is active again.`,
    back: vendorPaths.detail,
  });
}
