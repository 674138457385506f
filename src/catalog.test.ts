import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { auditActions } from './core/audit/actions.ts';
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
});
