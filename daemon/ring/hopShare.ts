// How long a lookup's next hop may take (lookups.ts): each hop gives its next hop a share of
// what is left — at most one RPC timeout, and never more than three quarters, so the quarter
// kept back is enough to route around a next hop that stalls. Pure: the clock is the caller's.

/** The share of what is left that a next hop gets: the rest routes around it if it stalls. */
export const HOP_SHARE = 0.75

export interface HopShareInput {
  /** Time left until the lookup's deadline, ms, less the margin each hop keeps back. */
  leftMs: number
  /** Deadline of one hop, ms: no next hop is given more. */
  rpcTimeoutMs: number
}

/** What a next hop may take of the time left, ms: at most one RPC timeout, and a quarter kept back. Not positive: out of time. */
export function hopShare ({ leftMs, rpcTimeoutMs }: HopShareInput): number {
  return Math.min(rpcTimeoutMs, Math.floor(leftMs * HOP_SHARE))
}
