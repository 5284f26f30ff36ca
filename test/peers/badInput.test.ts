// Bad input gets an error reply or a closed stream, never a dead peer: garbage on the
// TCP port, oversized and malformed frames, unknown types, wrong id lengths, forged ids.
import assert from 'node:assert/strict'
import { connect } from 'node:net'
import { after, before, describe, test } from 'node:test'
import { generateKeyPair } from '@libp2p/crypto/keys'
import type { Libp2p, Stream } from '@libp2p/interface'
import { multiaddr } from '@multiformats/multiaddr'
import { ErrorCode, Frame, MessageType, Notify, FindSuccessor, ClientRequest, type Frame as FrameT } from '../../protocol/chord.js'
import { errorName, typeNumber } from '../../protocol/messages.js'
import { CHORD_PROTOCOL, MAX_KEY_BYTES, MAX_VALUE_BYTES } from '../../protocol/constants.js'
import { ChordError } from '../../protocol/errors.js'
import { peerIdBytes } from '../../protocol/peerInfo.js'
import { splitP2p } from '../../protocol/peerInfo.js'
import { createNode } from '../../daemon/host/libp2pNode.js'
import { readFrames } from '../../daemon/rpc/streamIo.js'
import { encodeFrame } from '../../protocol/framing.js'
import { createTestnet, type Testnet } from '../../tools/testnet.js'

const enc = new TextEncoder()

describe('bad input does not take a peer down', () => {
  let net: Testnet
  let raw: Libp2p

  before(async () => {
    net = await createTestnet({ peers: 3, peerConfig: { stabilizeMs: 100, fixFingersMs: 50, checkPredecessorMs: 200 } })
    assert.ok((await net.waitIdeal({ timeoutMs: 30_000 })).ideal)
    raw = await createNode({ privateKey: await generateKeyPair('Ed25519'), listen: [] })
  })
  after(async () => {
    await raw?.stop()
    await net?.stop()
  })

  const victim = (): { addr: string, peerId: string } => ({ addr: splitP2p(net.peers[0].info.listen[0]).addr, peerId: net.peers[0].info.peerId })
  const stillServes = async (): Promise<void> => {
    const r = await net.client.put(net.peers[0].target, enc.encode('after'), enc.encode('ok'))
    assert.ok(r.owner != null)
    assert.ok((await net.client.state(net.peers[0].target)).ready)
  }

  async function openStream (): Promise<{ stream: Stream, next: () => Promise<FrameT | undefined> }> {
    const stream = await raw.dialProtocol(multiaddr(net.peers[0].info.listen[0]), CHORD_PROTOCOL)
    const it = readFrames(stream, 4 << 20)[Symbol.asyncIterator]()
    return { stream, next: async () => { const r = await it.next(); return r.done === true ? undefined : r.value.frame } }
  }
  const send = (stream: Stream, bytes: Uint8Array): void => { stream.send(bytes) }
  const framed = encodeFrame

  test('garbage bytes on the TCP port', { timeout: 30_000 }, async () => {
    const { addr } = victim()
    const [, , host, , port] = addr.split('/')
    for (const junk of [Buffer.alloc(4096, 0xff), Buffer.from('GET / HTTP/1.1\r\n\r\n'), Buffer.from([0x13, 0x2f, 0x6d, 0x75, 0x6c, 0x74, 0x69, 0x0a])]) {
      await new Promise<void>(resolve => {
        const s = connect(Number(port), host, () => { s.write(junk) })
        s.on('error', () => resolve())
        s.on('close', () => resolve())
        setTimeout(() => { s.destroy(); resolve() }, 2_000)
      })
    }
    await stillServes()
  })

  test('unknown type and malformed bodies get error replies; the stream stays usable', { timeout: 30_000 }, async () => {
    const { stream, next } = await openStream()
    send(stream, framed(Frame.encode({ id: 1, type: 99, body: new Uint8Array(), deadlineMs: 1000 })))
    let r = await next()
    assert.equal(r?.id, 1)
    assert.equal(errorName(r!.error), ErrorCode.UNKNOWN_TYPE)

    send(stream, framed(Frame.encode({ id: 2, type: typeNumber(MessageType.FIND_SUCCESSOR), body: FindSuccessor.encode({ target: new Uint8Array(5), hops: 1, fingersOnly: false, maintenance: false }), deadlineMs: 1000 })))
    r = await next()
    assert.equal(r?.id, 2)
    assert.equal(errorName(r!.error), ErrorCode.BAD_REQUEST)
    assert.match(r?.errorMessage ?? '', /20 bytes/)

    send(stream, framed(Frame.encode({ id: 3, type: typeNumber(MessageType.NOTIFY), body: Uint8Array.from([0x0a, 0xff, 0xff, 0xff, 0x0f]), deadlineMs: 1000 })))
    r = await next()
    assert.equal(r?.id, 3)
    assert.equal(errorName(r!.error), ErrorCode.BAD_REQUEST)

    send(stream, framed(Frame.encode({ id: 4, type: typeNumber(MessageType.PING), body: new Uint8Array(), deadlineMs: 1000 })))
    r = await next()
    assert.equal(r?.id, 4)
    assert.equal(errorName(r!.error), ErrorCode.OK, 'the same stream still answers')
    await stream.close()
    await stillServes()
  })

  test('an oversized frame header gets TOO_LARGE and a closed stream', { timeout: 30_000 }, async () => {
    const { stream, next } = await openStream()
    send(stream, Uint8Array.from([0x80, 0x80, 0x80, 0x40])) // varint 2^27 = 128 MiB
    const r = await next()
    assert.equal(errorName(r!.error), ErrorCode.TOO_LARGE)
    assert.equal(await next(), undefined, 'stream closed after the error')
    await stillServes()
  })

  test('bytes that are not a Frame get BAD_REQUEST and a closed stream', { timeout: 30_000 }, async () => {
    const { stream, next } = await openStream()
    send(stream, framed(Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff])))
    const r = await next()
    assert.equal(errorName(r!.error), ErrorCode.BAD_REQUEST)
    assert.equal(await next(), undefined)
    await stillServes()
  })

  test('a forged ring id is refused (ID_MISMATCH) and does not become predecessor', { timeout: 30_000 }, async () => {
    const before = (await net.client.state(net.peers[0].target)).predecessor?.peerId
    const { stream, next } = await openStream()
    const forged = { peerId: peerIdBytes(raw.peerId.toString()), ringId: new Uint8Array(20).fill(7), addrs: [] }
    send(stream, framed(Frame.encode({ id: 9, type: typeNumber(MessageType.NOTIFY), body: Notify.encode({ self: forged }), deadlineMs: 1000 })))
    const r = await next()
    assert.equal(errorName(r!.error), ErrorCode.ID_MISMATCH)
    assert.equal((await net.client.state(net.peers[0].target)).predecessor?.peerId, before)
    await stream.close()
  })

  test('keys and values over their limits are refused with TOO_LARGE', { timeout: 30_000 }, async () => {
    const t = net.peers[0].target
    await assert.rejects(net.client.put(t, new Uint8Array(MAX_KEY_BYTES + 1), enc.encode('v')), (e: ChordError) => e.code === ErrorCode.TOO_LARGE && /1024-byte limit/.test(e.message))
    await assert.rejects(net.client.put(t, enc.encode('k'), new Uint8Array(MAX_VALUE_BYTES + 1)), (e: ChordError) => e.code === ErrorCode.TOO_LARGE && /1048576-byte limit/.test(e.message))
    await assert.rejects(net.client.get(t, new Uint8Array()), (e: ChordError) => e.code === ErrorCode.BAD_REQUEST)
    const ok = ClientRequest.encode({ key: enc.encode('k'), value: new Uint8Array(MAX_VALUE_BYTES), iterative: false, fingersOnly: false })
    assert.ok(ok.length > MAX_VALUE_BYTES)
    await net.client.put(t, enc.encode('k'), new Uint8Array(MAX_VALUE_BYTES))
    await stillServes()
  })
})
