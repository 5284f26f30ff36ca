// RingState bookkeeping: failures drop peers everywhere, except that the last successor is
// only dropped by a goodbye, never by a timeout (a loaded peer must not isolate itself).
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { pino } from 'pino'
import { RingState } from '../../daemon/ring/ringState.js'
import type { PeerRef } from '../../protocol/peerInfo.js'

const peer = (n: number): PeerRef => ({ peerId: `p${n}`, id: BigInt(n) * 1000n, addrs: [] })
const log = pino({ level: 'silent' })

describe('RingState.markDead', () => {
  test('drops a failed peer from successors, fingers and predecessor', () => {
    const ring = new RingState(peer(0), 4, log)
    ring.adoptSuccessors(peer(1), [peer(2), peer(3)], 'test')
    ring.fingers.set(5, peer(2))
    ring.setPredecessor(peer(2), 'test')
    ring.markDead('p2', 'test')
    assert.deepEqual(ring.successors.entries.map(p => p.peerId), ['p1', 'p3'])
    assert.equal(ring.fingers.get(5), undefined)
    assert.equal(ring.predecessor, undefined)
  })

  test('keeps the last successor on a failure, drops it on a goodbye', () => {
    const ring = new RingState(peer(0), 4, log)
    ring.adoptSuccessors(peer(1), [], 'test')
    ring.markDead('p1', 'timeout')
    assert.deepEqual(ring.successors.entries.map(p => p.peerId), ['p1'])
    assert.equal(ring.alone(), false)
    ring.markDead('p1', 'left', { leftGracefully: true })
    assert.equal(ring.alone(), true)
  })

  test('routing state counts distinct peers of fingers, successors and predecessor', () => {
    const ring = new RingState(peer(0), 4, log)
    ring.adoptSuccessors(peer(1), [peer(2)], 'test')
    ring.fingers.set(1, peer(2))
    ring.fingers.set(7, peer(5))
    ring.setPredecessor(peer(9), 'test')
    assert.equal(ring.routingStateSize(), 4)
  })
})

describe('RingState predecessor list', () => {
  test('[predecessor] + its list, cut to length and at ourselves; its version moves only when the list changes (a notify resends it only then)', () => {
    const ring = new RingState(peer(0), 4, log, { predecessors: 3 })
    const list = (): string[] => ring.predecessors.map(p => p.peerId)
    ring.setPredecessor(peer(9), 'test')
    ring.adoptPredecessors(peer(9), [peer(8), peer(7)])
    assert.deepEqual(list(), ['p9', 'p8', 'p7'])
    const v = ring.predecessorsVersion
    ring.adoptPredecessors(peer(9), [peer(8), peer(7)])
    ring.adoptPredecessors(peer(9), [peer(8), peer(7), peer(6)])
    ring.adoptPredecessors(peer(9), [{ ...peer(8), addrs: ['/ip4/1.1.1.1/tcp/2'] }, peer(7)])
    assert.equal(ring.predecessorsVersion, v, 'the same list, after the cut, compared by peer id')
    ring.adoptPredecessors(peer(9), [peer(7), peer(8)])
    assert.equal(ring.predecessorsVersion, v + 1, 'reordered')
    ring.adoptPredecessors(peer(9), [peer(8), peer(0), peer(7)])
    assert.deepEqual(list(), ['p9', 'p8'], 'stops at ourselves: a second lap')
    assert.equal(ring.predecessorsVersion, v + 2)
    ring.adoptPredecessors(peer(5), [peer(4)])
    assert.deepEqual(list(), ['p9', 'p8'], 'only our predecessor\'s list is taken')
  })
})

describe('RingState: a peer that restarted at new addresses', () => {
  const moved = (n: number): PeerRef => ({ ...peer(n), addrs: ['/ip4/127.0.0.9/tcp/4002'] })

  test('a notify from the predecessor at new addresses replaces the old ones in what we answer, and counts as a change', () => {
    const ring = new RingState(peer(0), 4, log, { predecessors: 3 })
    ring.setPredecessor({ ...peer(9), addrs: ['/ip4/127.0.0.9/tcp/4001'] }, 'test')
    const v = ring.version
    const pv = ring.predecessorsVersion
    ring.setPredecessor(moved(9), 'notify')
    assert.deepEqual(ring.predecessor?.addrs, moved(9).addrs, 'what NEIGHBORS answers a stabilizing peer: the address that answers')
    assert.deepEqual(ring.predecessors[0].addrs, moved(9).addrs)
    assert.equal(ring.version, v + 1, 'adaptive maintenance hears of it')
    assert.equal(ring.predecessorsVersion, pv + 1, 'our successor is sent the new list')
    ring.setPredecessor(moved(9), 'notify')
    assert.equal(ring.version, v + 1, 'the same addresses again change nothing')
  })

  test('a predecessor list with the same peers at new addresses keeps the new addresses, without a resend', () => {
    const ring = new RingState(peer(0), 4, log, { predecessors: 3 })
    ring.setPredecessor(peer(9), 'test')
    ring.adoptPredecessors(peer(9), [peer(8), peer(7)])
    const pv = ring.predecessorsVersion
    ring.adoptPredecessors(peer(9), [moved(8), peer(7)])
    assert.deepEqual(ring.predecessors[1].addrs, moved(8).addrs)
    assert.equal(ring.predecessorsVersion, pv)
  })
})
