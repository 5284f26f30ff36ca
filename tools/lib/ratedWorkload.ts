// An open-loop workload for the swarm and the sweep: operations arrive at `rate` per second
// for `durationS` seconds, reads with probability `readRatio`, over a key space drawn
// uniformly or Zipf(s) (popular keys first). A read of a key never acknowledged becomes a
// write; every acknowledged write is remembered, and a read older than it is a lost write.
import { randomBytes } from 'node:crypto'
import type { RpcTarget } from '../../daemon/rpc/client.js'
import { compareVersions, type Version } from '../../protocol/version.js'
import type { ChordClient, OpOptions } from './client.js'
import { seededRandom } from './stats.js'
import type { OpSample } from './workload.js'
import { ErrorCode, codeOf } from '../../protocol/errors.js'

export type KeyDistribution = { kind: 'uniform' } | { kind: 'zipf', s: number }

export interface RatedWorkloadOptions {
  rate: number
  durationS: number
  readRatio: number
  keySpace: number
  distribution: KeyDistribution
  seed: number
  /** Operations in flight at most; arrivals past it are counted as dropped. */
  maxInFlight?: number
  op?: OpOptions
  /** Called after each operation that succeeded (a progress line). */
  onOk?: (ok: number) => void
}

export interface RatedWorkloadResult {
  issued: number
  reads: number
  writes: number
  ok: number
  failed: number
  /** Failed operations that ended past their deadline (TIMEOUT). */
  pastDeadline: number
  dropped: number
  /** Reads that came back older than an acknowledged write (or not found after one). */
  lost: number
  samples: OpSample[]
  errors: string[]
  elapsedMs: number
}

/** Parse `uniform` or `zipf:<s>`. */
export function parseDistribution (text: string): KeyDistribution {
  if (text === 'uniform') return { kind: 'uniform' }
  const m = /^zipf:([0-9.]+)$/.exec(text)
  if (m != null && Number(m[1]) > 0) return { kind: 'zipf', s: Number(m[1]) }
  throw new Error(`workload must be uniform or zipf:<s> with s > 0, got "${text}"`)
}

/** A sampler of key indexes in [0, n): uniform, or Zipf with P(i) proportional to 1 / (i + 1)^s. */
export function keySampler (n: number, dist: KeyDistribution, rand: () => number): () => number {
  if (dist.kind === 'uniform') return () => Math.floor(rand() * n)
  const cdf = new Float64Array(n)
  let sum = 0
  for (let i = 0; i < n; i++) { sum += 1 / (i + 1) ** dist.s; cdf[i] = sum }
  return () => {
    const u = rand() * sum
    let lo = 0
    let hi = n - 1
    while (lo < hi) { const mid = (lo + hi) >> 1; if (cdf[mid] < u) lo = mid + 1; else hi = mid }
    return lo
  }
}

export async function runRatedWorkload (client: ChordClient, peers: () => RpcTarget[], o: RatedWorkloadOptions): Promise<RatedWorkloadResult> {
  const rand = seededRandom(o.seed)
  const nextKey = keySampler(o.keySpace, o.distribution, rand)
  const enc = new TextEncoder()
  const acked = new Map<number, Version>()
  const res: RatedWorkloadResult = { issued: 0, reads: 0, writes: 0, ok: 0, failed: 0, pastDeadline: 0, dropped: 0, lost: 0, samples: [], errors: [], elapsedMs: 0 }
  const note = (e: unknown): void => { if (res.errors.length < 10) res.errors.push((e as Error).message) }
  const maxInFlight = o.maxInFlight ?? 256
  let inFlight = 0
  const running = new Set<Promise<void>>()
  const op = async (k: number, read: boolean): Promise<void> => {
    const live = peers()
    const via = live[Math.floor(rand() * live.length)]
    const key = enc.encode(`rated-${o.seed}-${k}`)
    const started = performance.now()
    try {
      if (read) {
        const want = acked.get(k)
        const r = await client.get(via, key, o.op)
        res.samples.push({ hops: r.hops, lookupUs: r.lookupUs, ms: performance.now() - started })
        if (want != null && (!r.found || compareVersions({ ts: r.ts, writer: r.writer }, want) < 0)) res.lost++
      } else {
        const r = await client.put(via, key, randomBytes(64), o.op)
        res.samples.push({ hops: r.hops, lookupUs: r.lookupUs, ms: performance.now() - started })
        const v = { ts: r.ts, writer: r.writer }
        const old = acked.get(k)
        if (old == null || compareVersions(v, old) > 0) acked.set(k, v)
      }
      res.ok++
      o.onOk?.(res.ok)
    } catch (e) {
      res.failed++
      if (codeOf(e) === ErrorCode.TIMEOUT) res.pastDeadline++
      note(e)
    }
  }
  const t0 = performance.now()
  const end = t0 + o.durationS * 1000
  for (let i = 0; ; i++) {
    const due = t0 + (i * 1000) / o.rate
    if (due >= end) break
    const wait = due - performance.now()
    if (wait > 0) await new Promise(resolve => setTimeout(resolve, wait))
    res.issued++
    if (inFlight >= maxInFlight) { res.dropped++; continue }
    const k = nextKey()
    const read = rand() < o.readRatio && acked.has(k)
    if (read) res.reads++; else res.writes++
    inFlight++
    const p = op(k, read).finally(() => { inFlight--; running.delete(p) })
    running.add(p)
  }
  await Promise.all([...running])
  res.elapsedMs = performance.now() - t0
  return res
}
