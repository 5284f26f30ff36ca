// Anti-entropy in pages bounded in bytes. A page covers (start, to] of the range being synced:
// the responder lists the metadata of its records in buckets whose digests differ, in ring
// order, until SYNC_PAGE_BYTES, and says where it stopped (`last`); the requester compares
// only the span that page covers and asks again from `last`. Keys of 1 KiB make 4096 metas
// 4 MiB, past the frame limit: a count bound is not enough (issue 11, point 6).
// Pure functions over a RecordStore: tested without sockets; antiEntropy.ts moves the pages.
import type { RangeDigests, RecordMeta, SyncMeta } from '../../protocol/chord.js'
import { BadRequestError } from '../../protocol/errors.js'
import { bytesToId, distance, hashToId, idToBytes, inHalfOpen, inOpen, RING_SIZE } from '../../protocol/ring.js'
import { BUCKET_BITS, BUCKETS, bucketOf, type KeyRecord, type RecordStore } from './store/recordStore.js'
import { compareVersions } from '../../protocol/version.js'

const BUCKET_SIZE = 1n << BigInt(160 - BUCKET_BITS)

/** The part of one bucket inside a range: ring ids lo..hi, both inclusive, lo <= hi. */
export interface Segment { bucket: number, lo: bigint, hi: bigint }

/**
 * (from, to] cut at bucket edges, in ring order from `from` (from == to: the whole ring). A
 * range that wraps into the bucket it started in gives that bucket twice, first and last.
 */
export function segmentsOf (from: bigint, to: bigint): Segment[] {
  const out: Segment[] = []
  let left = from === to ? RING_SIZE : distance(from, to)
  let lo = (from + 1n) % RING_SIZE
  while (left > 0n) {
    const bucket = bucketOf(lo)
    const bucketHi = BigInt(bucket) * BUCKET_SIZE + BUCKET_SIZE - 1n
    const len = bucketHi - lo + 1n < left ? bucketHi - lo + 1n : left
    out.push({ bucket, lo, hi: lo + len - 1n })
    left -= len
    lo = (lo + len) % RING_SIZE
  }
  return out
}

/** Bytes one meta takes in a SyncMeta, tags and lengths included (an upper bound). */
export function metaBytes (r: { key: Uint8Array, version: { writer: Uint8Array } }): number {
  return r.key.length + r.version.writer.length + 24
}

/** The span a request asks about: (resume_after, to] when paging, else (from, to]. */
export function pageStart (req: Pick<RangeDigests, 'from' | 'to' | 'resumeAfter'>): bigint {
  const from = bytesToId(req.from)
  if (req.resumeAfter == null) return from
  if (req.resumeAfter.length !== 20) throw new BadRequestError('resume_after must be a 20-byte id')
  const start = bytesToId(req.resumeAfter)
  const to = bytesToId(req.to)
  if (!inOpen(start, from, to)) throw new BadRequestError('resume_after must lie in (from, to) of the range')
  return start
}

/**
 * The responder's page: buckets of (start, to] whose digests differ from the requester's,
 * and the metadata of its records in them in ring order, at most `maxBytes` of it (at least
 * one record). Cut short, it is `truncated` with `last` = the ring id of the last record listed.
 */
export function answerPage (store: RecordStore, req: RangeDigests, maxBytes: number): SyncMeta {
  if (req.from.length !== 20 || req.to.length !== 20) throw new BadRequestError('range ends must be 20-byte ids')
  if (req.digests.length > BUCKETS) throw new BadRequestError(`at most ${BUCKETS} digests`)
  const start = pageStart(req)
  const to = bytesToId(req.to)
  const mine = store.digests(start, to)
  const theirs = new Map(req.digests.map(d => [d.bucket, d.digest]))
  const differ = new Set<number>()
  for (const [b, d] of mine) if (theirs.get(b) !== d) differ.add(b)
  for (const [b, d] of theirs) if (mine.get(b) !== d && b >= 0 && b < BUCKETS) differ.add(b)
  const out: SyncMeta = { buckets: [], metas: [], truncated: false }
  // The steady state: nothing differs, and cutting the range into segments would be wasted work.
  if (differ.size === 0) return out
  const listed = new Set<number>()
  let bytes = 0
  let lastId: bigint | undefined
  for (const seg of segmentsOf(start, to)) {
    if (!differ.has(seg.bucket)) continue
    if (!listed.has(seg.bucket)) { listed.add(seg.bucket); out.buckets.push(seg.bucket) }
    for (const r of store.between(seg.lo, seg.hi)) {
      const size = metaBytes(r)
      if (bytes + size > maxBytes && lastId != null) {
        out.truncated = true
        out.last = idToBytes(lastId) as Uint8Array<ArrayBuffer>
        return out
      }
      out.metas.push({ key: r.key as Uint8Array<ArrayBuffer>, ts: r.version.ts, writer: r.version.writer as Uint8Array<ArrayBuffer>, deleted: r.deleted })
      bytes += size
      lastId = hashToId(r.key)
    }
  }
  return out
}

/** Where the requester's next page starts, or undefined when this page was the last. Checks the answer moves forward. */
export function nextStart (answer: SyncMeta, start: bigint, to: bigint): bigint | undefined {
  if (!answer.truncated || answer.last == null) return undefined
  if (answer.last.length !== 20) throw new BadRequestError('last must be a 20-byte id')
  const last = bytesToId(answer.last)
  // Past (start, to) the responder would send us round the ring, or nowhere.
  if (!inOpen(last, start, to)) throw new BadRequestError('last of a truncated page must lie in (start, to) of the page')
  return last
}

/**
 * The requester's side of one page covering (start, end]: our records that are newer than
 * the responder's or missing there (push), and keys where theirs is newer or ours is missing
 * (pull). Only records inside the span are compared: a page says nothing about the rest.
 */
export function comparePage (store: RecordStore, answer: SyncMeta, start: bigint, end: bigint): { push: KeyRecord[], pull: Uint8Array[] } {
  if (answer.buckets.length > BUCKETS) throw new BadRequestError('oversized sync answer')
  const theirs = new Map<string, RecordMeta>()
  for (const m of answer.metas) if (inHalfOpen(hashToId(m.key), start, end)) theirs.set(Buffer.from(m.key).toString('latin1'), m)
  const wanted = new Set(answer.buckets)
  const push: KeyRecord[] = []
  const pull: Uint8Array[] = []
  if (wanted.size === 0 && theirs.size === 0) return { push, pull }
  for (const seg of segmentsOf(start, end)) {
    if (!wanted.has(seg.bucket)) continue
    for (const r of store.between(seg.lo, seg.hi)) {
      const k = Buffer.from(r.key).toString('latin1')
      const t = theirs.get(k)
      theirs.delete(k)
      const cmp = t == null ? 1 : compareVersions(r.version, { ts: t.ts, writer: t.writer })
      if (cmp > 0) push.push(r); else if (cmp < 0) pull.push(r.key)
    }
  }
  for (const t of theirs.values()) pull.push(t.key)
  return { push, pull }
}
