// Adaptive maintenance's hints: a change of our successor list or predecessor is told to the
// peers behind us (NEIGHBORS_CHANGED), at most once per peer a base period, and a hint is taken
// only from a peer in our successor list. Also: which changes RingState counts.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { pino } from 'pino'
import { ChangeHints } from '../../daemon/ring/changeHints.js'
import { RingState } from '../../daemon/ring/ringState.js'
import type { RequestContext } from '../../daemon/rpc/server.js'
import type { PeerRef } from '../../protocol/peerInfo.js'

const peer = (n: number): PeerRef => ({ peerId: `p${n}`, id: BigInt(n) * 1000n, addrs: [] })
const log = pino({ level: 'silent' })
const ctx = (from: string): RequestContext => ({ remotePeer: from, remoteAddr: '/ip4/127.0.0.1/tcp/1', signal: new AbortController().signal, deadlineMs: 1000 })

function setup (minGapMs = 60_000): { ring: RingState, hinted: string[], hints: ChangeHints, woken: () => number } {
  const ring = new RingState(peer(5), 4, log)
  ring.adoptSuccessors(peer(6), [peer(7)], 'test')
  ring.setPredecessor(peer(4), 'test')
  const hinted: string[] = []
  const rpc = { request: async (p: { peerId: string }) => { hinted.push(p.peerId); return {} } }
  const hints = new ChangeHints({ ring, rpc: rpc as never, rpcTimeoutMs: 100, minGapMs, signal: new AbortController().signal })
  let woken = 0
  hints.start(() => { woken++ })
  return { ring, hinted, hints, woken: () => woken }
}

describe('RingState counts changes', () => {
  test('a new successor list, predecessor or lost finger bumps the version; the same list again does not', () => {
    const ring = new RingState(peer(5), 4, log)
    const kinds: string[] = []
    ring.watch(c => { kinds.push(c.kind) })
    ring.adoptSuccessors(peer(6), [peer(7)], 'test')
    const v = ring.version
    ring.adoptSuccessors(peer(6), [peer(7)], 'test')
    assert.equal(ring.version, v, 'the same list is no change')
    ring.fingers.set(9, peer(8))
    ring.markDead('p8', 'test')
    ring.setPredecessor(peer(4), 'test')
    assert.deepEqual(kinds, ['successors', 'fingers', 'predecessors', 'predecessor'])
  })
})

describe('ChangeHints', () => {
  test('a changed successor list is hinted to the predecessor, once per gap, the last change when the gap ends', async () => {
    const { ring, hinted, hints } = setup(50)
    ring.adoptSuccessors(peer(6), [peer(8)], 'test')
    ring.adoptSuccessors(peer(6), [peer(9)], 'test')
    ring.adoptSuccessors(peer(6), [peer(7)], 'test')
    assert.deepEqual(hinted, ['p4'])
    await new Promise(resolve => setTimeout(resolve, 100))
    assert.deepEqual(hinted, ['p4', 'p4'], 'the changes within the gap are told once, after it')
    assert.equal(hints.sent, 2)
  })

  test('a predecessor replaced by a joiner is hinted: it has a closer successor now', () => {
    const { ring, hinted } = setup()
    ring.setPredecessor(({ peerId: 'p4b', id: 4500n, addrs: [] }), 'joiner')
    assert.deepEqual(hinted, ['p4'])
  })

  test('a predecessor dropped as dead is not hinted', () => {
    const { ring, hinted } = setup()
    ring.markDead('p4', 'dead')
    assert.deepEqual(hinted, [])
  })

  test('a hint wakes stabilize only when it comes from our successor list', async () => {
    const { hints, woken } = setup()
    await hints.handle({}, ctx('p9'))
    assert.equal(woken(), 0, 'a stranger cannot make us work')
    await hints.handle({}, ctx('p7'))
    assert.equal(woken(), 1)
  })
})
