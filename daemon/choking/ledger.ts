// Who did what for whom, per remote peer, over a sliding window of rechoke rounds
// (BEP 3 mainline: rates over a rolling 20 s). Plain counters; the Choker reads sums.
import type { Tally } from '../../protocol/telemetry.js'

export const emptyTally = (): Tally => ({ gave: 0, refusedUs: 0, asked: 0, servedIt: 0, chokedIt: 0 })

export class Ledger {
  /** Newest round last; the last one is being filled. */
  readonly #rounds: Array<Map<string, Tally>> = [new Map()]

  /**
   * @param rounds rounds in the window (the current one included)
   * @param maxPeers remotes tracked per round; past it new remotes are not tallied this round
   */
  constructor (readonly rounds: number, readonly maxPeers = 1024) {}

  /** The current round's tally of a remote, made on first use. */
  at (peerId: string): Tally | undefined {
    const cur = this.#rounds[this.#rounds.length - 1]
    let t = cur.get(peerId)
    if (t == null) {
      if (cur.size >= this.maxPeers) return undefined
      t = emptyTally()
      cur.set(peerId, t)
    }
    return t
  }

  /** Close the current round; the oldest falls out of the window. */
  advance (): void {
    this.#rounds.push(new Map())
    while (this.#rounds.length > this.rounds) this.#rounds.shift()
  }

  /** Every remote seen in the window, with its tally summed over the window. */
  sums (): Map<string, Tally> {
    const out = new Map<string, Tally>()
    for (const round of this.#rounds) {
      for (const [id, t] of round) {
        let s = out.get(id)
        if (s == null) { s = emptyTally(); out.set(id, s) }
        s.gave += t.gave
        s.refusedUs += t.refusedUs
        s.asked += t.asked
        s.servedIt += t.servedIt
        s.chokedIt += t.chokedIt
      }
    }
    return out
  }

  /** Rounds the window holds now (fewer than `rounds` right after start). */
  get filled (): number { return this.#rounds.length }
}
