// What a LEAVING from a neighbour may change in our pointers (Stoica et al. 2003 sec. 4.4,
// voluntary departure). What it says is a hint checked against our own view, so a neighbour
// that says it leaves but stays can inject no pointers (leave.ts applies these). Pure.
import type { PeerRef } from '../../protocol/peerInfo.js'
import { inOpen } from '../../protocol/ring.js'

export interface PredecessorHint {
  self: PeerRef
  /** Our predecessor, which is leaving. */
  leaver: PeerRef
  /** The predecessor it names as its own. */
  named: PeerRef | undefined
  /** The one our predecessor list has behind the leaver (predecessors[1]). */
  behind: PeerRef | undefined
}

/**
 * Adopt the predecessor a leaving predecessor names only if it is the one our list has behind
 * the leaver, or lies between that one and the leaver (a peer we have not met yet). Without a
 * list to check it against, nothing it names is adopted.
 */
export function plausiblePredecessor ({ self, leaver, named, behind }: PredecessorHint): boolean {
  if (named == null || named.peerId === self.peerId || behind == null) return false
  return named.peerId === behind.peerId || inOpen(named.id, behind.id, leaver.id)
}

export interface SuccessorHint {
  /** Our successor, which is leaving. */
  leaver: PeerRef
  /** The one after it in our successor list, if any. */
  next: PeerRef | undefined
  /** The first of the successors it hands us (itself and us left out). */
  first: PeerRef | undefined
}

/**
 * A leaving successor's list fits if its first successor is the one after it in our list, or
 * lies between the leaver and that one (a peer we have not met yet).
 */
export function successorsFit ({ leaver, next, first }: SuccessorHint): boolean {
  if (first == null) return false
  return next == null || first.peerId === next.peerId || inOpen(first.id, leaver.id, next.id)
}
