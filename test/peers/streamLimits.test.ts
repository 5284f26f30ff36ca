// What one remote can make a peer hold on its chord streams: a partial frame has a deadline,
// partial frames share a byte budget per remote (BUSY past it), a connection has 8 chord
// streams. Each ends with an error frame (id 0) and a closed stream; the peer goes on serving.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { generateKeyPair } from '@libp2p/crypto/keys'
import type { Libp2p, Stream } from '@libp2p/interface'
import { multiaddr } from '@multiformats/multiaddr'
import { ClientRequest, ErrorCode, Frame, MessageType, type Frame as FrameT } from '../../protocol/chord.js'
import { CHORD_PROTOCOL, MAX_CHORD_STREAMS_PER_CONNECTION, MAX_FRAME_BYTES, MAX_VALUE_BYTES } from '../../protocol/constants.js'
import { encodeFrame } from '../../protocol/framing.js'
import { errorName, typeNumber } from '../../protocol/messages.js'
import { createNode } from '../../daemon/host/libp2pNode.js'
import { readFrames } from '../../daemon/rpc/streamIo.js'
import { createTestnet, type Testnet } from '../../tools/testnet.js'

const FRAME_TIMEOUT_MS = 2_000
const PER_REMOTE = 2 * MAX_FRAME_BYTES // the least config allows: two frames of the largest size
const enc = new TextEncoder()

describe('limits on chord streams', () => {
  let net: Testnet
  let raw: Libp2p

  before(async () => {
    net = await createTestnet({ peers: 1, peerConfig: { limits: { frameTimeoutMs: FRAME_TIMEOUT_MS, maxBufferedBytesPerRemote: PER_REMOTE, maxBufferedBytes: 4 * PER_REMOTE } } })
    raw = await createNode({ privateKey: await generateKeyPair('Ed25519'), listen: [] })
  })
  after(async () => {
    await raw?.stop()
    await net?.stop()
  })

  const open = async (): Promise<{ stream: Stream, frames: () => Promise<FrameT[]> }> => {
    const stream = await raw.dialProtocol(multiaddr(net.peers[0].info.listen[0]), CHORD_PROTOCOL, { signal: AbortSignal.timeout(5_000) })
    // Every frame until the stream ends (a reset ends it too).
    const frames = async (): Promise<FrameT[]> => {
      const out: FrameT[] = []
      try { for await (const { frame } of readFrames(stream, 4 << 20)) out.push(frame) } catch {}
      return out
    }
    return { stream, frames }
  }
  /** A frame header announcing `length` bytes, then `sent` of them. */
  const partial = (length: number, sent: number): Uint8Array => {
    const whole = encodeFrame(new Uint8Array(length))
    return whole.subarray(0, whole.length - length + sent)
  }
  const stillServes = async (): Promise<void> => {
    const r = await net.client.put(net.peers[0].target, enc.encode('after'), new Uint8Array(MAX_VALUE_BYTES))
    assert.ok(r.owner != null, 'the peer still serves a 1 MiB put')
  }

  test('half a frame, then nothing: TIMEOUT after the partial-frame deadline and a closed stream', { timeout: 30_000 }, async () => {
    const { stream, frames } = await open()
    const started = performance.now()
    stream.send(partial(1000, 500))
    const got = await frames()
    const tookMs = performance.now() - started
    assert.equal(got.length, 1)
    assert.equal(got[0].id, 0)
    assert.equal(errorName(got[0].error), ErrorCode.TIMEOUT)
    assert.match(got[0].errorMessage, /partial frame not completed within 2000 ms/)
    assert.ok(tookMs >= FRAME_TIMEOUT_MS - 100 && tookMs < FRAME_TIMEOUT_MS + 5_000, `closed after ${tookMs.toFixed(0)} ms`)
    await stillServes()
  })

  test('partial frames past the per-remote budget: BUSY and a closed stream; the others go on', { timeout: 30_000 }, async () => {
    const a = await open()
    const b = await open()
    const c = await open()
    const big = MAX_FRAME_BYTES - 100
    const endA = a.frames()
    const endB = b.frames()
    a.stream.send(partial(big, 900_000))
    b.stream.send(partial(big, 900_000))
    await new Promise(resolve => setTimeout(resolve, 300))
    c.stream.send(partial(big, 900_000)) // 2.7 MB held by one remote would pass 2.1 MiB
    const gotC = await c.frames()
    assert.equal(errorName(gotC[0]?.error ?? 0), ErrorCode.BUSY, gotC.map(f => `${f.id}:${errorName(f.error)}`).join(", "))
    assert.match(gotC[0].errorMessage, /byte budget/)
    // a and b were within the budget: they are cut by the deadline, not by BUSY.
    for (const got of [await endA, await endB]) assert.equal(errorName(got[0]?.error ?? 0), ErrorCode.TIMEOUT)
    // Everything the three held was given back: this remote's 1 MiB put fits its budget again.
    const d = await open()
    d.stream.send(encodeFrame(Frame.encode({
      id: 5, type: typeNumber(MessageType.CLIENT_PUT), deadlineMs: 5_000,
      body: ClientRequest.encode({ key: enc.encode('big'), value: new Uint8Array(MAX_VALUE_BYTES), iterative: false, fingersOnly: false })
    })))
    let answer: FrameT | undefined
    for await (const { frame } of readFrames(d.stream, 4 << 20)) { answer = frame; break }
    assert.equal(answer?.id, 5)
    assert.equal(errorName(answer!.error), ErrorCode.OK, answer?.errorMessage)
    await d.stream.close()
    await stillServes()
  })

  test(`at most ${MAX_CHORD_STREAMS_PER_CONNECTION} chord streams per connection; closing some makes room`, { timeout: 30_000 }, async () => {
    const streams: Stream[] = []
    for (let i = 0; i < MAX_CHORD_STREAMS_PER_CONNECTION; i++) streams.push((await open()).stream)
    const ping = async (stream: Stream): Promise<FrameT | undefined> => {
      stream.send(encodeFrame(Frame.encode({ id: 7, type: typeNumber(MessageType.PING), deadlineMs: 1000, body: new Uint8Array() })))
      for await (const { frame } of readFrames(stream, 4 << 20)) return frame
      return undefined
    }
    const extra = await open()
    await assert.rejects(async () => { if ((await ping(extra.stream)) == null) throw new Error('ended') }, 'the 9th stream is reset')
    await streams[0].close()
    await new Promise(resolve => setTimeout(resolve, 300))
    for (let tries = 0; ; tries++) {
      const again = await open()
      const r = await ping(again.stream).catch(() => undefined)
      if (r != null) { assert.equal(errorName(r.error), ErrorCode.OK); break }
      assert.ok(tries < 20, 'a stream opens once one is closed')
      await new Promise(resolve => setTimeout(resolve, 200))
    }
    for (const s of streams) await s.close().catch(() => {})
  })
})
