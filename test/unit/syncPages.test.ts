import { test, describe, after } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { SyncMeta } from '../../protocol/chord.js'
import { MAX_FRAME_BYTES, MAX_KEY_BYTES, SYNC_PAGE_BYTES } from '../../protocol/constants.js'
import { BadRequestError } from '../../protocol/errors.js'
import { distance, hashToId, idToBytes, inHalfOpen, mod, RING_SIZE } from '../../protocol/ring.js'
import { bucketOf, RecordStore, type KeyRecord } from '../../daemon/keys/store/recordStore.js'
import { answerPage, comparePage, nextStart, pageStart, segmentsOf } from '../../daemon/keys/syncPages.js'

const S = 1n << 148n // ids per bucket
const stores: RecordStore[] = []
after(() => { for (const s of stores) s.close() })
const store = (recs: readonly KeyRecord[] = []): RecordStore => {
  const s = new RecordStore(undefined, 1 << 30)
  stores.push(s)
  s.apply(recs)
  return s
}
const rec = (key: Uint8Array, ts: bigint, writer = 1): KeyRecord => ({ key, value: Uint8Array.of(1, 2, 3), version: { ts, writer: new Uint8Array(38).fill(writer) }, deleted: false })
const bigKey = (): Uint8Array => randomBytes(MAX_KEY_BYTES)
const digestsOf = (s: RecordStore, from: bigint, to: bigint): Array<{ bucket: number, digest: bigint }> => [...s.digests(from, to)].map(([bucket, digest]) => ({ bucket, digest }))

/**
 * The requester's loop of antiEntropy.syncRange, without sockets: `local` asks `remote` page
 * by page, pushes and pulls what each page shows. Returns the pages' encoded sizes.
 */
function syncByPages (local: RecordStore, remote: RecordStore, from: bigint, to: bigint, maxBytes: number, maxPages = 10_000): number[] {
  const sizes: number[] = []
  let start = from
  for (let page = 0; page < maxPages; page++) {
    const res = answerPage(remote, { from: idToBytes(from) as Uint8Array<ArrayBuffer>, to: idToBytes(to) as Uint8Array<ArrayBuffer>, digests: digestsOf(local, start, to), resumeAfter: start === from ? undefined : idToBytes(start) as Uint8Array<ArrayBuffer> }, maxBytes)
    sizes.push(SyncMeta.encode(res).length)
    const next = nextStart(res, start, to)
    const { push, pull } = comparePage(local, res, start, next ?? to)
    remote.apply(push)
    local.apply(pull.map(k => remote.get(k)!))
    if (next == null) break
    start = next
  }
  return sizes
}

const inRange = (s: RecordStore, from: bigint, to: bigint): string[] =>
  s.range(from, to, 1 << 30).map(r => `${Buffer.from(r.key).toString('hex')}@${r.version.ts}`).sort()

describe('segmentsOf', () => {
  const covers = (from: bigint, to: bigint): void => {
    const segs = segmentsOf(from, to)
    let expect = mod(from + 1n)
    let total = 0n
    for (const s of segs) {
      assert.equal(s.lo, expect, 'contiguous, in ring order')
      assert.ok(s.lo <= s.hi)
      assert.equal(bucketOf(s.lo), s.bucket)
      assert.equal(bucketOf(s.hi), s.bucket, 'inside one bucket')
      total += s.hi - s.lo + 1n
      expect = mod(s.hi + 1n)
    }
    assert.equal(total, from === to ? RING_SIZE : distance(from, to), 'exactly the range')
  }
  test('a range inside one bucket is one segment', () => {
    assert.deepEqual(segmentsOf(5n * S + 10n, 5n * S + 20n), [{ bucket: 5, lo: 5n * S + 11n, hi: 5n * S + 20n }])
  })
  test('ranges across edges, across the top of the ring, the whole ring', () => {
    covers(5n * S + 10n, 9n * S + 3n)
    covers(RING_SIZE - 3n * S + 7n, 2n * S + 1n)
    covers(5n * S, 6n * S)
    covers(123n, 123n)
    assert.equal(segmentsOf(7n, 7n).length, 4097, 'the whole ring from inside bucket 0 visits bucket 0 twice')
  })
  test('a range that wraps into the bucket it started in gives that bucket first and last', () => {
    const segs = segmentsOf(5n * S + 100n, 5n * S + 50n)
    assert.equal(segs[0].bucket, 5)
    assert.equal(segs.at(-1)!.bucket, 5)
    assert.equal(segs.at(-1)!.hi, 5n * S + 50n)
    covers(5n * S + 100n, 5n * S + 50n)
  })
})

describe('SYNC_DIGESTS pages', () => {
  const all = Array.from({ length: 3000 }, () => rec(bigKey(), 10n))
  const from = 0n
  const to = RING_SIZE / 2n

  test('with 1 KiB keys an answer bounded by count (4096 metas) would not fit in a frame; a page is bounded in bytes', () => {
    const remote = store(all)
    const unbounded = answerPage(remote, { from: idToBytes(from) as Uint8Array<ArrayBuffer>, to: idToBytes(to) as Uint8Array<ArrayBuffer>, digests: [] }, Number.MAX_SAFE_INTEGER)
    assert.ok(unbounded.metas.length < 4096, 'fewer metas than the old count bound')
    assert.ok(SyncMeta.encode(unbounded).length > MAX_FRAME_BYTES, 'and still more bytes than a frame may carry')
    const page = answerPage(remote, { from: idToBytes(from) as Uint8Array<ArrayBuffer>, to: idToBytes(to) as Uint8Array<ArrayBuffer>, digests: [] }, SYNC_PAGE_BYTES)
    assert.ok(page.truncated)
    assert.ok(SyncMeta.encode(page).length <= SYNC_PAGE_BYTES)
    assert.equal(page.last?.length, 20)
    const ids = page.metas.map(m => hashToId(m.key))
    assert.deepEqual(ids, [...ids].sort((a, b) => distance(from, a) < distance(from, b) ? -1 : 1), 'metas in ring order')
    assert.equal(ids.at(-1), nextStart(page, from, to))
  })

  test('an empty replica pulls a range of 1 KiB keys many frames large, page by page', () => {
    const remote = store(all)
    const local = store()
    const sizes = syncByPages(local, remote, from, to, SYNC_PAGE_BYTES)
    assert.ok(sizes.length >= 6, `${sizes.length} pages`)
    for (const n of sizes) assert.ok(n <= SYNC_PAGE_BYTES)
    assert.deepEqual(inRange(local, from, to), inRange(remote, from, to))
    assert.ok(inRange(local, from, to).length > 1000)
    assert.equal(local.range(to, from, 10).length, 0, 'nothing outside the range moved')
  })

  test('both sides differ both ways (missing, older, newer on each side): pages converge them', () => {
    const remote = store(all)
    const local = store(all.slice(0, 1500))
    const newer = all.slice(200, 700).map(r => ({ ...r, version: { ...r.version, ts: 20n } }))
    local.apply(newer.slice(0, 250))
    remote.apply(newer.slice(250))
    local.apply(Array.from({ length: 400 }, () => rec(bigKey(), 5n, 2)))
    syncByPages(local, remote, from, to, 64 * 1024)
    assert.deepEqual(inRange(local, from, to), inRange(remote, from, to))
    for (const r of newer) {
      if (!inHalfOpen(hashToId(r.key), from, to)) continue
      assert.equal(local.get(r.key)?.version.ts, 20n, 'the newer version wins on both')
    }
  })

  test('a range that wraps into the bucket it started in is paged without skipping its far end', () => {
    const b = 9n
    const f = b * S + S / 2n
    const t = b * S + S / 4n
    // Records at the head and the far end (tail) of bucket 9, and elsewhere round the ring.
    const placed: KeyRecord[] = []
    while (placed.length < 600) {
      const r = rec(bigKey(), 10n)
      const id = hashToId(r.key)
      if (bucketOf(id) === 9 || placed.length % 3 === 0) placed.push(r)
    }
    const remote = store(placed)
    const local = store()
    const sizes = syncByPages(local, remote, f, t, 16 * 1024)
    assert.ok(sizes.length > 3)
    assert.deepEqual(inRange(local, f, t), inRange(remote, f, t))
  })

  test('a bounded number of pages per round still converges over rounds', () => {
    const remote = store(all)
    const local = store()
    let rounds = 0
    while (inRange(local, from, to).length < inRange(remote, from, to).length && rounds < 50) {
      syncByPages(local, remote, from, to, 32 * 1024, 4)
      rounds++
    }
    assert.deepEqual(inRange(local, from, to), inRange(remote, from, to))
    assert.ok(rounds > 1, `${rounds} rounds`)
  })

  test('a cursor outside the range, or one that does not move forward, is refused', () => {
    const req = { from: idToBytes(10n) as Uint8Array<ArrayBuffer>, to: idToBytes(100n) as Uint8Array<ArrayBuffer>, digests: [] }
    assert.equal(pageStart(req), 10n)
    assert.equal(pageStart({ ...req, resumeAfter: idToBytes(50n) as Uint8Array<ArrayBuffer> }), 50n)
    for (const bad of [5n, 10n, 100n, 200n]) {
      assert.throws(() => pageStart({ ...req, resumeAfter: idToBytes(bad) as Uint8Array<ArrayBuffer> }), BadRequestError)
    }
    assert.throws(() => pageStart({ ...req, resumeAfter: new Uint8Array(3) }), BadRequestError)
    const page = (last: bigint): SyncMeta => ({ buckets: [], metas: [], truncated: true, last: idToBytes(last) as Uint8Array<ArrayBuffer> })
    assert.equal(nextStart(page(60n), 50n, 100n), 60n)
    assert.throws(() => nextStart(page(50n), 50n, 100n), BadRequestError, 'no progress')
    assert.throws(() => nextStart(page(100n), 50n, 100n), BadRequestError, 'the end: (to, to] would be the whole ring')
    assert.throws(() => nextStart(page(20n), 50n, 100n), BadRequestError, 'backwards')
    assert.equal(nextStart({ buckets: [], metas: [], truncated: false }, 50n, 100n), undefined)
    assert.equal(nextStart({ buckets: [], metas: [], truncated: true }, 50n, 100n), undefined, 'a peer that does not page: this page is the last')
  })
})
