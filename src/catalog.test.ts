import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { auditActions } from './core/audit/actions.ts';
import { defineList } from './core/admin/lists.ts';
import { buildCatalog, defineModule } from './core/module.ts';
import { MODULES } from './server.ts';

describe('the module catalog', () => {
  it('an audit action declared by two modules is refused, naming both', () => {
    const a = defineModule({ name: 'a', auditActions: [auditActions('thing', ['created', 'archived'])] });
    const b = defineModule({ name: 'b', auditActions: [auditActions('thing', ['created'])] });
    assert.throws(() => buildCatalog([a, b]), /audit action thing\.created is declared twice \(modules a and b\)/);
  });

  it('an action name that is not lower_snake_case is refused where it is declared', () => {
    assert.throws(() => auditActions('thing', ['Created']), /lower case/);
    assert.throws(() => auditActions('thing', ['created', 'created']), /declared twice/);
  });

  it("lists every module's audit actions once, with their stored names", () => {
    const { auditActions: listed } = buildCatalog(MODULES);
    const names = listed.map((a) => a.action);
    assert.equal(new Set(names).size, names.length);
    for (const [action, module] of [
      ['vendor.created', 'vendors'],
      ['invoice.approval_recorded', 'invoices'],
      ['member.removed', 'orgs'],
      ['org.bank_account_changed', 'payouts'],
      ['housekeeping.deleted', 'platform'],
    ])
      assert.ok(
        listed.some((a) => a.action === action && a.module === module),
        `${action} is declared by ${module}`,
      );
  });

  it('a back-office list name declared by two modules is refused, naming both; each list gets its /staff route', () => {
    const list = (name: string) =>
      defineList({
        name,
        title: 'Things',
        area: 'Data',
        order: 1,
        description: 'Things.',
        query: (tx) => tx.selectFrom('csp_reports as c').select(['c.id']),
        key: [{ column: 'c.id', type: 'bigint' }],
        sorts: { newest: { label: 'Newest', column: 'c.received_at', type: 'timestamp', direction: 'desc' } },
        columns: () => [{ header: 'Id', cell: (r) => r.id }],
        empty: { title: 'None', hint: 'None yet.' },
      });
    const a = defineModule({ name: 'a', admin: [list('things')] });
    const b = defineModule({ name: 'b', admin: [list('things')] });
    assert.throws(() => buildCatalog([a, b]), /admin list things is declared twice \(modules a and b\)/);
    const one = buildCatalog([a]);
    assert.deepEqual(
      one.routes.map((r) => [r.module, r.route.method, r.route.url, r.route.access]),
      [['a', 'GET', '/staff/things', 'staff:any']],
    );
    assert.throws(() => list('Bad Name'), /lowercase letters and dashes/);
  });

  it('the back-office lists of every area are declared by the modules that own their tables; Operations opens with its overview', () => {
    const { adminNav } = buildCatalog(MODULES);
    const byArea = Object.fromEntries(
      adminNav.map((g) => [
        g.area,
        g.lists
          .filter((l) => !l.page)
          .map((l) => l.name)
          .sort(),
      ]),
    );
    const operations = adminNav.find((g) => g.area === 'Operations')!.lists[0];
    assert.deepEqual(operations, { name: 'operations', title: 'Overview', page: true });
    assert.deepEqual(byArea, {
      Customers: ['invitations', 'memberships', 'organizations', 'users'],
      Finance: ['invoices', 'payouts', 'vendors'],
      Data: ['exports', 'imports', 'reports'],
      Operations: ['audit-log', 'csp-reports', 'mail', 'sessions', 'task-runs'],
    });
  });
});
