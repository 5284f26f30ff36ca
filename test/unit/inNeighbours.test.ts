// In-neighbours as routing candidates: bounded, forgotten when unheard, ring id from the peer id.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { InNeighbours } from '../../daemon/choking/inNeighbours.js'
import { peerIdBytes } from '../../protocol/peerInfo.js'
import { hashToId } from '../../protocol/ring.js'

const ids = async (n: number): Promise<string[]> => await Promise.all(Array.from({ length: n }, async () => peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()))

describe('InNeighbours', () => {
  test('remembers who asked, with ring id = SHA-1 of the peer id and the connection address', async () => {
    const [a] = await ids(1)
    const n = new InNeighbours({ maxPeers: 4, ttlMs: 1000, now: () => 0 })
    n.heard(a, '/ip4/127.0.0.9/tcp/5555')
    const [p] = n.list()
    assert.equal(p.peerId, a)
    assert.equal(p.id, hashToId(peerIdBytes(a)))
    assert.deepEqual(p.addrs, ['/ip4/127.0.0.9/tcp/5555'])
  })

  test('bounded: the oldest is dropped; skipped and stale ones are pruned', async () => {
    const peers = await ids(5)
    let now = 0
    let skipped: string | undefined
    const n = new InNeighbours({ maxPeers: 4, ttlMs: 1000, now: () => now, skip: id => id === skipped })
    for (const p of peers) n.heard(p, '/ip4/127.0.0.1/tcp/1')
    assert.deepEqual(n.list().map(p => p.peerId), peers.slice(1))
    skipped = peers[2]
    n.prune()
    assert.deepEqual(n.list().map(p => p.peerId), [peers[1], peers[3], peers[4]])
    now = 500
    n.heard(peers[4], '/ip4/127.0.0.1/tcp/1')
    now = 1200
    n.prune()
    assert.deepEqual(n.list().map(p => p.peerId), [peers[4]])
    n.forget(peers[4])
    assert.equal(n.list().length, 0)
  })
})
