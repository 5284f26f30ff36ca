// The test stabilize and partition healing share (daemon/ring/closerSuccessor.ts): a peer strictly
// between us and our successor is a closer successor; its interval wraps, its ends are open.
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import type { PeerRef } from '../../protocol/peerInfo.js'
import { RING_SIZE } from '../../protocol/ring.js'
import { isCloserSuccessor } from '../../daemon/ring/closerSuccessor.js'

const at = (id: bigint, name = `p${id}`): PeerRef => ({ peerId: name, id, addrs: [] })

describe('isCloserSuccessor', () => {
  const self = at(100n)
  const succ = at(200n)

  test('stabilize: the successor\'s predecessor between us and it is a closer successor', () => {
    for (const id of [101n, 150n, 199n]) assert.equal(isCloserSuccessor(self, succ, at(id)), true, `candidate ${id}`)
  })

  test('one past the successor or before us is not', () => {
    for (const id of [201n, 5000n, 99n, 0n]) assert.equal(isCloserSuccessor(self, succ, at(id)), false, `candidate ${id}`)
  })

  test('neither we nor the successor is, nor a peer with either id', () => {
    assert.equal(isCloserSuccessor(self, succ, self), false)
    assert.equal(isCloserSuccessor(self, succ, succ), false)
    assert.equal(isCloserSuccessor(self, succ, at(100n, 'twin')), false)
    assert.equal(isCloserSuccessor(self, succ, at(200n, 'twin')), false)
  })

  test('the interval wraps at 2^160', () => {
    const high = at(RING_SIZE - 10n)
    const low = at(10n)
    assert.equal(isCloserSuccessor(high, low, at(RING_SIZE - 1n)), true)
    assert.equal(isCloserSuccessor(high, low, at(0n)), true)
    assert.equal(isCloserSuccessor(high, low, at(5n)), true)
    assert.equal(isCloserSuccessor(high, low, at(11n)), false)
    assert.equal(isCloserSuccessor(high, low, at(RING_SIZE - 11n)), false)
  })

  test('healing: alone (our successor is us), any other member is a closer successor', () => {
    for (const id of [0n, 99n, 101n, RING_SIZE - 1n]) assert.equal(isCloserSuccessor(self, self, at(id)), true, `candidate ${id}`)
    assert.equal(isCloserSuccessor(self, self, self), false)
  })
})
