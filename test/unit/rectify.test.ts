// Zave's rectify (daemon/ring/rectify.ts) case by case, then the NOTIFY handler that applies it
// (daemon/ring/predecessorWatch.ts) with the network stubbed: the liveness ping it may make, and
// what becomes of the predecessor list a notify carries and when the sender sends it
// (daemon/ring/neighbours.ts predecessorsDue).
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { pino } from 'pino'
import { ErrorCode, MessageType, type Notify } from '../../protocol/chord.js'
import { MAX_PEERS_PER_MESSAGE } from '../../protocol/constants.js'
import { UnreachableError } from '../../protocol/errors.js'
import { toWire, type PeerRef } from '../../protocol/peerInfo.js'
import { RING_SIZE } from '../../protocol/ring.js'
import { PREDECESSORS_REFRESH_MS, predecessorsDue } from '../../daemon/ring/neighbours.js'
import { PredecessorWatch, type PredecessorWatchInit } from '../../daemon/ring/predecessorWatch.js'
import { rectify } from '../../daemon/ring/rectify.js'
import { RingState } from '../../daemon/ring/ringState.js'
import { Suspects } from '../../daemon/ring/suspects.js'
import type { RequestContext } from '../../daemon/rpc/server.js'

const at = (id: bigint, name = `p${id}`): PeerRef => ({ peerId: name, id, addrs: [] })

describe('rectify: whom a notified peer takes as predecessor', () => {
  const self = at(1000n)
  const pred = at(500n)

  test('no predecessor: the notifier is adopted', () => {
    assert.equal(rectify({ self, predecessor: undefined, notifier: at(10n) }), 'adopt')
    assert.equal(rectify({ self, predecessor: undefined, notifier: at(2000n) }), 'adopt', 'wherever it lies')
  })

  test('our predecessor notifying again is adopted (it stays), without asking anything', () => {
    assert.equal(rectify({ self, predecessor: pred, notifier: pred }), 'adopt')
  })

  test('a notifier between our predecessor and us is adopted without asking whether the predecessor is alive', () => {
    for (const id of [501n, 750n, 999n]) {
      assert.equal(rectify({ self, predecessor: pred, notifier: at(id) }), 'adopt', `notifier ${id}`)
      assert.equal(rectify({ self, predecessor: pred, notifier: at(id), predecessorAlive: true }), 'adopt', `notifier ${id}, predecessor alive`)
    }
  })

  test('a notifier outside (predecessor, us) needs the predecessor dead: ask, then refuse if alive, adopt if dead', () => {
    for (const id of [100n, 499n, 1001n, 5000n]) {
      const notifier = at(id)
      assert.equal(rectify({ self, predecessor: pred, notifier }), 'askAlive', `notifier ${id}`)
      assert.equal(rectify({ self, predecessor: pred, notifier, predecessorAlive: true }), 'refuse', `notifier ${id}, predecessor alive`)
      assert.equal(rectify({ self, predecessor: pred, notifier, predecessorAlive: false }), 'adopt', `notifier ${id}, predecessor dead`)
    }
  })

  test('the interval ends are open: a notifier with the predecessor\'s id or ours is not between', () => {
    assert.equal(rectify({ self, predecessor: pred, notifier: at(500n, 'twin') }), 'askAlive')
    assert.equal(rectify({ self, predecessor: pred, notifier: at(1000n, 'twin') }), 'askAlive')
  })

  test('the interval wraps at 2^160', () => {
    const low = at(5n)
    const high = at(RING_SIZE - 10n)
    assert.equal(rectify({ self: low, predecessor: high, notifier: at(RING_SIZE - 1n) }), 'adopt')
    assert.equal(rectify({ self: low, predecessor: high, notifier: at(0n) }), 'adopt')
    assert.equal(rectify({ self: low, predecessor: high, notifier: at(RING_SIZE - 20n) }), 'askAlive')
    assert.equal(rectify({ self: low, predecessor: high, notifier: at(6n) }), 'askAlive')
  })

  test('we never adopt ourselves', () => {
    assert.equal(rectify({ self, predecessor: undefined, notifier: self }), 'refuse')
    assert.equal(rectify({ self, predecessor: pred, notifier: self, predecessorAlive: false }), 'refuse')
  })
})

describe('predecessorsDue: when a notify carries our predecessor list', () => {
  const sent = { version: 3, to: 'succ', at: 1_000_000 }

  test('never sent yet: due', () => {
    assert.equal(predecessorsDue({ version: -1, to: '', at: 0 }, { version: 0, to: 'succ', at: 5 }), true)
  })

  test('unchanged, to the same successor, within the refresh period: not due', () => {
    assert.equal(predecessorsDue(sent, { ...sent, at: sent.at + PREDECESSORS_REFRESH_MS - 1 }), false)
  })

  test('a changed list, another successor, or a refresh period gone: due', () => {
    assert.equal(predecessorsDue(sent, { ...sent, version: 4, at: sent.at + 1 }), true)
    assert.equal(predecessorsDue(sent, { ...sent, to: 'other', at: sent.at + 1 }), true)
    assert.equal(predecessorsDue(sent, { ...sent, at: sent.at + PREDECESSORS_REFRESH_MS }), true)
  })
})

describe('NOTIFY handler (rectify applied, the network stubbed)', () => {
  const log = pino({ level: 'silent' })
  const ids = Promise.all(Array.from({ length: 6 }, async () => peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()))
  /** Ring positions 100, 200, ... 500 and self at 600; explicit ids, so any id goes with any peer id. */
  const setup = async (o: { predAlive?: boolean, checkPredecessorMs?: number } = {}) => {
    const [a, b, c, d, e, s] = (await ids).map((peerId, i) => ({ peerId, id: BigInt(i + 1) * 100n, addrs: [] }))
    const ring = new RingState(s, 4, log, { predecessors: 3 })
    let pings = 0
    const changed: string[] = []
    const rpc = {
      request: async (_peer: PeerRef, type: MessageType) => {
        assert.equal(type, MessageType.PING)
        pings++
        await new Promise(resolve => setTimeout(resolve, 5))
        if (o.predAlive === false) throw new UnreachableError('stubbed: dead')
        return { self: toWire(ring.predecessor!) }
      },
      forget: () => {}
    }
    const watch = new PredecessorWatch({
      ring, rpc: rpc as unknown as PredecessorWatchInit['rpc'], verify: { allowExplicitIds: true }, suspects: new Suspects(), rpcTimeoutMs: 100,
      checkPredecessorMs: o.checkPredecessorMs ?? 0, onPredecessorChanged: p => changed.push(p.peerId)
    })
    const notify = async (from: PeerRef, predecessors: PeerRef[] = [], remotePeer = from.peerId) => {
      const req: Notify = { self: toWire(from), predecessors: predecessors.map(toWire) }
      const ctx: RequestContext = { remotePeer, remoteAddr: '', signal: new AbortController().signal, deadlineMs: 1000 }
      return await watch.handleNotify(req, ctx)
    }
    return { a, b, c, d, e, s, ring, notify, pings: () => pings, changed }
  }
  const list = (ring: RingState): string[] => ring.predecessors.map(p => p.peerId)

  test('an accepted notify makes [notifier] + its list our predecessor list, cut to length', async () => {
    const { a, b, c, d, e, ring, notify, changed } = await setup()
    const res = await notify(e, [d, c, b, a])
    assert.equal(res.accepted, true)
    assert.equal(ring.predecessor?.peerId, e.peerId)
    assert.deepEqual(list(ring), [e.peerId, d.peerId, c.peerId], 'three kept: the configured length')
    assert.deepEqual(changed, [e.peerId], 'a new predecessor is announced')
    assert.deepEqual(res.neighbors?.predecessor, toWire(e), 'the answer carries our pointers after rectify')
  })

  test('an empty list from our predecessor keeps the list we have; an unchanged predecessor is not announced again', async () => {
    const { c, d, e, ring, notify, changed } = await setup()
    await notify(e, [d, c])
    const version = ring.predecessorsVersion
    assert.equal((await notify(e, [])).accepted, true)
    assert.deepEqual(list(ring), [e.peerId, d.peerId, c.peerId])
    assert.equal(ring.predecessorsVersion, version)
    assert.deepEqual(changed, [e.peerId])
  })

  test('a refused notify changes nothing, and notifies at once share one ping', async () => {
    const { a, b, c, d, e, ring, notify, pings } = await setup({ predAlive: true })
    await notify(e, [d])
    const before = ring.predecessorsVersion
    // a, b and c lie outside (e, self): adopted only if e is dead, and it answers.
    const answers = await Promise.all([notify(a, [b]), notify(b, [c]), notify(c, [a])])
    assert.deepEqual(answers.map(r => r.accepted), [false, false, false])
    assert.equal(pings(), 1)
    assert.equal(ring.predecessor?.peerId, e.peerId)
    assert.deepEqual(list(ring), [e.peerId, d.peerId])
    assert.equal(ring.predecessorsVersion, before)
  })

  test('a predecessor heard from within the check period is alive without a ping', async () => {
    const { a, e, ring, notify, pings } = await setup({ predAlive: false, checkPredecessorMs: 60_000 })
    await notify(e)
    assert.equal((await notify(a)).accepted, false)
    assert.equal(pings(), 0)
    assert.equal(ring.predecessor?.peerId, e.peerId)
  })

  test('a dead predecessor gives way to a notifier outside (predecessor, us), with that notifier\'s list', async () => {
    const { a, b, e, ring, notify, pings, changed } = await setup({ predAlive: false })
    await notify(e)
    assert.equal((await notify(a, [b])).accepted, true)
    assert.equal(pings(), 1)
    assert.deepEqual(list(ring), [a.peerId, b.peerId])
    assert.deepEqual(changed, [e.peerId, a.peerId])
  })

  test('a notify must come from the peer it names, and a list longer than a message may carry is refused', async () => {
    const { a, e, notify } = await setup()
    await assert.rejects(notify(e, [], a.peerId), { code: ErrorCode.ID_MISMATCH })
    await assert.rejects(notify(e, Array.from({ length: MAX_PEERS_PER_MESSAGE + 1 }, () => a)), { name: 'BadRequestError' })
  })
})
