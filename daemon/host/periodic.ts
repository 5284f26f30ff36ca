// A task run every `periodMs` (+-10% jitter so a swarm started at once does not beat in
// lock-step), never overlapping itself; stop() waits for a run in progress.
export class Periodic {
  #timer: NodeJS.Timeout | undefined
  #running: Promise<void> | undefined
  #stopped = true

  constructor (readonly name: string, readonly periodMs: number, readonly task: () => Promise<void>, readonly onError: (err: unknown) => void) {}

  start (): void {
    if (!this.#stopped) return
    this.#stopped = false
    this.#schedule()
  }

  #schedule (): void {
    if (this.#stopped) return
    const jitter = 0.9 + Math.random() * 0.2
    this.#timer = setTimeout(() => { void this.runNow() }, Math.round(this.periodMs * jitter))
    this.#timer.unref()
  }

  /** Run the task now (or join the run in progress), then keep the schedule. */
  async runNow (): Promise<void> {
    if (this.#running != null) return await this.#running
    clearTimeout(this.#timer)
    this.#running = (async () => {
      try {
        await this.task()
      } catch (err) {
        this.onError(err)
      } finally {
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
