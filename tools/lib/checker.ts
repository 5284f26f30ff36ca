// A checker in the spirit of Jepsen (Kingsbury, jepsen.io): remember every put the ring
// acknowledged (with the version it was given), and every put that failed, with when each
// was invoked and when it completed; then read every key back.
//  - Version check: a key missing, or older than its newest acknowledged version, is a lost write.
//  - Real-time check (for ops recorded with `invoke`): a put P is superseded once an
//    acknowledged put Q to the same key was invoked after P completed (P's ack or failure
//    was seen). The value read back must come from a put that is not superseded; a value from
//    a superseded put means a later acknowledged write was lost, e.g. to a "zombie" write its
//    client saw fail and that was executed later anyway. Values must be unique per put.
// Concurrent puts may land in either order (a register's linearizations); conflicts between
// the two sides of a partition are settled by the version rule, so a partition test uses
// only the version check for keys written on both sides.
import type { ClientResult } from '../../protocol/chord.js'
import type { RpcTarget } from '../../daemon/rpc/client.js'
import { compareVersions, type Version } from '../../protocol/version.js'
import type { ChordClient } from './client.js'
import { mapLimit } from './concurrency.js'

export interface CheckResult {
  /** Keys with at least one acknowledged put. */
  keys: number
  /** Acknowledged puts in all. */
  acked: number
  /** Puts that failed at the client (indeterminate: they may or may not have taken effect). */
  failed: number
  /** Keys that did not read back at (or after) their newest acknowledged version, or read a superseded value. */
  lost: number
  /** Keys read back newer than acknowledged (a later unacknowledged put won: allowed). */
  newer: number
  /** Of `lost`: keys whose value came from a put superseded in real time by a later acknowledged one. */
  stale: number
  problems: string[]
}

interface Op { value: Uint8Array, invokedAt: number, completedAt: number, acked: boolean }
interface Acked { key: Uint8Array, value: Uint8Array, version: Version }

export interface PendingPut {
  /** The ring acknowledged the put. */
  ok: (res: Pick<ClientResult, 'ts' | 'writer'>) => void
  /** The put failed at the client. */
  fail: () => void
}

export class AckChecker {
  readonly #latest = new Map<string, Acked>()
  readonly #ops = new Map<string, Op[]>()
  readonly #keys = new Map<string, Uint8Array>()
  #acked = 0
  #failed = 0
  readonly #now: () => number

  constructor (opts: { now?: () => number } = {}) {
    this.#now = opts.now ?? (() => performance.now())
  }

  /** Record a put the ring acknowledged (no timing: the version check only). */
  put (key: Uint8Array, value: Uint8Array, res: Pick<ClientResult, 'ts' | 'writer'>): void {
    this.#acked++
    const k = Buffer.from(key).toString('latin1')
    const v = { ts: res.ts, writer: res.writer }
    const old = this.#latest.get(k)
    if (old == null || compareVersions(v, old.version) > 0) this.#latest.set(k, { key, value, version: v })
  }

  /** A put is about to be sent: call ok() or fail() on what is returned when it completes. */
  invoke (key: Uint8Array, value: Uint8Array): PendingPut {
    const k = Buffer.from(key).toString('latin1')
    this.#keys.set(k, key)
    const invokedAt = this.#now()
    const record = (acked: boolean): void => {
      const ops = this.#ops.get(k) ?? []
      ops.push({ value, invokedAt, completedAt: this.#now(), acked })
      this.#ops.set(k, ops)
    }
    return {
      ok: res => { record(true); this.put(key, value, res) },
      fail: () => { this.#failed++; record(false) }
    }
  }

  get acked (): number { return this.#acked }

  /** Every key with its newest acknowledged version. */
  latest (): Array<{ key: Uint8Array, version: Version }> {
    return [...this.#latest.values()].map(a => ({ key: a.key, version: a.version }))
  }

  /** Values a read of this key may return now: from puts no acknowledged put was invoked after (null: untimed key). */
  allowedValues (k: string): Uint8Array[] | null {
    const ops = this.#ops.get(k)
    if (ops == null) return null
    const lastAckedInvoke = Math.max(-Infinity, ...ops.filter(o => o.acked).map(o => o.invokedAt))
    return ops.filter(o => o.completedAt >= lastAckedInvoke).map(o => o.value)
  }

  /** Read every key back. `realTime: false` keeps only the version check (keys written on both sides of a partition). */
  async verify (client: ChordClient, peers: () => RpcTarget[], opts: { concurrency?: number, timeoutMs?: number, realTime?: boolean } = {}): Promise<CheckResult> {
    const out: CheckResult = { keys: this.#latest.size, acked: this.#acked, failed: this.#failed, lost: 0, newer: 0, stale: 0, problems: [] }
    const note = (s: string): void => { if (out.problems.length < 20) out.problems.push(s) }
    await mapLimit([...this.#latest.entries()], opts.concurrency ?? 16, async ([k, a]) => {
      const live = peers()
      const via = live[Math.floor(Math.random() * live.length)]
      const name = Buffer.from(a.key).toString()
      try {
        const r = await client.get(via, a.key, { timeoutMs: opts.timeoutMs })
        const cmp = compareVersions({ ts: r.ts, writer: r.writer }, a.version)
        const allowed = opts.realTime === false ? null : this.allowedValues(k)
        if (!r.found) { out.lost++; note(`${name}: not found`); return }
        if (cmp < 0) { out.lost++; note(`${name}: read an older version than acknowledged`); return }
        if (cmp === 0 && Buffer.compare(r.value, a.value) !== 0) { out.lost++; note(`${name}: same version, different value`); return }
        if (allowed != null && !allowed.some(v => Buffer.compare(v, r.value) === 0)) {
          out.lost++
          out.stale++
          note(`${name}: read "${Buffer.from(r.value).toString()}", from a put superseded by a later acknowledged one`)
          return
        }
        if (cmp > 0) out.newer++
      } catch (err) {
        out.lost++
        note(`${name}: ${(err as Error).message}`)
      }
    })
    return out
  }
}
