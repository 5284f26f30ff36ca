// The swarm's workload: put K keys through random peers, then read every one back
// through another random peer. An acknowledged put that does not read back at its
// acknowledged version or newer (or with another value at that version) is `lost`.
import { randomBytes } from 'node:crypto'
import type { RpcTarget } from '../../daemon/rpc/client.js'
import type { ChordClient, OpOptions } from './client.js'
import { seededRandom } from './stats.js'
import { compareVersions, type Version } from '../../protocol/version.js'
import { forEachLimit } from './concurrency.js'
import { ErrorCode, codeOf } from '../../protocol/errors.js'

export interface WorkloadOptions {
  /** Runs alongside the puts (e.g. churn); the gets start once both are done. */
  duringPuts?: () => Promise<void>
  keys: number
  /** Operations in flight at once. */
  concurrency: number
  seed: number
  valueBytes?: { min: number, max: number }
  op?: OpOptions
  /** Called after each acknowledged put and each intact read, with how many so far (a progress line). */
  onDone?: (what: 'puts acked' | 'reads intact', done: number) => void
}

export interface OpSample { hops: number, lookupUs: number, ms: number }

export interface WorkloadResult {
  putsAcked: number
  putsFailed: number
  getsOk: number
  getsMissing: number
  getsWrong: number
  getsFailed: number
  /** Acknowledged puts that did not read back intact. */
  lost: number
  samples: OpSample[]
  /** Every acknowledged key with its version (and value, for a later AckChecker), for replica counts. */
  acked: Array<{ key: Uint8Array, value: Uint8Array, version: Version }>
  errors: string[]
  /** Attempts (retries through another peer included) that ended past their deadline (TIMEOUT). */
  pastDeadline: number
  /** Attempts made, puts and gets: what pastDeadline is out of. */
  attempts: number
  putMs: number
  getMs: number
}

/**
 * An entry peer that died under churn is the client's problem: try `op` through `first`, then
 * through up to 3 other random live peers. Returns undefined after the last failure. `tried`
 * sees every attempt's error (undefined when it succeeded) and whether it was the last.
 */
async function throughSomePeer<R> (first: RpcTarget, peers: () => RpcTarget[], rand: () => number, op: (entry: RpcTarget) => Promise<R>, tried: (e: unknown, last: boolean) => void): Promise<R | undefined> {
  for (let attempt = 0; attempt < 4; attempt++) {
    const live = peers()
    const entry = attempt === 0 ? first : live[Math.floor(rand() * live.length)]
    try {
      const r = await op(entry)
      tried(undefined, false)
      return r
    } catch (e) {
      tried(e, attempt === 3)
    }
  }
  return undefined
}

export async function runWorkload (client: ChordClient, peers: () => RpcTarget[], opts: WorkloadOptions): Promise<WorkloadResult> {
  const rand = seededRandom(opts.seed)
  const enc = new TextEncoder()
  const { min, max } = opts.valueBytes ?? { min: 16, max: 256 }
  const acked = new Map<number, { value: Uint8Array, version: Version }>()
  const putVia: number[] = []
  const res: WorkloadResult = { putsAcked: 0, putsFailed: 0, getsOk: 0, getsMissing: 0, getsWrong: 0, getsFailed: 0, lost: 0, samples: [], acked: [], errors: [], pastDeadline: 0, attempts: 0, putMs: 0, getMs: 0 }
  const note = (e: unknown): void => { if (res.errors.length < 10) res.errors.push((e as Error).message) }
  const tried = (e: unknown, last: boolean): void => {
    res.attempts++
    if (e !== undefined && codeOf(e) === ErrorCode.TIMEOUT) res.pastDeadline++
    if (last) note(e)
  }
  const keyOf = (i: number): Uint8Array => enc.encode(`key-${opts.seed}-${i}`)

  let t = performance.now()
  const side = opts.duringPuts?.()
  await forEachLimit(opts.keys, opts.concurrency, async i => {
    const live = peers()
    const via = Math.floor(rand() * live.length)
    putVia[i] = via
    const value = randomBytes(min + Math.floor(rand() * (max - min + 1)))
    const started = performance.now()
    const r = await throughSomePeer(live[via], peers, rand, async entry => await client.put(entry, keyOf(i), value, opts.op), tried)
    if (r == null) { res.putsFailed++; return }
    res.samples.push({ hops: r.hops, lookupUs: r.lookupUs, ms: performance.now() - started })
    acked.set(i, { value, version: { ts: r.ts, writer: r.writer } })
    res.putsAcked++
    opts.onDone?.('puts acked', res.putsAcked)
  })
  res.putMs = performance.now() - t
  await side

  t = performance.now()
  await forEachLimit(opts.keys, opts.concurrency, async i => {
    const want = acked.get(i)
    if (want == null) return
    const live = peers()
    let via = Math.floor(rand() * live.length)
    if (live.length > 1 && via === putVia[i]) via = (via + 1) % live.length
    const started = performance.now()
    const r = await throughSomePeer(live[via], peers, rand, async entry => await client.get(entry, keyOf(i), opts.op), tried)
    if (r == null) { res.getsFailed++; res.lost++; return }
    res.samples.push({ hops: r.hops, lookupUs: r.lookupUs, ms: performance.now() - started })
    const cmp = compareVersions({ ts: r.ts, writer: r.writer }, want.version)
    if (!r.found) { res.getsMissing++; res.lost++; note(new Error(`key ${i} not found`)) } else if (cmp < 0 || (cmp === 0 && Buffer.compare(r.value, want.value) !== 0)) { res.getsWrong++; res.lost++; note(new Error(`key ${i} older than acknowledged`)) } else { res.getsOk++; opts.onDone?.('reads intact', res.getsOk) }
  })
  res.getMs = performance.now() - t
  for (const [i, a] of acked) res.acked.push({ key: keyOf(i), value: a.value, version: a.version })
  return res
}
