import { userActor } from '../../core/audit/audit.ts';
import type { Db } from '../../core/db/pool.ts';
import type { Links } from '../../core/mail/links.ts';
import type { Role } from '../../core/roles.ts';
import { withOrg } from '../../core/db/tenancy.ts';
import { createUser, userCount } from '../accounts/service.ts';
import { invite } from '../invitations/service.ts';
import { addMember, createOrganization, updateOrgSettings } from '../orgs/service.ts';
import { buildMonthlyReport } from '../reports/service.ts';
import { generateInvoices } from './invoices.ts';

export const DEMO_PASSWORD = 'ledgerworks-demo';
const DEMO_INVOICES = 3000;

const PEOPLE: { email: string; name: string; role: Role }[] = [
  { email: 'olivia.owner@demo.ledgerworks.test', name: 'Olivia Owner', role: 'owner' },
  { email: 'adam.admin@demo.ledgerworks.test', name: 'Adam Admin', role: 'admin' },
  { email: 'april.approver@demo.ledgerworks.test', name: 'April Approver', role: 'approver' },
  { email: 'aaron.accountant@demo.ledgerworks.test', name: 'Aaron Accountant', role: 'accountant' },
  { email: 'molly.member@demo.ledgerworks.test', name: 'Molly Member', role: 'member' },
  { email: 'victor.viewer@demo.ledgerworks.test', name: 'Victor Viewer', role: 'viewer' },
];

/** The back-office's demo account: a superuser, member of no org (it asks to turn on two-factor first). */
const STAFF = { email: 'sam.staff@demo.ledgerworks.test', name: 'Sam Staff' };

export type DemoLogin = { email: string; password: string; role: Role | 'staff' };

/** Demo data for a fresh database; does nothing (returns null) when anyone has an account. */
export async function seedDemo(db: Db, links: Links): Promise<DemoLogin[] | null> {
  if ((await userCount(db)) > 0) return null;
  const ids = new Map<string, string>();
  for (const p of PEOPLE)
    ids.set(p.email, await createUser(db, { email: p.email, name: p.name, password: DEMO_PASSWORD }));
  await createUser(db, { ...STAFF, password: DEMO_PASSWORD, staffRole: 'superuser' });
  const ownerId = ids.get(PEOPLE[0]!.email)!;
  const owner = userActor({ requestId: 'seed-demo', ip: null }, ownerId);
  const org = await createOrganization(db, owner, 'Northwind Traders');
  for (const p of PEOPLE.slice(1)) await addMember(db, owner, org.id, ids.get(p.email)!, p.role);
  await updateOrgSettings(db, owner, org, {
    name: org.name,
    billing_email: 'billing@northwind.demo.ledgerworks.test',
    default_currency: 'EUR',
    approval_threshold: '5000.00',
  });
  // A pending invitation, so the invitations page shows one (its mail is in the dev mailbox).
  await invite(db, owner, org, { email: 'nina.newhire@demo.ledgerworks.test', role: 'member' }, links);
  // A living queue: a few thousand invoices in every state, with payouts and history.
  await withOrg(db, org.id, ownerId, (tx) =>
    generateInvoices(tx, {
      orgId: org.id,
      count: DEMO_INVOICES,
      submitterId: ids.get(PEOPLE[4]!.email)!,
      approverId: ids.get(PEOPLE[2]!.email)!,
      payerId: ids.get(PEOPLE[3]!.email)!,
    }),
  );
  // The last three months' reports, as the monthly schedule would have built them.
  for (let back = 3; back >= 1; back--) {
    const d = new Date();
    const month = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - back, 1)).toISOString().slice(0, 10);
    await buildMonthlyReport(db, org.id, month);
  }
  // A second organization, so the switcher has something to switch to.
  const second = await createOrganization(db, owner, 'Globex Holdings');
  await addMember(db, owner, second.id, ids.get(PEOPLE[1]!.email)!, 'approver');
  return [
    ...PEOPLE.map((p) => ({ email: p.email, password: DEMO_PASSWORD, role: p.role })),
    { email: STAFF.email, password: DEMO_PASSWORD, role: 'staff' as const },
  ];
}
