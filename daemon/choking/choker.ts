// Tit-for-tat choking of service and forwarding (docs/choking.md). Every rechoke round:
// the BEP 3 decision (rechoke.ts) over what each remote gave us in the window picks the
// unchoked peers, served without limit; the spare capacity is shared among the choked
// ones by what they gave (spare.ts); past its share a choked peer is answered CHOKED.
// Maintenance never reaches this gate (gate.ts decides which requests do).
import type { Logger } from 'pino'
import { Ledger } from './ledger.js'
import { DEFAULT_RECHOKE, INITIAL_STATE, isUnchoked, rechoke, type ChokeState, type RechokeOptions } from './rechoke.js'
import { Prober, type ProbeFn } from './prober.js'
import { allocateSpare, TokenBucket, type SpareClaim } from './spare.js'
import type { Behavior, ChokingCounters, ChokingStats, RemoteChoking, Tally } from '../../protocol/telemetry.js'

export interface ChokingConfig {
  /** Off: every request is served (the no-incentive baseline). */
  enabled: boolean
  rechokeMs: number
  unchokeSlots: number
  optimisticSlots: number
  optimisticEvery: number
  /** Requests/s served for choked peers, all together. */
  capacity: number
  /** Sliding window of the contribution tallies, ms. */
  windowMs: number
  /** freerider: answers maintenance, refuses every service and forwarding request (experiments). */
  behavior: Behavior
}

export type Admission = 'unchoked' | 'spare' | 'choked'

/** Prior weight of a remote in the spare-capacity share before it gave anything; new ones 3x (BEP 3). */
const PRIOR_WEIGHT = 1
/** Refusals, with nothing given, after which a remote is judged a non-contributor (weight 0). */
const JUDGED_AFTER_REFUSALS = 3
const judged = (t: Tally): boolean => t.gave === 0 && t.refusedUs >= JUDGED_AFTER_REFUSALS
/** Refused us and gave nothing yet: not trusted with the optimistic slot or the slack. */
const suspect = (t: Tally): boolean => t.gave === 0 && t.refusedUs > 0

/** A verdict (judged: weight 0) lasts this many windows after the last refusal, unless the remote gives us something. */
const VERDICT_WINDOWS = 3
/** Remotes whose first sighting and verdict are remembered, at most. */
const MAX_REMEMBERED = 4096

/** Seconds of its spare share a choked peer may save up (burst of its token bucket). */
const SHARE_BURST_S = 10
/** A maintenance-flagged lookup skips the gate; a remote may send this many per second of them. */
const MAINTENANCE_RATE = 20

export class Choker {
  readonly counters: ChokingCounters = { unchokes: 0, chokes: 0, chokedSent: 0, chokedReceived: 0, servedUnchoked: 0, servedFromSpare: 0, refused: 0, rounds: 0, probes: 0 }
  readonly #cfg: ChokingConfig
  readonly #opts: RechokeOptions
  readonly #log: Logger
  readonly #random: () => number
  readonly #now: () => number
  readonly #ledger: Ledger
  #state: ChokeState = INITIAL_STATE
  #firstSeen = new Map<string, number>()
  #buckets = new Map<string, TokenBucket>()
  #weights = new Map<string, number>()
  #suspects = new Set<string>()
  /** Round in which each judged remote was last judged. */
  readonly #verdicts = new Map<string, number>()
  readonly #prober?: Prober
  /** Spare capacity no share claimed: newcomers, bursts past a share. */
  #slack: TokenBucket
  readonly #maintenance = new Map<string, TokenBucket>()

  /**
   * @param opts.probe asks a remote one cheap service request (a routing step) and says how it
   *   answered: how a peer gets evidence about a requester it has never asked anything of.
   */
  constructor (cfg: ChokingConfig, log: Logger, opts: { random?: () => number, now?: () => number, probe?: ProbeFn } = {}) {
    this.#cfg = cfg
    this.#log = log
    this.#random = opts.random ?? Math.random
    this.#now = opts.now ?? Date.now
    // Only a contributor with choking on judges anyone.
    if (opts.probe != null && cfg.enabled && cfg.behavior === 'contributor') {
      this.#prober = new Prober(opts.probe, (id, a) => { this.noteAnswer(id, a) }, { random: this.#random, now: this.#now, onSent: () => { this.counters.probes++ } })
    }
    this.#opts = { ...DEFAULT_RECHOKE, slots: cfg.unchokeSlots, optimisticSlots: cfg.optimisticSlots, optimisticEvery: cfg.optimisticEvery }
    this.#ledger = new Ledger(Math.max(1, Math.ceil(cfg.windowMs / cfg.rechokeMs)))
    this.#slack = new TokenBucket(cfg.capacity, Math.max(1, cfg.capacity * 2), this.#now())
  }

  get config (): ChokingConfig { return this.#cfg }

  /** The answer to one of our service/forwarding/access requests. */
  noteAnswer (peerId: string, answer: 'ok' | 'choked' | 'other'): void {
    if (answer === 'other') return
    const t = this.#ledger.at(peerId)
    if (answer === 'ok') { if (t != null) t.gave++; return }
    this.counters.chokedReceived++
    if (t != null) t.refusedUs++
  }

  /** A service or forwarding request from a remote: serve it, or answer CHOKED? */
  admit (peerId: string, remoteAddr?: string): Admission {
    const t = this.#ledger.at(peerId)
    if (remoteAddr != null) this.#prober?.heard(peerId, remoteAddr, t == null || t.gave === 0)
    if (t != null) t.asked++
    let a: Admission
    if (this.#cfg.behavior === 'freerider') {
      this.counters.refused++
      a = 'choked'
    } else if (!this.#cfg.enabled || isUnchoked(this.#state, peerId)) {
      this.counters.servedUnchoked++
      a = 'unchoked'
    } else {
      // Its own share first, then the slack no share claimed (never for a peer of weight 0).
      const now = this.#now()
      const own = this.#buckets.get(peerId)
      a = own?.take(now) === true || (this.#slackFor(peerId) && this.#slack.take(now)) ? 'spare' : 'choked'
      if (a === 'spare') this.counters.servedFromSpare++
    }
    if (a === 'choked') { this.counters.chokedSent++; if (t != null) t.chokedIt++ } else if (t != null) t.servedIt++
    return a
  }

  /** Slack (what no share claimed) is for anyone but suspects: below capacity all are served. */
  #slackFor (peerId: string): boolean {
    return !this.#suspects.has(peerId) && !this.#verdicts.has(peerId)
  }

  /** May this maintenance-flagged lookup skip the gate? (Bounded, so the flag cannot buy free service.) */
  maintenanceAllowed (peerId: string): boolean {
    let b = this.#maintenance.get(peerId)
    if (b == null) {
      if (this.#maintenance.size >= 4096) this.#maintenance.clear()
      b = new TokenBucket(MAINTENANCE_RATE, MAINTENANCE_RATE * 5, this.#now())
      this.#maintenance.set(peerId, b)
    }
    return b.take(this.#now())
  }

  /** It refused our requests and gave us nothing in the window: not worth routing through. */
  distrusts (peerId: string): boolean {
    return this.#verdicts.has(peerId) // weight 0 exactly when judged, and every judgement is a verdict
  }

  isUnchoked (peerId: string): boolean { return isUnchoked(this.#state, peerId) }

  /** One rechoke round (BEP 3: every 10 s). */
  rechoke (): void {
    const sums = this.#ledger.sums()
    const windowS = this.#ledger.filled * this.#cfg.rechokeMs / 1000
    const round = this.#state.round + 1
    // First sightings and verdicts outlive the window (bounded), so a judged free-rider that
    // goes quiet for a window does not come back as a new peer.
    const seen = this.#firstSeen
    for (const id of sums.keys()) if (!seen.has(id)) seen.set(id, round)
    while (seen.size > MAX_REMEMBERED) seen.delete(seen.keys().next().value!)
    for (const [id, t] of sums) { if (t.gave > 0) this.#verdicts.delete(id); else if (judged(t) || (t.refusedUs > 0 && this.#verdicts.has(id))) this.#verdicts.set(id, round) }
    for (const [id, r] of this.#verdicts) if (round - r > VERDICT_WINDOWS * this.#ledger.rounds || this.#verdicts.size > MAX_REMEMBERED) this.#verdicts.delete(id)
    const isJudged = (id: string, t: Tally): boolean => t.gave === 0 && (judged(t) || this.#verdicts.has(id))
    const isSuspect = (id: string, t: Tally): boolean => suspect(t) || isJudged(id, t)
    // A remote that refused us and gave nothing is not drawn for the optimistic slot, which is
    // for peers we could not judge yet (a deliberate departure from BEP 3).
    const contributions = [...sums].map(([peerId, t]) => ({ peerId, gave: t.gave, interested: t.asked > 0 && !isSuspect(peerId, t), firstSeenRound: seen.get(peerId)! }))
    this.#suspects = new Set([...sums].filter(([id, t]) => isSuspect(id, t)).map(([id]) => id))
    const prev = this.#state
    const next = this.#cfg.enabled && this.#cfg.behavior === 'contributor' ? rechoke(prev, contributions, this.#opts, this.#random) : { ...prev, round }
    this.#state = next
    this.counters.rounds++

    // Spare capacity for the choked interested peers, in proportion to what they gave.
    const weights = new Map<string, number>()
    const claims: SpareClaim[] = []
    for (const c of contributions) {
      const t = sums.get(c.peerId)!
      const prior = round - c.firstSeenRound <= this.#opts.newPeerRounds ? PRIOR_WEIGHT * this.#opts.newPeerWeight : PRIOR_WEIGHT
      // Refused us and gave nothing: weight 0 once judged; a refusal or two (a contributor that
      // is itself overloaded and chokes us) only lowers the prior.
      const w = t.gave > 0 ? t.gave + prior : isJudged(c.peerId, t) ? 0 : prior / (1 + t.refusedUs)
      weights.set(c.peerId, w)
      if (t.asked > 0 && !isUnchoked(next, c.peerId)) claims.push({ peerId: c.peerId, demand: t.asked / windowS, weight: w })
    }
    this.#weights = weights
    const now = this.#now()
    const rates = allocateSpare(this.#cfg.capacity, claims)
    const buckets = new Map<string, TokenBucket>()
    for (const [id, rate] of rates) {
      // Up to ten seconds of its share: a small share hit by Poisson arrivals needs room to queue.
      const burst = Math.max(rate > 0 ? 1 : 0, rate * SHARE_BURST_S)
      const b = this.#buckets.get(id)
      if (b == null) buckets.set(id, new TokenBucket(rate, burst, now, rate)); else { b.retune(rate, burst, now); buckets.set(id, b) }
    }
    this.#buckets = buckets
    let claimed = 0
    for (const r of rates.values()) claimed += r
    const slack = Math.max(0, this.#cfg.capacity - claimed)
    this.#slack.retune(slack, Math.max(1, slack * 2), now) // slack: two seconds' worth

    const was = new Set([...prev.regular, ...prev.optimistic])
    const is = new Set([...next.regular, ...next.optimistic])
    let unchokes = 0
    let chokes = 0
    for (const id of is) if (!was.has(id)) unchokes++
    for (const id of was) if (!is.has(id)) chokes++
    this.counters.unchokes += unchokes
    this.counters.chokes += chokes
    if (unchokes + chokes > 0) {
      this.#log.info({ event: 'rechoke', round, unchoked: next.regular.map(shortPeer), optimistic: next.optimistic.map(shortPeer), unchokes, chokes, chokedInterested: claims.length }, 'choke state changed')
    }
    this.#probeUnknown(sums, round)
    this.#ledger.advance()
  }

  /**
   * Requesters that gave us nothing in the window (we never asked them anything, or they
   * refused) are probed (prober.ts): suspects every round, the rest within a few rounds.
   */
  #probeUnknown (sums: Map<string, Tally>, round: number): void {
    if (this.#prober == null) return
    // A judged requester that keeps asking is probed again once a window after its last
    // refusal: it stays judged while it refuses, and is cleared the day it answers.
    const due = (id: string): boolean => { const v = this.#verdicts.get(id); return v == null || round - v >= this.#ledger.rounds }
    this.#prober.round([...sums].filter(([id, t]) => t.asked > 0 && t.gave === 0 && due(id)).map(([peerId, t]) => ({ peerId, suspect: t.refusedUs > 0 && !this.#verdicts.has(peerId) })))
  }

  stats (): ChokingStats {
    const sums = this.#ledger.sums()
    let interested = 0
    let gave = 0
    const remotes: RemoteChoking[] = []
    for (const [peerId, t] of sums) {
      if (t.asked > 0) { interested++; if (t.gave > 0) gave++ }
      const state = this.#state.regular.includes(peerId) ? 'unchoked' : this.#state.optimistic.includes(peerId) ? 'optimistic' : 'choked'
      remotes.push({ peerId, state, ...t, spareRate: round2(this.#buckets.get(peerId)?.rate ?? 0), weight: this.#weights.get(peerId) ?? null })
    }
    remotes.sort((a, b) => (b.asked + b.gave) - (a.asked + a.gave))
    return {
      enabled: this.#cfg.enabled,
      behavior: this.#cfg.behavior,
      rechokeMs: this.#cfg.rechokeMs,
      capacity: this.#cfg.capacity,
      round: this.#state.round,
      counters: { ...this.counters },
      interested,
      interestedThatGave: gave,
      remotes: remotes.slice(0, 64)
    }
  }
}

const round2 = (x: number): number => Math.round(x * 100) / 100
const shortPeer = (peerId: string): string => peerId.slice(-6)
