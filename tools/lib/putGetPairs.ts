// The side-by-side workload of `npm run bench -- --vs-kad` (issue 13): `pairs` sequential
// put+get pairs, each put through one random peer and its get through another, timed one
// operation at a time. The same function drives chordmeter and kad-dht, so both sides do
// the same work in the same order.
import { randomBytes } from 'node:crypto'
import { percentile, round } from './stats.js'

/** One system under test: put and get a key through peer `via` (an index below `peers`). */
export interface PairTarget {
  peers: number
  put: (via: number, key: Uint8Array, value: Uint8Array) => Promise<void>
  /** Whether the value read back is the one put. */
  get: (via: number, key: Uint8Array, value: Uint8Array) => Promise<boolean>
}

export interface Latency { p50Ms: number, p99Ms: number, n: number }

export interface PairsResult {
  put: Latency
  get: Latency
  /** Operations that threw, and gets that did not read the value back. */
  failed: number
  wrong: number
}

export interface PairsOptions {
  pairs: number
  /** Value size, bytes. */
  valueBytes: number
  /** Stop early (an overall timeout). */
  stopped?: () => boolean
}

function latency (ms: number[]): Latency {
  return { p50Ms: round(percentile(ms, 50), 3), p99Ms: round(percentile(ms, 99), 3), n: ms.length }
}

export async function putGetPairs (t: PairTarget, opts: PairsOptions): Promise<PairsResult> {
  const puts: number[] = []
  const gets: number[] = []
  let failed = 0
  let wrong = 0
  const pick = (): number => Math.floor(Math.random() * t.peers)
  for (let i = 0; i < opts.pairs && opts.stopped?.() !== true; i++) {
    const key = randomBytes(16)
    const value = randomBytes(opts.valueBytes)
    let start = performance.now()
    try {
      await t.put(pick(), key, value)
      puts.push(performance.now() - start)
    } catch { failed++; continue }
    start = performance.now()
    try {
      const ok = await t.get(pick(), key, value)
      gets.push(performance.now() - start)
      if (!ok) wrong++
    } catch { failed++ }
  }
  return { put: latency(puts), get: latency(gets), failed, wrong }
}
