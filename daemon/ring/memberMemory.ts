// Ring members this peer has seen (in successor and predecessor lists, as fingers, as the
// owners lookups found), kept after they stop answering. Two rings that a partition made
// can only merge if a peer of one still knows a peer of the other when the network heals:
// Stoica et al. (2003, section IV-E) let each peer periodically ask a remembered peer for
// its own place and adopt a closer successor when the answer says there is one. Only members
// that were *lost* (the ring found them dead) are checked, and the bootstrap peers: a steady
// ring pays nothing for this. Bounded: the least recently seen member is dropped; one not
// heard of for an hour is forgotten; failed checks back off. Pure: the clock is passed in.
import type { PeerRef } from '../../protocol/peerInfo.js'

export interface MemberMemoryOptions {
  now?: () => number
  /** Members remembered at most. Default 256. */
  maxPeers?: number
  /** Forgotten after this long without being seen or answering, ms. Default 1 hour. */
  forgetAfterMs?: number
  /** Backoff after a failed check, ms: doubles from this, capped at `maxBackoffMs`. Defaults 2 s and 1 min (a healed partition is found within a minute). */
  backoffMs?: number
  maxBackoffMs?: number
}

interface Entry {
  peer: PeerRef
  seenAt: number
  nextCheckAt: number
  backoffMs: number
  /** The ring found it dead since it last answered a check: it may be in another ring now. */
  lost: boolean
  /** A bootstrap peer: checked whenever it is out of view, however it was last seen. */
  anchor: boolean
}

export class MemberMemory {
  readonly #entries = new Map<string, Entry>()
  readonly #o: Required<MemberMemoryOptions>

  constructor (o: MemberMemoryOptions = {}) {
    this.#o = { now: Date.now, maxPeers: 256, forgetAfterMs: 3_600_000, backoffMs: 2_000, maxBackoffMs: 60_000, ...o }
  }

  get size (): number { return this.#entries.size }

  has (peerId: string): boolean { return this.#entries.has(peerId) }
  get (peerId: string): PeerRef | undefined { return this.#entries.get(peerId)?.peer }

  /** A ring structure named this member: remember it (or refresh it), newest last. `anchor`: a bootstrap peer. */
  saw (peer: PeerRef, selfPeerId?: string, opts: { anchor?: boolean } = {}): void {
    if (peer.peerId === selfPeerId) return
    const now = this.#o.now()
    const old = this.#entries.get(peer.peerId)
    if (old != null) this.#entries.delete(peer.peerId)
    else if (this.#entries.size >= this.#o.maxPeers) this.#entries.delete(this.#entries.keys().next().value!)
    this.#entries.set(peer.peerId, {
      peer,
      seenAt: now,
      nextCheckAt: old?.nextCheckAt ?? now,
      backoffMs: old?.backoffMs ?? this.#o.backoffMs,
      lost: old?.lost ?? false,
      anchor: (old?.anchor ?? false) || opts.anchor === true
    })
  }

  /** The ring found this member dead: check it from now on (it may be alive in another ring). */
  lost (peerId: string): void {
    const e = this.#entries.get(peerId)
    if (e != null && !e.lost) { e.lost = true; e.nextCheckAt = Math.min(e.nextCheckAt, this.#o.now() + this.#o.backoffMs) }
  }

  /**
   * Members worth a healing check now: lost ones and anchors, not in `inView` (those we already
   * talk to), not backing off; least recently checked first, at most `limit`.
   */
  candidates (inView: (peerId: string) => boolean, limit: number): PeerRef[] {
    const now = this.#o.now()
    const out: Entry[] = []
    for (const [id, e] of this.#entries) {
      if (now - e.seenAt > this.#o.forgetAfterMs) { this.#entries.delete(id); continue }
      if ((e.lost || e.anchor) && e.nextCheckAt <= now && !inView(id)) out.push(e)
    }
    return out.sort((a, b) => a.nextCheckAt - b.nextCheckAt).slice(0, limit).map(e => e.peer)
  }

  /** A check of this member failed: wait longer before the next one. */
  failed (peerId: string): void {
    const e = this.#entries.get(peerId)
    if (e == null) return
    e.nextCheckAt = this.#o.now() + e.backoffMs
    e.backoffMs = Math.min(this.#o.maxBackoffMs, e.backoffMs * 2)
  }

  /** A check of this member answered: it is alive, and no longer lost; an anchor is checked again after the longest backoff. */
  answered (peerId: string): void {
    const e = this.#entries.get(peerId)
    if (e == null) return
    const now = this.#o.now()
    e.seenAt = now
    e.lost = false
    e.nextCheckAt = now + (e.anchor ? this.#o.maxBackoffMs : this.#o.backoffMs)
    e.backoffMs = this.#o.backoffMs
  }
}
