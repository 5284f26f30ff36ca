// Zave's rectify ("Reasoning about identifier spaces: how to make Chord correct", IEEE TSE
// 2017): what a peer does when a notifier says it may be its predecessor. Pure: whether the
// old predecessor is alive is an input, asked for only when the rule needs it
// (predecessorWatch.ts asks it, with at most one ping in flight).
import type { PeerRef } from '../../protocol/peerInfo.js'
import { inOpen } from '../../protocol/ring.js'

export interface RectifyInput {
  self: PeerRef
  /** Our predecessor now; undefined when we have none. */
  predecessor: PeerRef | undefined
  /** The peer that notified us. */
  notifier: PeerRef
  /** Whether our predecessor answered a liveness check; left out until one was made. */
  predecessorAlive?: boolean
}

/**
 * adopt: the notifier becomes our predecessor. refuse: it does not. askAlive: it does only if our
 * predecessor is dead; check, then decide again with `predecessorAlive` set.
 */
export type RectifyDecision = 'adopt' | 'refuse' | 'askAlive'

/**
 * Adopt the notifier if we have no predecessor, it is our predecessor already, it lies between
 * our predecessor and us, or our predecessor is dead. We never adopt ourselves.
 */
export function rectify (input: RectifyInput): RectifyDecision {
  const { self, predecessor: pred, notifier } = input
  if (notifier.peerId === self.peerId) return 'refuse'
  if (pred == null || pred.peerId === notifier.peerId || inOpen(notifier.id, pred.id, self.id)) return 'adopt'
  if (input.predecessorAlive === undefined) return 'askAlive'
  return input.predecessorAlive ? 'refuse' : 'adopt'
}
