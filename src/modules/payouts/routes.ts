import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Db } from '../../core/db/pool.ts';
import { requireActor, requireOrg, requireViewer } from '../../core/http/auth.ts';
import { ValidationError } from '../../core/http/errors.ts';
import { emptyForm, formValues, type FormState } from '../../core/http/forms.ts';
import { orgIdParams, orgParams } from '../../core/http/params.ts';
import { buttonRoute } from '../../core/http/button-route.ts';
import { route } from '../../core/http/routes.ts';
import { pageContext } from '../../core/views/context.ts';
import { flash } from '../../core/views/flash.ts';
import { sendDownload, sendHtml } from '../../core/views/render.ts';
import {
  approvePayout,
  bankAccountSchema,
  cancelPayout,
  canPayouts,
  payoutRightsFor,
  createPayout,
  markPaidSchema,
  markPayoutPaid,
  newPayoutSchema,
  NoPayingAccountError,
  payoutCandidates,
  payoutDetail,
  payoutsOverview,
  paymentFile,
  paymentFilePreview,
  setPayingAccount,
} from './service.ts';
import { NewPayoutPage } from './new-payout-views.tsx';
import { PaymentFilePage } from './payment-file-views.tsx';
import { PayoutPage, PayoutProblemPage } from './payout-views.tsx';
import { PayoutsPage } from './payouts-views.tsx';
import { payoutPaths } from './paths.ts';
import { ORG_PARAM } from '../../core/http/paths.ts';

const payoutParams = orgIdParams('payoutId');

/** `?currency=eur` picks the currency to pay out (none, or an empty one: the first waiting); a value that is not a currency code is a forged link (400). */
const newPayoutQuery = z.object({
  currency: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z
      .string()
      .regex(/^[A-Za-z]{3}$/, 'a currency code like EUR')
      .transform((v) => v.toUpperCase())
      .optional(),
  ),
});

function rights(request: FastifyRequest) {
  const org = requireOrg(request);
  return {
    create: canPayouts(org, 'payout.create'),
    approve: canPayouts(org, 'payout.approve'),
    export: canPayouts(org, 'payout.export'),
    markPaid: canPayouts(org, 'payout.mark_paid'),
    bankAccount: canPayouts(org, 'payout.bank_account'),
  };
}

async function listPage(request: FastifyRequest, reply: FastifyReply, db: Db, bankForm: FormState, status = 200) {
  const data = await payoutsOverview(db, requireActor(request), requireOrg(request));
  return sendHtml(
    reply,
    PayoutsPage({ ctx: pageContext(request, reply), ...data, bankForm, rights: rights(request) }),
    status,
  );
}

async function newPage(
  request: FastifyRequest,
  reply: FastifyReply,
  db: Db,
  currency: string | undefined,
  form: FormState,
  status = 200,
) {
  const data = await payoutCandidates(db, requireActor(request), requireOrg(request), currency);
  return sendHtml(reply, NewPayoutPage({ ctx: pageContext(request, reply), ...data, form }), status);
}

async function detailPage(
  request: FastifyRequest,
  reply: FastifyReply,
  db: Db,
  id: string,
  paidForm: FormState,
  status = 200,
) {
  const data = await payoutDetail(db, requireActor(request), requireOrg(request), id);
  return sendHtml(
    reply,
    PayoutPage({
      ctx: pageContext(request, reply),
      ...data,
      paidForm,
      rights: rights(request),
      record: payoutRightsFor({ org: requireOrg(request), userId: requireViewer(request).id }, data.payout),
      viewerId: requireViewer(request).id,
    }),
    status,
  );
}

/** A payout that cannot have its SEPA file yet because the org names no paying account: where to set it. */
function noPayingAccount(request: FastifyRequest, reply: FastifyReply, err: NoPayingAccountError) {
  return sendHtml(
    reply,
    PayoutProblemPage({
      ctx: pageContext(request, reply),
      message: err.message,
      link: { href: payoutPaths.payingAccount(requireOrg(request).slug), label: 'Set the paying account' },
    }),
    409,
  );
}

/**
 * The payment file of an approved payout, as the bank takes it (SEPA XML) or as a spreadsheet (CSV).
 * GET shows what downloading it does (a link followed by a crawler marks nothing); POST, behind CSRF,
 * sends the file, marks the payout exported and is audited.
 */
function paymentFileRoutes(format: 'csv' | 'xml') {
  const url = payoutPaths.paymentFile(ORG_PARAM, ':payoutId', format);
  return [
    route({
      method: 'GET',
      url,
      access: 'payout.export',
      params: payoutParams,
      handler: async (request, reply, { db }) => {
        const org = requireOrg(request);
        try {
          const preview = await paymentFilePreview(db, requireActor(request), org, request.params.payoutId, format);
          return sendHtml(
            reply,
            PaymentFilePage({ ctx: pageContext(request, reply), payoutId: request.params.payoutId, preview }),
          );
        } catch (err) {
          if (err instanceof NoPayingAccountError) return noPayingAccount(request, reply, err);
          throw err;
        }
      },
    }),
    route({
      method: 'POST',
      url,
      access: 'payout.export',
      params: payoutParams,
      handler: async (request, reply, { db }) => {
        try {
          const file = await paymentFile(
            db,
            requireActor(request),
            requireOrg(request),
            request.params.payoutId,
            format,
          );
          return await sendDownload(reply, { type: file.contentType, name: file.filename, body: file.body });
        } catch (err) {
          if (err instanceof NoPayingAccountError) return noPayingAccount(request, reply, err);
          throw err;
        }
      },
    }),
  ];
}

/** Payouts: prepare from approved invoices, approve (four eyes), download the payment file, settle or cancel. */
export const payoutRoutes = [
  route({
    method: 'GET',
    url: payoutPaths.list(ORG_PARAM),
    access: 'payout.view',
    params: orgParams,
    handler: (request, reply, { db }) => listPage(request, reply, db, emptyForm),
  }),
  route({
    method: 'GET',
    url: payoutPaths.new(ORG_PARAM),
    access: 'payout.create',
    params: orgParams,
    query: newPayoutQuery,
    example: { query: { currency: 'EUR' } },
    handler: (request, reply, { db }) => newPage(request, reply, db, request.query.currency, emptyForm),
  }),
  route({
    method: 'POST',
    url: payoutPaths.list(ORG_PARAM),
    access: 'payout.create',
    params: orgParams,
    body: newPayoutSchema,
    example: { body: { currency: 'EUR', invoice: ':invoiceId' } },
    invalid: (request, reply, { db }, form) =>
      newPage(
        request,
        reply,
        db,
        formValues(request.body).currency,
        { ...form, message: form.errors.invoice ?? form.errors.currency },
        422,
      ),
    handler: async (request, reply, { db }) => {
      const org = requireOrg(request);
      try {
        const p = await createPayout(db, requireActor(request), org, request.body);
        flash(reply, 'success', `Payout ${p.reference} was created. It now needs approval by someone other than you.`);
        return await reply.redirect(payoutPaths.detail(org.slug, p.id), 303);
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        const form = { values: {}, errors: err.fieldErrors, message: Object.values(err.fieldErrors)[0] };
        return newPage(request, reply, db, request.body.currency, form, 422);
      }
    },
  }),
  route({
    method: 'POST',
    url: payoutPaths.bankAccount(ORG_PARAM),
    access: 'payout.bank_account',
    params: orgParams,
    body: bankAccountSchema,
    example: {
      body: { bank_account_name: 'Acme Ltd', bank_iban: 'DE89370400440532013000', bank_bic: 'COBADEFFXXX' },
    },
    invalid: (request, reply, { db }, form) => listPage(request, reply, db, form, 422),
    handler: async (request, reply, { db }) => {
      const org = requireOrg(request);
      await setPayingAccount(db, requireActor(request), org, request.body);
      flash(reply, 'success', 'The paying bank account was saved.');
      return reply.redirect(payoutPaths.list(org.slug), 303);
    },
  }),
  route({
    method: 'GET',
    url: payoutPaths.detail(ORG_PARAM, ':payoutId'),
    access: 'payout.view',
    params: payoutParams,
    handler: (request, reply, { db }) => detailPage(request, reply, db, request.params.payoutId, emptyForm),
  }),
  buttonRoute({
    url: payoutPaths.action(ORG_PARAM, ':payoutId', 'approve'),
    access: 'payout.approve',
    idParam: 'payoutId',
    run: approvePayout,
    message: (r) =>
      r.approved
        ? `Payout ${r.reference} is approved. Finance can download the payment file.`
        : `Your approval was recorded. Payout ${r.reference} needs ${r.missing} more.`,
    back: payoutPaths.detail,
  }),
  ...paymentFileRoutes('csv'),
  ...paymentFileRoutes('xml'),
  route({
    method: 'POST',
    url: payoutPaths.action(ORG_PARAM, ':payoutId', 'paid'),
    access: 'payout.mark_paid',
    params: payoutParams,
    body: markPaidSchema,
    example: { body: { bank_reference: 'BANK-REF-1' } },
    invalid: (request, reply, { db }, form) =>
      detailPage(request, reply, db, payoutParams.parse(request.params).payoutId, form, 422),
    handler: async (request, reply, { db }) => {
      const org = requireOrg(request);
      const r = await markPayoutPaid(db, requireActor(request), org, request.params.payoutId, request.body);
      flash(reply, 'success', `Payout ${r.reference} and its invoices are marked paid.`);
      return reply.redirect(payoutPaths.detail(org.slug, request.params.payoutId), 303);
    },
  }),
  buttonRoute({
    url: payoutPaths.action(ORG_PARAM, ':payoutId', 'cancel'),
    access: 'payout.cancel',
    idParam: 'payoutId',
    run: cancelPayout,
    message: (r) =>
      `Payout ${r.reference} was cancelled. Its ${r.invoices} invoice${r.invoices === 1 ? ' is' : 's are'} approved again and can go into a new payout.`,
    back: payoutPaths.detail,
  }),
];
