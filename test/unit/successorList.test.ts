import { test, describe } from 'node:test'
import assert from 'node:assert/strict'
import { SuccessorList, samePeers } from '../../daemon/ring/successorList.js'
import type { PeerRef } from '../../protocol/peerInfo.js'

const peer = (n: number): PeerRef => ({ peerId: 'p' + n, id: BigInt(n), addrs: [] })
const P = Array.from({ length: 20 }, (_, n) => peer(n))
const ids = (list: SuccessorList): string[] => list.entries.map(p => p.peerId)

describe('SuccessorList', () => {
  test('constructor rejects a length below 1 or not an integer', () => {
    for (const len of [0, -1, 1.5, Number.NaN]) {
      assert.throws(() => new SuccessorList(P[0], len), RangeError, `length ${len}`)
    }
    assert.equal(new SuccessorList(P[0], 1).length, 1)
  })

  test('empty list: first() is self', () => {
    const l = new SuccessorList(P[0], 3)
    assert.equal(l.first(), P[0])
    assert.deepEqual(l.entries, [])
  })

  test('adopt builds [succ] + its list, cut to r', () => {
    const l = new SuccessorList(P[0], 3)
    l.adopt(P[1], [P[2], P[3], P[4], P[5]])
    assert.deepEqual(ids(l), ['p1', 'p2', 'p3'])
    assert.equal(l.first(), P[1])
  })

  test('adopt with r = 1 keeps only the successor', () => {
    const l = new SuccessorList(P[0], 1)
    l.adopt(P[4], [P[5], P[6]])
    assert.deepEqual(ids(l), ['p4'])
  })

  test('adopt drops duplicates, and they do not use up the length', () => {
    const l = new SuccessorList(P[0], 3)
    l.adopt(P[1], [P[1], P[2], P[2], P[1], P[3], P[4]])
    assert.deepEqual(ids(l), ['p1', 'p2', 'p3'])
  })

  test('adopt stops where the list comes back round to self (no second lap)', () => {
    // Zave 2017: copying the second lap of a small ring keeps dead entries circulating.
    const l = new SuccessorList(P[0], 8)
    l.adopt(P[1], [P[2], P[0], P[1], P[2]])
    assert.deepEqual(ids(l), ['p1', 'p2'])
    // It stops rather than skips: a new peer after self is not copied either.
    l.adopt(P[1], [P[0], P[9]])
    assert.deepEqual(ids(l), ['p1'])
  })

  test('self matched by peer id, not by object identity', () => {
    const l = new SuccessorList(P[0], 4)
    l.adopt(P[1], [{ ...P[0], addrs: ['/ip4/1.2.3.4/tcp/1'] }, P[2]])
    assert.deepEqual(ids(l), ['p1'])
  })

  test('adopting self as successor empties the list (alone again)', () => {
    const l = new SuccessorList(P[0], 4)
    l.adopt(P[1], [P[2]])
    l.adopt(P[0], [P[1], P[2]])
    assert.deepEqual(l.entries, [])
    assert.equal(l.first(), P[0])
  })

  test('remove drops a peer; the next entry becomes the successor', () => {
    const l = new SuccessorList(P[0], 4)
    l.adopt(P[1], [P[2], P[3]])
    assert.equal(l.remove('p1'), true)
    assert.deepEqual(ids(l), ['p2', 'p3'])
    assert.equal(l.first(), P[2])
    assert.equal(l.remove('p1'), false, 'already gone')
    assert.equal(l.remove('p9'), false, 'never there')
    assert.equal(l.has('p3'), true)
    assert.equal(l.remove('p3'), true)
    assert.equal(l.has('p3'), false)
    assert.equal(l.remove('p2'), true)
    assert.equal(l.first(), P[0], 'all removed: alone')
  })

  test('a previously read entries array is a snapshot: adopt does not mutate it', () => {
    const l = new SuccessorList(P[0], 3)
    l.adopt(P[1], [P[2]])
    const before = l.entries
    l.adopt(P[3], [P[4]])
    assert.deepEqual(before.map(p => p.peerId), ['p1', 'p2'], 'adopt replaces the array instead of mutating it')
  })

  test('samePeers compares peer ids in order', () => {
    assert.equal(samePeers([P[1], P[2]], [P[1], P[2]]), true)
    assert.equal(samePeers([P[1], P[2]], [P[2], P[1]]), false)
    assert.equal(samePeers([P[1]], [P[1], P[2]]), false)
    assert.equal(samePeers([], []), true)
  })
})
