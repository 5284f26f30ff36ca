// The successor list of Zave's corrected Chord ("Reasoning about identifier spaces", 2017):
// the r nearest live successors, nearest first. Empty means the peer is alone (its own successor).
import type { PeerRef } from '../../protocol/peerInfo.js'

export class SuccessorList {
  #entries: PeerRef[] = []

  /** @param length r, the list's length (Stoica et al. 5.3: O(log N) tolerates half the peers failing). */
  constructor (readonly self: PeerRef, readonly length: number) {
    if (!Number.isInteger(length) || length < 1) throw new RangeError(`successor-list length must be >= 1, got ${length}`)
  }

  get entries (): readonly PeerRef[] { return this.#entries }

  /** The immediate successor; the peer itself when it is alone. */
  first (): PeerRef { return this.#entries[0] ?? this.self }

  /** Zave's stabilize and join: the list becomes [succ] + succ's own list, cut to r (cutAtSelf). */
  adopt (succ: PeerRef, itsList: readonly PeerRef[]): void {
    this.#entries = cutAtSelf(this.self, [succ, ...itsList], this.length)
  }

  /** Drop a peer found dead; the next entry becomes the successor. */
  remove (peerId: string): boolean {
    const before = this.#entries.length
    this.#entries = this.#entries.filter(p => p.peerId !== peerId)
    return this.#entries.length !== before
  }

  has (peerId: string): boolean {
    return this.#entries.some(p => p.peerId === peerId)
  }
}

/**
 * `peers` without duplicates, at most `length` of them, stopping where the list comes back round
 * to `self`: in a ring of `length` or fewer peers what follows is a second lap, and copying it
 * would keep dead entries circulating forever. Successor and predecessor lists are cut so.
 */
export function cutAtSelf (self: PeerRef, peers: readonly PeerRef[], length: number): PeerRef[] {
  const out: PeerRef[] = []
  const seen = new Set<string>()
  for (const p of peers) {
    if (out.length >= length || p.peerId === self.peerId) break
    if (seen.has(p.peerId)) continue
    seen.add(p.peerId)
    out.push(p)
  }
  return out
}

/** The same addresses in the same order. */
export function sameAddrs (a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i])
}

export function samePeers (a: readonly PeerRef[], b: readonly PeerRef[]): boolean {
  return firstDifference(a, b) === -1
}

/** The first index at which the two lists name different peers (or one ends), -1 when they are the same. */
export function firstDifference (a: readonly PeerRef[], b: readonly PeerRef[]): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) if (a[i].peerId !== b[i].peerId) return i
  return a.length === b.length ? -1 : n
}
