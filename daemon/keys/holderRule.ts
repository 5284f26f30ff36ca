// Which replica and repair writes this peer's own view of the ring explains. A key's
// copies live on its owner and the next successors (DHash; more when the sloppy quorum walks
// past refusals, docs/choking.md), so every plausible coordinator or holder of a key this
// peer may hold sits in the arc it knows: from its farthest known predecessor to its last
// successor. A write whose key lies outside (farthest predecessor, self], or whose sender
// lies outside that arc, is refused (recordIntake.ts also refuses senders the ring never
// named). Pure: no sockets.
import type { PeerRef } from '../../protocol/peerInfo.js'
import { inHalfOpen, inOpen } from '../../protocol/ring.js'

export interface Neighbourhood {
  self: PeerRef
  /** Predecessor list, nearest first. */
  predecessors: readonly PeerRef[]
  /** Successor list, nearest first. */
  successors: readonly PeerRef[]
}

export type HolderVerdict = { ok: true } | { ok: false, why: string }

/** The two lists meet (a ring no larger than both together): this peer may hold any key. */
export function wraps (n: Neighbourhood): boolean {
  if (n.predecessors.length === 0 || n.successors.length === 0) return false
  const succ = new Set(n.successors.map(p => p.peerId))
  return n.predecessors.some(p => succ.has(p.peerId))
}

/** Keys in (farthest known predecessor, self]: the ones this peer may hold a copy of. */
export function mayHoldKey (n: Neighbourhood, keyId: bigint): boolean {
  if (wraps(n)) return true
  const far = n.predecessors[n.predecessors.length - 1]
  return far != null && inHalfOpen(keyId, far.id, n.self.id)
}

/** The sender lies in the arc from the farthest known predecessor to the last successor. */
export function inArc (n: Neighbourhood, sender: PeerRef): boolean {
  if (sender.peerId === n.self.peerId) return true
  if (wraps(n)) return true
  const far = n.predecessors[n.predecessors.length - 1]
  const last = n.successors[n.successors.length - 1]
  if (far == null) return false
  if (last == null) return inOpen(sender.id, far.id, n.self.id)
  return sender.id === far.id || inOpen(sender.id, far.id, last.id) || sender.id === last.id
}

/** May `sender` write a copy of the key with ring id `keyId` here? */
export function explains (n: Neighbourhood, sender: PeerRef, keyId: bigint): HolderVerdict {
  if (n.predecessors.length === 0) return { ok: false, why: 'this peer knows no predecessor yet' }
  if (!mayHoldKey(n, keyId)) return { ok: false, why: 'the key is outside the range this peer may hold' }
  if (!inArc(n, sender)) return { ok: false, why: 'the sender is outside this peer\'s neighbourhood' }
  return { ok: true }
}
