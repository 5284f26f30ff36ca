// A coordinator's counting (daemon/keys/quorums.ts, pastRefusals.ts walkCandidates): whom the
// replica walk may ask, how many copies a write waits for, which replica answers hold it, the
// newest version that supersedes it, and when a stand-in's read may be answered.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { ApplyResult } from '../../protocol/chord.js'
import type { PeerRef } from '../../protocol/peerInfo.js'
import { walkCandidates, WALK_SPARES, type WalkAnswer } from '../../daemon/keys/pastRefusals.js'
import { heldBy, newestSuperseding, readQuorum, readRefusal, writeQuorumFor } from '../../daemon/keys/quorums.js'
import { OWNER, standInAt } from '../../daemon/keys/standIn.js'

const peer = (name: string): PeerRef => ({ peerId: name, id: BigInt(name.charCodeAt(0)), addrs: [] })
const applied = (over: Partial<ApplyResult> = {}): ApplyResult => ({ applied: 1, held: 1, superseded: [], refused: 0, ...over })
const ok = (name: string, value: ApplyResult): WalkAnswer<ApplyResult> => ({ peer: peer(name), value, refused: false })
const failed = (name: string, refused = false): WalkAnswer<ApplyResult> => ({ peer: peer(name), refused, error: new Error('no') })
const superseding = (ts: bigint, writer: number): ApplyResult['superseded'][number] => ({ key: Uint8Array.of(1), ts, writer: Uint8Array.of(writer), deleted: false })

describe('walkCandidates', () => {
  test('the wanted successors and WALK_SPARES more, ourselves left out', () => {
    const succ = ['a', 'me', 'b', 'c', 'd', 'e'].map(peer)
    assert.equal(WALK_SPARES, 2)
    assert.deepEqual(walkCandidates(succ, 'me', 2).map(p => p.peerId), ['a', 'b', 'c', 'd'])
    assert.deepEqual(walkCandidates(succ, 'me', 0).map(p => p.peerId), ['a', 'b'])
    assert.deepEqual(walkCandidates(succ, 'me', 9).map(p => p.peerId), ['a', 'b', 'c', 'd', 'e'])
  })
})

describe('writeQuorumFor', () => {
  test('w copies, ours included, or every member a ring smaller than w has', () => {
    assert.equal(writeQuorumFor({ writeQuorum: 2, want: 2, candidates: 4 }), 2)
    assert.equal(writeQuorumFor({ writeQuorum: 3, want: 1, candidates: 3 }), 2, 'a stand-in with r = 3 places one copy besides its own')
    assert.equal(writeQuorumFor({ writeQuorum: 3, want: 2, candidates: 1 }), 2, 'a two-peer ring')
    assert.equal(writeQuorumFor({ writeQuorum: 2, want: 2, candidates: 0 }), 1, 'alone')
  })
})

describe('heldBy', () => {
  test('only answers that superseded nothing and refused nothing hold the write', () => {
    const answers = [
      ok('a', applied()),
      ok('b', applied({ superseded: [superseding(9n, 1)] })),
      ok('c', applied({ refused: 1, applied: 0, held: 0 })),
      failed('d'),
      failed('e', true),
      ok('f', applied({ applied: 0 }))
    ]
    assert.equal(heldBy(answers), 2)
    assert.equal(heldBy([]), 0)
  })
})

describe('newestSuperseding', () => {
  test('the newest version held above the write, by timestamp and then writer', () => {
    const answers = [ok('a', applied({ superseded: [superseding(5n, 9)] })), ok('b', applied()), ok('c', applied({ superseded: [superseding(7n, 1)] })), ok('d', applied({ superseded: [superseding(7n, 2)] }))]
    assert.deepEqual(newestSuperseding(answers), { ts: 7n, writer: Uint8Array.of(2) })
  })

  test('none superseded: undefined', () => {
    assert.equal(newestSuperseding([ok('a', applied()), failed('b')]), undefined)
  })
})

describe('readRefusal', () => {
  test('the read quorum is r - w + 1', () => {
    assert.equal(readQuorum(3, 2), 2)
    assert.equal(readQuorum(5, 3), 3)
    assert.equal(readQuorum(3, 3), 1)
  })

  test('the owner answers whatever it reached', () => {
    assert.equal(readRefusal(OWNER, { replicas: 3, writeQuorum: 2, reached: 1, found: false }), undefined)
  })

  test('a stand-in answers only at a read quorum', () => {
    assert.match(readRefusal(standInAt(1, 3), { replicas: 3, writeQuorum: 2, reached: 1, found: true }) ?? '', /read quorum is 2/)
    assert.equal(readRefusal(standInAt(1, 3), { replicas: 3, writeQuorum: 2, reached: 2, found: false }), undefined, 'a replica that found nothing says the key is not there')
  })

  test('a spare that found nothing says nothing about the key', () => {
    assert.match(readRefusal(standInAt(3, 3), { replicas: 3, writeQuorum: 2, reached: 2, found: false }) ?? '', /stand-in 3 is past the replica set/)
    assert.equal(readRefusal(standInAt(3, 3), { replicas: 3, writeQuorum: 2, reached: 2, found: true }), undefined)
  })
})
