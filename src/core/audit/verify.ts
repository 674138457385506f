// Verifies the audit log's hash chains (migration 0015): every entry's hash is recomputed from its
// fields by audit_log_hash (the one canonical form, in SQL) and compared with the stored one, and
// every entry must follow the one before it in its chain (its place and its prev_hash). Nothing
// stored is trusted: an entry edited with the triggers off no longer matches its hash, a deleted
// one leaves a gap. The rows are read a page at a time, so a log of millions of entries is fine.
import { sql } from 'kysely';
import { z } from 'zod';
import type { Db, DbOrTx } from '../db/pool.ts';

/** The chain of the entries of no organization (audit_chain(null) in SQL). */
export const NO_ORG_CHAIN = '00000000-0000-0000-0000-000000000000';

const PAGE = 5000;

type Chain = {
  chain: string;
  org_id: string | null;
  slug: string | null;
  head_seq: string;
  head_hash: Buffer | null;
  anchor_seq: string;
  anchor_hash: Buffer | null;
};

type Link = {
  chain: string;
  id: string;
  chain_seq: string;
  created_at: Date;
  prev_hash: Buffer | null;
  hash: Buffer;
  computed: Buffer;
};

/**
 * What is wrong at a broken link:
 * - edited: the entry's fields no longer give its stored hash: it was changed after it was written;
 * - gap: entries are missing before this one (deleted), or it is not the one its chain expects here;
 * - link: the entry's prev_hash is not the hash of the entry before it: that one was replaced;
 * - truncated: the chain ends before its head row says it does: its last entries are gone;
 * - unchained: an entry of a chain that has no head row: written with the chain trigger off.
 */
export const BREAK_KINDS = ['edited', 'gap', 'link', 'truncated', 'unchained'] as const;

/** The first broken link of one chain, as audit_verifications.first_failure keeps it. */
export const chainBreak = z.object({
  kind: z.enum(BREAK_KINDS),
  orgId: z.string().nullable(),
  slug: z.string().nullable(),
  /** The entry where the chain breaks (null when entries are missing at the end). */
  entryId: z.string().nullable(),
  seq: z.string().nullable(),
  createdAt: z.string().nullable(),
  message: z.string(),
});
export type ChainBreak = z.infer<typeof chainBreak>;
type BreakKind = ChainBreak['kind'];

export type Verdict = {
  ok: boolean;
  chains: number;
  entries: number;
  /** One per broken chain, in chain order: its first broken link. */
  breaks: ChainBreak[];
  startedAt: Date;
  finishedAt: Date;
  /** The slug of the one org verified, or null for the whole log. */
  orgSlug: string | null;
};

const hex = (b: Buffer | null) => (b ? b.toString('hex') : 'none');
const short = (b: Buffer | null) => (b ? `${b.toString('hex').slice(0, 12)}…` : 'none');

/** Which chain, in words: "org acme" or "entries of no organization". */
export function chainName(b: { orgId: string | null; slug: string | null }): string {
  if (!b.orgId) return 'entries of no organization';
  return b.slug ? `org ${b.slug}` : `org ${b.orgId} (deleted)`;
}

/** What goes wrong at `link`, given what the chain expects there; null when the link holds. */
function check(link: Link, expectedSeq: bigint, expectedPrev: Buffer | null, previousId: string | null) {
  if (!link.computed.equals(link.hash))
    return {
      kind: 'edited' as const,
      message: `its fields no longer give its hash (stored ${short(link.hash)}, recomputed ${short(link.computed)}): the entry was changed after it was written`,
    };
  const seq = BigInt(link.chain_seq);
  if (seq !== expectedSeq)
    return {
      kind: 'gap' as const,
      message:
        seq > expectedSeq
          ? `${seq - expectedSeq} entr${seq - expectedSeq === 1n ? 'y is' : 'ies are'} missing before it (expected place ${expectedSeq}, found ${seq}${previousId ? `, after entry ${previousId}` : ''})`
          : `it claims place ${seq} but the chain is at ${expectedSeq}`,
    };
  const prevOk = expectedPrev === null ? link.prev_hash === null : link.prev_hash?.equals(expectedPrev) === true;
  if (!prevOk)
    return {
      kind: 'link' as const,
      message: `its prev_hash ${short(link.prev_hash)} is not the hash ${short(expectedPrev)} of ${previousId ? `entry ${previousId} before it` : "the chain's anchor"}: the entry before it was replaced`,
    };
  return null;
}

function breakAt(chain: Chain | undefined, link: Link, problem: { kind: BreakKind; message: string }): ChainBreak {
  return {
    ...problem,
    orgId: chain ? chain.org_id : link.chain === NO_ORG_CHAIN ? null : link.chain,
    slug: chain?.slug ?? null,
    entryId: link.id,
    seq: link.chain_seq,
    createdAt: link.created_at.toISOString(),
  };
}

async function readChains(db: DbOrTx): Promise<Chain[]> {
  return (await sql<Chain>`select * from audit_chains()`.execute(db)).rows;
}

async function readLinks(db: DbOrTx, after: { chain: string; seq: string }, only: string | null): Promise<Link[]> {
  const r =
    await sql<Link>`select * from audit_chain_links(${after.chain}::uuid, ${after.seq}::bigint, ${only}::uuid, ${PAGE})`.execute(
      db,
    );
  return r.rows;
}

export class UnknownOrgError extends Error {
  override name = 'UnknownOrgError';
}

/**
 * Walks every chain (or the chain of the org `orgSlug`) and reports, per chain, the first broken
 * or missing link. `onPage` hears how many entries are done so far.
 */
export async function verifyAuditLog(
  db: Db,
  opts: { orgSlug?: string | null; onPage?: (done: number, total: number) => Promise<void> } = {},
): Promise<Verdict> {
  const startedAt = new Date();
  const all = await readChains(db);
  const orgSlug = opts.orgSlug ?? null;
  const chains = orgSlug === null ? all : all.filter((c) => c.slug === orgSlug);
  if (orgSlug !== null && chains.length === 0) {
    throw new UnknownOrgError(`no organization with the slug ${orgSlug} has audit entries`);
  }
  const only = orgSlug === null ? null : chains[0]!.chain;
  const byKey = new Map(all.map((c) => [c.chain, c]));
  const total = chains.reduce((n, c) => n + Number(BigInt(c.head_seq) - BigInt(c.anchor_seq)), 0);
  const breaks: ChainBreak[] = [];
  const seen = new Set<string>();
  let entries = 0;

  // The walk's state in the chain it is in.
  let current: { key: string; chain: Chain | undefined; seq: bigint; prev: Buffer | null; prevId: string | null } = {
    key: '',
    chain: undefined,
    seq: 0n,
    prev: null,
    prevId: null,
  };
  let broken = false;
  const finishChain = () => {
    const c = current.chain;
    if (!c || broken) return;
    if (
      current.seq !== BigInt(c.head_seq) ||
      (current.seq > BigInt(c.anchor_seq) && !current.prev?.equals(c.head_hash!))
    )
      breaks.push({
        kind: 'truncated',
        orgId: c.org_id,
        slug: c.slug,
        entryId: null,
        seq: null,
        createdAt: null,
        message: `the chain ends at place ${current.seq}${current.prevId ? ` (entry ${current.prevId})` : ''} but its head is at ${c.head_seq} (${hex(c.head_hash).slice(0, 12)}…): its last entries are missing`,
      });
  };
  const startChain = (key: string) => {
    finishChain();
    const chain = byKey.get(key);
    seen.add(key);
    broken = false;
    current = {
      key,
      chain,
      seq: chain ? BigInt(chain.anchor_seq) : 0n,
      prev: chain?.anchor_hash ?? null,
      prevId: null,
    };
  };

  let after = { chain: only ?? NO_ORG_CHAIN, seq: '0' };
  for (;;) {
    const page = await readLinks(db, after, only);
    for (const link of page) {
      if (link.chain !== current.key) startChain(link.chain);
      entries += 1;
      if (broken) continue;
      if (!current.chain) {
        breaks.push(
          breakAt(undefined, link, {
            kind: 'unchained',
            message: 'its chain has no head row: the entry was written with the chain trigger off',
          }),
        );
        broken = true;
        continue;
      }
      const problem = check(link, current.seq + 1n, current.prev, current.prevId);
      if (problem) {
        breaks.push(breakAt(current.chain, link, problem));
        broken = true;
        continue;
      }
      current.seq = BigInt(link.chain_seq);
      current.prev = link.hash;
      current.prevId = link.id;
    }
    if (page.length < PAGE) break;
    const last = page[page.length - 1]!;
    after = { chain: last.chain, seq: last.chain_seq };
    await opts.onPage?.(entries, total);
  }
  finishChain();
  // A chain whose head says it has entries, none of which are left (all deleted).
  for (const c of chains) {
    if (seen.has(c.chain) || c.head_seq === c.anchor_seq) continue;
    breaks.push({
      kind: 'truncated',
      orgId: c.org_id,
      slug: c.slug,
      entryId: null,
      seq: null,
      createdAt: null,
      message: `none of its entries are left, but its head is at place ${c.head_seq}: they were deleted`,
    });
  }
  const key = (b: ChainBreak) => b.orgId ?? NO_ORG_CHAIN;
  breaks.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return {
    ok: breaks.length === 0,
    chains: chains.length,
    entries,
    breaks,
    startedAt,
    finishedAt: new Date(),
    orgSlug,
  };
}

/** One line of a break, for the CLI and the logs. */
export function describeBreak(b: ChainBreak): string {
  const where = b.entryId ? `at entry ${b.entryId} (place ${b.seq}, written ${b.createdAt})` : 'at its end';
  return `${chainName(b)}: broken ${where}: ${b.message}`;
}

/** The verdict in one line: "12 chains, 3,456 entries, every link intact". */
export function describeVerdict(v: { chains: number; entries: number; broken: number }): string {
  const counts = `${v.chains.toLocaleString('en-GB')} chain${v.chains === 1 ? '' : 's'}, ${v.entries.toLocaleString('en-GB')} entr${v.entries === 1 ? 'y' : 'ies'}`;
  return v.broken === 0
    ? `${counts}, every link intact`
    : `${counts}, ${v.broken} broken chain${v.broken === 1 ? '' : 's'}`;
}
