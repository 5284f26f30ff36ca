// The test at the heart of stabilize (Stoica et al. 2001 fig. 7; Zave 2017): a peer that lies
// strictly between us and our successor is a closer successor. Stabilize asks it of the
// successor's predecessor; partition healing asks it of the successor a remembered member's
// ring names for us (Stoica et al. 2003, section IV-E).
import type { PeerRef } from '../../protocol/peerInfo.js'
import { inOpen } from '../../protocol/ring.js'

/**
 * Is `candidate` a closer successor than `successor`, seen from `self`? Neither we nor the
 * successor itself is; when we are alone (`successor` is `self`) every other member is, as
 * (n, n) is the whole ring but n.
 */
export function isCloserSuccessor (self: PeerRef, successor: PeerRef, candidate: PeerRef): boolean {
  if (candidate.peerId === self.peerId || candidate.peerId === successor.peerId) return false
  return inOpen(candidate.id, self.id, successor.id)
}
