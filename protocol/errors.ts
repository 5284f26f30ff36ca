// Errors that cross the wire carry an ErrorCode (see chord.proto and README "Error codes").
import { ErrorCode } from './chord.js'

export { ErrorCode }

/** An error a peer reported, or one raised locally that maps onto a wire code. */
export class ChordError extends Error {
  override name = 'ChordError'
  /** True when another peer answered with this error; false when it was raised here (our own timer, our own checks). */
  readonly remote: boolean
  constructor (readonly code: ErrorCode, message: string, opts: { remote?: boolean } = {}) {
    super(message)
    this.remote = opts.remote ?? false
  }
}

export class TimeoutError extends ChordError {
  override name = 'TimeoutError'
  constructor (message = 'deadline passed') { super(ErrorCode.TIMEOUT, message) }
}

export class UnreachableError extends ChordError {
  override name = 'UnreachableError'
  constructor (message: string) { super(ErrorCode.UNREACHABLE, message) }
}

export class BadRequestError extends ChordError {
  override name = 'BadRequestError'
  constructor (message: string) { super(ErrorCode.BAD_REQUEST, message) }
}

/** Wire code of any thrown value; unknown errors are INTERNAL. */
export function codeOf (err: unknown): ErrorCode {
  if (err instanceof ChordError) return err.code
  if (err instanceof Error && (err.name === 'AbortError' || err.name === 'TimeoutError')) return ErrorCode.TIMEOUT
  return ErrorCode.INTERNAL
}

/**
 * The peer we sent to did not answer in time or could not be reached: our own timer or a
 * broken connection, not an error it relayed from further down a recursive lookup.
 */
export function isOwnFailure (err: unknown): boolean {
  if (!(err instanceof ChordError)) return true
  // NOT_MEMBER: it has not joined (daemon/ring/memberOnly.ts); as unusable for routing as one that left.
  if (err.remote) return err.code === ErrorCode.SHUTTING_DOWN || err.code === ErrorCode.BUSY || err.code === ErrorCode.NOT_MEMBER
  return err.code === ErrorCode.TIMEOUT || err.code === ErrorCode.UNREACHABLE || err.code === ErrorCode.SHUTTING_DOWN || err.code === ErrorCode.BUSY
}

/** Errors that mean "this peer could not be talked to" rather than "it answered no". */
export function isPeerFailure (err: unknown): boolean {
  if (!(err instanceof ChordError)) return true
  return err.code === ErrorCode.TIMEOUT || err.code === ErrorCode.UNREACHABLE ||
    err.code === ErrorCode.SHUTTING_DOWN || err.code === ErrorCode.BUSY || err.code === ErrorCode.NOT_MEMBER
}

/** The peer is choking us, or every hop past it choked it (docs/choking.md): route around it, it is not dead. */
export function isChoked (err: unknown): boolean {
  return err instanceof ChordError && (err.code === ErrorCode.CHOKED || err.code === ErrorCode.ROUTE_CHOKED)
}

/** The message of a free-rider's CHOKED (daemon/choking/gate.ts): on the wire only this tells its refusals from choking. */
const FREERIDER_REFUSAL = 'not serving'

/** What a free-rider answers to a request it will not serve (docs/choking.md). */
export function freeriderRefusal (): ChordError {
  return new ChordError(ErrorCode.CHOKED, FREERIDER_REFUSAL)
}

/** A refusal whose message is a free-rider's (the experiment counts those apart from choking). */
export function isFreeriderRefusal (err: unknown): boolean {
  return isChoked(err) && (err as ChordError).message.includes(FREERIDER_REFUSAL)
}
