// The entry peer's half of "no write its client saw fail overwrites a write acknowledged
// after it" (README "Faults and guarantees"). Versions are minted by the entry peer before
// the request's deadline and travel with it, so a request executed late (a stalled owner
// after SIGCONT, a segment TCP delivers after a partition heals) carries its old version and
// loses to anything minted later. A failure is reported only once this peer's clock is
// --max-clock-skew-ms past the newest version that may have landed: any write invoked after
// that, on a peer whose clock is within the skew bound, mints a larger version. This is the
// commit-wait of Spanner (Corbett et al., OSDI 2012, section 4.1.2) applied to failures.
import { ErrorCode } from '../../../protocol/chord.js'
import { ChordError } from '../../../protocol/errors.js'
import { physicalMs } from '../../../protocol/version.js'
import { type HybridClock } from './hybridClock.js'

/** Answers that prove a write was not applied anywhere: the peer refused it before any work. */
const DEFINITE: ReadonlySet<ErrorCode> = new Set([
  ErrorCode.BAD_REQUEST, ErrorCode.UNKNOWN_TYPE, ErrorCode.TOO_LARGE, ErrorCode.NOT_OWNER, ErrorCode.ID_MISMATCH,
  ErrorCode.SHUTTING_DOWN, ErrorCode.CHOKED, ErrorCode.ROUTE_CHOKED, ErrorCode.CLOCK_SKEW, ErrorCode.NOT_HOLDER,
  ErrorCode.NOT_MEMBER
])

/** A remote answer that refused the write before it was applied anywhere (not a timeout, not a broken stream). */
export function isDefiniteRefusal (err: unknown): boolean {
  return err instanceof ChordError && err.remote && DEFINITE.has(err.code)
}

/** The same for our own coordinator path (entry and owner in one peer): its checks run before it applies. */
export function isDefiniteLocalRefusal (err: unknown): boolean {
  return err instanceof ChordError && DEFINITE.has(err.code)
}

export class WriteFence {
  #mayHaveLanded: bigint | undefined

  constructor (readonly clock: HybridClock, readonly maxSkewMs: number) {}

  /** A version was sent; ambiguous: it may have been applied although the write failed. */
  sent (ts: bigint, ambiguous: boolean): void {
    if (ambiguous && (this.#mayHaveLanded == null || ts > this.#mayHaveLanded)) this.#mayHaveLanded = ts
  }

  /** Time a version minted now needs before its failure may be reported, ms. */
  holdFor (ts: bigint): number {
    return Math.max(0, physicalMs(ts) + this.maxSkewMs - this.clock.now())
  }

  /** How long to hold a failure back before reporting it, ms (0 when no send may have landed). */
  holdMs (): number {
    return this.#mayHaveLanded == null ? 0 : this.holdFor(this.#mayHaveLanded)
  }
}
