// A peer's view of the ring: itself, its predecessor and predecessor list, successor list,
// fingers, and the members it has seen. Plain data with no sockets; maintenance and routing
// change it through these methods.
import type { Logger } from 'pino'
import type { Neighbors, PeerState } from '../../protocol/chord.js'
import { describe, toWire, type PeerRef } from '../../protocol/peerInfo.js'
import { FingerTable } from './fingerTable.js'
import { MemberMemory } from './memberMemory.js'
import { cutAtSelf, firstDifference, sameAddrs, samePeers, SuccessorList } from './successorList.js'

export interface RingStateOptions {
  /** Predecessor-list length: how far back replica writes are explained (holderRule.ts). */
  predecessors: number
}

/**
 * What changed in a peer's view; `from`: the first successor-list index that changed (0: the
 * successor); `replaced`: the predecessor a newly adopted one took the place of.
 */
export type RingChange = { kind: 'successors', from: number } | { kind: 'predecessors' | 'fingers' } | { kind: 'predecessor', replaced?: PeerRef }

export class RingState {
  readonly successors: SuccessorList
  readonly fingers: FingerTable
  /** Members seen, kept after they stop answering (partition healing, vouching). */
  readonly memory: MemberMemory
  #predecessor: PeerRef | undefined
  /** Nearest first; [0] is the predecessor once its own list is known. */
  #predecessors: PeerRef[] = []
  /** Bumped whenever the predecessor list changes, so it is resent only then. */
  predecessorsVersion = 0
  readonly #maxPredecessors: number
  readonly #log: Logger
  /** Bumped on every change of predecessor, predecessor list or successor list, and on a peer dropped from any of them or the fingers. */
  #version = 0
  readonly #watchers: Array<(change: RingChange) => void> = []

  constructor (readonly self: PeerRef, successorListLength: number, log: Logger, opts: RingStateOptions = { predecessors: 8 }) {
    this.successors = new SuccessorList(self, successorListLength)
    this.fingers = new FingerTable(self)
    this.memory = new MemberMemory()
    this.#maxPredecessors = opts.predecessors
    this.#log = log
  }

  /** Changes so far of predecessor, predecessor list and successor list: a round that leaves it alone changed nothing. */
  get version (): number { return this.#version }

  /** Call `fn` after every change counted by `version` (adaptive maintenance resets its periods on it). */
  watch (fn: (change: RingChange) => void): void { this.#watchers.push(fn) }

  #changed (change: RingChange): void {
    this.#version++
    for (const fn of this.#watchers) fn(change)
  }

  get predecessor (): PeerRef | undefined { return this.#predecessor }
  get predecessors (): readonly PeerRef[] { return this.#predecessors }

  /** Successor; the peer itself when alone. */
  successor (): PeerRef { return this.successors.first() }

  alone (): boolean { return this.successors.entries.length === 0 }

  setPredecessor (p: PeerRef | undefined, why: string): void {
    if (p != null && this.#predecessor != null && p.peerId === this.#predecessor.peerId) {
      // The same peer at new addresses: it restarted (a new port) and says so itself in its notify.
      // Kept stale, the old address goes out in every NEXT/NEIGHBORS answer, and the peer behind
      // it can never reach the restarted one (seen: a SIGKILLed peer restarted left without a predecessor).
      if (!sameAddrs(p.addrs, this.#predecessor.addrs)) this.#moved(p, why)
      return
    }
    if (p?.peerId === this.#predecessor?.peerId) return
    const from = this.#predecessor
    this.#predecessor = p?.peerId === this.self.peerId ? undefined : p
    if (this.#predecessor != null) this.memory.saw(this.#predecessor, this.self.peerId)
    // A new predecessor's own list is not known yet: keep what lies behind it of the old one.
    this.#setPredecessors(this.#predecessor == null ? [] : this.#cut([this.#predecessor, ...this.#predecessors.filter(q => q.peerId !== this.#predecessor!.peerId)]))
    this.#log.info({ event: 'predecessor', from: from == null ? null : describe(from), to: this.#predecessor == null ? null : describe(this.#predecessor), why }, 'predecessor changed')
    // A new predecessor took the old one's place: the old one has a closer successor now.
    this.#changed({ kind: 'predecessor', replaced: this.#predecessor == null ? undefined : from })
  }

  #moved (p: PeerRef, why: string): void {
    const from = this.#predecessor!
    this.#predecessor = p
    this.memory.saw(p, this.self.peerId)
    this.#predecessors = [p, ...this.#predecessors.filter(q => q.peerId !== p.peerId)]
    this.predecessorsVersion++
    this.#log.info({ event: 'predecessor', from: describe(from), to: describe(p), addrs: p.addrs, why }, 'predecessor moved to new addresses')
    this.#changed({ kind: 'predecessor' })
  }

  /** The predecessor told us its own predecessor list: ours is [pred] + its list, cut like the successor list. */
  adoptPredecessors (pred: PeerRef, itsList: readonly PeerRef[]): void {
    if (pred.peerId !== this.#predecessor?.peerId) return
    for (const p of itsList) this.memory.saw(p, this.self.peerId)
    this.#setPredecessors(this.#cut([pred, ...itsList]))
  }

  /** A predecessor list, nearest first: stopping at ourselves (a second lap round a small ring) and at the length bound. */
  #cut (list: readonly PeerRef[]): PeerRef[] {
    return cutAtSelf(this.self, list, this.#maxPredecessors)
  }

  #setPredecessors (list: PeerRef[]): void {
    const same = samePeers(list, this.#predecessors)
    // The same peers in the same order is no change, but their newest addresses are kept.
    this.#predecessors = list
    if (same) return
    this.predecessorsVersion++
    this.#changed({ kind: 'predecessors' })
  }

  /** Zave's adopt: successor list = [succ] + succ's list. Logs a change of successor. */
  adoptSuccessors (succ: PeerRef, itsList: readonly PeerRef[], why: string): void {
    const before = this.successor()
    const list = this.successors.entries
    this.successors.adopt(succ, itsList)
    this.fingers.set(0, this.successors.entries[0])
    for (const p of this.successors.entries) this.memory.saw(p, this.self.peerId)
    this.#logSuccessorChange(before, why)
    const from = firstDifference(list, this.successors.entries)
    if (from >= 0) this.#changed({ kind: 'successors', from })
  }

  /** Forget a peer that failed to answer, wherever it is in our state (the member memory keeps it). */
  markDead (peerId: string, why: string, opts: { leftGracefully?: boolean } = {}): void {
    if (peerId === this.self.peerId) return
    if (opts.leftGracefully !== true) this.memory.lost(peerId)
    const before = this.successor()
    // The last successor is never dropped on hearsay: stabilize decides, and rejoins through
    // other peers rather than leave us alone in a ring of one (daemon/ring/stabilize.ts).
    const last = opts.leftGracefully !== true && this.successors.entries.length === 1 && this.successors.has(peerId)
    const at = this.successors.entries.findIndex(p => p.peerId === peerId)
    const wasSucc = !last && this.successors.remove(peerId)
    const wasFinger = this.fingers.remove(peerId)
    if (wasSucc) this.fingers.set(0, this.successors.entries[0])
    if (this.#predecessor?.peerId === peerId) this.setPredecessor(undefined, why)
    else if (this.#predecessors.some(p => p.peerId === peerId)) this.#setPredecessors(this.#predecessors.filter(p => p.peerId !== peerId))
    if (wasSucc) this.#logSuccessorChange(before, why)
    // A finger lost counts too: fix-fingers has a gap to fill.
    if (wasSucc) this.#changed({ kind: 'successors', from: at })
    if (wasFinger) this.#changed({ kind: 'fingers' })
  }

  #logSuccessorChange (before: PeerRef, why: string): void {
    const after = this.successor()
    if (after.peerId !== before.peerId) this.#log.info({ event: 'successor', from: describe(before), to: describe(after), why }, 'successor changed')
  }

  /** In our routing state now (predecessor list, successor list, fingers). */
  inView (peerId: string): boolean {
    return this.#predecessors.some(p => p.peerId === peerId) || this.#predecessor?.peerId === peerId ||
      this.successors.has(peerId) || this.fingers.distinct().some(p => p.peerId === peerId)
  }

  /** A member the ring has told us about: in our state now or remembered. */
  known (peerId: string): PeerRef | undefined {
    if (this.#predecessor?.peerId === peerId) return this.#predecessor
    return this.successors.entries.find(p => p.peerId === peerId) ?? this.#predecessors.find(p => p.peerId === peerId) ??
      this.fingers.distinct().find(p => p.peerId === peerId) ?? this.memory.get(peerId)
  }

  /** Distinct peers in fingers + successor list + predecessor: the routing state the cost model counts. */
  routingStateSize (): number {
    const ids = new Set<string>()
    for (const p of [...this.fingers.distinct(), ...this.successors.entries]) ids.add(p.peerId)
    if (this.#predecessor != null) ids.add(this.#predecessor.peerId)
    return ids.size
  }

  /** Our pointers on the wire (the predecessor list travels in NOTIFY, only when it changed). */
  neighbors (): Neighbors {
    return {
      self: toWire(this.self),
      predecessor: this.#predecessor == null ? undefined : toWire(this.#predecessor),
      successors: this.successors.entries.map(toWire)
    }
  }

  snapshot (extra: { keys: number, storeBytes: number, ready: boolean, http: string }): PeerState {
    const { self, predecessor, successors } = this.neighbors()
    return {
      self,
      predecessor,
      successors,
      fingers: this.fingers.runs().map(r => ({ start: r.start, peer: toWire(r.peer) })),
      keys: BigInt(extra.keys),
      storeBytes: BigInt(extra.storeBytes),
      ready: extra.ready,
      http: extra.http
    }
  }
}
