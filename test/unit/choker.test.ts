// The Choker without sockets: tallies, the rechoke round, the gate's answers, free-riders.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { pino } from 'pino'
import { Choker, type ChokingConfig } from '../../daemon/choking/choker.js'
import { seededRandom } from '../../tools/lib/stats.js'

const log = pino({ level: 'silent' })
const cfg = (o: Partial<ChokingConfig> = {}): ChokingConfig => ({ enabled: true, rechokeMs: 1000, unchokeSlots: 4, optimisticSlots: 1, optimisticEvery: 3, capacity: 10, windowMs: 5000, behavior: 'contributor', ...o })

function make (o: Partial<ChokingConfig> = {}): { c: Choker, clock: { t: number } } {
  const clock = { t: 0 }
  return { c: new Choker(cfg(o), log, { random: seededRandom(7), now: () => clock.t }), clock }
}

/** Count how many of n requests from peerId the gate lets through at time t. */
function served (c: Choker, peerId: string, n: number): number {
  let ok = 0
  for (let i = 0; i < n; i++) if (c.admit(peerId) !== 'choked') ok++
  return ok
}

describe('Choker', () => {
  test('the peers that gave the most are unchoked; a free-rider is choked past its spare share', () => {
    const { c, clock } = make()
    for (const [id, gave] of [['a', 40], ['b', 30], ['c', 20], ['d', 10], ['e', 5]] as const) {
      for (let i = 0; i < gave; i++) c.noteAnswer(id, 'ok')
      c.admit(id)
    }
    c.admit('free')
    for (let i = 0; i < 3; i++) c.noteAnswer('free', 'choked') // it refused three of ours
    for (let r = 0; r < 2; r++) { clock.t += 1000; c.rechoke() }
    for (const id of ['a', 'b', 'c']) assert.equal(c.isUnchoked(id), true, `${id} gave the most`)
    assert.equal(c.distrusts('free'), true)
    clock.t += 1000
    assert.equal(served(c, 'free', 50), 0, 'weight 0: no spare capacity for it')
    assert.ok(served(c, 'a', 50) === 50, 'unchoked: always served')
    const s = c.stats()
    assert.ok(s.counters.chokedSent >= 50)
    assert.equal(s.remotes.find(r => r.peerId === 'a')?.state, 'unchoked')
  })

  test('choking off serves everyone and counts them as unchoked', () => {
    const { c } = make({ enabled: false })
    assert.equal(served(c, 'x', 100), 100)
    assert.equal(c.stats().counters.servedUnchoked, 100)
  })

  test('a free-rider refuses everything it is asked and still tallies who asked', () => {
    const { c } = make({ behavior: 'freerider' })
    assert.equal(served(c, 'x', 10), 0)
    const s = c.stats()
    assert.equal(s.counters.refused, 10)
    assert.equal(s.remotes[0].asked, 10)
  })

  test('spare capacity is bounded: a choked newcomer flood gets CHOKED past it', () => {
    const { c, clock } = make({ capacity: 5, unchokeSlots: 0, optimisticSlots: 0 })
    c.admit('n')
    clock.t += 1000
    c.rechoke()
    const first = served(c, 'n', 100)
    assert.ok(first >= 1 && first <= 10, `burst of at most 2 s of capacity, got ${first}`)
    clock.t += 1000
    const second = served(c, 'n', 100)
    assert.ok(second <= 5, `then at most the rate, got ${second}`)
  })

  test('the window forgets: a peer that stops giving loses its regular slot', () => {
    const { c, clock } = make({ windowMs: 2000 })
    for (let i = 0; i < 10; i++) c.noteAnswer('a', 'ok')
    c.admit('a')
    clock.t += 1000
    c.rechoke()
    assert.deepEqual(c.stats().remotes.find(r => r.peerId === 'a')?.state, 'unchoked')
    for (let r = 0; r < 3; r++) { c.admit('a'); clock.t += 1000; c.rechoke() }
    assert.notEqual(c.stats().remotes.find(r => r.peerId === 'a')?.state, 'unchoked')
  })

  test('one refusal lowers the weight of a remote; three with nothing given judge it', () => {
    const { c, clock } = make()
    c.admit('x')
    c.noteAnswer('x', 'choked')
    clock.t += 1000
    c.rechoke()
    assert.equal(c.distrusts('x'), false)
    c.noteAnswer('x', 'choked')
    c.noteAnswer('x', 'choked')
    clock.t += 1000
    c.rechoke()
    assert.equal(c.distrusts('x'), true)
    c.noteAnswer('x', 'ok')
    clock.t += 1000
    c.rechoke()
    assert.equal(c.distrusts('x'), false, 'it gave something: judged again')
  })

  test('maintenance-flagged lookups skip the gate only up to their rate', () => {
    const { c } = make()
    let ok = 0
    for (let i = 0; i < 1000; i++) if (c.maintenanceAllowed('m')) ok++
    assert.ok(ok >= 20 && ok <= 200, `bounded burst, got ${ok}`)
  })
})
