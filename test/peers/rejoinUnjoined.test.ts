// Real chordd processes: a peer restarted after a crash answers no ring RPC until it has
// joined (daemon/ring/memberOnly.ts). Its old neighbours remember it as lost and partition healing
// asks it for successor(n + 1); a peer that answered from its empty, not-yet-joined state named
// itself owner of everything, was adopted as successor with its empty list, and cut the ring
// there (found by the Docker harness: a killed peer started again by `--scale` wedged its
// predecessor, and its own join through that predecessor then failed for good). Here the
// restarted peer's bootstrap address answers nothing, so it stays unjoined as long as we like.
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { splitP2p } from '../../protocol/peerInfo.js'
import { spawnChordd, type Daemon } from '../helpers/chordd.js'
import { FaultRing, faultFlags, sleep } from '../helpers/faultRing.js'

describe('a restarted peer that has not joined yet', () => {
  const ring = new FaultRing(faultFlags())
  let others: Daemon[] = []
  let victim: Daemon

  before(async () => {
    await ring.open()
    await ring.startRing(4, '127.0.13')
    victim = ring.daemons.get('p2')!
    others = ['p0', 'p1', 'p3'].map(n => ring.daemons.get(n)!)
    await ring.waitIdeal(30_000)
  })
  after(async () => { await ring.close() })

  test('is asked by healing, refuses with NOT_MEMBER, and no peer adopts it; it joins once it can', { timeout: 120_000 }, async t => {
    victim.proc.kill('SIGKILL')
    await victim.exited
    await ring.waitIdeal(30_000, others)
    // Same identity (data dir) and same address, so the others' memory of it reaches it;
    // the bootstrap is a loopback port where nothing listens: the join retries forever.
    const unjoined = spawnChordd(['--data-dir', join(ring.dir, 'p2'), '--listen', splitP2p(victim.info.listen[0]).addr,
      '--bootstrap', '/ip4/127.0.13.250/tcp/1', ...ring.flags])
    const target = ring.targetOf(victim)
    const deadline = Date.now() + 60_000
    let refused = 0
    let polls = 0
    let askedAt: number | undefined
    // Until healing has asked it (and a few seconds past), the ring of the other three stays
    // ideal at every poll and nobody lists the restarted peer.
    while (askedAt == null || Date.now() - askedAt < 3_000) {
      assert.ok(Date.now() < deadline, `healing never asked the restarted peer within 60 s (${unjoined.lines.slice(-3).join(' | ')})`)
      const stats = await ring.client.stats(target).catch(() => undefined)
      refused = stats?.faults?.refusedNotMember ?? 0
      if (refused > 0) askedAt ??= Date.now()
      const c = await ring.check(others)
      assert.ok(c.ideal, `the ring of the other three broke at poll ${polls}: ${c.problems.join('; ')}`)
      const views = await Promise.all(others.map(async d => await ring.client.state(ring.targetOf(d))))
      for (const v of views) {
        assert.ok(!v.successors.some(s => s.peerId === victim.info.peerId), `${v.peerId.slice(-6)} lists the unjoined peer as a successor`)
        assert.notEqual(v.predecessor?.peerId, victim.info.peerId, `${v.peerId.slice(-6)} took the unjoined peer as predecessor`)
      }
      polls++
      await sleep(250)
    }
    t.diagnostic(`the unjoined peer refused ${refused} ring requests; the other three stayed ideal over ${polls} polls`)
    unjoined.proc.kill('SIGKILL')
    await unjoined.exited
    // Started again with a bootstrap that answers: it joins at its old place.
    ring.daemons.set('p2', await ring.start('p2', splitP2p(victim.info.listen[0]).addr.split('/')[2], others[0]))
    await ring.waitIdeal(30_000)
  })
})
