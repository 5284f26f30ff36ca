// The per-hop deadline share (daemon/ring/hopShare.ts): a next hop gets at most one RPC timeout and
// at most three quarters of what is left, so a lookup can still route around a hop that stalls.
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { HOP_SHARE, hopShare } from '../../daemon/ring/hopShare.js'

describe('hopShare', () => {
  test('three quarters of what is left, rounded down, while that is under one RPC timeout', () => {
    assert.equal(hopShare({ leftMs: 1000, rpcTimeoutMs: 5000 }), 750)
    assert.equal(hopShare({ leftMs: 3, rpcTimeoutMs: 5000 }), 2)
    assert.equal(hopShare({ leftMs: 1, rpcTimeoutMs: 5000 }), 0, 'one ms left is not enough for a hop')
  })

  test('never more than one RPC timeout, however long the lookup may take', () => {
    assert.equal(hopShare({ leftMs: 60_000, rpcTimeoutMs: 2000 }), 2000)
    assert.equal(hopShare({ leftMs: 2000 / HOP_SHARE, rpcTimeoutMs: 2000 }), 2000)
  })

  test('a quarter is kept back: after a next hop that stalls for its whole share, time is left for another', () => {
    for (const leftMs of [100, 1000, 2500, 10_000]) {
      const share = hopShare({ leftMs, rpcTimeoutMs: 2000 })
      assert.ok(share < leftMs, `left ${leftMs}: share ${share}`)
      assert.ok(leftMs - share >= leftMs / 4, `left ${leftMs}: ${leftMs - share} kept back`)
    }
  })

  test('out of time: not positive', () => {
    assert.ok(hopShare({ leftMs: 0, rpcTimeoutMs: 2000 }) <= 0)
    assert.ok(hopShare({ leftMs: -50, rpcTimeoutMs: 2000 }) <= 0)
  })
})
