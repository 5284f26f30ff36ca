// One greedy routing step of Chord (Stoica et al. 2001, fig. 5: find_predecessor and
// closest_preceding_finger), with the successor list as extra candidates unless fingersOnly;
// and the two checks a lookup makes around it: the owner past peers it routes around, and
// whether an owner a next hop names can own the target. Pure.
import type { PeerRef } from '../../protocol/peerInfo.js'
import { distance, inHalfOpen, inOpen } from '../../protocol/ring.js'

export type RouteDecision =
  | { kind: 'owner', owner: PeerRef }
  | { kind: 'forward', candidates: PeerRef[] }

export interface RouteInput {
  self: PeerRef
  /** Successor list, nearest first; empty when alone. */
  successors: readonly PeerRef[]
  /** Distinct fingers. */
  fingers: readonly PeerRef[]
  /** More candidates unless fingersOnly (in-neighbours, docs/choking.md). */
  extra?: readonly PeerRef[]
  target: bigint
  /** Route over fingers (and the immediate successor) only: the model's assumption. */
  fingersOnly: boolean
  /** Peers known to be unreachable for this lookup. */
  exclude?: { has: (peerId: string) => boolean }
}

/**
 * If target lies in (self, successor], the successor owns it and we are its predecessor.
 * Otherwise return every known peer in (self, target), closest to the target first, so a
 * caller can skip dead ones in order.
 */
export function routeStep (input: RouteInput): RouteDecision {
  const { self, successors, fingers, extra, target, fingersOnly, exclude } = input
  const succ = successors[0] ?? self
  if (succ.peerId === self.peerId || inHalfOpen(target, self.id, succ.id)) return { kind: 'owner', owner: succ }
  const pool = fingersOnly ? [...fingers, succ] : [...fingers, ...successors, ...(extra ?? [])]
  const seen = new Set<string>([self.peerId])
  const candidates: PeerRef[] = []
  for (const p of pool) {
    if (seen.has(p.peerId) || exclude?.has(p.peerId) === true) continue
    seen.add(p.peerId)
    if (inOpen(p.id, self.id, target)) candidates.push(p)
  }
  candidates.sort((a, b) => {
    const da = distance(self.id, a.id)
    const db = distance(self.id, b.id)
    return da > db ? -1 : da < db ? 1 : 0
  })
  return { kind: 'forward', candidates }
}

export interface OwnerPastInput {
  self: PeerRef
  /** Successor list, nearest first. */
  successors: readonly PeerRef[]
  target: bigint
  /** Peers routed around: excluded for this lookup or suspected. */
  out: { has: (peerId: string) => boolean }
}

/**
 * Routing around a predecessor of the target that refused us (CHOKED) or did not answer
 * (stalled, dead, suspected): if our successor list spans the target, the entry just past
 * it owns it (Zave: the list holds consecutive members), and we can say so ourselves.
 */
export function ownerPastExcluded ({ self, successors, target, out }: OwnerPastInput): PeerRef | undefined {
  let prev = self
  for (const s of successors) {
    if (inHalfOpen(target, prev.id, s.id)) return out.has(prev.peerId) && !out.has(s.peerId) ? s : undefined
    prev = s
  }
  return undefined
}

export interface OwnerClaim {
  target: bigint
  /** The next hop that named the owner. */
  via: PeerRef
  owner: PeerRef
}

/**
 * The owner `via` names for `target` must lie in the interval the target's owner lies in:
 * past the target, seen from `via` (target in (via, owner]), and not `via` itself (`via`
 * lies before the target: it was a candidate in (self, target)).
 */
export function canOwn ({ target, via, owner }: OwnerClaim): boolean {
  return owner.peerId !== via.peerId && inHalfOpen(target, via.id, owner.id)
}
