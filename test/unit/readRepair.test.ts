// Read repair (daemon/keys/readRepair.ts): the newest of our copy and the replicas' answers,
// which replicas are stale and get it pushed, and whether our own copy is.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { PeerRef } from '../../protocol/peerInfo.js'
import { localIsStale, newestOf, staleOf, type ReplicaAnswer } from '../../daemon/keys/readRepair.js'
import type { KeyRecord } from '../../daemon/keys/store/recordStore.js'

const peer = (name: string): PeerRef => ({ peerId: name, id: BigInt(name.charCodeAt(0)), addrs: [] })
const rec = (ts: bigint, writer = 1): KeyRecord => ({ key: Uint8Array.of(7), value: Uint8Array.of(Number(ts)), deleted: false, version: { ts, writer: Uint8Array.of(writer) } })
const answer = (name: string, record?: KeyRecord, ok = true): ReplicaAnswer => ({ peer: peer(name), record, ok })

describe('newestOf', () => {
  test('the newest copy wins, by timestamp and then by writer', () => {
    const a = rec(5n)
    const b = rec(9n)
    const c = rec(9n, 2)
    assert.equal(newestOf(rec(7n), [answer('a', a), answer('b', b)]), b)
    assert.equal(newestOf(rec(7n), [answer('b', b), answer('c', c), answer('a', a)]), c, 'equal timestamps: the larger writer')
  })

  test('our own copy stands when no answer is newer, also on a tie', () => {
    const mine = rec(9n)
    assert.equal(newestOf(mine, [answer('a', rec(5n)), answer('b')]), mine)
    assert.equal(newestOf(mine, [answer('a', rec(9n))]), mine)
  })

  test('nothing anywhere: undefined; nothing here: the replicas\' newest', () => {
    assert.equal(newestOf(undefined, [answer('a'), answer('b', undefined, false)]), undefined)
    const b = rec(3n)
    assert.equal(newestOf(undefined, [answer('a'), answer('b', b)]), b)
  })

  test('a tombstone is a copy like any other', () => {
    const gone = { ...rec(12n), deleted: true }
    assert.equal(newestOf(rec(9n), [answer('a', gone)]), gone)
  })
})

describe('staleOf', () => {
  test('replicas that answered with an older copy or none are stale; equal and failed ones are not', () => {
    const newest = rec(9n)
    const answers = [answer('older', rec(5n)), answer('none'), answer('same', rec(9n)), answer('failed', undefined, false), answer('newerWriter', rec(9n, 2)), answer('olderWriter', rec(9n, 0))]
    assert.deepEqual(staleOf(answers, newest).map(a => a.peer.peerId), ['older', 'none', 'olderWriter'])
  })

  test('no answers, nothing stale', () => {
    assert.deepEqual(staleOf([], rec(1n)), [])
  })
})

describe('localIsStale', () => {
  test('our copy is repaired when it is missing or older, not when it is the newest', () => {
    const newest = rec(9n)
    assert.equal(localIsStale(undefined, newest), true)
    assert.equal(localIsStale(rec(5n), newest), true)
    assert.equal(localIsStale(rec(9n), newest), false)
    assert.equal(localIsStale(newest, newest), false)
  })
})
