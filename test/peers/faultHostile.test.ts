// Fault suite: hostile peers. One is a ring member that lies about routing (every lookup it
// is asked, recursive or iterative, it answers "I am the owner") and sends forged replica and
// repair writes: far-future versions and tombstones of acknowledged keys, and versions that do
// not fit the store. The other is no member at all and pushes forged records from outside.
// Writes go on through the honest peers; lookups must route around the liar and name the
// right owners, no forged record may land anywhere, no acknowledged write may be lost, and
// puts must keep working afterwards (one 2^63-1 timestamp once stopped every later put).
// The ring is large enough (17 peers, successor lists of 4) that no peer's known arc covers
// the whole ring, so the holder rule (daemon/keys/holderRule.ts) is in force.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { pino } from 'pino'
import { MessageType, type FindSuccessor, type NextHop, type Record as WireRecord } from '../../protocol/chord.js'
import { peerIdBytes, toWire } from '../../protocol/peerInfo.js'
import { hashToId, idToBytes } from '../../protocol/ring.js'
import { resolveConfig } from '../../daemon/host/config.js'
import { createNode } from '../../daemon/host/libp2pNode.js'
import { ChordPeer, type PeerParts } from '../../daemon/host/peer.js'
import { RpcClient, type RpcTarget } from '../../daemon/rpc/client.js'
import { MAX_TS, tsOfMs } from '../../protocol/version.js'
import { AckChecker } from '../../tools/lib/checker.js'
import { holdersOf } from '../../tools/lib/replicaCount.js'
import { checkRing, sortRing, successorOf } from '../../tools/lib/ringCheck.js'
import { createTestnet, targetOf, type Testnet } from '../../tools/testnet.js'
import { sleep, startWriters } from '../helpers/faultRing.js'

const R = 3
const enc = new TextEncoder()
const cfg = { successors: 4, stabilizeMs: 150, fixFingersMs: 60, checkPredecessorMs: 300, repairMs: 600, rpcTimeoutMs: 800, lookupTimeoutMs: 5000, maxClockSkewMs: 500, healMs: 2000, choking: { enabled: false } }

describe('fault: a lying member and a forging outsider', { timeout: 240_000 }, () => {
  let net: Testnet
  let liar: ChordPeer
  let liarRpc: RpcClient
  let outsider: Awaited<ReturnType<typeof createNode>>
  let outsiderRpc: RpcClient
  const lies = { routing: 0 }

  const members = () => [...net.live().map(p => ({ peerId: p.info.peerId, ringId: p.info.ringId, target: p.target })),
    { peerId: liar.info().peerId, ringId: liar.info().ringId, target: targetOf(liar.info()) }]
  const honest = (): RpcTarget[] => net.live().map(p => p.target)
  const wholeRing = async (): Promise<ReturnType<typeof checkRing>> => {
    const views = [...await net.views(), await net.client.state(targetOf(liar.info()))]
    return checkRing(views, members(), cfg.successors)
  }

  before(async () => {
    net = await createTestnet({ peers: 16, peerConfig: cfg })
    // The liar joins like any peer, then answers every lookup with itself.
    const overrides = (parts: PeerParts) => {
      liarRpc = parts.rpc
      const me = () => toWire(parts.ring.self)
      return {
        [MessageType.FIND_SUCCESSOR]: async (req: FindSuccessor) => { lies.routing++; return { owner: me(), hops: req.hops, path: [me().peerId] } },
        [MessageType.NEXT_HOP]: async (_req: NextHop) => { lies.routing++; return { owner: me(), candidates: [] } }
      }
    }
    liar = new ChordPeer(resolveConfig({ ...cfg, http: 'off', listen: ['/ip4/127.0.10.2/tcp/0'], bootstrap: [net.peers[0].info.listen[0]] }), pino({ level: 'silent' }), { overrides })
    await liar.start()
    outsider = await createNode({ privateKey: await generateKeyPair('Ed25519'), listen: [] })
    outsiderRpc = new RpcClient({ libp2p: outsider, log: pino({ level: 'silent' }) })
    const deadline = Date.now() + 60_000
    let c = await wholeRing()
    while (!c.ideal && Date.now() < deadline) { await sleep(300); c = await wholeRing() }
    assert.ok(c.ideal, c.problems.join('; '))
  })
  after(async () => {
    await outsiderRpc?.stop()
    await outsider?.stop()
    await liar?.stop({ leave: false })
    await net?.stop()
  })

  test('lookups route around the liar and name the true owners, recursive and iterative', async () => {
    const sorted = sortRing(members())
    let wrong = 0
    for (let i = 0; i < 64; i++) {
      const target = hashToId(enc.encode(`probe-${i}`))
      const via = honest()[i % 16]
      for (const iterative of [false, true]) {
        const r = await net.client.lookup(via, { target: idToBytes(target) }, { iterative, timeoutMs: 5_000 }).catch(err => {
          const owner = successorOf(sorted, target)
          const pred = sorted[(sorted.findIndex(m => m.peerId === owner.peerId) + sorted.length - 1) % sorted.length]
          throw new Error(`${iterative ? 'iterative' : 'recursive'} lookup via ${via.peerId.slice(-6)}: ${(err as Error).message}; owner ${owner.peerId.slice(-6)}, its predecessor ${pred.peerId.slice(-6)}${pred.peerId === liar.info().peerId ? ' (the liar)' : ''}`)
        })
        const owner = Buffer.from(r.owner!.peerId)
        if (Buffer.compare(owner, peerIdBytes(successorOf(sorted, target).peerId)) !== 0) wrong++
      }
    }
    console.log(`hostile: the liar answered ${lies.routing} routing requests with itself; ${wrong} of 128 lookups named a wrong owner`)
    assert.ok(lies.routing > 0, 'the liar was asked (it sits in other peers\' routing state)')
    assert.equal(wrong, 0)
  })

  test('forged records land nowhere; acknowledged writes survive; puts keep working', async () => {
    const checker = new AckChecker()
    const w = startWriters(net.client, honest, checker, { prefix: 'hostile', keys: 60, timeoutMs: 5_000 })
    await sleep(3_000)
    const sorted = sortRing(members())
    const liarPeer = { peerId: liar.info().peerId, id: BigInt('0x' + liar.info().ringId), addrs: [] }
    const forged = (key: Uint8Array, ts: bigint, deleted: boolean, writer: Uint8Array): WireRecord =>
      ({ key: key as Uint8Array<ArrayBuffer>, value: enc.encode(deleted ? '' : 'FORGED') as Uint8Array<ArrayBuffer>, ts, writer: writer as Uint8Array<ArrayBuffer>, deleted })
    const sent = { liar: 0, outsider: 0, answeredRefused: 0 }
    const push = async (rpc: RpcClient, to: RpcTarget, type: MessageType.REPLICA_PUT | MessageType.REPAIR_PUT, records: WireRecord[]): Promise<void> => {
      try {
        const r = await rpc.request(to, type, { records }, { timeoutMs: 3_000 })
        if (r.refused === records.length) sent.answeredRefused++
      } catch { sent.answeredRefused++ } // NOT_HOLDER / CLOCK_SKEW for a single record
    }
    const acked = checker.latest().slice(0, 30)
    const farFuture = tsOfMs(Date.now() + 10 * 60_000)
    const plausible = tsOfMs(Date.now() + 100) // within the skew bound: only the holder rule stops it
    for (const { key } of acked) {
      for (const h of holdersOf(sorted, key, R)) {
        if (h.peerId === liarPeer.peerId) continue
        // The liar: far-future versions and tombstones (it may be a neighbour: the clock bound stops these).
        for (const [type, deleted] of [[MessageType.REPLICA_PUT, false], [MessageType.REPAIR_PUT, true]] as const) {
          await push(liarRpc, h.target, type, [forged(key, farFuture, deleted, peerIdBytes(liarPeer.peerId))]); sent.liar++
        }
        await push(liarRpc, h.target, MessageType.REPAIR_PUT, [forged(key, MAX_TS + 1n, false, peerIdBytes(liarPeer.peerId))]); sent.liar++
        // The outsider: plausible versions, a batch of junk, and the largest timestamp there is.
        await push(outsiderRpc, h.target, MessageType.REPAIR_PUT, [forged(key, plausible, false, peerIdBytes(outsider.peerId.toString()))]); sent.outsider++
        await push(outsiderRpc, h.target, MessageType.REPAIR_PUT, Array.from({ length: 50 }, (_, j) => forged(enc.encode(`junk-${j}-${h.peerId}`), plausible, false, peerIdBytes(outsider.peerId.toString())))); sent.outsider++
        await push(outsiderRpc, h.target, MessageType.REPAIR_PUT, [forged(key, (1n << 63n) - 1n, false, peerIdBytes(outsider.peerId.toString()))]); sent.outsider++
      }
    }
    const { acked: n } = await w.stop()
    console.log(`hostile: ${n} puts acknowledged during the run; forged pushes: ${sent.liar} from the liar, ${sent.outsider} from the outsider, ${sent.answeredRefused} answered refused`)
    assert.equal(sent.answeredRefused, sent.liar + sent.outsider, 'every forged push was refused')

    // Nothing forged is held anywhere.
    for (const p of [...net.live().map(x => x.target), targetOf(liar.info())]) {
      for (const { key } of acked) {
        const got = await net.client.replicaGet(p, key)
        assert.ok(got.record == null || new TextDecoder().decode(got.record.value) !== 'FORGED', 'no forged value is stored')
      }
      const junk = await net.client.replicaGet(p, enc.encode(`junk-0-${p.peerId}`))
      assert.equal(junk.record, undefined, 'no junk record is stored')
    }
    let refused = 0
    for (const p of net.live()) { const f = p.local!.stats().faults!; refused += f.refusedRecords.notHolder + f.refusedRecords.clockSkew }
    console.log(`hostile: the honest peers counted ${refused} refused records`)
    assert.ok(refused > 0)

    // Puts keep working, the ring is still one ideal ring, and nothing acknowledged is lost.
    for (let i = 0; i < 10; i++) await net.client.put(honest()[i], enc.encode(`after-${i}`), enc.encode('ok'))
    assert.ok((await wholeRing()).ideal)
    const res = await checker.verify(net.client, honest)
    console.log(`hostile: ${res.keys} keys checked; lost ${res.lost} (of which stale ${res.stale})`)
    assert.equal(res.lost, 0, res.problems.join('\n'))
  })
})
