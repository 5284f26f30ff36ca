// Read a stream to its end but keep at most maxBytes + 1 bytes: one byte past the limit
// tells a value is too large, so the rest is never read (the stream is closed instead).
import type { Readable } from 'node:stream'

export type Bounded =
  | { kind: 'whole', bytes: Uint8Array }
  /** More than maxBytes arrived; reading stopped there. */
  | { kind: 'over', maxBytes: number }

export async function readBounded (stream: Readable, maxBytes: number): Promise<Bounded> {
  const chunks: Buffer[] = []
  let total = 0
  // for await waits for data however late it comes (a pipe's writer may not have written
  // yet); leaving the loop early destroys the stream.
  for await (const chunk of stream) {
    const c = typeof chunk === 'string' ? Buffer.from(chunk) : chunk as Buffer
    const take = c.subarray(0, maxBytes + 1 - total)
    chunks.push(take)
    total += take.length
    if (total > maxBytes) return { kind: 'over', maxBytes }
  }
  return { kind: 'whole', bytes: Buffer.concat(chunks, total) }
}
