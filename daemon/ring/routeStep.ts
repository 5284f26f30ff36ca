// One greedy routing step of Chord (Stoica et al. 2001, fig. 5: find_predecessor and
// closest_preceding_finger), with the successor list as extra candidates unless fingersOnly.
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
