// The text filter kind of the list kit, on its own: what each match accepts (a bad value is a
// 400 before any SQL runs) and how a filter-only schema (an org's Activity page) reads values.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { filterValuesSchema, listQuerySchema } from './list-params.ts';
import type { FilterDecl } from './list-types.ts';

const FILTERS: readonly FilterDecl[] = [
  { kind: 'text', name: 'who', label: 'Who', column: 'u.email', match: 'exact', lower: 'stored' },
  { kind: 'text', name: 'action', label: 'Action', column: 'a.action', match: 'exact-or-prefix' },
  { kind: 'text', name: 'id', label: 'Id', column: 'a.id', match: 'uuid' },
  { kind: 'text', name: 'ip', label: 'IP', column: 'a.ip', match: 'inet' },
  { kind: 'dates', name: 'when', label: 'When', column: 'a.created_at' },
];

const list = listQuerySchema({
  sorts: { newest: { label: 'Newest', column: 'a.created_at', type: 'timestamp', direction: 'desc' } },
  key: [{ type: 'bigint' }],
  filters: FILTERS,
  search: false,
});

describe('text filters', () => {
  it('keep a trimmed value, and leave out an empty one', () => {
    const r = list.parse({ who: '  Ann@Example.test ', action: 'invoice.', id: '', ip: ' ' });
    assert.deepEqual(r.filters, { who: 'Ann@Example.test', action: 'invoice.' });
  });

  it('a uuid filter takes a uuid (lowered), an inet filter an IPv4 or IPv6 address', () => {
    const r = list.parse({ id: '0B5E3C1A-7D2F-4C1E-9A8B-2F6D4E1C3B5A', ip: '2001:db8::1' });
    assert.deepEqual(r.filters, { id: '0b5e3c1a-7d2f-4c1e-9a8b-2f6d4e1c3b5a', ip: '2001:db8::1' });
  });

  it('refuse a bad value naming the parameter: not a uuid, not an address, too long', () => {
    for (const [input, path, message] of [
      [{ id: 'P-2026-001' }, 'id', /the record’s id/],
      [{ ip: '256.0.0.1' }, 'ip', /Use an IP address/],
      [{ ip: '10.0.0.0/8' }, 'ip', /Use an IP address/],
      [{ who: 'x'.repeat(201) }, 'who', /at most 200 characters/],
    ] as const) {
      const r = list.safeParse(input);
      assert.ok(!r.success, path);
      assert.equal(r.error.issues[0]?.path.join('.'), path);
      assert.match(r.error.issues[0]?.message ?? '', message);
    }
  });

  it('a filter-only schema reads the same values and checks date ranges the same way', () => {
    const only = filterValuesSchema(FILTERS);
    assert.deepEqual(only.parse({ action: 'export.', when_from: '2026-03-01', other: 'ignored' }), {
      action: 'export.',
      when_from: '2026-03-01',
    });
    const r = only.safeParse({ when_from: '2026-03-02', when_to: '2026-03-01' });
    assert.ok(!r.success);
    assert.match(r.error.issues[0]?.message ?? '', /The range ends before it starts/);
    assert.ok(!only.safeParse({ when_to: '2026-02-30' }).success);
  });
});
