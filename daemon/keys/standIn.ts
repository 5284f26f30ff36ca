// Who coordinates a key's request: its owner, or a successor standing in for an owner that
// refused (CHOKED: it chokes us, or it is a free-rider; docs/choking.md, aroundOwner.ts). On
// the wire that is one integer, stand_in (protocol/chord.proto): 0 or absent for the owner,
// else the stand-in's rank in the owner's successor list (1 = its first successor). Ranks up to
// r - 1 are the owner's replicas; past them are spares (a sloppy quorum, Dynamo section 4.6),
// which hold only what was written through them lately. Inside the daemon it is a Holder,
// converted at the edge by holderFromWire and holderToWire. Pure: no sockets.
import type { PeerRef } from '../../protocol/peerInfo.js'
import { shuffle } from '../ring/shuffle.js'

/** Spares tried past the owner's r - 1 replicas. */
export const STAND_IN_SPARES = 2

/** Whom a coordinator writes and reads for. */
export type Holder =
  | { kind: 'owner' }
  /** One of the owner's r - 1 replicas standing in for it: rank in 1..r-1. */
  | { kind: 'replica', rank: number }
  /** A successor past the owner's replica set standing in for it: rank >= r. */
  | { kind: 'spare', rank: number }

export const OWNER: Holder = { kind: 'owner' }

/** The owner's successor of rank `rank` (>= 1) standing in for it, when every key has `replicas` copies. */
export function standInAt (rank: number, replicas: number): Holder {
  return rank < replicas ? { kind: 'replica', rank } : { kind: 'spare', rank }
}

/** The wire's stand_in (0 or absent: the owner) as a Holder. */
export function holderFromWire (standIn: number | undefined, replicas: number): Holder {
  return standIn == null || standIn === 0 ? OWNER : standInAt(standIn, replicas)
}

/** A Holder as the wire's stand_in: 0 for the owner, else the stand-in's rank. */
export function holderToWire (holder: Holder): number {
  return holder.kind === 'owner' ? 0 : holder.rank
}

/** Copies a coordinator places besides its own: r - 1 for the owner, r - 2 for a stand-in (the owner's copy is the one missing). */
export function copiesWanted (holder: Holder, replicas: number): number {
  return Math.max(0, replicas - (holder.kind === 'owner' ? 1 : 2))
}

/** How many of the owner's successors may stand in for it: its r - 1 replicas (at least one) and STAND_IN_SPARES more. */
export function standInReach (replicas: number): number {
  return Math.max(1, replicas - 1) + STAND_IN_SPARES
}

/** A peer to ask, and whom it holds for when asked. */
export interface Candidate { peer: PeerRef, holder: Holder }

export interface StandInOrderInput {
  /** The owner that refused. */
  owner: PeerRef
  /** The owner's successor list as it answered it, nearest first. */
  successors: readonly PeerRef[]
  /** Copies of every key (r). */
  replicas: number
  /** Replicas that must hold a write before it is acknowledged (w). */
  writeQuorum: number
  /** Peers we have judged refusers: tried last. */
  distrusts?: (peerId: string) => boolean
  /** Random source of the shuffle. @default Math.random */
  random?: () => number
}

export interface StandInOrder {
  /** The first pass. */
  first: Candidate[]
  /** Every later pass: the owner itself, then the stand-ins again. */
  again: Candidate[]
}

/**
 * The owner's successors that may stand in for it (the first standInReach(r), but not the owner
 * itself): its first m = 1 + min(r - w, w - 1) replicas in random order (the detour load
 * of a refusing owner is spread over the peers that hold its copies, as DHash reads from any
 * replica; a write through rank j lands on ranks j..j+w-1 and a read through rank j' reads
 * j'..j'+r-w, which overlap for any two ranks up to m: for r = 3, w = 2, ranks 1 and 2),
 * then the other successors in ring order; peers we judged refusers are tried once, last,
 * and not on later passes. Later passes ask the owner first, unless we judged it a refuser.
 */
export function standInOrder (o: StandInOrderInput): StandInOrder {
  const distrusted = (s: { peer: PeerRef }): boolean => o.distrusts?.(s.peer.peerId) === true
  const all = o.successors.slice(0, standInReach(o.replicas)).map((peer, k) => ({ peer, rank: k + 1 }))
    .filter(s => s.peer.peerId !== o.owner.peerId)
  const trusted = all.filter(s => !distrusted(s))
  const m = 1 + Math.max(0, Math.min(o.replicas - o.writeQuorum, o.writeQuorum - 1))
  const candidate = (s: { peer: PeerRef, rank: number }): Candidate => ({ peer: s.peer, holder: standInAt(s.rank, o.replicas) })
  const order = [...shuffle(trusted.filter(s => s.rank <= m), o.random), ...trusted.filter(s => s.rank > m)].map(candidate)
  const last = all.filter(distrusted).map(candidate)
  const ownerAgain: Candidate[] = distrusted({ peer: o.owner }) ? [] : [{ peer: o.owner, holder: OWNER }]
  return { first: [...order, ...last], again: [...ownerAgain, ...order] }
}
