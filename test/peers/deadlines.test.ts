// Servers bound the deadlines remotes send: a 49-day deadline is cut at the server's own bound
// (--lookup-timeout-ms), so a client operation that cannot finish gives up then instead of
// holding a request slot; and work whose deadline passed while the process was stopped
// (SIGSTOP: the request sat unread in the socket buffer) is answered TIMEOUT, not done.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { generateKeyPair } from '@libp2p/crypto/keys'
import type { Libp2p, Stream } from '@libp2p/interface'
import { multiaddr } from '@multiformats/multiaddr'
import { ClientRequest, ErrorCode, Frame, MessageType, type Frame as FrameT } from '../../protocol/chord.js'
import { CHORD_PROTOCOL } from '../../protocol/constants.js'
import { encodeFrame } from '../../protocol/framing.js'
import { errorName, typeNumber } from '../../protocol/messages.js'
import { splitP2p } from '../../protocol/peerInfo.js'
import { hashToId, hexToId, inHalfOpen } from '../../protocol/ring.js'
import { createNode } from '../../daemon/host/libp2pNode.js'
import { readFrames } from '../../daemon/rpc/streamIo.js'
import { ChordClient } from '../../tools/lib/client.js'
import { checkRing } from '../../tools/lib/ringCheck.js'
import { killAll, startChordd, type Daemon } from '../helpers/chordd.js'

const LOOKUP_TIMEOUT_MS = 3_000
const RPC_TIMEOUT_MS = 500
const MAX_CLOCK_SKEW_MS = 1_000
const FLAGS = ['--stabilize-ms', '200', '--fix-fingers-ms', '200', '--check-predecessor-ms', '500', '--rpc-timeout-ms', String(RPC_TIMEOUT_MS), '--lookup-timeout-ms', String(LOOKUP_TIMEOUT_MS), '--max-clock-skew-ms', String(MAX_CLOCK_SKEW_MS), '--http', 'off', '--log-level', 'error']
const enc = new TextEncoder()

describe('server-side deadlines', () => {
  let raw: Libp2p
  let client: ChordClient
  const targetOf = (d: Daemon): { peerId: string, addrs: string[] } => ({ peerId: d.info.peerId, addrs: [splitP2p(d.info.listen[0]).addr] })

  before(async () => {
    raw = await createNode({ privateKey: await generateKeyPair('Ed25519'), listen: [], dialFrom: '127.0.0.1' })
    client = await ChordClient.create({ timeoutMs: 10_000, dialFrom: '127.0.0.1' })
  })
  after(async () => {
    await raw?.stop()
    await client?.stop()
    await killAll()
  })

  async function openStream (d: Daemon): Promise<{ stream: Stream, next: (timeoutMs: number) => Promise<FrameT | undefined> }> {
    const stream = await raw.dialProtocol(multiaddr(d.info.listen[0]), CHORD_PROTOCOL, { signal: AbortSignal.timeout(10_000) })
    const it = readFrames(stream, 4 << 20)[Symbol.asyncIterator]()
    return {
      stream,
      next: async (timeoutMs) => {
        let timer: NodeJS.Timeout | undefined
        const late = new Promise<never>((_resolve, reject) => { timer = setTimeout(() => { reject(new Error(`no answer within ${timeoutMs} ms`)) }, timeoutMs) })
        try {
          const r = await Promise.race([it.next(), late])
          return r.done === true ? undefined : r.value.frame
        } finally {
          clearTimeout(timer)
        }
      }
    }
  }
  const clientPut = (id: number, key: Uint8Array, deadlineMs: number): Uint8Array => encodeFrame(Frame.encode({
    id, type: typeNumber(MessageType.CLIENT_PUT), deadlineMs, body: ClientRequest.encode({ key: key as Uint8Array<ArrayBuffer>, value: enc.encode('v'), iterative: false, fingersOnly: false })
  }))

  test('a 49-day deadline is cut at --lookup-timeout-ms: a put that cannot reach its owner is answered then', { timeout: 90_000 }, async () => {
    const a = await startChordd(['--listen', '/ip4/127.0.7.1/tcp/0', ...FLAGS])
    const b = await startChordd(['--listen', '/ip4/127.0.7.2/tcp/0', '--bootstrap', a.info.listen[0], ...FLAGS])
    const deadline = Date.now() + 30_000
    for (;;) {
      const views = (await Promise.all([a, b].map(async d => await client.state(targetOf(d)).catch(() => undefined)))).filter(v => v != null)
      if (checkRing(views, [a, b].map(d => ({ peerId: d.info.peerId, ringId: d.info.ringId })), 8).ideal) break
      assert.ok(Date.now() < deadline, 'ring of two not ideal in 30 s')
      await new Promise(resolve => setTimeout(resolve, 200))
    }
    // A key b owns; then b stops answering (SIGSTOP), and a keeps it as its last successor.
    let key: Uint8Array
    for (let i = 0; ; i++) {
      key = enc.encode(`owned-by-b-${i}`)
      if (inHalfOpen(hashToId(key), hexToId(a.info.ringId), hexToId(b.info.ringId))) break
    }
    const { stream, next } = await openStream(a)
    b.proc.kill('SIGSTOP')
    try {
      const sent = performance.now()
      stream.send(clientPut(1, key, 0xffffffff))
      const r = await next(LOOKUP_TIMEOUT_MS + 10_000)
      const tookMs = performance.now() - sent
      console.log(`CLIENT_PUT with deadline_ms 2^32-1 (49.7 days) answered ${errorName(r?.error ?? 0)} after ${tookMs.toFixed(0)} ms (bound ${LOOKUP_TIMEOUT_MS} ms): ${r?.errorMessage ?? ''}`)
      assert.equal(r?.id, 1)
      assert.ok([ErrorCode.TIMEOUT, ErrorCode.UNREACHABLE].includes(errorName(r!.error)), `answered ${errorName(r!.error)}`)
      // It stops within its own bound, not at the remote's 49 days...
      assert.ok(tookMs <= LOOKUP_TIMEOUT_MS + 1_000, `it gave up after ${tookMs.toFixed(0)} ms, past its own bound`)
      // ...and not at the first failed attempt: it retries (each try at the owner is given two RPC
      // timeouts) until too little is left for a write whose failure can be reported safely, which
      // is at most --max-clock-skew-ms before the bound (writeFence.ts).
      assert.ok(tookMs >= 2 * 2 * RPC_TIMEOUT_MS, `it gave up after ${tookMs.toFixed(0)} ms, before a second try at the owner`)
      assert.ok(tookMs >= LOOKUP_TIMEOUT_MS - MAX_CLOCK_SKEW_MS - 250, `it gave up after ${tookMs.toFixed(0)} ms, with time for another safe try left`)
    } finally {
      b.proc.kill('SIGCONT')
      await stream.close().catch(() => {})
    }
  })

  test('a request whose deadline passed while the process was stopped is answered TIMEOUT and not done', { timeout: 60_000 }, async () => {
    const c = await startChordd(['--listen', '/ip4/127.0.7.3/tcp/0', ...FLAGS])
    const { stream, next } = await openStream(c)
    // The stream works, and the stall clock has ticked.
    stream.send(encodeFrame(Frame.encode({ id: 1, type: typeNumber(MessageType.PING), deadlineMs: 1000, body: new Uint8Array() })))
    assert.equal(errorName((await next(10_000))!.error), ErrorCode.OK)
    await new Promise(resolve => setTimeout(resolve, 300))
    c.proc.kill('SIGSTOP')
    try {
      stream.send(clientPut(2, enc.encode('stalled'), 1_000))
      await new Promise(resolve => setTimeout(resolve, 2_500))
    } finally {
      c.proc.kill('SIGCONT')
    }
    const r = await next(10_000)
    console.log(`CLIENT_PUT with deadline_ms 1000 sent during a 2.5 s SIGSTOP: ${errorName(r?.error ?? 0)}: ${r?.errorMessage ?? ''}`)
    assert.equal(r?.id, 2)
    assert.equal(errorName(r!.error), ErrorCode.TIMEOUT)
    assert.match(r!.errorMessage, /stalled for \d+ ms/)
    const got = await client.get(targetOf(c), enc.encode('stalled'))
    assert.equal(got.found, false, 'the put was not done')
    // Once running again, requests are served as before.
    stream.send(clientPut(3, enc.encode('after'), 5_000))
    const again = await next(10_000)
    assert.equal(errorName(again!.error), ErrorCode.OK, again?.errorMessage)
    await stream.close().catch(() => {})
  })
})
