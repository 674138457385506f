// What support may do with a vendor from the back-office: see the full payment details once,
// with a stated reason that the audit log keeps (the details themselves are never in it).
import type { Fact } from '../../core/admin/record-types.ts';
import { asStaffInOrg } from '../../core/admin/staff-check.ts';
import { recordAudit, type UserActor } from '../../core/audit/audit.ts';
import type { Db } from '../../core/db/pool.ts';
import { NotFoundError } from '../../core/http/errors.ts';
import { VENDOR_AUDIT } from './audit.ts';

export async function revealPaymentDetails(
  db: Db,
  actor: UserActor,
  orgId: string,
  vendorId: string,
  reason: string,
): Promise<Fact[]> {
  return asStaffInOrg(db, actor, orgId, 'staff:support', async (tx) => {
    const v = await tx
      .selectFrom('vendors')
      .select(['name', 'iban', 'account_number', 'bic'])
      .where('org_id', '=', orgId)
      .where('id', '=', vendorId)
      .executeTakeFirst();
    if (!v) throw new NotFoundError('There is no such vendor.');
    await recordAudit(tx, {
      orgId,
      actor,
      action: VENDOR_AUDIT.payment_details_revealed,
      target: { type: 'vendor', id: vendorId },
      changes: { name: v.name, reason },
    });
    return [
      ['Vendor', v.name],
      [v.iban ? 'IBAN' : 'Account number', v.iban ?? v.account_number ?? 'none recorded'],
      ['BIC', v.bic ?? '—'],
    ];
  });
}
