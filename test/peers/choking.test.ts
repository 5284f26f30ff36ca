// Choking on real sockets: in a small ring with one free-rider, the free-rider's requests
// are CHOKED once the others have identified it, a contributor's are served, and the ring
// stays ideal (maintenance is never choked). Peers in this process; rechoke every 200 ms.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { ErrorCode } from '../../protocol/chord.js'
import { ChordError } from '../../protocol/errors.js'
import { hashToId } from '../../protocol/ring.js'
import { createTestnet, type Testnet, type TestPeer } from '../../tools/testnet.js'
import { sortRing, successorOf } from '../../tools/lib/ringCheck.js'

const N = 6
const FREE = 3
const enc = new TextEncoder()
const choking = { enabled: true, rechokeMs: 200, windowMs: 4000, capacity: 20, unchokeSlots: 4, optimisticSlots: 1, optimisticEvery: 3 }

describe('choking on real sockets', { timeout: 120_000 }, () => {
  let net: Testnet
  let free: TestPeer
  let contributors: TestPeer[]
  /** Keys owned by peers matching `want`, found by hashing candidates against the membership. */
  const keysOwnedBy = (want: (p: TestPeer) => boolean, n: number, tag: string): Uint8Array[] => {
    const sorted = sortRing(net.live().map(p => ({ peerId: p.info.peerId, ringId: p.info.ringId })))
    const out: Uint8Array[] = []
    for (let i = 0; out.length < n && i < 100_000; i++) {
      const key = enc.encode(`${tag}-${i}`)
      const owner = successorOf(sorted, hashToId(key))
      if (want(net.live().find(p => p.info.peerId === owner.peerId)!)) out.push(key)
    }
    return out
  }

  before(async () => {
    net = await createTestnet({
      peers: N,
      peerConfig: { stabilizeMs: 200, fixFingersMs: 200, checkPredecessorMs: 400, repairMs: 500, choking },
      configFor: i => i === FREE ? { choking: { ...choking, behavior: 'freerider' } } : i === 0 ? { http: '127.0.0.1:0' } : {}
    })
    free = net.peers[FREE]
    contributors = net.peers.filter(p => p !== free)
    const ring = await net.waitIdeal({ timeoutMs: 30_000 })
    assert.ok(ring.ideal, ring.problems.join('\n'))
  })

  after(async () => { await net?.stop() })

  test('the free-rider refuses service, its keys stay writable and readable; every contributor notices it', async () => {
    // Each contributor writes and reads keys the free-rider owns: the owner refuses, its
    // first replica stands in for the write and the replicas answer the read.
    const owned = keysOwnedBy(p => p === free, 4, 'free-owned')
    for (const c of contributors) {
      for (const key of owned) {
        const value = enc.encode(`${c.index}:${new TextDecoder().decode(key)}`)
        const w = await net.client.put(c.target, key, value)
        assert.ok(w.replicas >= 2, `acknowledged by a write quorum, got ${w.replicas}`)
        const r = await net.client.get(c.target, key)
        assert.equal(r.found, true)
        assert.deepEqual(new Uint8Array(r.value), value)
      }
    }
    // The verdicts come with the next rechoke rounds: poll for them (a loaded machine runs rounds late).
    const judged = (c: TestPeer): boolean => c.local!.choker!.distrusts(free.info.peerId)
    const deadline = Date.now() + 20_000
    while (!contributors.every(judged) && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, choking.rechokeMs))
    for (const c of contributors) {
      const s = c.local!.stats().choking!
      const seen = s.remotes.find(r => r.peerId === free.info.peerId)
      assert.ok(seen != null && seen.refusedUs > 0 && seen.gave === 0, `${c.index} saw the free-rider refuse: ${JSON.stringify(seen)}`)
      assert.equal(c.local!.choker!.distrusts(free.info.peerId), true)
    }
    assert.ok(free.local!.stats().choking!.counters.refused > 0)
  })

  test('once identified, the free-rider is CHOKED while a contributor is served', async () => {
    const keys = keysOwnedBy(p => p !== free, 20, 'after')
    let chokedFree = 0
    for (const key of keys) {
      try {
        const r = await net.client.get(free.target, key)
        if (process.env.DEBUG_CHOKING != null) console.log('free-rider served', r.hops, r.replicas, r.attempts, Buffer.from(r.owner!.peerId).toString('hex').slice(-8), net.peers.map(p => p.info.peerId.slice(-6)))
      } catch (err) {
        assert.ok(err instanceof ChordError, String(err))
        assert.ok(err.code === ErrorCode.CHOKED || err.code === ErrorCode.ROUTE_CHOKED, `choked, not ${err.code}: ${err.message}`)
        chokedFree++
      }
    }
    assert.equal(chokedFree, keys.length, 'every request of the identified free-rider was choked')
    for (const key of keys) await net.client.get(contributors[0].target, key) // throws if refused
    const sent = contributors.reduce((a, c) => a + c.local!.stats().choking!.counters.chokedSent, 0)
    assert.ok(sent >= keys.length, `contributors sent CHOKED ${sent} times`)
    assert.ok(free.local!.stats().choking!.counters.chokedReceived > 0, 'the free-rider was told')
  })

  test('maintenance is never choked: the ring stays ideal while the free-rider is being choked', async t => {
    // The free-rider keeps asking, and being refused, for the whole window.
    const keys = keysOwnedBy(p => p !== free, 5, 'during')
    let asking = true
    let choked = 0
    const load = (async () => {
      for (let i = 0; asking; i++) {
        await net.client.get(free.target, keys[i % keys.length]).catch((err: unknown) => {
          if (err instanceof ChordError && (err.code === ErrorCode.CHOKED || err.code === ErrorCode.ROUTE_CHOKED)) choked++
        })
        await new Promise(resolve => setTimeout(resolve, 20))
      }
    })()
    let watched
    try {
      watched = await net.assertIdealOver({ windowMs: 3_000, pollMs: 250, fingers: true })
    } finally {
      asking = false
      await load
    }
    assert.ok(choked > 0, 'the free-rider was choked during the window')
    t.diagnostic(`ideal, fingers too, at all ${watched.polls} polls over ${watched.elapsedMs} ms; the free-rider was choked ${choked} times meanwhile`)
  })

  test('/metrics shows the choke state and the CHOKED replies', async () => {
    const text = await fetch(`http://${contributors[0].info.http}/metrics`).then(async r => await r.text())
    const sent = /chord_choked_replies_total\{[^}]*direction="sent"[^}]*\} (\d+)/.exec(text)
    assert.ok(sent != null, 'CHOKED replies sent are exported')
    assert.equal(Number(sent[1]), contributors[0].local!.stats().choking!.counters.chokedSent, 'the metric is the counter')
    assert.match(text, /chord_choke_transitions_total/)
    assert.match(text, /chord_choke_unchoked\{/)
  })
})
