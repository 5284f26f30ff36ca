// Length-prefixed framing: an unsigned LEB128 varint byte count, then that many bytes.
// The decoder is pure (no stream in it) so bad input is tested byte by byte.

export class FrameTooLargeError extends Error {
  override name = 'FrameTooLargeError'
  readonly code = 'TOO_LARGE'
  constructor (readonly length: number, readonly max: number) {
    super(`frame of ${length} bytes exceeds the ${max}-byte limit`)
  }
}

export class BadFrameError extends Error {
  override name = 'BadFrameError'
  readonly code = 'BAD_REQUEST'
}

/** Varint longer than this many bytes cannot describe a frame we accept. */
const MAX_VARINT_BYTES = 5

export function encodeFrame (payload: Uint8Array): Uint8Array {
  let n = payload.length
  const head: number[] = []
  do {
    let byte = n & 0x7f
    n = Math.floor(n / 128)
    if (n > 0) byte |= 0x80
    head.push(byte)
  } while (n > 0)
  const out = new Uint8Array(head.length + payload.length)
  out.set(head, 0)
  out.set(payload, head.length)
  return out
}

/**
 * Accumulates chunks and yields whole frames. Never buffers more than one frame
 * plus its header: a length over `maxFrameBytes` throws before the body arrives.
 */
export class FrameDecoder {
  #chunks: Uint8Array[] = []
  #buffered = 0
  #expected = -1

  constructor (readonly maxFrameBytes: number) {}

  /** Bytes held waiting for the rest of a frame. */
  get buffered (): number { return this.#buffered }

  /** A frame has begun (some of its header or body arrived) and is not complete yet. */
  get inFrame (): boolean { return this.#expected >= 0 || this.#buffered > 0 }

  push (chunk: Uint8Array): Uint8Array[] {
    if (chunk.length > 0) {
      this.#chunks.push(chunk)
      this.#buffered += chunk.length
    }
    const frames: Uint8Array[] = []
    for (;;) {
      if (this.#expected < 0 && !this.#readHeader()) break
      if (this.#buffered < this.#expected) break
      frames.push(this.#take(this.#expected))
      this.#expected = -1
    }
    return frames
  }

  #readHeader (): boolean {
    let value = 0
    let shift = 1
    let i = 0
    for (const chunk of this.#chunks) {
      for (const byte of chunk) {
        i++
        value += (byte & 0x7f) * shift
        if ((byte & 0x80) === 0) {
          if (value > this.maxFrameBytes) throw new FrameTooLargeError(value, this.maxFrameBytes)
          this.#take(i)
          this.#expected = value
          return true
        }
        shift *= 128
        if (i >= MAX_VARINT_BYTES) throw new BadFrameError('frame length varint is too long')
      }
    }
    return false
  }

  #take (n: number): Uint8Array {
    // Common case: the bytes sit in the first chunk; hand out a view, not a copy.
    if (n === 0) return new Uint8Array(0)
    const first = this.#chunks[0]
    if (first.length >= n) {
      this.#chunks[0] = first.subarray(n)
      if (this.#chunks[0].length === 0) this.#chunks.shift()
      this.#buffered -= n
      return first.subarray(0, n)
    }
    const out = new Uint8Array(n)
    let off = 0
    while (off < n) {
      const head = this.#chunks[0]
      const want = n - off
      if (head.length <= want) {
        out.set(head, off)
        off += head.length
        this.#chunks.shift()
      } else {
        out.set(head.subarray(0, want), off)
        this.#chunks[0] = head.subarray(want)
        off += want
      }
    }
    this.#buffered -= n
    return out
  }
}
