// The choking experiment (issue: tit-for-tat choking; docs/choking.md): every peer issues
// its own gets and puts at the same open-loop rate, contributors and free-riders alike, and
// we count per class what came back: ok, CHOKED (every route refused), or failed otherwise.
import { randomBytes } from 'node:crypto'
import { ChordError, isChoked, isFreeriderRefusal } from '../../protocol/errors.js'
import type { RpcTarget } from '../../daemon/rpc/client.js'
import type { ChordClient } from './client.js'
import { percentile, round, seededRandom } from './stats.js'

export interface ChokingExperimentOptions {
  /** Operations per second each peer issues. */
  ratePerPeer: number
  durationS: number
  /** okPerSec is counted after this (the shut-out takes a few rechoke rounds). */
  warmupS: number
  readRatio: number
  keySpace: number
  seed: number
  timeoutMs: number
  /** Operations in flight at most, whole swarm; arrivals past it count as dropped. */
  maxInFlight: number
}

export interface Issuer { target: RpcTarget, freerider: boolean }

export interface ClassResult {
  peers: number
  issued: number
  ok: number
  /** Refused along every route (CHOKED / ROUTE_CHOKED). */
  choked: number
  /** Of those, whose last refusal (after every detour) was a free-rider's ("not serving"); earlier ones may have been choking. */
  chokedByFreerider: number
  failed: number
  dropped: number
  /** Successful requests per second per peer, after the warm-up. */
  okPerSec: number
  latencyMs: { p50: number, p99: number }
  /** Successful requests per second per peer, one entry per second from the start. */
  okPerSecOverTime: number[]
  errors: string[]
}

export interface ChokingExperimentResult {
  contributors: ClassResult
  freeriders: ClassResult
  options: ChokingExperimentOptions
}

interface Acc { peers: number, issued: number, ok: number, choked: number, chokedByFreerider: number, failed: number, dropped: number, okAfter: number, lat: number[], perSecond: number[], errors: string[] }

export async function runChokingExperiment (client: ChordClient, issuers: readonly Issuer[], o: ChokingExperimentOptions): Promise<ChokingExperimentResult> {
  const rand = seededRandom(o.seed)
  const enc = new TextEncoder()
  const seconds = Math.ceil(o.durationS)
  const acc = (peers: number): Acc => ({ peers, issued: 0, ok: 0, choked: 0, chokedByFreerider: 0, failed: 0, dropped: 0, okAfter: 0, lat: [], perSecond: new Array<number>(seconds).fill(0), errors: [] })
  const classes = { contributors: acc(issuers.filter(i => !i.freerider).length), freeriders: acc(issuers.filter(i => i.freerider).length) }
  const running = new Set<Promise<void>>()
  const t0 = performance.now()
  const op = async (who: Issuer, a: Acc): Promise<void> => {
    const k = Math.floor(rand() * o.keySpace)
    const key = enc.encode(`choke-${o.seed}-${k}`)
    const read = rand() < o.readRatio
    const started = performance.now()
    try {
      if (read) await client.get(who.target, key, { timeoutMs: o.timeoutMs }); else await client.put(who.target, key, randomBytes(64), { timeoutMs: o.timeoutMs })
      const now = performance.now()
      a.ok++
      a.lat.push(now - started)
      const s = Math.floor((started - t0) / 1000)
      if (s < seconds) a.perSecond[s]++
      if (started - t0 >= o.warmupS * 1000) a.okAfter++
    } catch (err) {
      if (isChoked(err)) { a.choked++; if (isFreeriderRefusal(err)) a.chokedByFreerider++ } else { a.failed++; if (a.errors.length < 5) a.errors.push(err instanceof ChordError ? `${err.code}: ${err.message}` : (err as Error).message) }
    }
  }
  // One arrival clock for the whole swarm: issuer i's n-th op is due at t0 + (n + i/N) / rate.
  const n = issuers.length
  const total = Math.floor(o.durationS * o.ratePerPeer) * n
  for (let j = 0; j < total; j++) {
    const due = t0 + (j * 1000) / (o.ratePerPeer * n)
    const wait = due - performance.now()
    if (wait > 0) await new Promise(resolve => setTimeout(resolve, wait))
    const who = issuers[j % n]
    const a = who.freerider ? classes.freeriders : classes.contributors
    a.issued++
    if (running.size >= o.maxInFlight) { a.dropped++; continue }
    const p = op(who, a).finally(() => running.delete(p))
    running.add(p)
  }
  await Promise.all([...running])
  const after = Math.max(1e-9, o.durationS - o.warmupS)
  const done = (a: Acc): ClassResult => ({
    peers: a.peers,
    issued: a.issued,
    ok: a.ok,
    choked: a.choked,
    chokedByFreerider: a.chokedByFreerider,
    failed: a.failed,
    dropped: a.dropped,
    okPerSec: a.peers === 0 ? 0 : round(a.okAfter / after / a.peers),
    latencyMs: { p50: round(percentile(a.lat, 50), 1), p99: round(percentile(a.lat, 99), 1) },
    okPerSecOverTime: a.perSecond.map(x => a.peers === 0 ? 0 : round(x / a.peers, 2)),
    errors: a.errors
  })
  return { contributors: done(classes.contributors), freeriders: done(classes.freeriders), options: o }
}

/** Which peers of a swarm of n are free-riders: f of them spread evenly, never peer 0 (the bootstrap). */
export function freeriderIndexes (n: number, f: number): Set<number> {
  const out = new Set<number>()
  if (f <= 0 || n <= 1) return out
  const k = Math.min(f, n - 1)
  for (let j = 0; j < k; j++) out.add(1 + Math.floor(j * (n - 1) / k))
  return out
}

/** Sum of the peers' choking counters (GET_STATS `choking.counters`). */
export function sumCounters (all: ReadonlyArray<Record<string, number> | undefined>): Record<string, number> {
  const out: Record<string, number> = {}
  for (const c of all) for (const [k, v] of Object.entries(c ?? {})) out[k] = (out[k] ?? 0) + v
  return out
}

/**
 * The first second from which the free-riders' successful requests, over every window of
 * `windowS` seconds to the end, are at most `share` of the contributors' (per peer): when
 * they were shut out. Null if never (or no free-riders). The anchor: about one
 * optimistic period, 3 rechoke rounds.
 */
export function shutOutAfterS (free: readonly number[], contrib: readonly number[], windowS = 3, share = 0.1): number | null {
  const n = Math.min(free.length, contrib.length)
  if (n < windowS || free.every(x => x === 0) && contrib.every(x => x === 0)) return null
  const sum = (xs: readonly number[], t: number): number => xs.slice(t, t + windowS).reduce((a, b) => a + b, 0)
  // The answer is one past the last window that breaks the bound.
  let last = -1
  for (let t = 0; t + windowS <= n; t++) if (sum(free, t) > share * sum(contrib, t)) last = t
  return last + 1 + windowS > n ? null : last + 1
}

export function formatChoking (r: ChokingExperimentResult): string[] {
  const line = (name: string, c: ClassResult): string =>
    `${name.padEnd(12)} ${String(c.peers).padStart(3)} peers  issued ${c.issued}  ok ${c.ok}  choked ${c.choked} (${c.chokedByFreerider} by a free-rider)  failed ${c.failed}  dropped ${c.dropped}` +
    `  okPerSec ${c.okPerSec}  p50 ${c.latencyMs.p50} ms  p99 ${c.latencyMs.p99} ms`
  const ratio = r.contributors.okPerSec > 0 ? round(r.freeriders.okPerSec / r.contributors.okPerSec) : NaN
  const shutOut = r.freeriders.peers === 0 ? null : shutOutAfterS(r.freeriders.okPerSecOverTime, r.contributors.okPerSecOverTime)
  return [line('contributors', r.contributors), line('freeriders', r.freeriders),
    `free-rider / contributor okPerSec after ${r.options.warmupS} s warm-up: ${r.freeriders.peers === 0 ? 'n/a' : ratio}` +
    (r.freeriders.peers === 0 ? '' : `; shut out (every 3 s window at most 10%) from second ${shutOut ?? 'never'}`)]
}

/** What contributors did for each class of requester, from their GET_STATS `choking.remotes`. */
export function towardClasses (stats: ReadonlyArray<{ freerider: boolean, s?: { choking?: { remotes: Array<{ peerId: string, state: string, servedIt: number, chokedIt: number, weight: number | null }> } } }>, isFreerider: (peerId: string) => boolean): Record<'contributors' | 'freeriders', { servedIt: number, chokedIt: number, unchokedSlots: number, distrustedBy: number }> {
  const out = { contributors: { servedIt: 0, chokedIt: 0, unchokedSlots: 0, distrustedBy: 0 }, freeriders: { servedIt: 0, chokedIt: 0, unchokedSlots: 0, distrustedBy: 0 } }
  for (const x of stats) {
    if (x.freerider) continue
    for (const r of x.s?.choking?.remotes ?? []) {
      const o = isFreerider(r.peerId) ? out.freeriders : out.contributors
      o.servedIt += r.servedIt
      o.chokedIt += r.chokedIt
      if (r.state !== 'choked') o.unchokedSlots++
      if (r.weight === 0) o.distrustedBy++
    }
  }
  return out
}
