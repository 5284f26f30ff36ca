// A byte budget for what remotes make this peer hold: bytes of partial frames, of requests
// being served and of their answers until written. Each remote (its peer id, and separately
// the IP it connects from, so new identities from one address share one allowance) has
// `perRemote`; all together have `total`. Pure: the RPC server charges it, tests read it.

export interface ByteBudgetLimits {
  /** Bytes one remote key may hold. */
  perRemote: number
  /** Bytes all remotes together may hold. */
  total: number
}

/**
 * What one stream holds, charged to its remote keys and the total. It remembers what it holds,
 * so a release never takes back more than was charged, and close() returns the rest: an
 * accounting slip cannot leak budget past the stream's life.
 */
export interface BudgetAccount {
  /** Take n bytes if every key and the total have room; false (nothing taken) otherwise. */
  tryReserve: (n: number) => boolean
  /** Take n bytes even past the limits (an answer already computed must still be sent). */
  charge: (n: number) => void
  /** Give back n bytes (at most what is held). */
  release: (n: number) => void
  /** Bytes held now. */
  readonly held: number
  /** Give back everything; later calls do nothing. */
  close: () => void
}

export class ByteBudget {
  readonly #used = new Map<string, number>()
  #total = 0

  constructor (readonly limits: ByteBudgetLimits) {}

  /** Bytes held by one remote key, or by all when none is given. */
  used (key?: string): number { return key == null ? this.#total : this.#used.get(key) ?? 0 }

  /** Remote keys holding anything (entries are dropped at zero). */
  get keys (): number { return this.#used.size }

  account (keys: readonly string[]): BudgetAccount {
    const budget = this
    let held = 0
    let closed = false
    const add = (n: number): void => {
      held += n
      budget.#total += n
      for (const k of keys) budget.#used.set(k, (budget.#used.get(k) ?? 0) + n)
    }
    const sub = (n: number): void => {
      const m = Math.min(n, held)
      if (m <= 0) return
      held -= m
      budget.#total -= m
      for (const k of keys) {
        const left = (budget.#used.get(k) ?? 0) - m
        if (left <= 0) budget.#used.delete(k); else budget.#used.set(k, left)
      }
    }
    return {
      tryReserve: (n: number): boolean => {
        if (closed) return false
        if (n <= 0) return true
        if (budget.#total + n > budget.limits.total) return false
        for (const k of keys) if ((budget.#used.get(k) ?? 0) + n > budget.limits.perRemote) return false
        add(n)
        return true
      },
      charge: (n: number): void => { if (!closed && n > 0) add(n) },
      release: sub,
      get held () { return held },
      close: (): void => { sub(held); closed = true }
    }
  }
}
