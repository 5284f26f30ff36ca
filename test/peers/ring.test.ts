// Rings on real sockets converge to Zave's ideal state and stay there through joins and
// graceful leaves, with every key still readable.
import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import { createTestnet, type Testnet } from '../../tools/testnet.js'

const FAST = { stabilizeMs: 100, fixFingersMs: 50, checkPredecessorMs: 200, repairMs: 300, rpcTimeoutMs: 1000, lookupTimeoutMs: 4000 }
const enc = new TextEncoder()
const dec = new TextDecoder()

/** Records held over all peers, polled until it equals `want` or 20 s pass (repair is periodic). */
async function heldEventually (net: Testnet, want: number): Promise<number> {
  const deadline = Date.now() + 20_000
  for (;;) {
    const held = (await net.views()).reduce((s, v) => s + v.keys, 0)
    if (held === want || Date.now() > deadline) return held
    await new Promise(resolve => setTimeout(resolve, 250))
  }
}

describe('ring convergence', () => {
  const nets: Testnet[] = []
  after(async () => { await Promise.all(nets.map(async n => { await n.stop() })) })

  test('3 peers reach the ideal ring and ideal fingers', { timeout: 60_000 }, async () => {
    const net = await createTestnet({ peers: 3, peerConfig: FAST })
    nets.push(net)
    const c = await net.waitIdeal({ timeoutMs: 30_000, fingers: true })
    assert.ok(c.ideal, c.problems.join('; '))
    assert.ok(c.fingersIdeal, c.problems.join('; '))
    const views = await net.views()
    for (const v of views) {
      assert.equal(v.successors.length, 2, 'in a ring of 3 the list holds the other two, once')
      assert.ok(v.ready)
    }
    await net.stop()
  })

  test('16 peers in a worker process reach the ideal ring; every key put is read back', { timeout: 120_000 }, async t => {
    const net = await createTestnet({ peers: 16, procs: 1, peerConfig: FAST })
    nets.push(net)
    const c = await net.waitIdeal({ timeoutMs: 60_000, fingers: true })
    assert.ok(c.fingersIdeal, c.problems.join('; '))
    // The check read each packed peer's pointers in its worker: they are what GET_STATE says over the wire.
    const pointers = (v: { peerId: string, ringId: string, predecessor: { peerId: string } | null, successors: Array<{ peerId: string }>, fingers: Array<{ start: number, peerId: string }> }): string =>
      JSON.stringify([v.peerId, v.ringId, v.predecessor?.peerId, v.successors.map(s => s.peerId), v.fingers.map(f => [f.start, f.peerId])])
    // The two reads are not one instant (a stabilize round may fall between them): read both again until they agree, within 20 s.
    const readBoth = async (): Promise<[string[], string[]]> => {
      const digests = await net.digests()
      const views = await Promise.all(net.live().map(async p => await net.client.state(p.target, 20_000)))
      return [digests.map(pointers).sort(), views.map(pointers).sort()]
    }
    const agreeBy = Date.now() + 20_000
    let [fromDigests, fromViews] = await readBoth()
    while (fromDigests.join() !== fromViews.join() && Date.now() < agreeBy) [fromDigests, fromViews] = await readBoth()
    assert.equal(fromDigests.length, 16)
    assert.deepEqual(fromDigests, fromViews)
    const peers = net.live()
    const putAndRead = async (): Promise<void> => {
      for (let i = 0; i < 64; i++) await net.client.put(peers[i % 16].target, enc.encode(`k${i}`), enc.encode(`v${i}`))
      for (let i = 0; i < 64; i++) {
        const r = await net.client.get(peers[(i * 5 + 3) % 16].target, enc.encode(`k${i}`))
        assert.ok(r.found, `k${i} found`)
        assert.equal(dec.decode(r.value), `v${i}`)
      }
    }
    // Once converged it stays so, fingers included, while keys are written and read.
    const [, watched] = await Promise.all([putAndRead(), net.assertIdealOver({ windowMs: 3_000, pollMs: 500, fingers: true })])
    t.diagnostic(`ideal, fingers too, at all ${watched.polls} polls over ${watched.elapsedMs} ms of puts and gets`)
    assert.equal(await heldEventually(net, 64 * 3), 64 * 3, 'every key is held by r = 3 replicas')
    await net.stop()
  })

  test('joins and graceful leaves keep the ring ideal and the keys readable', { timeout: 180_000 }, async () => {
    const net = await createTestnet({ peers: 6, peerConfig: FAST })
    nets.push(net)
    assert.ok((await net.waitIdeal({ timeoutMs: 30_000 })).ideal)
    const keys = Array.from({ length: 100 }, (_, i) => `key-${i}`)
    for (const [i, k] of keys.entries()) await net.client.put(net.live()[i % 6].target, enc.encode(k), enc.encode(`value of ${k}`))

    const readAll = async (): Promise<number> => {
      let ok = 0
      for (const [i, k] of keys.entries()) {
        const live = net.live()
        const r = await net.client.get(live[i % live.length].target, enc.encode(k))
        if (r.found && dec.decode(r.value) === `value of ${k}`) ok++
      }
      return ok
    }

    await net.addPeer()
    await net.addPeer()
    let c = await net.waitIdeal({ timeoutMs: 30_000 })
    assert.ok(c.ideal, `after joins: ${c.problems.join('; ')}`)
    const [readAfterJoins] = await Promise.all([readAll(), net.assertIdealOver({ windowMs: 2_000 })])
    assert.equal(readAfterJoins, keys.length, 'every key readable after joins')
    const views = await net.views()
    const joiners = net.peers.slice(6).map(p => p.info.peerId)
    assert.ok(views.filter(v => joiners.includes(v.peerId)).every(v => v.keys >= 0))

    await net.stopPeer(net.peers[1], { leave: true })
    await net.stopPeer(net.peers[6], { leave: true })
    c = await net.waitIdeal({ timeoutMs: 30_000 })
    assert.ok(c.ideal, `after leaves: ${c.problems.join('; ')}`)
    const [readAfterLeaves] = await Promise.all([readAll(), net.assertIdealOver({ windowMs: 2_000 })])
    assert.equal(readAfterLeaves, keys.length, 'every key readable after graceful leaves')
    assert.equal(await heldEventually(net, keys.length * 3), keys.length * 3, 'r = 3 copies of every key after the leaves')
    await net.stop()
  })
})
