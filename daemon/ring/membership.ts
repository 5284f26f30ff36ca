// What the maintenance tasks (join.ts, stabilize.ts, healing.ts, fixFingers.ts, leave.ts)
// share: whether this peer is a ring member yet, when stabilize last reached a live
// successor, and the bootstrap addresses join used.
export class Membership {
  /** Set once join (or creation) succeeded; stabilize has something to do. */
  joined = false
  /** Time of the last stabilize round that reached a live successor. */
  lastStableAt = 0
  /** The addresses join used, for a rejoin when every other peer we know has failed. */
  bootstrap: readonly string[] = []

  /** Stabilize (or a join) just reached a live successor. */
  stable (): void { this.lastStableAt = Date.now() }
}
