// The progress line: its text, the count of members with the right neighbours, and how it
// is written to a terminal (rewritten in place) and to a file (one line at a time).
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { formatProgress, ProgressLine, rightNeighbours } from '../../tools/lib/progress.js'
import type { PeerView } from '../../protocol/peerState.js'

const T = { timeout: 10_000 }

describe('progress text', () => {
  test('peers, ring and acknowledged operations, elapsed in whole seconds', T, () => {
    assert.equal(formatProgress('swarm', { phase: 'converging', peersStarted: 64, peersTotal: 128 }, 12_400), 'swarm 12 s | converging | peers 64/128')
    assert.equal(formatProgress('sweep', { phase: 'N = 32 workload', peersStarted: 32, peersTotal: 32, ring: { right: 32, total: 32, ideal: true }, acked: { done: 17, what: 'ops ok' } }, 90_000),
      'sweep 90 s | N = 32 workload | peers 32/32 | ring 32/32 right, ideal | ops ok 17')
    assert.match(formatProgress('swarm', { phase: 'puts', peersStarted: 8, peersTotal: 8, ring: { right: 5, total: 8, ideal: false }, acked: { done: 3, total: 1000, what: 'puts acked' } }, 0), /ring 5\/8 right \| puts acked 3\/1000$/)
  })
})

describe('members with the right neighbours', () => {
  const members = [1, 2, 3, 4].map(i => ({ peerId: `p${i}`, ringId: String(i).padStart(40, '0') }))
  const view = (i: number, pred: number | null, succ: number): PeerView => ({
    ...members[i - 1], addrs: [], predecessor: pred == null ? null : { ...members[pred - 1], addrs: [] }, successors: [{ ...members[succ - 1], addrs: [] }],
    fingers: [], distinctFingers: [], keys: 0, storeBytes: 0, ready: true, http: ''
  })

  test('counts members whose predecessor and successor are their neighbours in ring order', T, () => {
    assert.equal(rightNeighbours([view(1, 4, 2), view(2, 1, 3), view(3, 2, 4), view(4, 3, 1)], members), 4)
    // p3 skips p4; p4 has no predecessor yet; p2 did not answer.
    assert.equal(rightNeighbours([view(1, 4, 2), view(3, 2, 1), view(4, null, 1)], members), 1)
  })
})

class FakeStream {
  text = ''
  constructor (readonly isTTY: boolean) {}
  write (s: string): boolean { this.text += s; return true }
}

describe('progress line output', () => {
  const until = async (cond: () => boolean): Promise<void> => {
    const end = Date.now() + 5_000
    while (!cond()) {
      if (Date.now() > end) throw new Error('timed out')
      await new Promise(resolve => setTimeout(resolve, 5))
    }
  }

  test('not a terminal: whole lines, the latest state in each', T, async () => {
    const out = new FakeStream(false)
    const p = new ProgressLine({ label: 'swarm', stream: out as unknown as NodeJS.WriteStream, everyMs: 20 }, { phase: 'starting', peersStarted: 0, peersTotal: 4 })
    p.update({ peersStarted: 3 })
    await until(() => out.text.split('\n').length > 2)
    p.stop()
    assert.doesNotMatch(out.text, /\r/)
    assert.match(out.text.split('\n')[0], /^swarm \d+ s \| starting \| peers 3\/4$/)
  })

  test('a terminal: rewritten in place with \\r, cleared on stop', T, async () => {
    const out = new FakeStream(true)
    const p = new ProgressLine({ label: 'sweep', stream: out as unknown as NodeJS.WriteStream }, { phase: 'starting', peersStarted: 1, peersTotal: 8 })
    await until(() => out.text.length > 0)
    p.above(() => { out.text += 'N = 8: done\n' })
    p.stop()
    assert.doesNotMatch(out.text, /peers 1\/8\n/)
    assert.match(out.text, /^\rsweep \d+ s \| starting \| peers 1\/8\x1b\[K\r\x1b\[KN = 8: done\n\rsweep/)
    assert.ok(out.text.endsWith('\r\x1b[K'))
  })
})
