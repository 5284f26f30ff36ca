// A checker in the spirit of Jepsen: remember every put the swarm acknowledged (with the
// version it was given), then read every key back; a key missing, or older than its newest
// acknowledged version, is a lost write.
import type { ClientResult } from '../../protocol/chord.js'
import type { RpcTarget } from '../../daemon/rpc/client.js'
import { compareVersions, type Version } from '../../daemon/storage/version.js'
import type { ChordClient } from './client.js'
import { mapLimit } from './concurrency.js'

export interface CheckResult {
  /** Keys with at least one acknowledged put. */
  keys: number
  /** Acknowledged puts in all. */
  acked: number
  /** Keys that did not read back at (or after) their newest acknowledged version. */
  lost: number
  /** Keys read back newer than acknowledged (a later unacknowledged put won: allowed). */
  newer: number
  problems: string[]
}

interface Acked { key: Uint8Array, value: Uint8Array, version: Version }

export class AckChecker {
  readonly #latest = new Map<string, Acked>()
  #acked = 0

  /** Record a put the ring acknowledged. */
  put (key: Uint8Array, value: Uint8Array, res: Pick<ClientResult, 'ts' | 'writer'>): void {
    this.#acked++
    const k = Buffer.from(key).toString('latin1')
    const v = { ts: res.ts, writer: res.writer }
    const old = this.#latest.get(k)
    if (old == null || compareVersions(v, old.version) > 0) this.#latest.set(k, { key, value, version: v })
  }

  get acked (): number { return this.#acked }

  /** Every key with its newest acknowledged version. */
  latest (): Array<{ key: Uint8Array, version: Version }> {
    return [...this.#latest.values()].map(a => ({ key: a.key, version: a.version }))
  }

  async verify (client: ChordClient, peers: () => RpcTarget[], opts: { concurrency?: number } = {}): Promise<CheckResult> {
    const out: CheckResult = { keys: this.#latest.size, acked: this.#acked, lost: 0, newer: 0, problems: [] }
    const note = (s: string): void => { if (out.problems.length < 20) out.problems.push(s) }
    await mapLimit([...this.#latest.values()], opts.concurrency ?? 16, async a => {
        const live = peers()
        const via = live[Math.floor(Math.random() * live.length)]
        const name = Buffer.from(a.key).toString()
        try {
          const r = await client.get(via, a.key)
          const cmp = compareVersions({ ts: r.ts, writer: r.writer }, a.version)
          if (!r.found) { out.lost++; note(`${name}: not found`) } else if (cmp < 0) { out.lost++; note(`${name}: read an older version than acknowledged`) } else if (cmp === 0 && Buffer.compare(r.value, a.value) !== 0) { out.lost++; note(`${name}: same version, different value`) } else if (cmp > 0) out.newer++
        } catch (err) {
          out.lost++
          note(`${name}: ${(err as Error).message}`)
        }
    })
    return out
  }
}
