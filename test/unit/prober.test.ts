// Probes (daemon/choking/prober.ts): a requester is probed at first sight (bounded), suspects
// are re-probed every round before the others, a probe in flight is not repeated; and with
// them a Choker judges a free-rider within three rounds of its first request.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import pino from 'pino'
import { Choker } from '../../daemon/choking/choker.js'
import { Prober, type ProbeAnswer } from '../../daemon/choking/prober.js'

const flush = async (): Promise<void> => { for (let i = 0; i < 5; i++) await Promise.resolve() }

function harness (answer: (peerId: string) => ProbeAnswer = () => 'ok'): { prober: Prober, sent: string[], answers: Array<[string, ProbeAnswer]>, clock: { t: number } } {
  const sent: string[] = []
  const answers: Array<[string, ProbeAnswer]> = []
  const clock = { t: 0 }
  const prober = new Prober(async id => { sent.push(id); return answer(id) }, (id, a) => { answers.push([id, a]) }, { random: () => 0.5, now: () => clock.t })
  return { prober, sent, answers, clock }
}

describe('Prober', () => {
  test('a requester is probed once, at first sight, and only while it gave us nothing', async () => {
    const h = harness()
    h.prober.heard('a', '/ip4/127.0.0.1/tcp/1', true)
    h.prober.heard('a', '/ip4/127.0.0.1/tcp/1', true)
    h.prober.heard('b', '/ip4/127.0.0.1/tcp/2', false)
    await flush()
    assert.deepEqual(h.sent, ['a'])
    assert.deepEqual(h.answers, [['a', 'ok']])
  })

  test('first-sight probes are bounded: a burst of 16, then 8 a second', async () => {
    const h = harness()
    for (let i = 0; i < 40; i++) h.prober.heard(`p${i}`, `/ip4/127.0.0.1/tcp/${i}`, true)
    assert.equal(h.sent.length, 16)
    h.clock.t = 1000
    for (let i = 40; i < 80; i++) h.prober.heard(`p${i}`, `/ip4/127.0.0.1/tcp/${i}`, true)
    assert.equal(h.sent.length, 24)
  })

  test('a round probes suspects first, then a fifth of the others, at most 8', async () => {
    const h = harness()
    for (let i = 0; i < 30; i++) h.prober.heard(`p${i}`, `/ip4/127.0.0.1/tcp/${i}`, false) // addresses known, no first-sight probe
    const suspects = ['p0', 'p1', 'p2']
    h.prober.round(Array.from({ length: 30 }, (_, i) => ({ peerId: `p${i}`, suspect: suspects.includes(`p${i}`) })))
    assert.equal(h.sent.length, 8, '3 suspects + ceil(27 / 5) = 9, capped at 8')
    assert.deepEqual(h.sent.slice(0, 3).sort(), suspects)
    h.prober.round([{ peerId: 'p0', suspect: true }, { peerId: 'p1', suspect: true }])
    assert.equal(h.sent.length, 8, 'probes still in flight are not sent again')
    await flush()
    h.prober.round([{ peerId: 'p0', suspect: true }, { peerId: 'unknown-address', suspect: true }])
    assert.equal(h.sent.at(-1), 'p0')
    assert.equal(h.sent.length, 9, 'a requester whose address we never saw cannot be probed')
  })
})

describe('Choker with probes', () => {
  test('a free-rider is judged within three rounds of its first request; a contributor is credited', async () => {
    const log = pino({ level: 'silent' })
    const cfg = { enabled: true, rechokeMs: 1000, unchokeSlots: 4, optimisticSlots: 1, optimisticEvery: 3, capacity: 10, windowMs: 20000, behavior: 'contributor' as const }
    let now = 0
    const choker = new Choker(cfg, log, { random: () => 0.5, now: () => now, probe: async id => id === 'free' ? 'choked' : 'ok' })
    choker.admit('free', '/ip4/127.0.0.1/tcp/1')
    choker.admit('contrib', '/ip4/127.0.0.1/tcp/2')
    for (let round = 1; round <= 3; round++) {
      await flush()
      now += 1000
      choker.admit('free', '/ip4/127.0.0.1/tcp/1')
      choker.admit('contrib', '/ip4/127.0.0.1/tcp/2')
      choker.rechoke()
    }
    await flush()
    now += 1000
    choker.rechoke()
    assert.equal(choker.distrusts('free'), true, 'judged')
    assert.equal(choker.distrusts('contrib'), false)
    const remotes = new Map(choker.stats().remotes.map(r => [r.peerId, r]))
    assert.ok(remotes.get('contrib')!.gave >= 1, 'the contributor answered its probe')
    assert.equal(remotes.get('free')!.weight, 0)
    assert.ok(choker.counters.probes >= 4)
  })
})
