// The swarm's workload: put K keys through random peers, then read every one back
// through another random peer, and count what came back intact. Every put that was
// acknowledged and does not read back exactly is `lost`.
import { randomBytes } from 'node:crypto'
import type { RpcTarget } from '../../daemon/rpc/client.js'
import type { ChordClient, OpOptions } from './client.js'
import { seededRandom } from './stats.js'

export interface WorkloadOptions {
  keys: number
  /** Operations in flight at once. */
  concurrency: number
  seed: number
  valueBytes?: { min: number, max: number }
  op?: OpOptions
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
  errors: string[]
  putMs: number
  getMs: number
}

async function pool (n: number, concurrency: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, async () => {
    while (next < n) await fn(next++)
  }))
}

export async function runWorkload (client: ChordClient, peers: () => RpcTarget[], opts: WorkloadOptions): Promise<WorkloadResult> {
  const rand = seededRandom(opts.seed)
  const enc = new TextEncoder()
  const { min, max } = opts.valueBytes ?? { min: 16, max: 256 }
  const acked = new Map<number, Uint8Array>()
  const putVia: number[] = []
  const res: WorkloadResult = { putsAcked: 0, putsFailed: 0, getsOk: 0, getsMissing: 0, getsWrong: 0, getsFailed: 0, lost: 0, samples: [], errors: [], putMs: 0, getMs: 0 }
  const note = (e: unknown): void => { if (res.errors.length < 10) res.errors.push((e as Error).message) }
  const keyOf = (i: number): Uint8Array => enc.encode(`key-${opts.seed}-${i}`)

  let t = performance.now()
  await pool(opts.keys, opts.concurrency, async i => {
    const live = peers()
    const via = Math.floor(rand() * live.length)
    putVia[i] = via
    const value = randomBytes(min + Math.floor(rand() * (max - min + 1)))
    const started = performance.now()
    try {
      const r = await client.put(live[via], keyOf(i), value, opts.op)
      res.samples.push({ hops: r.hops, lookupUs: r.lookupUs, ms: performance.now() - started })
      acked.set(i, value)
      res.putsAcked++
    } catch (e) { res.putsFailed++; note(e) }
  })
  res.putMs = performance.now() - t

  t = performance.now()
  await pool(opts.keys, opts.concurrency, async i => {
    const want = acked.get(i)
    if (want == null) return
    const live = peers()
    let via = Math.floor(rand() * live.length)
    if (live.length > 1 && via === putVia[i]) via = (via + 1) % live.length
    const started = performance.now()
    try {
      const r = await client.get(live[via], keyOf(i), opts.op)
      res.samples.push({ hops: r.hops, lookupUs: r.lookupUs, ms: performance.now() - started })
      if (!r.found) { res.getsMissing++; res.lost++ } else if (Buffer.compare(r.value, want) !== 0) { res.getsWrong++; res.lost++ } else res.getsOk++
    } catch (e) { res.getsFailed++; res.lost++; note(e) }
  })
  res.getMs = performance.now() - t
  return res
}
