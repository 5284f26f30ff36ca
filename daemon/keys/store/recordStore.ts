// The durable key store: versioned records in SQLite (node:sqlite, no native addon) in
// the data dir, WAL with synchronous=FULL, so a write is fsync'd when apply() returns —
// before any ack. Without a data dir it runs in memory (tests, throwaway peers).
// Per-bucket digests (top 12 bits of the ring id) are kept in memory so anti-entropy can
// compare ranges without reading them. Each row also keeps when this peer stored it, on its
// own clock, so a tombstone expires by the receiver's clock, never by a remote timestamp.
import { createHash } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { DatabaseSync, type StatementSync } from 'node:sqlite'
import { ErrorCode } from '../../../protocol/chord.js'
import { ChordError } from '../../../protocol/errors.js'
import { bytesToId, distance, hashToId, idToBytes, inHalfOpen, RING_SIZE } from '../../../protocol/ring.js'
import { compareVersions, type Version } from '../../../protocol/version.js'

export interface KeyRecord {
  key: Uint8Array
  value: Uint8Array
  version: Version
  deleted: boolean
}

export interface RecordMeta { key: Uint8Array, version: Version, deleted: boolean }

/** Buckets of the digest map: 2^12 slices of the ring. */
export const BUCKET_BITS = 12
const BUCKET_SHIFT = 160n - BigInt(BUCKET_BITS)
export const BUCKETS = 1 << BUCKET_BITS

export function bucketOf (id: bigint): number { return Number(id >> BUCKET_SHIFT) }

/** 64-bit hash of a record's identity and version; XORed per bucket. */
export function recordHash (r: RecordMeta): bigint {
  // Fixed-width fields and a length prefix, so no two (key, version) pairs share a preimage.
  const fixed = Buffer.alloc(13)
  fixed.writeUInt32BE(r.key.length, 0)
  fixed.writeBigUInt64BE(r.version.ts, 4)
  fixed[12] = r.deleted ? 1 : 0
  return createHash('sha1').update(fixed).update(r.key).update(r.version.writer).digest().readBigUInt64BE(0)
}

interface Row { key: Uint8Array, value: Uint8Array | null, ts: bigint, writer: Uint8Array, deleted: bigint }

/** What apply() did with a batch. */
export interface ApplyOutcome {
  /** Records that were newer and are now on disk. */
  applied: number
  /** Records now held at their version or newer (applied included). */
  held: number
  /** Records not applied because a newer version is held: the version held, one per such record. */
  superseded: RecordMeta[]
}

export class RecordStore {
  readonly #db: DatabaseSync
  readonly #stmt: Record<'get' | 'put' | 'del' | 'rangeIn' | 'rangeAfter' | 'rangeUpTo' | 'bucketScan' | 'all' | 'tombstones', StatementSync>
  /** Per non-empty bucket: the XOR of its records' hashes, and how many it holds (a digest of a range skips empty buckets without a scan). */
  readonly #buckets = new Map<number, { digest: bigint, count: number }>()
  #bytes = 0
  #size = 0

  readonly #now: () => number

  /**
   * @param dataDir directory for store.db, or undefined for an in-memory store. @param maxBytes keys + values, bytes.
   * @param now this peer's clock, ms: when a record was stored (tombstone expiry). Default Date.now.
   */
  constructor (dataDir: string | undefined, readonly maxBytes: number, now: () => number = Date.now) {
    this.#now = now
    if (dataDir != null) mkdirSync(dataDir, { recursive: true, mode: 0o700 })
    this.#db = new DatabaseSync(dataDir == null ? ':memory:' : join(dataDir, 'store.db'))
    this.#db.exec(`
      PRAGMA journal_mode = WAL;
      PRAGMA synchronous = FULL;
      CREATE TABLE IF NOT EXISTS records (
        key BLOB PRIMARY KEY,
        rid BLOB NOT NULL,
        value BLOB,                -- node:sqlite binds an empty blob as NULL: a tombstone's value
        ts INTEGER NOT NULL,
        writer BLOB NOT NULL,
        deleted INTEGER NOT NULL,
        stored_at INTEGER NOT NULL -- this peer's clock when it stored the row, ms
      ) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS records_rid ON records (rid);`)
    // A store written before stored_at existed: its rows count as stored now.
    const cols0 = this.#db.prepare('PRAGMA table_info(records)').all() as Array<{ name: string }>
    if (!cols0.some(c => c.name === 'stored_at')) {
      this.#db.exec(`ALTER TABLE records ADD COLUMN stored_at INTEGER NOT NULL DEFAULT ${Math.floor(now())}`)
    }
    const cols = 'key, value, ts, writer, deleted'
    this.#stmt = {
      get: this.#db.prepare(`SELECT ${cols} FROM records WHERE key = ?`),
      put: this.#db.prepare('INSERT OR REPLACE INTO records (key, rid, value, ts, writer, deleted, stored_at) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      del: this.#db.prepare('DELETE FROM records WHERE key = ?'),
      // rid is the big-endian ring id, so BLOB order is ring order.
      rangeIn: this.#db.prepare(`SELECT ${cols} FROM records WHERE rid > ? AND rid <= ? ORDER BY rid LIMIT ?`),
      rangeAfter: this.#db.prepare(`SELECT ${cols} FROM records WHERE rid > ? ORDER BY rid LIMIT ?`),
      rangeUpTo: this.#db.prepare(`SELECT ${cols} FROM records WHERE rid <= ? ORDER BY rid LIMIT ?`),
      bucketScan: this.#db.prepare(`SELECT ${cols} FROM records WHERE rid >= ? AND rid <= ? ORDER BY rid`),
      all: this.#db.prepare(`SELECT ${cols} FROM records`),
      tombstones: this.#db.prepare('SELECT key, ts, writer FROM records WHERE deleted = 1 AND stored_at < ? LIMIT ?')
    }
    for (const s of Object.values(this.#stmt)) s.setReadBigInts(true)
    for (const row of this.#stmt.all.iterate() as unknown as Iterable<Row>) {
      const r = toRecord(row)
      this.#account(r, 1)
    }
  }

  get size (): number { return this.#size }
  get bytes (): number { return this.#bytes }

  #account (r: KeyRecord, sign: 1 | -1): void {
    this.#size += sign
    this.#bytes += sign * (r.key.length + r.value.length)
    const b = bucketOf(hashToId(r.key))
    const e = this.#buckets.get(b) ?? { digest: 0n, count: 0 }
    e.digest ^= recordHash(r)
    e.count += sign
    if (e.count === 0) this.#buckets.delete(b); else this.#buckets.set(b, e)
  }

  get (key: Uint8Array): KeyRecord | undefined {
    const row = this.#stmt.get.get(key) as unknown as Row | undefined
    return row == null ? undefined : toRecord(row)
  }

  /**
   * Keep each record that is newer than what is held (the conflict rule in version.ts), in
   * one transaction that is on disk when this returns. Says how many are now held at their
   * version or newer, and which lost to a newer version held (a coordinator must not
   * acknowledge those: README "Faults and guarantees").
   */
  apply (batch: readonly KeyRecord[]): ApplyOutcome {
    // The same key twice in one batch: only its newest record counts.
    const byKey = new Map<string, KeyRecord>()
    for (const r of batch) {
      const k = Buffer.from(r.key).toString('latin1')
      const seen = byKey.get(k)
      if (seen == null || compareVersions(r.version, seen.version) > 0) byKey.set(k, r)
    }
    // Each newer record with what it replaces (undefined for a new key).
    const newer: Array<{ rec: KeyRecord, old: KeyRecord | undefined }> = []
    const superseded: RecordMeta[] = []
    for (const rec of batch) {
      const old = this.get(rec.key)
      if (old == null || compareVersions(rec.version, old.version) > 0) {
        if (byKey.get(Buffer.from(rec.key).toString('latin1')) === rec) newer.push({ rec, old })
      } else if (compareVersions(rec.version, old.version) < 0) {
        superseded.push({ key: old.key, version: old.version, deleted: old.deleted })
      }
    }
    let delta = 0
    for (const { rec, old } of newer) delta += rec.key.length + rec.value.length - (old == null ? 0 : old.key.length + old.value.length)
    if (delta > 0 && this.#bytes + delta > this.maxBytes) {
      throw new ChordError(ErrorCode.STORE_FULL, `store holds ${this.#bytes} of ${this.maxBytes} bytes; ${delta} more do not fit`)
    }
    if (newer.length > 0) {
      this.#db.exec('BEGIN IMMEDIATE')
      try {
        const at = Math.floor(this.#now())
        for (const { rec: r } of newer) this.#stmt.put.run(r.key, idToBytes(hashToId(r.key)), r.value, r.version.ts, r.version.writer, r.deleted ? 1 : 0, at)
        this.#db.exec('COMMIT')
      } catch (err) {
        this.#db.exec('ROLLBACK')
        throw err
      }
      // Accounting follows the commit, and only for what the commit changed.
      for (const { rec, old } of newer) {
        if (old != null) this.#account(old, -1)
        this.#account(rec, 1)
      }
    }
    return { applied: newer.length, held: batch.length, superseded }
  }

  /** Forget records outright, whatever version they are at (tests, and a wiped range). */
  remove (keys: readonly Uint8Array[]): void {
    this.#removeWhere(keys.map(key => ({ key })), () => true)
  }

  /**
   * Forget each record only if the store still holds it at that version (and tombstone state),
   * in one transaction: a newer write that arrived meanwhile (e.g. while a stray was being
   * pushed to its owner) stays. Returns how many were removed.
   */
  removeIfVersion (records: readonly KeyRecord[]): number {
    return this.#removeWhere(records, (held, r) => held.deleted === r.deleted && compareVersions(held.version, r.version) === 0)
  }

  /** Delete, in one transaction, each record held that `match`es what was asked; accounting follows the commit. */
  #removeWhere<T extends { key: Uint8Array }> (asked: readonly T[], match: (held: KeyRecord, asked: T) => boolean): number {
    if (asked.length === 0) return 0
    this.#db.exec('BEGIN IMMEDIATE')
    const gone: KeyRecord[] = []
    try {
      for (const r of asked) {
        const held = this.get(r.key)
        if (held == null || !match(held, r)) continue
        this.#stmt.del.run(r.key)
        gone.push(held)
      }
      this.#db.exec('COMMIT')
    } catch (err) {
      this.#db.exec('ROLLBACK')
      throw err
    }
    for (const r of gone) this.#account(r, -1)
    return gone.length
  }

  /** Records with ring id in [lo, hi] (no wrap: lo <= hi), in ring order. */
  between (lo: bigint, hi: bigint): KeyRecord[] {
    return (this.#stmt.bucketScan.all(idToBytes(lo), idToBytes(hi)) as unknown as Row[]).map(toRecord)
  }

  /** Records with ring id in (from, to], in ring order from `from`, at most `limit`. */
  range (from: bigint, to: bigint, limit: number): KeyRecord[] {
    if (from < to) return (this.#stmt.rangeIn.all(idToBytes(from), idToBytes(to), limit) as unknown as Row[]).map(toRecord)
    // Wrapping (or the whole ring when from == to): (from, top] first, then [0, to].
    const head = (this.#stmt.rangeAfter.all(idToBytes(from), limit) as unknown as Row[]).map(toRecord)
    if (head.length >= limit) return head
    const tail = (this.#stmt.rangeUpTo.all(idToBytes(to), limit - head.length) as unknown as Row[]).map(toRecord)
    return [...head, ...tail]
  }

  /** Every record in a bucket whose ring id is in (from, to]. */
  inBucket (bucket: number, from: bigint, to: bigint): KeyRecord[] {
    const lo = BigInt(bucket) << BUCKET_SHIFT
    const hi = lo + (1n << BUCKET_SHIFT) - 1n
    const rows = this.#stmt.bucketScan.all(idToBytes(lo), idToBytes(hi)) as unknown as Row[]
    return rows.map(toRecord).filter(r => inHalfOpen(hashToId(r.key), from, to))
  }

  /** XOR digest of each non-empty bucket, over the records with ring id in (from, to]. */
  digests (from: bigint, to: bigint): Map<number, bigint> {
    const out = new Map<number, bigint>()
    // Idle anti-entropy asks this every round (issue 13: no work when nothing changed): an
    // empty store answers at once, and a bucket holding nothing is skipped without a scan.
    if (this.#buckets.size === 0) return out
    const buckets = bucketsOf(from, to)
    for (let i = 0; i < buckets.length; i++) {
      const b = buckets[i]
      const held = this.#buckets.get(b)
      if (held == null) continue
      // Only the first and the last bucket of (from, to] can be cut by it; the rest lie inside.
      const edge = i === 0 || i === buckets.length - 1
      const d = !edge || bucketInside(b, from, to)
        ? held.digest
        : this.inBucket(b, from, to).reduce((x, r) => x ^ recordHash(r), 0n)
      if (d !== 0n) out.set(b, d)
    }
    return out
  }

  /** Tombstones this peer stored before `ms` on its own clock, at most `limit`. */
  tombstonesStoredBefore (ms: number, limit: number): RecordMeta[] {
    return (this.#stmt.tombstones.all(Math.floor(ms), limit) as unknown as Array<{ key: Uint8Array, ts: bigint, writer: Uint8Array }>)
      .map(r => ({ key: new Uint8Array(r.key), version: { ts: BigInt(r.ts), writer: new Uint8Array(r.writer) }, deleted: true }))
  }

  /**
   * What this connection does on commit, read back from SQLite rather than assumed: 'wal' and
   * 2 (FULL) mean a commit is fsync'd before apply() returns. An in-memory store says 'memory'.
   */
  durability (): { journalMode: string, synchronous: number } {
    const mode = this.#db.prepare('PRAGMA journal_mode').get() as { journal_mode: string }
    const sync = this.#db.prepare('PRAGMA synchronous').get() as { synchronous: number }
    return { journalMode: mode.journal_mode, synchronous: Number(sync.synchronous) }
  }

  close (): void {
    if (this.#db.isOpen) this.#db.close()
  }
}

function toRecord (row: Row): KeyRecord {
  return {
    key: new Uint8Array(row.key),
    value: row.value == null ? new Uint8Array() : new Uint8Array(row.value),
    version: { ts: BigInt(row.ts), writer: new Uint8Array(row.writer) },
    deleted: row.deleted !== 0n
  }
}

/** Buckets that intersect (from, to], in ring order. */
export function bucketsOf (from: bigint, to: bigint): number[] {
  const first = bucketOf((from + 1n) % RING_SIZE)
  const span = from === to ? RING_SIZE : distance(from, to)
  const last = bucketOf((from + span) % RING_SIZE)
  // A range that wraps round into the bucket it started in covers every bucket.
  if (first === last && span > (1n << BUCKET_SHIFT)) return Array.from({ length: BUCKETS }, (_, i) => (first + i) % BUCKETS)
  const out: number[] = []
  for (let b = first; ; b = (b + 1) % BUCKETS) {
    out.push(b)
    if (b === last || out.length === BUCKETS) break
  }
  return out
}

/** The whole bucket lies in (from, to]. */
export function bucketInside (bucket: number, from: bigint, to: bigint): boolean {
  if (from === to) return true
  const lo = BigInt(bucket) << BUCKET_SHIFT
  const hi = lo + (1n << BUCKET_SHIFT) - 1n
  const fromInside = from >= lo && from < hi
  return !fromInside && inHalfOpen(lo, from, to) && inHalfOpen(hi, from, to)
}

export { bytesToId }
