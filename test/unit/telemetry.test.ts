// What a peer says of itself, built from its parts without sockets: the ready line, the
// telemetry document (GET /stats, GET_STATS) and GET_STATE, which a tool decodes into the
// same peers the document names (one contract, protocol/telemetry.ts and peerState.ts).
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { peerInfo, peerState, peerStats, statsJson } from '../../daemon/meters/telemetry.js'
import { PeerState } from '../../protocol/chord.js'
import { viewOf } from '../../protocol/peerState.js'
import { idToHex } from '../../protocol/ring.js'
import { parts } from '../helpers/telemetryParts.js'

describe('telemetry', () => {
  test('the ready line names the peer and where it listens', async () => {
    const { parts: p, self } = await parts()
    assert.deepEqual(peerInfo(p), { peerId: self.peerId, ringId: idToHex(self.id), listen: [`/ip4/127.0.0.1/tcp/1/p2p/${self.peerId}`], http: '127.0.0.1:9000' })
  })

  test('the document reads every part when asked', async () => {
    const { parts: p, succ, pred } = await parts()
    const s = peerStats(p, 5_000)
    assert.equal(s.uptimeMs, 4_000)
    assert.equal(s.at, 5_000)
    assert.deepEqual(s.ring.predecessor, { peerId: pred.peerId, ringId: idToHex(pred.id) })
    assert.deepEqual(s.ring.successors.map(x => x.peerId), [succ.peerId, pred.peerId])
    assert.deepEqual(s.store, { records: 7, bytes: 700, durability: { journalMode: 'wal', synchronous: 2 } })
    assert.deepEqual(s.faults?.refusedRecords, { accepted: 5, notHolder: 1, clockSkew: 0 })
    assert.equal(s.faults?.refusedNotMember, 3)
    assert.deepEqual(s.maintenance, { mode: 'adaptive', periodsMs: { stabilize: 1200, 'check-predecessor': 1000, 'fix-fingers': 1000, repair: 5000 } })
    assert.equal(s.faults?.suspectCount, 1)
    assert.deepEqual(s.config, { successors: 4, replicas: 3, writeQuorum: 2 })
    assert.equal(s.meters.costs.forwarding, 2, 'priced with the configured prices')
    assert.equal(s.choking?.behavior, 'contributor')
    p.meters.recordServed({ tag: 'service', peerId: succ.peerId, bytesIn: 1, bytesOut: 1, micros: 1, failed: false })
    assert.equal(peerStats(p).meters.served.service.requests, 1, 'no copy: the next document sees the new count')
    assert.deepEqual(JSON.parse(statsJson(s)), JSON.parse(JSON.stringify(s)))
  })

  test('statsJson writes bigints as decimal strings', () => {
    assert.equal(statsJson({ n: 2n ** 70n } as never), '{"n":"1180591620717411303424"}')
  })

  test('GET_STATE, over the wire and decoded, names the peers the document names', async () => {
    const { parts: p } = await parts()
    const view = viewOf(PeerState.decode(PeerState.encode(peerState(p))))
    const doc = peerStats(p)
    assert.equal(view.peerId, doc.peerId)
    assert.equal(view.ringId, doc.ringId)
    assert.deepEqual(view.predecessor && { peerId: view.predecessor.peerId, ringId: view.predecessor.ringId }, doc.ring.predecessor)
    assert.deepEqual(view.successors.map(x => ({ peerId: x.peerId, ringId: x.ringId })), doc.ring.successors)
    assert.deepEqual(view.fingers.map(f => ({ start: f.start, peerId: f.peerId, ringId: f.ringId })), doc.ring.fingers)
    assert.equal(view.distinctFingers.length, doc.ring.distinctFingers)
    assert.deepEqual([view.keys, view.storeBytes, view.ready, view.http], [7, 700, true, '127.0.0.1:9000'])
  })
})
