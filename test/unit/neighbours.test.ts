// Stabilize's walk back (daemon/ring/neighbours.ts) with the network stubbed: from a notified
// successor it moves to that peer's predecessor while that one is a closer successor
// (closerSuccessor.ts), at most r steps a round, and adopts the list of the one it ends at.
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { pino } from 'pino'
import { MessageType, type Notify } from '../../protocol/chord.js'
import { UnreachableError } from '../../protocol/errors.js'
import { toWire, type PeerRef } from '../../protocol/peerInfo.js'
import { Neighbours, type NeighboursInit } from '../../daemon/ring/neighbours.js'
import { RingState } from '../../daemon/ring/ringState.js'

const log = pino({ level: 'silent' })
const peerIds = Promise.all(Array.from({ length: 6 }, async () => peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()))

/**
 * Us at 100 with successor 600, which has not yet learnt of the joiners at 200..500: each
 * peer's predecessor is the one just before it (200's is us). `dead` peers do not answer.
 */
async function setup (r: number, dead: string[] = []) {
  const [self, p2, p3, p4, p5, p6] = (await peerIds).map((peerId, i) => ({ peerId, id: BigInt(i + 1) * 100n, addrs: [] }))
  const order = [self, p2, p3, p4, p5, p6]
  const ring = new RingState(self, r, log)
  ring.adoptSuccessors(p6, [], 'test')
  const notified: bigint[] = []
  const rpc = {
    request: async (peer: PeerRef, type: MessageType, body: Notify) => {
      assert.equal(type, MessageType.NOTIFY)
      assert.equal(body.self?.ringId.length, 20)
      const at = order.findIndex(p => p.peerId === peer.peerId)
      notified.push(order[at].id)
      if (dead.includes(peer.peerId)) throw new UnreachableError('stubbed: dead')
      const after = order.slice(at + 1)
      return { accepted: true, neighbors: { self: toWire(order[at]), predecessor: toWire(order[at - 1]), successors: after.map(toWire) } }
    },
    forget: () => {}
  }
  const neighbours = new Neighbours({ ring, rpc: rpc as unknown as NeighboursInit['rpc'], verify: { allowExplicitIds: true }, rpcTimeoutMs: 100 })
  return { ring, neighbours, notified }
}

describe('Neighbours.settleAt: stabilize\'s walk back to the closest successor', () => {
  test('a burst of joins settles in one round: each closer predecessor is notified in turn, then its list adopted', async () => {
    const { ring, neighbours, notified } = await setup(8)
    const nb = await neighbours.settleAt(ring.successor(), 'test')
    assert.deepEqual(notified, [600n, 500n, 400n, 300n, 200n])
    assert.equal(nb.self.id, 200n, 'its predecessor is us: no closer one')
    assert.deepEqual(ring.successors.entries.map(p => p.id), [200n, 300n, 400n, 500n, 600n])
  })

  test('at most r steps a round: the rest are left to the next round', async () => {
    const { ring, neighbours, notified } = await setup(2)
    await neighbours.settleAt(ring.successor(), 'test')
    assert.deepEqual(notified, [600n, 500n, 400n])
    assert.deepEqual(ring.successors.entries.map(p => p.id), [400n, 500n])
  })

  test('a closer peer that does not answer ends the walk where it was', async () => {
    const [, , p3] = await peerIds
    const { ring, neighbours, notified } = await setup(8, [p3])
    await neighbours.settleAt(ring.successor(), 'test')
    assert.deepEqual(notified, [600n, 500n, 400n, 300n])
    assert.deepEqual(ring.successors.entries.map(p => p.id), [400n, 500n, 600n])
  })
})
