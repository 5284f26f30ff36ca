// Finger table (Stoica et al. 2001, table 1): finger[i] = successor(n + 2^i), 0 <= i < m.
import { ID_BITS } from '../../protocol/constants.js'
import type { PeerRef } from '../../protocol/peerInfo.js'
import { fingerStart, inHalfOpen } from '../../protocol/ring.js'

export interface FingerRunEntry { start: number, peer: PeerRef }

export class FingerTable {
  readonly #fingers: Array<PeerRef | undefined> = new Array(ID_BITS).fill(undefined)
  /** distinct(), cached: every routing step reads it, fix-fingers rarely changes it. */
  #distinct: PeerRef[] | undefined

  constructor (readonly self: PeerRef) {}

  get (i: number): PeerRef | undefined { return this.#fingers[i] }

  /** Bumped whenever a finger points at another peer: a fix-fingers step that leaves it alone changed nothing. */
  version = 0

  set (i: number, peer: PeerRef | undefined): void {
    if (!Number.isInteger(i) || i < 0 || i >= ID_BITS) throw new RangeError(`finger index ${i} out of range`)
    if (this.#fingers[i] !== peer) this.#distinct = undefined
    if (this.#fingers[i]?.peerId !== peer?.peerId) this.version++
    this.#fingers[i] = peer
  }

  /** Forget a dead peer everywhere; the next refresh fills the gaps. */
  remove (peerId: string): boolean {
    let removed = false
    for (let i = 0; i < ID_BITS; i++) {
      if (this.#fingers[i]?.peerId === peerId) {
        this.#fingers[i] = undefined
        removed = true
      }
    }
    if (removed) {
      this.#distinct = undefined
      this.version++
    }
    return removed
  }

  /** Distinct peers other than ourselves, in finger order (the routing state the cost model counts). */
  distinct (): readonly PeerRef[] {
    if (this.#distinct != null) return this.#distinct
    const seen = new Set<string>([this.self.peerId])
    const out: PeerRef[] = []
    for (const p of this.#fingers) {
      if (p == null || seen.has(p.peerId)) continue
      seen.add(p.peerId)
      out.push(p)
    }
    this.#distinct = out
    return out
  }

  /** Runs of equal consecutive fingers: [{start: i, peer}], for GET_STATE. */
  runs (): FingerRunEntry[] {
    const out: FingerRunEntry[] = []
    for (let i = 0; i < ID_BITS; i++) {
      const p = this.#fingers[i]
      if (p == null) continue
      const last = out[out.length - 1]
      if (last != null && last.peer.peerId === p.peerId && this.#fingers[i - 1]?.peerId === p.peerId) continue
      out.push({ start: i, peer: p })
    }
    return out
  }

  #next = 0

  /**
   * One step of fix-fingers: walk up from where the last step stopped, copying
   * finger[i-1] into finger[i] whenever start(i) lies in (n, finger[i-1]] (no peer can
   * sit between), and stop after the first finger that needs a lookup. A whole pass
   * therefore costs one lookup per distinct finger, ~log2 N (Stoica et al. 4.4), spread
   * over as many periods, like Stoica et al.'s fix_fingers that refreshes one finger a call.
   * Returns the lookups made (0 or 1).
   */
  async refreshStep (successor: PeerRef, lookup: (target: bigint) => Promise<PeerRef>): Promise<number> {
    for (;;) {
      const i = this.#next
      this.#next = (i + 1) % ID_BITS
      const prev = i === 0 ? successor : this.#fingers[i - 1] ?? successor
      const start = fingerStart(this.self.id, i)
      if (i === 0 || inHalfOpen(start, this.self.id, prev.id)) {
        this.set(i, prev)
        if (this.#next === 0) return 0
        continue
      }
      this.set(i, await lookup(start))
      return 1
    }
  }

  /** A whole pass at once, refreshStep until it wraps: what the tests check a pass of fix-fingers against. */
  async refresh (successor: PeerRef, lookup: (target: bigint) => Promise<PeerRef>, signal?: AbortSignal): Promise<number> {
    this.#next = 0
    let lookups = 0
    do {
      signal?.throwIfAborted()
      lookups += await this.refreshStep(successor, lookup)
    } while (this.#next !== 0)
    return lookups
  }
}
