// Summary statistics for reports.

/** Nearest-rank percentile (p in [0, 100]) of unsorted values; NaN when empty. */
export function percentile (values: readonly number[], p: number): number {
  if (values.length === 0) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]
}

export function mean (values: readonly number[]): number {
  if (values.length === 0) return NaN
  let s = 0
  for (const v of values) s += v
  return s / values.length
}

/** Round for reports: numbers a person reads, not float noise. */
export function round (x: number, digits = 3): number {
  if (!Number.isFinite(x)) return x
  const f = 10 ** digits
  return Math.round(x * f) / f
}

/** Deterministic PRNG (mulberry32) so a workload can be replayed from its seed. */
export function seededRandom (seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** splitmix64 (Steele et al. 2014) on bigints: a seeded stream of 64-bit values. */
export function splitmix64 (seed: bigint): () => bigint {
  const M64 = (1n << 64n) - 1n
  let s = seed & M64
  return () => {
    s = (s + 0x9e3779b97f4a7c15n) & M64
    let z = s
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & M64
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & M64
    return z ^ (z >> 31n)
  }
}

/** A seeded uniformly random 160-bit ring id generator. */
export function seededIds (seed: bigint): () => bigint {
  const next64 = splitmix64(seed)
  return () => ((next64() << 96n) | (next64() << 32n) | (next64() >> 32n)) & ((1n << 160n) - 1n)
}
