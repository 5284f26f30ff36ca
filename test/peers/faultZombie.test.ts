// Fault suite: a zombie write. The owner of a key takes far longer than the client waits to
// run one put (as a request held in a stalled process's socket buffer, or a TCP segment
// delivered after a partition heals, would), without the owner's own event loop stalling, so
// only the versioning protects the write that follows: the client sees the put fail, then puts
// another value through another entry peer whose clock runs 200 ms behind (within
// --max-clock-skew-ms) and sees it acknowledged; when the old put finally runs it must not win.
// With versions minted at the owner when it runs the write (the old design), it does.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { pino } from 'pino'
import { ErrorCode, MessageType, type KeyValue } from '../../protocol/chord.js'
import { ChordError } from '../../protocol/errors.js'
import { hashToId } from '../../protocol/ring.js'
import { resolveConfig } from '../../daemon/host/config.js'
import { ChordPeer, type PeerParts } from '../../daemon/host/peer.js'
import type { RequestContext } from '../../daemon/rpc/server.js'
import { AckChecker } from '../../tools/lib/checker.js'
import { checkRing, sortRing, successorOf } from '../../tools/lib/ringCheck.js'
import { createTestnet, targetOf, type Testnet } from '../../tools/testnet.js'
import { sleep } from '../helpers/faultRing.js'

const enc = new TextEncoder()
const dec = new TextDecoder()
const ZOMBIE_DELAY_MS = 5_000
const cfg = { stabilizeMs: 150, fixFingersMs: 60, checkPredecessorMs: 300, repairMs: 600, rpcTimeoutMs: 800, lookupTimeoutMs: 3000, maxClockSkewMs: 500, choking: { enabled: false } }

describe('fault: a put that runs after its client saw it fail, and after a later put was acknowledged', { timeout: 120_000 }, () => {
  let net: Testnet
  let owner: ChordPeer
  let started = 0
  let ran = 0
  let early = 0
  let earlyRan = false

  before(async () => {
    net = await createTestnet({ peers: 4, peerConfig: cfg, configFor: i => i === 3 ? { clockOffsetMs: -200 } : {} })
    // The owner runs puts of values starting "zombie" only after ZOMBIE_DELAY_MS, all else at once.
    const overrides = (parts: PeerParts) => {
      const honest = parts.handlers[MessageType.STORE_PUT]!
      return {
        [MessageType.STORE_PUT]: async (req: KeyValue, ctx: RequestContext) => {
          const value = dec.decode(req.value)
          if (value.startsWith('zombie')) { started++; await sleep(ZOMBIE_DELAY_MS); ran++ }
          if (value === 'early') {
            // The first attempt: answered TIMEOUT at once while the write goes on and lands late
            // (the entry cannot know it did not); the retry is refused outright, so the entry
            // has its failure early.
            if (early++ > 0) throw new ChordError(ErrorCode.BAD_REQUEST, 'refused (test)')
            void sleep(2_000).then(async () => { await honest(req, ctx); earlyRan = true })
            throw new ChordError(ErrorCode.TIMEOUT, 'ran out of time (test)')
          }
          return await honest(req, ctx)
        }
      }
    }
    owner = new ChordPeer(resolveConfig({ ...cfg, http: 'off', listen: ['/ip4/127.0.13.2/tcp/0'], bootstrap: [net.peers[0].info.listen[0]] }), pino({ level: 'silent' }), { overrides })
    await owner.start()
    const deadline = Date.now() + 30_000
    const ideal = async (): Promise<boolean> => {
      const views = [...await net.views(), await net.client.state(targetOf(owner.info()))]
      const members = [...net.live().map(p => ({ peerId: p.info.peerId, ringId: p.info.ringId })), { peerId: owner.info().peerId, ringId: owner.info().ringId }]
      return checkRing(views, members, 8).ideal
    }
    while (!(await ideal()) && Date.now() < deadline) await sleep(200)
    assert.ok(await ideal(), 'ring ideal')
  })
  after(async () => {
    await owner?.stop({ leave: false })
    await net?.stop()
  })

  const keyOwnedByTheDelayer = (prefix: string): Uint8Array => {
    const members = sortRing([...net.live().map(p => ({ peerId: p.info.peerId, ringId: p.info.ringId })), { peerId: owner.info().peerId, ringId: owner.info().ringId }])
    let key = enc.encode(prefix)
    for (let i = 0; successorOf(members, hashToId(key)).peerId !== owner.info().peerId; i++) key = enc.encode(`${prefix}-${i}`)
    return key
  }

  test('a failure reported early is held back until no later write can be versioned below it', async () => {
    const key = keyOwnedByTheDelayer('early-key')
    const checker = new AckChecker()
    const first = checker.invoke(key, enc.encode('early'))
    const t0 = Date.now()
    await assert.rejects(net.client.put(net.peers[0].target, key, enc.encode('early'), { timeoutMs: 2_500 }))
    first.fail()
    const heldMs = Date.now() - t0
    const second = checker.invoke(key, enc.encode('after-early'))
    second.ok(await net.client.put(net.peers[3].target, key, enc.encode('after-early'), { timeoutMs: 5_000 }))
    const deadline = Date.now() + 10_000
    while (!earlyRan && Date.now() < deadline) await sleep(100)
    assert.ok(earlyRan, 'the early-failed put did land late')
    const got = await net.client.get(net.peers[0].target, key)
    console.log(`zombie: the early failure was reported after ${heldMs} ms; the key reads "${dec.decode(got.value)}"`)
    assert.equal(dec.decode(got.value), 'after-early')
    assert.equal((await checker.verify(net.client, () => net.live().map(p => p.target))).lost, 0)
  })

  test('the late put loses to the put acknowledged after it failed', async () => {
    const members = sortRing([...net.live().map(p => ({ peerId: p.info.peerId, ringId: p.info.ringId })), { peerId: owner.info().peerId, ringId: owner.info().ringId }])
    // A key the delaying peer owns.
    let key = enc.encode('k')
    for (let i = 0; successorOf(members, hashToId(key)).peerId !== owner.info().peerId; i++) key = enc.encode(`zombie-key-${i}`)
    const entry = net.peers[0].target
    const behind = net.peers[3].target // its clock runs 200 ms behind
    const checker = new AckChecker()
    const first = checker.invoke(key, enc.encode('zombie'))
    await assert.rejects(net.client.put(entry, key, enc.encode('zombie'), { timeoutMs: 2_500 }))
    first.fail()
    const second = checker.invoke(key, enc.encode('after'))
    second.ok(await net.client.put(behind, key, enc.encode('after'), { timeoutMs: 5_000 }))
    // Wait for the late put (and every retry of it) to run at the owner.
    const deadline = Date.now() + 3 * ZOMBIE_DELAY_MS
    while ((ran === 0 || ran < started) && Date.now() < deadline) await sleep(100)
    await sleep(500)
    assert.ok(ran > 0 && ran === started, `the late puts did run (${ran} of ${started})`)
    const got = await net.client.get(entry, key)
    console.log(`zombie: the owner ran the late put ${ran} time(s); the key reads "${dec.decode(got.value)}"`)
    assert.equal(dec.decode(got.value), 'after', 'the acknowledged put survives its failed predecessor')
    const res = await checker.verify(net.client, () => net.live().map(p => p.target))
    assert.equal(res.lost, 0, res.problems.join('\n'))
  })
})
