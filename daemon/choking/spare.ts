// How a peer shares its spare capacity (requests/s it serves for choked peers) among them:
// weighted max-min fairness ("water-filling"), weights = what each gave us. Weights in
// proportion to contribution follow PropShare (Levin et al., "BitTorrent is an Auction",
// SIGCOMM 2008); capping each share at the peer's demand, and leaving what no one claims
// as slack for anyone, keeps it work-conserving: below capacity everyone is served in full.

export interface SpareClaim {
  peerId: string
  /** Requests/s it asked of us over the window. */
  demand: number
  /** > 0: its share of what is left is in proportion to this. */
  weight: number
}

/**
 * Rates (requests/s) that sum to at most `capacity`: no peer gets more than its demand;
 * under that cap, shares are in proportion to weight. What is left when every demand is
 * met is the caller's slack (newcomers, bursts).
 */
export function allocateSpare (capacity: number, claims: readonly SpareClaim[]): Map<string, number> {
  const out = new Map<string, number>()
  for (const c of claims) out.set(c.peerId, 0)
  if (capacity <= 0 || claims.length === 0) return out
  let left = capacity
  let open = claims.filter(c => c.weight > 0)
  // Each pass either satisfies at least one claim or hands out all that is left.
  while (open.length > 0 && left > 1e-9) {
    const totalWeight = open.reduce((a, c) => a + c.weight, 0)
    const perWeight = left / totalWeight
    const full = open.filter(c => c.demand - out.get(c.peerId)! <= perWeight * c.weight)
    if (full.length === 0) {
      for (const c of open) out.set(c.peerId, out.get(c.peerId)! + perWeight * c.weight)
      left = 0
      break
    }
    for (const c of full) {
      const need = Math.max(0, c.demand - out.get(c.peerId)!)
      out.set(c.peerId, out.get(c.peerId)! + need)
      left -= need
    }
    const done = new Set(full.map(c => c.peerId))
    open = open.filter(c => !done.has(c.peerId))
  }
  return out
}

/** A token bucket refilled at `rate` per second, holding at most `burst`. */
export class TokenBucket {
  #tokens: number
  #at: number
  /** Starts with `initial` tokens (default: a full burst). */
  constructor (public rate: number, public burst: number, now: number, initial = burst) {
    this.#tokens = Math.min(burst, initial)
    this.#at = now
  }

  /** Take one token if there is one. */
  take (now: number): boolean {
    this.#refill(now)
    if (this.#tokens < 1) return false
    this.#tokens -= 1
    return true
  }

  /** New rate from now on (what accrued so far accrued at the old one). */
  retune (rate: number, burst: number, now: number): void {
    this.#refill(now)
    this.rate = rate
    this.burst = burst
    this.#tokens = Math.min(burst, this.#tokens)
  }

  #refill (now: number): void {
    this.#tokens = Math.min(this.burst, this.#tokens + Math.max(0, now - this.#at) / 1000 * this.rate)
    this.#at = now
  }
}
