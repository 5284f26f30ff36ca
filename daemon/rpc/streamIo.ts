// Frame I/O on a libp2p 3 stream: bounded decoding of incoming chunks, and sends
// that respect backpressure (FACTS: send() returns false -> await onDrain()).
import type { Stream } from '@libp2p/interface'
import { Frame } from '../../protocol/chord.js'
import { BadFrameError, encodeFrame, FrameDecoder } from '../../protocol/framing.js'

export function chunkBytes (chunk: Uint8Array | { subarray: () => Uint8Array }): Uint8Array {
  return chunk instanceof Uint8Array ? chunk : chunk.subarray()
}

/**
 * Yields decoded Frames. Bad input throws FrameTooLargeError or BadFrameError (bytes that are
 * not a Frame); anything else thrown is the stream's own failure.
 */
export async function * readFrames (stream: Stream, maxFrameBytes: number): AsyncGenerator<{ frame: Frame, bytes: number }> {
  const decoder = new FrameDecoder(maxFrameBytes)
  for await (const chunk of stream) {
    for (const raw of decoder.push(chunkBytes(chunk))) {
      let frame: Frame
      try {
        frame = Frame.decode(raw)
      } catch (err) {
        throw new BadFrameError(`malformed frame: ${(err as Error).message}`)
      }
      yield { frame, bytes: raw.length }
    }
  }
}

/**
 * Sends one frame; waits for the stream to drain first if it asked us to, at most
 * `drainTimeoutMs` (the timer is only made when there is something to wait for).
 * Returns bytes sent.
 */
export async function writeFrame (stream: Stream, frame: Partial<Frame>, opts: { signal?: AbortSignal, drainTimeoutMs?: number } = {}): Promise<number> {
  const bytes = encodeFrame(Frame.encode(frame))
  if (stream.writableNeedsDrain) {
    const signal = opts.drainTimeoutMs == null ? opts.signal : AbortSignal.any([AbortSignal.timeout(opts.drainTimeoutMs), ...(opts.signal == null ? [] : [opts.signal])])
    await stream.onDrain({ signal })
  }
  stream.send(bytes)
  return bytes.length
}
