// What a failed lookup hop costs the peer that failed (daemon/ring/hops.ts Hops.failed): a
// hop silent for a whole RPC timeout, or unreachable, is marked dead and suspected; one that
// ran out of a shorter share is only routed around for that lookup; and no lookup hop aborts
// the connection to its peer (that failed every other request between the two, both ways).
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { pino } from 'pino'
import type { PeerRef } from '../../protocol/peerInfo.js'
import { TimeoutError, UnreachableError } from '../../protocol/errors.js'
import { Hops, type HopsInit } from '../../daemon/ring/hops.js'

const RPC_TIMEOUT_MS = 1000
const peer: PeerRef = { peerId: 'next-hop', id: 42n, addrs: ['/ip4/127.0.0.1/tcp/1'] }

function hops (): { hops: Hops, dead: string[], suspected: string[], forgot: Array<{ peerId: string, disconnect: boolean }> } {
  const dead: string[] = []
  const suspected: string[] = []
  const forgot: Array<{ peerId: string, disconnect: boolean }> = []
  const init = {
    ring: { markDead: (peerId: string) => { dead.push(peerId) } },
    rpc: { forget: (peerId: string, opts: { disconnect?: boolean } = {}) => { forgot.push({ peerId, disconnect: opts.disconnect === true }) } },
    suspects: { suspect: (p: PeerRef) => { suspected.push(p.peerId) } },
    log: pino({ level: 'silent' }),
    rpcTimeoutMs: RPC_TIMEOUT_MS
  } as unknown as HopsInit
  return { hops: new Hops(init), dead, suspected, forgot }
}

describe('a failed lookup hop', () => {
  test('silent for a whole RPC timeout: marked dead, suspected, its stream forgotten', () => {
    const h = hops()
    h.hops.failed(peer, new TimeoutError('FIND_SUCCESSOR timed out after 1000 ms'), RPC_TIMEOUT_MS)
    assert.deepEqual(h.dead, ['next-hop'])
    assert.deepEqual(h.suspected, ['next-hop'])
    assert.deepEqual(h.forgot, [{ peerId: 'next-hop', disconnect: false }], 'forgotten, its connection left open')
  })

  test('out of a share shorter than an RPC timeout: routed around, not held against it', () => {
    const h = hops()
    for (const budget of [0, 120, RPC_TIMEOUT_MS - 1]) h.hops.failed(peer, new TimeoutError(`timed out after ${budget} ms`), budget)
    assert.deepEqual(h.dead, [])
    assert.deepEqual(h.suspected, [])
    assert.deepEqual(h.forgot, [])
  })

  test('unreachable on any budget: marked dead and suspected, no connection aborted', () => {
    const h = hops()
    h.hops.failed(peer, new UnreachableError('connection refused'), 120)
    assert.deepEqual(h.dead, ['next-hop'])
    assert.deepEqual(h.suspected, ['next-hop'])
    assert.deepEqual(h.forgot.map(f => f.disconnect), [false])
  })
})
