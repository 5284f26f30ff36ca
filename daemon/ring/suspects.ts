// Peers that stopped answering: a lookup hop or maintenance RPC to them timed out. A suspect
// is not offered as a routing candidate (to our own lookups or in NEXT_HOP answers) until it
// answers again, so a stalled peer (SIGSTOP, a long GC pause, a suspended VM: its sockets
// stay open, it answers nothing) costs each lookup at most one RPC timeout instead of one per
// hop that still lists it. Suspects are re-probed with a capped exponential backoff, and any
// answer from one clears it. A peer that answered something that cannot be right (an owner
// where the target's owner cannot lie) is a different case: it is alive, so an answer says
// nothing; it stays out of routing for a fixed time instead. Pure: the clock is passed in,
// the probing is the caller's.
import type { PeerRef } from '../../protocol/peerInfo.js'

export interface SuspectsOptions {
  now?: () => number
  /** Suspects remembered at most (the oldest goes). Default 1024. */
  maxPeers?: number
  /** First re-probe this long after the suspicion, ms; doubles per failed probe. Default 1000. */
  firstRetryMs?: number
  /** Longest wait between re-probes, ms. Default 30 s. */
  maxRetryMs?: number
  /** How long a peer that answered wrongly stays out of routing, ms. Default 60 s. */
  wrongForMs?: number
}

/** silent: did not answer in time; wrong: answered what cannot be right. */
export type SuspicionReason = 'silent' | 'wrong'

interface Entry { peer: PeerRef, reason: SuspicionReason, since: number, nextProbeAt: number, retryMs: number }

export class Suspects {
  readonly #entries = new Map<string, Entry>()
  readonly #now: () => number
  readonly #max: number
  readonly #first: number
  readonly #cap: number
  readonly #wrongFor: number
  readonly #onSuspect: Array<() => void> = []

  constructor (o: SuspectsOptions = {}) {
    this.#now = o.now ?? Date.now
    this.#max = o.maxPeers ?? 1024
    this.#first = o.firstRetryMs ?? 1000
    this.#cap = o.maxRetryMs ?? 30_000
    this.#wrongFor = o.wrongForMs ?? 60_000
  }

  get size (): number { return this.#entries.size }

  has (peerId: string): boolean {
    const e = this.#entries.get(peerId)
    if (e == null) return false
    if (e.reason === 'wrong' && this.#now() - e.since >= this.#wrongFor) { this.#entries.delete(peerId); return false }
    return true
  }

  /** The peer did not answer in time (or answered wrongly). A second suspicion keeps the first's clock, but wrong outranks silent. */
  suspect (peer: PeerRef, reason: SuspicionReason = 'silent'): void {
    const old = this.#entries.get(peer.peerId)
    if (old != null && (old.reason === 'wrong' || reason === 'silent')) return
    if (old == null && this.#entries.size >= this.#max) this.#entries.delete(this.#entries.keys().next().value!)
    const now = this.#now()
    this.#entries.set(peer.peerId, { peer, reason, since: now, nextProbeAt: now + this.#first, retryMs: this.#first })
    if (old == null) for (const f of this.#onSuspect) f()
  }

  /** Call `f` whenever a peer not suspected before becomes a suspect (the prober's schedule wakes up). */
  onSuspect (f: () => void): void { this.#onSuspect.push(f) }

  /** The peer answered: no longer suspected of being silent. True if it was. A wrong answerer stays. */
  clear (peerId: string): boolean {
    const e = this.#entries.get(peerId)
    if (e == null || e.reason === 'wrong') return false
    return this.#entries.delete(peerId)
  }

  /** Suspects whose next probe is due, at most `limit`; each is rescheduled with its backoff doubled. */
  due (limit: number): PeerRef[] {
    const now = this.#now()
    const out: PeerRef[] = []
    for (const e of this.#entries.values()) {
      if (out.length >= limit) break
      if (e.reason === 'wrong' || e.nextProbeAt > now) continue
      e.retryMs = Math.min(this.#cap, e.retryMs * 2)
      e.nextProbeAt = now + e.retryMs
      out.push(e.peer)
    }
    return out
  }

  /** For telemetry: each suspect's peer id, why, and how long it has been one, ms. */
  list (): Array<{ peerId: string, reason: SuspicionReason, forMs: number }> {
    const now = this.#now()
    return [...this.#entries.values()].filter(e => this.has(e.peer.peerId)).map(e => ({ peerId: e.peer.peerId, reason: e.reason, forMs: now - e.since }))
  }
}
