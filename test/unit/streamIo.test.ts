// readFrames' partial-frame deadline and byte budget, on a stand-in stream (no sockets).
import { test, describe } from 'node:test'
import assert from 'node:assert/strict'
import type { Stream } from '@libp2p/interface'
import { Frame } from '../../protocol/chord.js'
import { encodeFrame } from '../../protocol/framing.js'
import { ByteBudget } from '../../daemon/rpc/byteBudget.js'
import { FrameBudgetError, FrameTimeoutError, readFrames } from '../../daemon/rpc/streamIo.js'

/** A stream whose chunks the test pushes; end() ends it. Only the async iterator is used by readFrames. */
function fakeStream (): { stream: Stream, push: (b: Uint8Array) => void, end: () => void } {
  const queue: Uint8Array[] = []
  let ended = false
  let wake: (() => void) | undefined
  const it = {
    async next (): Promise<IteratorResult<Uint8Array>> {
      while (queue.length === 0 && !ended) await new Promise<void>(resolve => { wake = resolve })
      if (queue.length > 0) return { done: false, value: queue.shift()! }
      return { done: true, value: undefined }
    },
    async return (): Promise<IteratorResult<Uint8Array>> { ended = true; wake?.(); return { done: true, value: undefined } }
  }
  const stream = { [Symbol.asyncIterator]: () => it } as unknown as Stream
  return { stream, push: b => { queue.push(b); wake?.() }, end: () => { ended = true; wake?.() } }
}

const frameBytes = (id: number, bodyBytes: number): Uint8Array => encodeFrame(Frame.encode({ id, type: 1, body: new Uint8Array(bodyBytes) }))

async function collect (gen: AsyncGenerator<{ frame: Frame }>): Promise<{ ids: number[], err?: Error }> {
  const ids: number[] = []
  try {
    for await (const { frame } of gen) ids.push(frame.id)
    return { ids }
  } catch (err) {
    return { ids, err: err as Error }
  }
}

describe('readFrames limits', () => {
  test('a frame begun and not finished within the deadline ends the read with FrameTimeoutError', async () => {
    const s = fakeStream()
    const started = performance.now()
    const done = collect(readFrames(s.stream, 1 << 20, { partialFrameTimeoutMs: 100 }))
    const f = frameBytes(7, 1000)
    s.push(frameBytes(1, 10))
    s.push(f.subarray(0, 500)) // half a frame, then nothing
    const r = await done
    assert.deepEqual(r.ids, [1])
    assert.ok(r.err instanceof FrameTimeoutError, String(r.err))
    assert.equal(r.err.name, 'FrameTimeoutError')
    assert.ok(performance.now() - started >= 95)
  })

  test('the deadline is per frame: frames that keep completing are read however long the stream lasts', async () => {
    const s = fakeStream()
    const done = collect(readFrames(s.stream, 1 << 20, { partialFrameTimeoutMs: 80 }))
    // Each chunk ends inside the next frame, so a partial frame is always pending; each completes within 40 ms.
    const all = new Uint8Array(Array.from({ length: 8 }, (_, i) => [...frameBytes(i + 1, 100)]).flat())
    for (let off = 0; off < all.length; off += 150) {
      s.push(all.subarray(off, off + 150))
      await new Promise(resolve => setTimeout(resolve, 40))
    }
    s.end()
    const r = await done
    assert.equal(r.err, undefined)
    assert.deepEqual(r.ids, [1, 2, 3, 4, 5, 6, 7, 8])
  })

  test('no deadline while no frame is pending: an idle stream is not closed', async () => {
    const s = fakeStream()
    const done = collect(readFrames(s.stream, 1 << 20, { partialFrameTimeoutMs: 30 }))
    s.push(frameBytes(1, 10))
    await new Promise(resolve => setTimeout(resolve, 120))
    s.push(frameBytes(2, 10))
    s.end()
    assert.deepEqual(await done, { ids: [1, 2] })
  })

  test('partial frames are charged to the budget while incomplete; past it the read ends with FrameBudgetError', async () => {
    const budget = new ByteBudget({ perRemote: 4096, total: 1 << 20 })
    const account = budget.account(['peer:x'])
    const s = fakeStream()
    const gen = readFrames(s.stream, 1 << 20, { account })
    const big = frameBytes(1, 10_000)
    s.push(big.subarray(0, 3000))
    const first = gen.next()
    await new Promise(resolve => setTimeout(resolve, 10))
    assert.equal(budget.used('peer:x'), 3000 - headerBytes(big), 'the partial frame\'s body so far is charged')
    s.push(big.subarray(3000, 6000))
    await assert.rejects(first, (e: Error) => e instanceof FrameBudgetError && e.name === 'FrameBudgetError')
    assert.equal(budget.used(), 0, 'everything is given back when the read ends')
  })

  test('a completed frame\'s bytes are given back when it is yielded', async () => {
    const budget = new ByteBudget({ perRemote: 1 << 20, total: 1 << 20 })
    const account = budget.account(['peer:x'])
    const s = fakeStream()
    const gen = readFrames(s.stream, 1 << 20, { account })
    const f = frameBytes(3, 2000)
    const next = frameBytes(4, 100)
    s.push(concat(f, next.subarray(0, 20)))
    const r = await gen.next()
    assert.equal(r.value?.frame.id, 3)
    assert.equal(budget.used('peer:x'), 20 - headerBytes(next), 'only the next frame\'s first bytes stay charged')
    s.end()
    assert.equal((await gen.next()).done, true)
    assert.equal(budget.used(), 0)
  })
})

/** Length of a frame's varint header (its bytes are consumed, not held). */
function headerBytes (framed: Uint8Array): number {
  let i = 0
  while ((framed[i] & 0x80) !== 0) i++
  return i + 1
}

function concat (a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length)
  out.set(a, 0)
  out.set(b, a.length)
  return out
}
