// The sloppy-quorum walk: refusals are walked past to the next successor, other failures are
// not, each peer is asked at most once, and `enough` settles early while the rest go on.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { ErrorCode } from '../../protocol/chord.js'
import { ChordError } from '../../protocol/errors.js'
import type { PeerRef } from '../../protocol/peerInfo.js'
import { walkPastRefusals } from '../../daemon/keys/pastRefusals.js'

const peers: PeerRef[] = ['a', 'b', 'c', 'd', 'e'].map((id, i) => ({ peerId: id, id: BigInt(i), addrs: [] }))
const choked = (): ChordError => new ChordError(ErrorCode.CHOKED, 'not serving')

/** A send that refuses the peers in `refuse`, fails `dead` with a timeout, and answers the rest after `ms`. */
function sender (refuse: string[], dead: string[] = [], ms = 1): { send: (p: PeerRef) => Promise<string>, asked: string[] } {
  const asked: string[] = []
  return {
    asked,
    send: async p => {
      asked.push(p.peerId)
      await new Promise(resolve => setTimeout(resolve, ms))
      if (refuse.includes(p.peerId)) throw choked()
      if (dead.includes(p.peerId)) throw new ChordError(ErrorCode.TIMEOUT, 'timed out')
      return p.peerId
    }
  }
}

describe('walkPastRefusals', () => {
  test('no refusals: only the first `want` peers are asked', async () => {
    const s = sender([])
    const answers = await walkPastRefusals(peers, 2, s.send).done
    assert.deepEqual(s.asked, ['a', 'b'])
    assert.deepEqual(answers.map(a => a.value).sort(), ['a', 'b'])
  })

  test('each refusal asks the next successor not asked yet', async () => {
    const s = sender(['a', 'b'])
    const answers = await walkPastRefusals(peers, 2, s.send).done
    assert.deepEqual(s.asked.sort(), ['a', 'b', 'c', 'd'])
    assert.deepEqual(answers.filter(a => a.error == null).map(a => a.value).sort(), ['c', 'd'])
    assert.equal(answers.filter(a => a.refused).length, 2)
  })

  test('a dead peer is not walked past', async () => {
    const s = sender([], ['a'])
    const answers = await walkPastRefusals(peers, 2, s.send).done
    assert.deepEqual(s.asked, ['a', 'b'])
    assert.equal(answers.find(a => a.peer.peerId === 'a')?.refused, false)
  })

  test('the walk ends at the end of the list, each peer asked once', async () => {
    const s = sender(['a', 'b', 'c', 'd', 'e'])
    const answers = await walkPastRefusals(peers, 3, s.send).done
    assert.deepEqual(s.asked.sort(), ['a', 'b', 'c', 'd', 'e'])
    assert.equal(answers.length, 5)
    assert.ok(answers.every(a => a.refused))
  })

  test('enough settles early; the rest of the walk goes on', async () => {
    const slow = new Set(['b'])
    const asked: string[] = []
    const send = async (p: PeerRef): Promise<string> => {
      asked.push(p.peerId)
      await new Promise(resolve => setTimeout(resolve, slow.has(p.peerId) ? 50 : 1))
      return p.peerId
    }
    const walk = walkPastRefusals(peers, 2, send, answers => answers.length >= 1)
    const settled = await walk.settled
    assert.deepEqual(settled.map(a => a.value), ['a'])
    const done = await walk.done
    assert.deepEqual(done.map(a => a.value), ['a', 'b'])
  })

  test('want 0 or no peers settles at once with nothing asked', async () => {
    const s = sender([])
    assert.deepEqual(await walkPastRefusals(peers, 0, s.send).settled, [])
    assert.deepEqual(await walkPastRefusals([], 2, s.send).done, [])
    assert.deepEqual(s.asked, [])
  })
})
