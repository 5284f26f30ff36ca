import { test, describe, after } from 'node:test'
import assert from 'node:assert/strict'
import {
  BUCKETS, bucketInside, bucketOf, bucketsOf, recordHash, RecordStore, type KeyRecord
} from '../../daemon/keys/store/recordStore.js'
import { hashToId, inHalfOpen, mod, RING_SIZE } from '../../protocol/ring.js'

const R = RING_SIZE
const S = 1n << 148n // ids per bucket: 2^160 / 2^12
const enc = (s: string): Uint8Array => new TextEncoder().encode(s)
const rec = (key: string, ts: bigint, writer = 1, deleted = false): KeyRecord =>
  ({ key: enc(key), value: deleted ? new Uint8Array() : enc(`v-${key}-${ts}`), version: { ts, writer: new Uint8Array([writer]) }, deleted })

const stores: RecordStore[] = []
after(() => { for (const s of stores) s.close() })
function storeOf (recs: readonly KeyRecord[]): RecordStore {
  const s = new RecordStore(undefined, 1 << 24)
  stores.push(s)
  s.apply(recs)
  return s
}

/** The digest by definition: XOR of recordHash per bucket over records with id in (from, to]. */
function reference (recs: readonly KeyRecord[], from: bigint, to: bigint): Map<number, bigint> {
  const out = new Map<number, bigint>()
  for (const r of recs) {
    const id = hashToId(r.key)
    if (!inHalfOpen(id, from, to)) continue
    out.set(bucketOf(id), (out.get(bucketOf(id)) ?? 0n) ^ recordHash(r))
  }
  return out
}

const RECS = Array.from({ length: 300 }, (_, i) => rec(`key-${i}`, BigInt(1000 + i), i % 4, i % 9 === 0))
const RANGES: Array<[string, bigint, bigint]> = [
  ['plain', R / 7n, R / 2n],
  ['wrapping', R - R / 5n, R / 6n],
  ['almost the whole ring', 0n, R - 1n],
  ['bucket-aligned', 10n * S - 1n, 900n * S - 1n],
  ['mid-bucket to mid-bucket', 17n * S + S / 3n, 2000n * S + S / 2n]
]

describe('digests(from, to)', () => {
  const a = storeOf(RECS)
  const b = storeOf([...RECS].reverse())
  for (const [name, from, to] of RANGES) {
    test(`two stores with the same records agree, and match the definition: ${name}`, () => {
      const want = reference(RECS, from, to)
      assert.ok(want.size > 10, 'the range holds records')
      assert.deepEqual(a.digests(from, to), want)
      assert.deepEqual(b.digests(from, to), want)
    })
  }

  test('buckets holding nothing are not scanned: an empty store, and the empty edge buckets of a mid-bucket range', () => {
    // Idle anti-entropy asks for digests every round (issue 13): empty buckets must cost no SQL scan.
    const scans = (s: RecordStore, from: bigint, to: bigint): number => {
      let n = 0
      const scan = s.inBucket.bind(s)
      s.inBucket = (b, f, t) => { n++; return scan(b, f, t) }
      s.digests(from, to)
      return n
    }
    const [, from, to] = RANGES[4]!
    assert.equal(scans(storeOf([]), from, to), 0, 'empty store')
    const away = RECS.filter(r => { const b = bucketOf(hashToId(r.key)); return b !== bucketOf(from + 1n) && b !== bucketOf(to) })
    assert.equal(scans(storeOf(away), from, to), 0, 'records, none in the two edge buckets')
    const edge = RECS.find(r => inHalfOpen(hashToId(r.key), from, to))!
    const cut = [edge, ...away.filter(r => r !== edge)]
    const s = storeOf(cut)
    const first = bucketOf(hashToId(edge.key))
    // A record in an edge bucket still gets that bucket scanned (the other edge is empty), and the digest stays the definition's.
    const mid = (BigInt(first) << 148n) + S / 2n
    assert.equal(scans(s, mid, to), 1)
    assert.deepEqual(s.digests(mid, to), reference(cut, mid, to))
  })

  test('whole ring (from === to) covers every bucket', () => {
    for (const x of [0n, hashToId(RECS[0]!.key)]) {
      assert.deepEqual(a.digests(x, x), reference(RECS, x, x))
    }
  })

  test('changing one record\'s version changes exactly its bucket\'s digest', () => {
    const s = storeOf(RECS)
    const target = RECS[42]!
    const bucket = bucketOf(hashToId(target.key))
    const ranges: Array<[bigint, bigint]> = [[0n, R - 1n], [mod(hashToId(target.key) - R / 3n), mod(hashToId(target.key) + R / 3n)]]
    const before = ranges.map(([f, t]) => s.digests(f, t))
    assert.equal(s.apply([{ ...target, version: { ts: target.version.ts + 1n, writer: target.version.writer } }]).applied, 1)
    ranges.forEach(([f, t], i) => {
      const now = s.digests(f, t)
      const changed = [...new Set([...before[i]!.keys(), ...now.keys()])].filter(k => before[i]!.get(k) !== now.get(k))
      assert.deepEqual(changed, [bucket], `range ${i}`)
    })
  })

  test('a record outside (from, to] never affects it, even in a partly covered bucket', () => {
    // brute-force two keys whose ids land in one bucket
    const seen = new Map<number, string>()
    let pair: [string, string] | undefined
    for (let i = 0; pair == null; i++) {
      const k = `pair-${i}`
      const bk = bucketOf(hashToId(enc(k)))
      if (seen.has(bk)) pair = [seen.get(bk)!, k]; else seen.set(bk, k)
    }
    const [lo, hi] = pair.map(k => rec(k, 5n)).sort((x, y) => (hashToId(x.key) < hashToId(y.key) ? -1 : 1)) as [KeyRecord, KeyRecord]
    const bucket = bucketOf(hashToId(lo.key))
    const mid = (hashToId(lo.key) + hashToId(hi.key)) / 2n
    const cases: Array<[bigint, bigint, KeyRecord, KeyRecord]> = [
      [mid, mod(mid + R / 4n), hi, lo], // hi inside, lo outside
      [mod(mid - R / 4n), mid, lo, hi] // lo inside, hi outside
    ]
    for (const [from, to, inside, outside] of cases) {
      assert.equal(bucketInside(bucket, from, to), false)
      assert.ok(bucketsOf(from, to).includes(bucket))
      const s = storeOf([lo, hi])
      const d0 = s.digests(from, to)
      assert.deepEqual(d0, new Map([[bucket, recordHash(inside)]]))
      s.apply([{ ...outside, version: { ts: 99n, writer: new Uint8Array([7]) } }])
      assert.deepEqual(s.digests(from, to), d0, 'newer version of the outside record')
      s.apply([rec(new TextDecoder().decode(outside.key), 100n, 1, true)])
      assert.deepEqual(s.digests(from, to), d0, 'outside record deleted')
      s.remove([outside.key])
      assert.deepEqual(s.digests(from, to), d0, 'outside record removed')
      s.apply([{ ...inside, version: { ts: 99n, writer: new Uint8Array([7]) } }])
      assert.notDeepEqual(s.digests(from, to), d0, 'the inside record does count')
    }
  })

  test('XOR is order-independent: the same records applied in other orders give the same digests', () => {
    const shuffled = [...RECS].sort((x, y) => Number(recordHash(x) % 97n) - Number(recordHash(y) % 97n))
    const one = storeOf([])
    for (const r of shuffled) one.apply([r])
    const other = storeOf([...RECS.slice(150), ...RECS.slice(0, 150)])
    for (const [, from, to] of RANGES) assert.deepEqual(one.digests(from, to), other.digests(from, to))
    // and a store that saw older versions first ends at the same digests
    const churn = storeOf(RECS.map(r => ({ ...r, version: { ts: r.version.ts - 500n, writer: r.version.writer } })))
    churn.apply(shuffled)
    for (const [, from, to] of RANGES) assert.deepEqual(churn.digests(from, to), other.digests(from, to))
  })
})

describe('bucketsOf / bucketInside', () => {
  test('bucketsOf lists exactly the buckets intersecting (from, to]', () => {
    assert.deepEqual(bucketsOf(0n, S - 1n), [0])
    assert.deepEqual(bucketsOf(0n, S), [0, 1], 'id S is the first of bucket 1')
    assert.deepEqual(bucketsOf(S - 1n, 2n * S - 1n), [1], 'from, the last id of bucket 0, is excluded')
    assert.deepEqual(bucketsOf(S - 2n, 3n * S), [0, 1, 2, 3])
    assert.deepEqual(bucketsOf(5n * S + 3n, 5n * S + 9n), [5])
    assert.deepEqual(bucketsOf(R - 1n, S + 5n), [0, 1], 'wraps; from = 2^160-1 excludes bucket 4095')
    assert.deepEqual(bucketsOf(R - 2n, S + 5n), [4095, 0, 1])
    assert.deepEqual(bucketsOf(R - S - 1n, 0n), [4095, 0])
    assert.equal(bucketsOf(R - 1n, R - 1n).length, BUCKETS)
  })

  test('bucketsOf covers all BUCKETS when from === to or (from, to] wraps within one bucket', () => {
      assert.equal(bucketsOf(0n, 0n).length, BUCKETS)
      assert.equal(bucketsOf(7n * S + 100n, 7n * S + 100n).length, BUCKETS)
      const wrap = bucketsOf(7n * S + 5n, 7n * S + 2n)
      assert.equal(wrap.length, BUCKETS)
      assert.equal(wrap[0], 7)
    })

  test('bucketInside is true only for buckets wholly inside (from, to]', () => {
    assert.equal(bucketInside(1, 0n, 2n * S), true)
    assert.equal(bucketInside(0, 0n, 2n * S), false, 'id 0 is excluded')
    assert.equal(bucketInside(1, S - 1n, 2n * S - 1n), true, 'exactly the bucket')
    assert.equal(bucketInside(1, S, 2n * S), false, 'its first id excluded')
    assert.equal(bucketInside(1, S - 1n, 2n * S - 2n), false, 'its last id excluded')
    assert.equal(bucketInside(2, 0n, 2n * S), false, 'only its first id is in')
    assert.equal(bucketInside(3, 0n, 2n * S), false, 'disjoint')
    assert.equal(bucketInside(0, R - 1n, S - 1n), true, 'wrapping')
    assert.equal(bucketInside(4095, R - S - 1n, 5n), true, 'wrapping')
    assert.equal(bucketInside(4095, R - S, 5n), false)
    assert.equal(bucketInside(7, 7n * S + 5n, 7n * S + 2n), false, 'almost the whole ring, missing a piece of bucket 7')
    assert.equal(bucketInside(8, 7n * S + 5n, 7n * S + 2n), true)
    assert.equal(bucketInside(7, 7n * S + 5n, 7n * S + 5n), true, 'from === to is the whole ring')
  })
})
