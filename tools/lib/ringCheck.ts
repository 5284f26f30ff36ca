// Is a ring ideal? Every peer's predecessor and successor list must equal what the
// sorted membership says (Zave 2017: the ideal state that stabilization converges to),
// and every finger i must equal successor(n + 2^i) (Stoica et al. table 1).
import { ID_BITS } from '../../protocol/constants.js'
import { fingerStart, hexToId, idToHex } from '../../protocol/ring.js'
import type { PeerView } from '../../protocol/peerState.js'

export interface RingMember { peerId: string, ringId: string }

export interface RingCheck {
  /** Predecessors and successor lists all ideal. */
  ideal: boolean
  /** Every finger of every peer ideal. */
  fingersIdeal: boolean
  /** Fingers (of N * 160) that differ from the ideal. */
  wrongFingers: number
  /** Human-readable differences, at most 20. */
  problems: string[]
}

export function sortRing<T extends RingMember> (members: readonly T[]): T[] {
  return [...members].sort((a, b) => { const x = hexToId(a.ringId); const y = hexToId(b.ringId); return x < y ? -1 : x > y ? 1 : 0 })
}

/** successor(id) among sorted members: the first at or after id, wrapping. */
export function successorOf (sorted: readonly RingMember[], id: bigint): RingMember {
  for (const m of sorted) if (hexToId(m.ringId) >= id) return m
  return sorted[0]
}

export function checkRing (views: readonly PeerView[], members: readonly RingMember[], successorListLength: number): RingCheck {
  const sorted = sortRing(members)
  const n = sorted.length
  const index = new Map(sorted.map((m, i) => [m.peerId, i]))
  const problems: string[] = []
  const note = (s: string): void => { if (problems.length < 20) problems.push(s) }
  let ideal = views.length === n
  if (views.length !== n) note(`${views.length} peers answered, ${n} expected`)
  let wrongFingers = 0
  for (const v of views) {
    const i = index.get(v.peerId)
    if (i == null) { ideal = false; note(`${v.peerId} is not a member`); continue }
    const wantPred = n > 1 ? sorted[(i - 1 + n) % n].peerId : null
    if ((v.predecessor?.peerId ?? null) !== wantPred) { ideal = false; note(`${v.ringId.slice(0, 8)}: predecessor ${v.predecessor?.ringId.slice(0, 8) ?? 'none'}`) }
    const want = Array.from({ length: Math.min(successorListLength, n - 1) }, (_, k) => sorted[(i + 1 + k) % n].peerId)
    const got = v.successors.map(s => s.peerId)
    if (want.join() !== got.join()) { ideal = false; note(`${v.ringId.slice(0, 8)}: successor list of ${got.length} differs`) }
    wrongFingers += wrongFingerCount(v, sorted)
  }
  if (wrongFingers > 0) note(`${wrongFingers} fingers differ from the ideal`)
  return { ideal, fingersIdeal: ideal && wrongFingers === 0, wrongFingers, problems }
}

/**
 * Polling every peer's GET_STATE too often keeps a big ring from converging (FACTS: 200 ms
 * held 128 peers off for 300 s, 2 s let them converge): over 16 peers, poll at most every 500 ms.
 */
export function pollMsFor (peers: number, wantedMs: number): number {
  return peers > 16 ? Math.max(wantedMs, 500) : wantedMs
}

export interface IdealOverResult {
  /** Every check in the window was ideal. */
  ideal: boolean
  /** Checks made, the failing one included. */
  polls: number
  /** From the first check to the last one's answer, ms. */
  elapsedMs: number
  /** The first check that was not ideal, and how far into the window it came. */
  broken?: { poll: number, atMs: number, check: RingCheck }
}

/**
 * Whether the ring stays ideal over a window, not just at one instant: `check` (the network,
 * passed in) is called at the start, then every `pollMs` after each answer until `windowMs`
 * have passed; it stops at the first check that is not ideal (with `fingers`, not fingersIdeal).
 */
export async function idealOver (check: () => Promise<RingCheck>, opts: { windowMs: number, pollMs: number, fingers?: boolean }): Promise<IdealOverResult> {
  const started = Date.now()
  for (let poll = 1; ; poll++) {
    const c = await check()
    const elapsedMs = Date.now() - started
    if (!(opts.fingers === true ? c.fingersIdeal : c.ideal)) return { ideal: false, polls: poll, elapsedMs, broken: { poll, atMs: elapsedMs, check: c } }
    if (elapsedMs >= opts.windowMs) return { ideal: true, polls: poll, elapsedMs }
    await new Promise(resolve => setTimeout(resolve, opts.pollMs))
  }
}

function wrongFingerCount (v: PeerView, sorted: readonly RingMember[]): number {
  const self = hexToId(v.ringId)
  let wrong = 0
  let run = -1
  for (let i = 0; i < ID_BITS; i++) {
    while (run + 1 < v.fingers.length && v.fingers[run + 1].start <= i) run++
    const got = run >= 0 ? v.fingers[run].peerId : undefined
    if (got !== successorOf(sorted, fingerStart(self, i)).peerId) wrong++
  }
  return wrong
}

export { idToHex }
