// Probes: how a peer gets evidence about a requester it has never asked anything of. In
// Chord the peers that ask us are mostly not the peers we ask (docs/choking.md, the trap),
// so without probes they stay unjudged. A probe is one gated routing step toward a random
// target: a contributor answers it and is credited; a free-rider refuses, and its third
// refusal judges it (choker.ts).
//  - First sight: a requester is probed as soon as it first asks us (at most
//    FIRST_SIGHT_PER_S of those a second), so a free-rider is suspect after one round.
//  - Every round: suspects (refused us, gave nothing) are probed again, then a share of the
//    other requesters that gave us nothing, so all of them within PROBE_SPREAD_ROUNDS.
import { shuffle } from '../ring/shuffle.js'
import { TokenBucket } from './spare.js'

export type ProbeAnswer = 'ok' | 'choked' | 'other'
export type ProbeFn = (peerId: string, addr: string) => Promise<ProbeAnswer>

/** Probes a peer sends in one rechoke round at most, and the rounds over which it spreads a probe of each unjudged requester. */
const MAX_PROBES_PER_ROUND = 8
const PROBE_SPREAD_ROUNDS = 5
/** First-sight probes a second at most, and the burst (a peer meets most of the ring's requesters in its first rounds). */
const FIRST_SIGHT_PER_S = 8
const FIRST_SIGHT_BURST = 16
/** Remotes whose address and first sighting are remembered, at most. */
const MAX_REMEMBERED = 4096

export interface ProbeCandidate { peerId: string, suspect: boolean }

export class Prober {
  readonly #probe: ProbeFn
  readonly #onAnswer: (peerId: string, answer: ProbeAnswer) => void
  readonly #onSent: () => void
  readonly #random: () => number
  readonly #now: () => number
  /** Address each recent requester came from; bounded. */
  readonly #addrs = new Map<string, string>()
  readonly #sighted = new Set<string>()
  readonly #probing = new Set<string>()
  readonly #firstSight: TokenBucket

  constructor (probe: ProbeFn, onAnswer: (peerId: string, answer: ProbeAnswer) => void, opts: { random?: () => number, now?: () => number, onSent?: () => void } = {}) {
    this.#probe = probe
    this.#onAnswer = onAnswer
    this.#onSent = opts.onSent ?? (() => {})
    this.#random = opts.random ?? Math.random
    this.#now = opts.now ?? Date.now
    this.#firstSight = new TokenBucket(FIRST_SIGHT_PER_S, FIRST_SIGHT_BURST, this.#now())
  }

  /** A gated request from `peerId`; `unknown`: it gave us nothing yet, so a first sighting is probed. */
  heard (peerId: string, addr: string, unknown: boolean): void {
    if (!this.#addrs.has(peerId) && this.#addrs.size >= MAX_REMEMBERED) this.#addrs.clear()
    this.#addrs.set(peerId, addr)
    if (this.#sighted.has(peerId)) return
    if (this.#sighted.size >= MAX_REMEMBERED) this.#sighted.clear()
    this.#sighted.add(peerId)
    if (unknown && this.#firstSight.take(this.#now())) this.#send(peerId)
  }

  /** One round's probes among requesters that gave us nothing: suspects first, then a spread share of the rest. */
  round (candidates: readonly ProbeCandidate[]): void {
    const ready = candidates.filter(c => !this.#probing.has(c.peerId) && this.#addrs.has(c.peerId))
    const suspects = shuffle(ready.filter(c => c.suspect), this.#random)
    const others = shuffle(ready.filter(c => !c.suspect), this.#random)
    const n = Math.min(MAX_PROBES_PER_ROUND, suspects.length + Math.ceil(others.length / PROBE_SPREAD_ROUNDS))
    for (const c of [...suspects, ...others].slice(0, n)) this.#send(c.peerId)
  }

  #send (peerId: string): void {
    this.#probing.add(peerId)
    this.#onSent()
    void this.#probe(peerId, this.#addrs.get(peerId)!).then(a => { this.#onAnswer(peerId, a) }, () => {}).finally(() => this.#probing.delete(peerId))
  }
}
