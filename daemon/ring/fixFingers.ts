// Fix fingers (Stoica et al. 2001, fix_fingers): one finger refreshed a period, through a lookup
// (FingerTable.refreshStep says which finger and when a lookup is needed at all).
import type { Router } from './lookups.js'
import type { Membership } from './membership.js'
import type { RingState } from './ringState.js'

export interface FixFingersInit {
  ring: RingState
  router: Router
  membership: Membership
  /** Budget of one finger's lookup, ms. */
  lookupTimeoutMs: number
}

/** One fix-fingers step (see FingerTable.refreshStep): at most one lookup. Returns the lookups made. */
export async function fixFingers (init: FixFingersInit, signal?: AbortSignal): Promise<number> {
  const { ring, router } = init
  if (!init.membership.joined || ring.alone()) return 0
  return await ring.fingers.refreshStep(ring.successor(), async target => {
    const out = await router.lookup(target, { timeoutMs: init.lookupTimeoutMs, signal, tag: 'maintenance' })
    ring.memory.saw(out.owner, ring.self.peerId)
    return out.owner
  })
}
