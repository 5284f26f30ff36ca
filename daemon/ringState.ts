// A peer's view of the ring: itself, its predecessor, successor list and fingers.
// Plain data with no sockets; maintenance and routing change it through these methods.
import type { Logger } from 'pino'
import type { Neighbors, PeerState } from '../protocol/chord.js'
import { describe, toWire, type PeerRef } from '../protocol/peerInfo.js'
import { FingerTable } from './fingerTable.js'
import { SuccessorList } from './successorList.js'

export class RingState {
  readonly successors: SuccessorList
  readonly fingers: FingerTable
  #predecessor: PeerRef | undefined
  readonly #log: Logger

  constructor (readonly self: PeerRef, successorListLength: number, log: Logger) {
    this.successors = new SuccessorList(self, successorListLength)
    this.fingers = new FingerTable(self)
    this.#log = log
  }

  get predecessor (): PeerRef | undefined { return this.#predecessor }

  /** Successor; the peer itself when alone. */
  successor (): PeerRef { return this.successors.first() }

  alone (): boolean { return this.successors.entries.length === 0 }

  setPredecessor (p: PeerRef | undefined, why: string): void {
    if (p?.peerId === this.#predecessor?.peerId) return
    const from = this.#predecessor
    this.#predecessor = p?.peerId === this.self.peerId ? undefined : p
    this.#log.info({ event: 'predecessor', from: from == null ? null : describe(from), to: this.#predecessor == null ? null : describe(this.#predecessor), why }, 'predecessor changed')
  }

  /** Zave's adopt: successor list = [succ] + succ's list. Logs a change of successor. */
  adoptSuccessors (succ: PeerRef, itsList: readonly PeerRef[], why: string): void {
    const before = this.successor()
    this.successors.adopt(succ, itsList)
    this.fingers.set(0, this.successors.entries[0])
    this.#logSuccessorChange(before, why)
  }

  /** Forget a peer that failed to answer, wherever it is in our state. */
  markDead (peerId: string, why: string, opts: { leftGracefully?: boolean } = {}): void {
    if (peerId === this.self.peerId) return
    const before = this.successor()
    // The last successor is never dropped on hearsay: stabilize decides, and rejoins through
    // other peers rather than leave us alone in a ring of one (daemon/maintenance.ts).
    const last = opts.leftGracefully !== true && this.successors.entries.length === 1 && this.successors.has(peerId)
    const wasSucc = !last && this.successors.remove(peerId)
    this.fingers.remove(peerId)
    if (wasSucc) this.fingers.set(0, this.successors.entries[0])
    if (this.#predecessor?.peerId === peerId) this.setPredecessor(undefined, why)
    if (wasSucc) this.#logSuccessorChange(before, why)
  }

  #logSuccessorChange (before: PeerRef, why: string): void {
    const after = this.successor()
    if (after.peerId !== before.peerId) this.#log.info({ event: 'successor', from: describe(before), to: describe(after), why }, 'successor changed')
  }

  /** Any peer we know by id, with its addresses. */
  find (peerId: string): PeerRef | undefined {
    if (this.#predecessor?.peerId === peerId) return this.#predecessor
    return this.successors.entries.find(p => p.peerId === peerId) ?? this.fingers.distinct().find(p => p.peerId === peerId)
  }

  /** Distinct peers in fingers + successor list + predecessor: the routing state the cost model counts. */
  routingStateSize (): number {
    const ids = new Set<string>()
    for (const p of [...this.fingers.distinct(), ...this.successors.entries]) ids.add(p.peerId)
    if (this.#predecessor != null) ids.add(this.#predecessor.peerId)
    return ids.size
  }

  neighbors (): Neighbors {
    return {
      self: toWire(this.self),
      predecessor: this.#predecessor == null ? undefined : toWire(this.#predecessor),
      successors: this.successors.entries.map(toWire)
    }
  }

  snapshot (extra: { keys: number, storeBytes: number, ready: boolean, http: string }): PeerState {
    return {
      ...this.neighbors(),
      fingers: this.fingers.runs().map(r => ({ start: r.start, peer: toWire(r.peer) })),
      keys: BigInt(extra.keys),
      storeBytes: BigInt(extra.storeBytes),
      ready: extra.ready,
      http: extra.http
    }
  }
}
