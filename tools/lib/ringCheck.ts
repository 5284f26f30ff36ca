// Is a ring ideal? Every peer's predecessor and successor list must equal what the
// sorted membership says (Zave 2017: the ideal state that stabilization converges to),
// and every finger i must equal successor(n + 2^i) (Stoica et al. table 1).
import { ID_BITS } from '../../protocol/constants.js'
import { fingerStart, hexToId, idToHex } from '../../protocol/ring.js'

export interface RingMember { peerId: string, ringId: string }

/**
 * What the check reads of one peer: GET_STATE's view (protocol/peerState.ts PeerView) and a
 * packed peer's in-process digest (daemon/meters/telemetry.ts RingDigest) both fit.
 */
export interface RingPointers extends RingMember {
  predecessor: RingMember | null
  successors: ReadonlyArray<{ peerId: string }>
  /** Runs of equal fingers: finger i for start <= i < the next run's start. */
  fingers: ReadonlyArray<{ start: number, peerId: string }>
}

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
  return sorted[successorIndex(sorted.map(m => hexToId(m.ringId)), id)]
}

/** Index of successor(id) in sorted ids: the first at or after id, wrapping (binary search). */
function successorIndex (ids: readonly bigint[], id: bigint): number {
  let lo = 0
  let hi = ids.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (ids[mid] < id) lo = mid + 1; else hi = mid
  }
  return lo === ids.length ? 0 : lo
}

export function checkRing (views: readonly RingPointers[], members: readonly RingMember[], successorListLength: number): RingCheck {
  const sorted = sortRing(members)
  const ids = sorted.map(m => hexToId(m.ringId))
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
    wrongFingers += wrongFingerCount(v, sorted, ids)
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

/** How waitIdeal paces its checks (pollUntilIdeal). */
export interface WaitIdealOptions {
  /** Give up after this long, ms; the last check is returned either way. */
  timeoutMs: number
  /** Wait for every finger too, not just predecessors and successor lists. */
  fingers?: boolean
  /** Pause after the first check (at least the duty bound), ms; it grows from there (nextPollMs). Default FIRST_POLL_MS. */
  pollMs?: number
}

/** The first pause between checks, ms (what the testnet polled at before pacing). */
export const FIRST_POLL_MS = 200
/**
 * The longest pause that backing off alone reaches, ms: FACTS (2026-12-01) polling a 128-peer
 * ring every 2 s let it converge in 53 s, every 200 ms kept it from converging for 300 s.
 */
export const MAX_POLL_MS = 2_000
/** Each pause grows by this while the ring is not ideal (as lsd's stabilize does, chord/stabilize.C). */
export const POLL_GROWTH = 1.5
/** A check takes at most 1 / this of the wall time: the pause is at least (this - 1) times the last check. */
export const CHECK_DUTY_DIVISOR = 10

/** The pause after a check that took `checkMs`: grown from the last pause, and never under the duty bound. */
export function nextPollMs (pauseMs: number, checkMs: number): number {
  return Math.max(Math.min(pauseMs * POLL_GROWTH, MAX_POLL_MS), (CHECK_DUTY_DIVISOR - 1) * checkMs)
}

/**
 * Check until the ring (with `fingers`, every finger too) is ideal or `timeoutMs` has passed,
 * pausing FIRST_POLL_MS (or `pollMs`) after the first check and longer after each (nextPollMs),
 * so that a big or loaded ring is not held off by its own check. Returns the last check.
 */
export async function pollUntilIdeal (check: () => Promise<RingCheck>, opts: WaitIdealOptions): Promise<RingCheck & { waitedMs: number, checks: number }> {
  const started = Date.now()
  let pauseMs = 0
  for (let checks = 1; ; checks++) {
    const t = Date.now()
    const c = await check()
    const now = Date.now()
    const done = opts.fingers === true ? c.fingersIdeal : c.ideal
    const left = opts.timeoutMs - (now - started)
    if (done || left <= 0) return { ...c, waitedMs: now - started, checks }
    pauseMs = checks === 1 ? Math.max(opts.pollMs ?? FIRST_POLL_MS, (CHECK_DUTY_DIVISOR - 1) * (now - t)) : nextPollMs(pauseMs, now - t)
    await new Promise(resolve => setTimeout(resolve, Math.min(pauseMs, left)))
  }
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

function wrongFingerCount (v: RingPointers, sorted: readonly RingMember[], ids: readonly bigint[]): number {
  const self = hexToId(v.ringId)
  let wrong = 0
  let run = -1
  for (let i = 0; i < ID_BITS; i++) {
    while (run + 1 < v.fingers.length && v.fingers[run + 1].start <= i) run++
    const got = run >= 0 ? v.fingers[run].peerId : undefined
    if (got !== sorted[successorIndex(ids, fingerStart(self, i))].peerId) wrong++
  }
  return wrong
}

export { idToHex }
