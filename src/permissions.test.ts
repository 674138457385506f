import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { permissionTable, POLICIES, staffPermissionTable } from './permissions.ts';

describe('permission table', () => {
  it("every module's policy.ts is part of the table", () => {
    const withPolicy = readdirSync('src/modules').filter((m) => existsSync(`src/modules/${m}/policy.ts`));
    assert.deepEqual(withPolicy.sort(), Object.keys(POLICIES).sort());
  });

  it('the README shows exactly the table the policies enforce', () => {
    const readme = readFileSync('README.md', 'utf8');
    assert.ok(
      readme.includes(permissionTable()),
      'README.md is out of date: paste the output of `npm run ledgerworks permissions` into its Permissions section',
    );
  });

  it('the README shows exactly the staff table the route table enforces, every staff action in it', () => {
    const readme = readFileSync('README.md', 'utf8');
    const table = staffPermissionTable();
    assert.ok(
      table.includes("| unlock a person's account | ✓ |  | ✓ |"),
      'support and superusers unlock, operators do not',
    );
    assert.doesNotMatch(table, /\| POST \//, 'every staff action has its summary');
    assert.ok(
      readme.includes(table),
      'README.md is out of date: paste the second table `npm run ledgerworks permissions` prints into its Back-office section',
    );
  });
});
