// The operator's copy count (tools/lib/replicaCount.ts) with the network stubbed: only an
// answer is evidence, a holder that refused or timed out is asked again, and the holders of a
// bounded number of keys are asked at once.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ChordError, ErrorCode } from '../../protocol/errors.js'
import { idToHex } from '../../protocol/ring.js'
import type { ChordClient } from '../../tools/lib/client.js'
import { replicaCounts, type Member } from '../../tools/lib/replicaCount.js'

const members: Member[] = [1n, 2n, 3n].map(i => ({ peerId: `p${i}`, ringId: idToHex(i << 150n), target: { peerId: `p${i}`, addrs: [] } }))
const version = { ts: 5n, writer: new Uint8Array([1]) }
const keys = Array.from({ length: 200 }, (_, i) => ({ key: new TextEncoder().encode(`k${i}`), version }))

/** A client whose holders all hold every key, each refusing its first `refusals` asks for a key. */
function stubClient (refusals: number): { client: ChordClient, maxInFlight: () => number } {
  const asked = new Map<string, number>()
  let inFlight = 0
  let max = 0
  const client = {
    async replicaGet (target: { peerId: string }, key: Uint8Array) {
      inFlight++
      max = Math.max(max, inFlight)
      try {
        await new Promise(resolve => setImmediate(resolve))
        const k = `${target.peerId}/${Buffer.from(key).toString('hex')}`
        const n = (asked.get(k) ?? 0) + 1
        asked.set(k, n)
        if (n <= refusals) throw new ChordError(ErrorCode.CHOKED, 'choked', { remote: true })
        return { record: { ts: version.ts, writer: version.writer } }
      } finally { inFlight-- }
    }
  } as unknown as ChordClient
  return { client, maxInFlight: () => max }
}

test('a holder that refused once is asked again: its copy counts', { timeout: 30_000 }, async () => {
  const { client } = stubClient(1)
  const counts = await replicaCounts(client, members, keys.slice(0, 20), 3)
  assert.deepEqual(counts, counts.map(() => 3))
})

test('a holder that never answers counts as lacking the copy', { timeout: 30_000 }, async () => {
  const { client } = stubClient(Infinity)
  const counts = await replicaCounts(client, members, keys.slice(0, 2), 3)
  assert.deepEqual(counts, [0, 0])
})

test('the holders of at most 64 keys are asked at once', { timeout: 30_000 }, async () => {
  const s = stubClient(0)
  const counts = await replicaCounts(s.client, members, keys, 3)
  assert.equal(counts.length, keys.length)
  assert.ok(s.maxInFlight() <= 64, `${s.maxInFlight()} asks in flight`)
})
