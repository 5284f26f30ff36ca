// The choking decision of BitTorrent (BEP 3; Cohen, "Incentives build robustness in
// BitTorrent", 2003), as a pure function: every rechoke interval, unchoke the
// (slots - optimisticSlots) interested peers that recently gave us the most, plus
// optimistic slot(s) rotated every `optimisticEvery` intervals, new peers 3x as likely.
// No sockets, no clock: the caller passes contributions and a seeded random source.

export interface Contribution {
  peerId: string
  /** What the peer did for us over the recent window (served our requests, forwarded our lookups). */
  gave: number
  /** It wants something from us (it sent us requests in the window). */
  interested: boolean
  /** The rechoke round in which we first saw the peer. */
  firstSeenRound: number
}

export interface ChokeState {
  round: number
  /** Unchoked for what they gave. */
  regular: string[]
  /** Unchoked on trust, rotated every optimisticEvery rounds. */
  optimistic: string[]
}

export interface RechokeOptions {
  /** Upload slots in all (BEP 3: 4). */
  slots: number
  /** Of which optimistic (BEP 3: 1). */
  optimisticSlots: number
  /** Rounds between optimistic rotations (BEP 3: every 30 s at a 10 s rechoke = 3). */
  optimisticEvery: number
  /** Weight of a new peer in the optimistic draw (BEP 3: 3x as likely). */
  newPeerWeight: number
  /** A peer is new for this many rounds after first seen. */
  newPeerRounds: number
}

export const DEFAULT_RECHOKE: RechokeOptions = Object.freeze({ slots: 4, optimisticSlots: 1, optimisticEvery: 3, newPeerWeight: 3, newPeerRounds: 3 })

export const INITIAL_STATE: ChokeState = Object.freeze({ round: 0, regular: [], optimistic: [] })

export function rechoke (prev: ChokeState, peers: readonly Contribution[], o: RechokeOptions, random: () => number): ChokeState {
  const round = prev.round + 1
  const interested = peers.filter(p => p.interested)
  const regularSlots = Math.max(0, o.slots - o.optimisticSlots)
  // Highest contribution first; ties broken by peer id so the decision is deterministic.
  const ranked = [...interested].sort((a, b) => b.gave - a.gave || (a.peerId < b.peerId ? -1 : a.peerId > b.peerId ? 1 : 0))
  const regular = ranked.filter(p => p.gave > 0).slice(0, regularSlots).map(p => p.peerId)
  const taken = new Set(regular)
  // Between rotations the optimistic peers keep their slots while still interested and not promoted.
  const rotate = (round - 1) % o.optimisticEvery === 0
  const optimistic = rotate ? [] : prev.optimistic.filter(id => !taken.has(id) && interested.some(p => p.peerId === id)).slice(0, o.optimisticSlots)
  // Fill the optimistic slots (at a rotation, or when an optimistic peer left or was promoted).
  const pool = interested.filter(p => !taken.has(p.peerId) && !optimistic.includes(p.peerId))
  while (optimistic.length < o.optimisticSlots && pool.length > 0) {
    const weights = pool.map(p => round - p.firstSeenRound <= o.newPeerRounds ? o.newPeerWeight : 1)
    const total = weights.reduce((a, b) => a + b, 0)
    let x = random() * total
    let i = 0
    while (i < pool.length - 1 && x >= weights[i]) { x -= weights[i]; i++ }
    optimistic.push(pool[i].peerId)
    pool.splice(i, 1)
  }
  return { round, regular, optimistic }
}

export function isUnchoked (s: ChokeState, peerId: string): boolean {
  return s.regular.includes(peerId) || s.optimistic.includes(peerId)
}
