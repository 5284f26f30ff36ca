// A live progress line for long runs (swarm, sweep) on stderr: peers started, ring members
// with the right neighbours / total, operations acknowledged, elapsed. On a terminal the line
// is rewritten in place (\r) every second; otherwise one line every few seconds, so a log
// file gets a readable trace instead of a wall of carriage returns.
import { sortRing, type RingMember, type RingPointers } from './ringCheck.js'

export interface ProgressState {
  /** What the run is doing now ("starting", "converging", "puts", "N = 64 workload", ...). */
  phase: string
  peersStarted: number
  peersTotal: number
  /** From the last ring check, if any: members whose predecessor and successor are right, of how many; ideal. */
  ring?: { right: number, total: number, ideal: boolean }
  /** Operations acknowledged so far, of how many (total unknown for an open-loop workload). */
  acked?: { done: number, total?: number, what: string }
}

/** One progress line (no newline). */
export function formatProgress (label: string, s: ProgressState, elapsedMs: number): string {
  const parts = [`${label} ${(elapsedMs / 1000).toFixed(0)} s`, s.phase, `peers ${s.peersStarted}/${s.peersTotal}`]
  if (s.ring != null) parts.push(`ring ${s.ring.right}/${s.ring.total} right${s.ring.ideal ? ', ideal' : ''}`)
  if (s.acked != null) parts.push(`${s.acked.what} ${s.acked.done}${s.acked.total == null ? '' : `/${s.acked.total}`}`)
  return parts.join(' | ')
}

/**
 * Members whose predecessor and first successor are their neighbours in the sorted
 * membership (the ring "links" a check makes right one by one): progress, not the verdict,
 * which is checkRing's (successor lists and fingers too).
 */
export function rightNeighbours (views: readonly RingPointers[], members: readonly RingMember[]): number {
  const sorted = sortRing(members)
  const n = sorted.length
  const at = new Map(sorted.map((m, i) => [m.peerId, i]))
  let right = 0
  for (const v of views) {
    const i = at.get(v.peerId)
    if (i == null) continue
    const pred = n > 1 ? sorted[(i - 1 + n) % n].peerId : undefined
    const succ = n > 1 ? sorted[(i + 1) % n].peerId : undefined
    if (v.predecessor?.peerId === pred && v.successors[0]?.peerId === succ) right++
  }
  return right
}

export interface ProgressLineInit {
  label: string
  stream?: NodeJS.WriteStream
  /** Between lines when the stream is not a terminal, ms. Default 5000. */
  everyMs?: number
}

// On a terminal: rewrite once a second, fast enough to look live, cheap enough not to matter.
const TTY_EVERY_MS = 1_000

export class ProgressLine {
  readonly #label: string
  readonly #stream: NodeJS.WriteStream
  readonly #tty: boolean
  readonly #timer: NodeJS.Timeout
  readonly #t0 = performance.now()
  #state: ProgressState
  #stopped = false

  constructor (init: ProgressLineInit, state: ProgressState) {
    this.#label = init.label
    this.#stream = init.stream ?? process.stderr
    this.#tty = this.#stream.isTTY === true
    this.#state = state
    this.#timer = setInterval(() => { this.#print() }, this.#tty ? TTY_EVERY_MS : init.everyMs ?? 5_000)
    this.#timer.unref()
  }

  update (s: Partial<ProgressState>): void { this.#state = { ...this.#state, ...s } }

  get state (): ProgressState { return this.#state }

  #print (): void {
    const line = formatProgress(this.#label, this.#state, performance.now() - this.#t0)
    this.#stream.write(this.#tty ? `\r${line}\x1b[K` : `${line}\n`)
  }

  /** Write something else (to stdout, say) without it landing in the middle of the line on a terminal. */
  above (write: () => void): void {
    if (this.#tty) this.#stream.write('\r\x1b[K')
    write()
    if (this.#tty && !this.#stopped) this.#print()
  }

  /** Stop printing; on a terminal, clear the line being rewritten. */
  stop (): void {
    if (this.#stopped) return
    this.#stopped = true
    clearInterval(this.#timer)
    if (this.#tty) this.#stream.write('\r\x1b[K')
  }
}
