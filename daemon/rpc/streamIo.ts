// Frame I/O on a libp2p 3 stream: bounded decoding of incoming chunks, and sends
// that respect backpressure (FACTS: send() returns false -> await onDrain()).
import type { Stream } from '@libp2p/interface'
import { Frame } from '../../protocol/chord.js'
import { BadFrameError, encodeFrame, FrameDecoder } from '../../protocol/framing.js'
import type { BudgetAccount } from './byteBudget.js'

/** A frame was begun and not completed within its deadline: the sender stalls on purpose or is gone. */
export class FrameTimeoutError extends Error {
  override name = 'FrameTimeoutError'
  readonly code = 'TIMEOUT'
}

/** A partial frame would take this stream's remote past its byte budget. */
export class FrameBudgetError extends Error {
  override name = 'FrameBudgetError'
  readonly code = 'BUSY'
}

export function chunkBytes (chunk: Uint8Array | { subarray: () => Uint8Array }): Uint8Array {
  return chunk instanceof Uint8Array ? chunk : chunk.subarray()
}

export interface ReadOptions {
  /** A frame begun and not completed within this ends the read with FrameTimeoutError, ms. Default: no deadline. */
  partialFrameTimeoutMs?: number
  /**
   * Charged with the bytes of partial frames while they are incomplete; a chunk that does not
   * fit ends the read with FrameBudgetError. A completed frame's bytes are given back when it
   * is yielded: whoever works on it charges them again. Default: none.
   */
  account?: BudgetAccount
}

/**
 * Yields decoded Frames. Bad input throws FrameTooLargeError or BadFrameError (bytes that are
 * not a Frame), FrameTimeoutError or FrameBudgetError; anything else thrown is the stream's own failure.
 */
export async function * readFrames (stream: Stream, maxFrameBytes: number, opts: ReadOptions = {}): AsyncGenerator<{ frame: Frame, bytes: number }> {
  const decoder = new FrameDecoder(maxFrameBytes)
  const { account, partialFrameTimeoutMs } = opts
  const chunks = (stream as AsyncIterable<Uint8Array | { subarray: () => Uint8Array }>)[Symbol.asyncIterator]()
  let held = 0
  // While a frame is incomplete: one timer for it, and a promise that rejects when it fires.
  // Whole frames in one chunk (the common case) never make either.
  let partial: { timer: NodeJS.Timeout, expired: Promise<never> } | undefined
  const endPartial = (): void => { if (partial != null) { clearTimeout(partial.timer); partial = undefined } }
  const startPartial = (ms: number): void => {
    let fire!: (err: Error) => void
    const expired = new Promise<never>((_resolve, reject) => { fire = reject })
    expired.catch(() => {}) // it may fire while nobody races it; the next read sees it
    const timer = setTimeout(() => { fire(new FrameTimeoutError(`partial frame not completed within ${ms} ms`)) }, ms)
    partial = { timer, expired }
  }
  try {
    for (;;) {
      const next = partial == null ? await chunks.next() : await Promise.race([chunks.next(), partial.expired])
      if (next.done === true) return
      const chunk = chunkBytes(next.value)
      if (account != null) {
        if (!account.tryReserve(chunk.length)) throw new FrameBudgetError(`a partial frame would exceed the byte budget (${account.held} bytes held)`)
        held += chunk.length
      }
      const raws = decoder.push(chunk)
      if (account != null) {
        account.release(held - decoder.buffered)
        held = decoder.buffered
      }
      // Each frame has its own deadline: one completed restarts it for the next.
      if (raws.length > 0 || !decoder.inFrame) endPartial()
      if (decoder.inFrame && partial == null && partialFrameTimeoutMs != null) startPartial(partialFrameTimeoutMs)
      for (const raw of raws) {
        let frame: Frame
        try {
          frame = Frame.decode(raw)
        } catch (err) {
          throw new BadFrameError(`malformed frame: ${(err as Error).message}`)
        }
        yield { frame, bytes: raw.length }
      }
    }
  } finally {
    endPartial()
    account?.release(held)
    // A read abandoned mid-chunk (deadline, budget) leaves a next() pending; return() runs after it.
    void chunks.return?.(undefined)?.catch(() => {})
  }
}

/**
 * Sends one frame; waits for the stream to drain first if it asked us to, at most
 * `drainTimeoutMs` (the timer is only made when there is something to wait for).
 * Returns bytes sent.
 */
export async function writeFrame (stream: Stream, frame: Partial<Frame>, opts: { signal?: AbortSignal, drainTimeoutMs?: number } = {}): Promise<number> {
  return await writeBytes(stream, encodeFrame(Frame.encode(frame)), opts)
}

/** writeFrame for a frame already encoded (the server charges its size before sending it). */
export async function writeBytes (stream: Stream, bytes: Uint8Array, opts: { signal?: AbortSignal, drainTimeoutMs?: number } = {}): Promise<number> {
  if (stream.writableNeedsDrain) await waitDrain(stream, opts)
  stream.send(bytes)
  return bytes.length
}

/** Wait until the stream has taken what it was given, bounded by `drainTimeoutMs` and `signal`. */
export async function waitDrain (stream: Stream, opts: { signal?: AbortSignal, drainTimeoutMs?: number }): Promise<void> {
  if (!stream.writableNeedsDrain) return
  const signal = opts.drainTimeoutMs == null ? opts.signal : AbortSignal.any([AbortSignal.timeout(opts.drainTimeoutMs), ...(opts.signal == null ? [] : [opts.signal])])
  await stream.onDrain({ signal })
}
