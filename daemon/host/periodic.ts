// A task run every period (+-10% jitter so a swarm started at once does not beat in
// lock-step), never overlapping itself; stop() waits for a run in progress. The period may
// adapt (maintenanceSchedule.ts): a run that reports 'quiet' stretches it up to its bound, a
// run that changed something, failed, or a reset() from outside puts it back to the base.
import { JITTER, nextPeriodMs, type PeriodBounds } from './maintenanceSchedule.js'

/** What a run found: 'quiet' when it changed nothing (the period may stretch). */
export type RunOutcome = 'quiet' | 'changed' | undefined

export interface PeriodicInit {
  name: string
  /** Base and longest period, ms; equal for a fixed period. */
  bounds: PeriodBounds
  /** One run; what it returns decides the next period (undefined counts as a change). */
  run: () => Promise<RunOutcome | void>
  onError: (err: unknown) => void
}

export class Periodic {
  readonly name: string
  readonly #i: PeriodicInit
  #timer: NodeJS.Timeout | undefined
  #dueAt = 0
  #running: Promise<void> | undefined
  #stopped = true
  #periodMs: number
  /** reset() calls so far: one during a run means its own 'quiet' must not stretch the period. */
  #resets = 0

  constructor (init: PeriodicInit) {
    this.#i = init
    this.name = init.name
    this.#periodMs = init.bounds.baseMs
  }

  /** The current period, ms (before jitter). */
  get periodMs (): number { return this.#periodMs }

  start (): void {
    if (!this.#stopped) return
    this.#stopped = false
    this.#schedule()
  }

  #schedule (): void {
    if (this.#stopped) return
    const delay = Math.round(this.#periodMs * (1 - JITTER + Math.random() * 2 * JITTER))
    clearTimeout(this.#timer)
    this.#dueAt = Date.now() + delay
    this.#timer = setTimeout(() => { void this.runNow() }, delay)
    this.#timer.unref()
  }

  /**
   * Something changed: back to the base period at once. A run due later than one base
   * period from now is brought forward to it; a run in progress is not interrupted.
   */
  reset (): void {
    this.#resets++
    if (this.#periodMs === this.#i.bounds.baseMs) return
    this.#periodMs = this.#i.bounds.baseMs
    if (this.#running == null && !this.#stopped && this.#dueAt - Date.now() > this.#periodMs * (1 + JITTER)) this.#schedule()
  }

  /** Run the task now (or join the run in progress), then keep the schedule. */
  async runNow (): Promise<void> {
    if (this.#running != null) return await this.#running
    clearTimeout(this.#timer)
    const resets = this.#resets
    this.#running = (async () => {
      let changed = true
      try {
        changed = (await this.#i.run()) !== 'quiet'
      } catch (err) {
        this.#i.onError(err)
      } finally {
        this.#periodMs = nextPeriodMs(this.#periodMs, this.#i.bounds, changed || this.#resets !== resets)
        this.#running = undefined
        this.#schedule()
      }
    })()
    return await this.#running
  }

  async stop (): Promise<void> {
    this.#stopped = true
    clearTimeout(this.#timer)
    await this.#running
  }
}
