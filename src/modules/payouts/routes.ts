import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../core/db/pool.ts';
import { actorOf, requireOrg, requireViewer } from '../../core/http/auth.ts';
import { ValidationError } from '../../core/http/errors.ts';
import { emptyForm, formValues, parseForm, type FormState } from '../../core/http/forms.ts';
import { idParam } from '../../core/http/params.ts';
import { pageContext } from '../../core/views/context.ts';
import { flash } from '../../core/views/flash.ts';
import { sendHtml } from '../../core/views/render.ts';
import {
  approvePayout,
  bankAccountSchema,
  cancelPayout,
  canPayouts,
  createPayout,
  markPaidSchema,
  markPayoutPaid,
  newPayoutSchema,
  NoPayingAccountError,
  payoutCandidates,
  payoutDetail,
  payoutsOverview,
  paymentFile,
  setPayingAccount,
  type OrgActor,
} from './service.ts';
import { NewPayoutPage, PayoutPage, PayoutProblemPage, PayoutsPage } from './views.tsx';

function payoutActor(request: FastifyRequest): OrgActor {
  return { ...actorOf(request), userId: requireViewer(request).id };
}

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

/** Payout pages, registered inside the /o/:org scope. */
export function registerPayoutPages(scope: FastifyInstance, db: Db): void {
  const listPage = async (request: FastifyRequest, reply: FastifyReply, bankForm: FormState, status = 200) => {
    const data = await payoutsOverview(db, payoutActor(request), requireOrg(request));
    return sendHtml(
      reply,
      PayoutsPage({ ctx: pageContext(request, reply), ...data, bankForm, rights: rights(request) }),
      status,
    );
  };

  const newPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    currency: string | undefined,
    form: FormState,
    status = 200,
  ) => {
    const data = await payoutCandidates(db, payoutActor(request), requireOrg(request), currency);
    return sendHtml(reply, NewPayoutPage({ ctx: pageContext(request, reply), ...data, form }), status);
  };

  const detailPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    paidForm: FormState,
    status = 200,
  ) => {
    const data = await payoutDetail(db, payoutActor(request), requireOrg(request), id);
    return sendHtml(
      reply,
      PayoutPage({
        ctx: pageContext(request, reply),
        ...data,
        paidForm,
        rights: rights(request),
        viewerId: requireViewer(request).id,
      }),
      status,
    );
  };

  scope.get('/payouts', (request, reply) => listPage(request, reply, emptyForm));

  scope.get('/payouts/new', (request, reply) => {
    const currency = (request.query as { currency?: unknown }).currency;
    return newPage(request, reply, typeof currency === 'string' ? currency.toUpperCase() : undefined, emptyForm);
  });

  scope.post('/payouts', async (request, reply) => {
    const org = requireOrg(request);
    const parsed = parseForm(newPayoutSchema, request.body);
    const currency = formValues(request.body).currency;
    if (!parsed.ok)
      return newPage(
        request,
        reply,
        currency,
        { ...parsed.form, message: parsed.form.errors.invoice ?? parsed.form.errors.currency },
        422,
      );
    try {
      const p = await createPayout(db, payoutActor(request), org, parsed.data);
      flash(reply, 'success', `Payout ${p.reference} was created. It now needs approval by someone other than you.`);
      return await reply.redirect(`/o/${org.slug}/payouts/${p.id}`, 303);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return newPage(
        request,
        reply,
        currency,
        { values: {}, errors: err.fieldErrors, message: Object.values(err.fieldErrors)[0] },
        422,
      );
    }
  });

  scope.post('/payouts/bank-account', async (request, reply) => {
    const org = requireOrg(request);
    const parsed = parseForm(bankAccountSchema, request.body);
    if (!parsed.ok) return listPage(request, reply, parsed.form, 422);
    await setPayingAccount(db, payoutActor(request), org, parsed.data);
    flash(reply, 'success', 'The paying bank account was saved.');
    return reply.redirect(`/o/${org.slug}/payouts`, 303);
  });

  scope.get('/payouts/:payoutId', (request, reply) =>
    detailPage(request, reply, idParam(request.params, 'payoutId'), emptyForm),
  );

  scope.post('/payouts/:payoutId/approve', async (request, reply) => {
    const org = requireOrg(request);
    const id = idParam(request.params, 'payoutId');
    const r = await approvePayout(db, payoutActor(request), org, id);
    flash(
      reply,
      'success',
      r.approved
        ? `Payout ${r.reference} is approved. Finance can download the payment file.`
        : `Your approval was recorded. Payout ${r.reference} needs ${r.missing} more.`,
    );
    return reply.redirect(`/o/${org.slug}/payouts/${id}`, 303);
  });

  for (const format of ['csv', 'xml'] as const) {
    scope.get(`/payouts/:payoutId/payment.${format}`, async (request, reply) => {
      const org = requireOrg(request);
      const id = idParam(request.params, 'payoutId');
      try {
        const file = await paymentFile(db, payoutActor(request), org, id, format);
        return await reply
          .type(file.contentType)
          .header('content-disposition', `attachment; filename="${file.filename}"`)
          .header('x-content-type-options', 'nosniff')
          .header('cache-control', 'no-store')
          .send(file.body);
      } catch (err) {
        if (!(err instanceof NoPayingAccountError)) throw err;
        return sendHtml(
          reply,
          PayoutProblemPage({
            ctx: pageContext(request, reply),
            message: err.message,
            link: { href: `/o/${org.slug}/payouts#paying-account`, label: 'Set the paying account' },
          }),
          409,
        );
      }
    });
  }

  scope.post('/payouts/:payoutId/paid', async (request, reply) => {
    const org = requireOrg(request);
    const id = idParam(request.params, 'payoutId');
    const parsed = parseForm(markPaidSchema, request.body);
    if (!parsed.ok) return detailPage(request, reply, id, parsed.form, 422);
    const r = await markPayoutPaid(db, payoutActor(request), org, id, parsed.data);
    flash(reply, 'success', `Payout ${r.reference} and its invoices are marked paid.`);
    return reply.redirect(`/o/${org.slug}/payouts/${id}`, 303);
  });

  scope.post('/payouts/:payoutId/cancel', async (request, reply) => {
    const org = requireOrg(request);
    const id = idParam(request.params, 'payoutId');
    const r = await cancelPayout(db, payoutActor(request), org, id);
    flash(
      reply,
      'success',
      `Payout ${r.reference} was cancelled. Its ${r.invoices} invoice${r.invoices === 1 ? ' is' : 's are'} approved again and can go into a new payout.`,
    );
    return reply.redirect(`/o/${org.slug}/payouts/${id}`, 303);
  });
}
