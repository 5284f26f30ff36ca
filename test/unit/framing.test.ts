import { test, describe } from 'node:test'
import assert from 'node:assert/strict'
import { BadFrameError, FrameDecoder, FrameTooLargeError, encodeFrame } from '../../protocol/framing.js'

function payload (n: number, seed = 1): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff)
}

function concat (parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0))
  let off = 0
  for (const p of parts) { out.set(p, off); off += p.length }
  return out
}

describe('encodeFrame', () => {
  test('header is an unsigned LEB128 varint of the payload length', () => {
    assert.deepEqual(encodeFrame(new Uint8Array(0)), Uint8Array.of(0))
    assert.deepEqual(encodeFrame(Uint8Array.of(9)), Uint8Array.of(1, 9))
    assert.deepEqual(encodeFrame(payload(127)).subarray(0, 2), Uint8Array.of(0x7f, payload(127)[0]))
    assert.deepEqual(encodeFrame(payload(128)).subarray(0, 2), Uint8Array.of(0x80, 0x01))
    // 300 = 0b10_0101100: the protobuf encoding guide's own varint example.
    const f = encodeFrame(payload(300))
    assert.equal(f.length, 302)
    assert.deepEqual(f.subarray(0, 2), Uint8Array.of(0xac, 0x02))
    assert.deepEqual(f.subarray(2), payload(300))
    assert.deepEqual(encodeFrame(payload(16384)).subarray(0, 3), Uint8Array.of(0x80, 0x80, 0x01))
  })
})

describe('FrameDecoder', () => {
  test('round trip of one frame in one chunk', () => {
    const d = new FrameDecoder(1 << 20)
    const p = payload(1000)
    const frames = d.push(encodeFrame(p))
    assert.equal(frames.length, 1)
    assert.deepEqual(frames[0], p)
    assert.equal(d.buffered, 0)
  })

  test('empty payload yields an empty frame', () => {
    const d = new FrameDecoder(10)
    const frames = d.push(encodeFrame(new Uint8Array(0)))
    assert.equal(frames.length, 1)
    assert.equal(frames[0].length, 0)
    assert.deepEqual(d.push(Uint8Array.of(0, 0)).map(f => f.length), [0, 0])
  })

  test('several frames in one chunk, in order', () => {
    const ps = [payload(3, 1), new Uint8Array(0), payload(200, 2), payload(1, 3)]
    const d = new FrameDecoder(1000)
    assert.deepEqual(d.push(concat(ps.map(encodeFrame))), ps)
    assert.equal(d.buffered, 0)
  })

  test('one byte at a time: each frame appears exactly when its last byte arrives', () => {
    const ps = [payload(5, 1), new Uint8Array(0), payload(300, 2), payload(130, 3)]
    const frames = ps.map(encodeFrame)
    const wire = concat(frames)
    const ends = new Set<number>()
    let off = 0
    for (const f of frames) { off += f.length; ends.add(off) }
    const d = new FrameDecoder(1000)
    const got: Uint8Array[] = []
    for (let i = 0; i < wire.length; i++) {
      const out = d.push(wire.subarray(i, i + 1))
      assert.equal(out.length, ends.has(i + 1) ? 1 : 0, `after byte ${i + 1}`)
      got.push(...out)
    }
    assert.deepEqual(got, ps)
    assert.equal(d.buffered, 0)
  })

  test('split at every possible boundary into two chunks', () => {
    const ps = [payload(129, 4), payload(2, 5), new Uint8Array(0), payload(300, 6)]
    const wire = concat(ps.map(encodeFrame))
    for (let cut = 0; cut <= wire.length; cut++) {
      const d = new FrameDecoder(1000)
      const got = [...d.push(wire.slice(0, cut)), ...d.push(wire.slice(cut))]
      assert.deepEqual(got, ps, `cut at ${cut}`)
      assert.equal(d.buffered, 0)
    }
  })

  test('frames do not alias a later reuse of the input buffer', () => {
    const d = new FrameDecoder(100)
    const chunk = encodeFrame(Uint8Array.of(1, 2, 3))
    const [frame] = d.push(chunk.subarray(0, 2))
      .concat(d.push(chunk.subarray(2)))
    chunk.fill(0)
    assert.deepEqual(frame, Uint8Array.of(1, 2, 3))
  })

  test('partial frame is held in buffered', () => {
    const d = new FrameDecoder(1000)
    assert.deepEqual(d.push(encodeFrame(payload(300)).subarray(0, 100)), [])
    assert.equal(d.buffered, 98, 'header consumed, 98 body bytes waiting')
  })

  test('length over maxFrameBytes throws FrameTooLargeError from the header alone', () => {
    const d = new FrameDecoder(299)
    const header = encodeFrame(payload(300)).subarray(0, 2)
    assert.throws(() => d.push(header), (err: unknown) => {
      assert.ok(err instanceof FrameTooLargeError)
      assert.equal(err.name, 'FrameTooLargeError')
      assert.equal(err.code, 'TOO_LARGE')
      assert.equal(err.length, 300)
      assert.equal(err.max, 299)
      return true
    })
  })

  test('length exactly maxFrameBytes is accepted', () => {
    const d = new FrameDecoder(300)
    assert.deepEqual(d.push(encodeFrame(payload(300))), [payload(300)])
  })

  test('a varint longer than 5 bytes throws BadFrameError', () => {
    const d = new FrameDecoder(Number.MAX_SAFE_INTEGER)
    assert.throws(() => d.push(Uint8Array.of(0x80, 0x80, 0x80, 0x80, 0x80, 0x01)), (err: unknown) => {
      assert.ok(err instanceof BadFrameError)
      assert.equal(err.name, 'BadFrameError')
      assert.equal(err.code, 'BAD_REQUEST')
      return true
    })
    // Byte by byte: the fifth continuation byte is already enough to refuse.
    const d2 = new FrameDecoder(Number.MAX_SAFE_INTEGER)
    for (let i = 0; i < 4; i++) assert.deepEqual(d2.push(Uint8Array.of(0xff)), [])
    assert.throws(() => d2.push(Uint8Array.of(0xff)), BadFrameError)
  })

  test('a 5-byte varint is still accepted', () => {
    const d = new FrameDecoder(10)
    // Non-minimal encoding of 3 in 5 bytes.
    assert.deepEqual(d.push(Uint8Array.of(0x83, 0x80, 0x80, 0x80, 0x00, 7, 8, 9)), [Uint8Array.of(7, 8, 9)])
  })
})

describe('FrameDecoder.inFrame', () => {
  test('true from the first header byte until the frame completes, also with the header consumed and no body yet', () => {
    const d = new FrameDecoder(1 << 20)
    assert.equal(d.inFrame, false)
    const f = encodeFrame(payload(300))
    d.push(f.subarray(0, 1))
    assert.equal(d.inFrame, true, 'half a varint')
    d.push(f.subarray(1, 2))
    assert.equal(d.buffered, 0)
    assert.equal(d.inFrame, true, 'header read, body awaited')
    assert.equal(d.push(f.subarray(2)).length, 1)
    assert.equal(d.inFrame, false)
  })
})
