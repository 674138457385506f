// The operator's command line, run as a process against this file's database: staff
// management, createsuperuser without a terminal, and an unknown command.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { signUp, useTestApp } from './testing/harness.ts';

const t = useTestApp();
const CLI = path.resolve(import.meta.dirname, 'cli.ts');

/** Runs `ledgerworks ...args` with stdin not a terminal; resolves with its exit code and output. */
function cli(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; out: string; err: string; ms: number }>((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
      env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: t.appUrl, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => resolve({ code, out, err, ms: Date.now() - started }));
  });
}

describe('ledgerworks createsuperuser and staff', () => {
  it('createsuperuser without a terminal and without LEDGERWORKS_PASSWORD exits at once, saying what to pass', async () => {
    const r = await cli(['createsuperuser', '--email', 'root@example.test', '--name', 'Root']);
    assert.equal(r.code, 1);
    assert.match(
      r.err,
      /no terminal to ask "Password \(10\+ characters\)": pass --email and --name, and set LEDGERWORKS_PASSWORD/,
    );
    assert.doesNotMatch(r.err, /error:|at .*\.ts:\d+/, 'no stack trace or database error');
    const none = await t.owner.selectFrom('users').select('id').where('email', '=', 'root@example.test').execute();
    assert.equal(none.length, 0);
  });

  it('createsuperuser --role support creates a staff account; staff list shows it', async () => {
    const r = await cli(
      ['createsuperuser', '--email', 'Sue@Example.test', '--name', 'Sue Support', '--role', 'support'],
      {
        LEDGERWORKS_PASSWORD: 'a long enough password',
      },
    );
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /staff account Sue@Example.test created \(Support/);
    const list = await cli(['staff', 'list']);
    assert.equal(list.code, 0, list.err);
    assert.match(list.out, /sue@example\.test\s+support\s+two-factor off\s+last sign-in never/);
  });

  it('staff add, set and remove change an existing account’s role, and refuse what does not fit', async () => {
    const p = await signUp(t.app);
    const add = await cli(['staff', 'add', p.email, '--role', 'operator']);
    assert.equal(add.code, 0, add.err);
    assert.match(add.out, /is now staff: Operator/);
    const again = await cli(['staff', 'add', p.email, '--role', 'support']);
    assert.equal(again.code, 1);
    assert.match(again.err, /is staff already \(Operator\): use staff set/);
    const set = await cli(['staff', 'set', p.email, '--role', 'superuser']);
    assert.equal(set.code, 0, set.err);
    assert.match(set.out, /Operator → Superuser/);
    const badRole = await cli(['staff', 'set', p.email, '--role', 'admin']);
    assert.equal(badRole.code, 1);
    assert.match(badRole.err, /unknown staff role admin: use one of support, operator, superuser/);
    const remove = await cli(['staff', 'remove', p.email]);
    // p is the only superuser: the team must keep one.
    assert.equal(remove.code, 1);
    assert.match(remove.err, /is the last superuser/);
    await t.owner
      .updateTable('users')
      .set({ staff_role: 'superuser' })
      .where('email', '=', 'sue@example.test')
      .execute();
    const removed = await cli(['staff', 'remove', p.email]);
    assert.equal(removed.code, 0, removed.err);
    assert.match(removed.out, /is no longer staff \(was Superuser\)/);
    const row = await t.owner
      .selectFrom('users')
      .select('staff_role')
      .where('email', '=', p.email)
      .executeTakeFirstOrThrow();
    assert.equal(row.staff_role, null);
  });

  it('an unknown command says so with the help, before starting anything', async () => {
    const r = await cli(['mirgate'], { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    assert.equal(r.code, 1);
    assert.match(r.err, /^ledgerworks: unknown command mirgate\n\nUsage: ledgerworks <command>/);
    assert.doesNotMatch(r.err, /ECONNREFUSED|postgres/i);
  });
});
