// The testnet's start deadline (tools/testnet.ts startTimeoutMs): a peer that has not started
// and joined within it fails the whole start, with that said, in this process and in a worker,
// and the peers already up are stopped (the test's process then ends on its own).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createTestnet } from '../../tools/testnet.js'

// Starting a libp2p peer and joining takes far longer than 1 ms, so the second peer is late.
for (const procs of [0, 1]) {
  test(`a peer not joined within startTimeoutMs fails the start (${procs === 0 ? 'in process' : 'in a worker'})`, { timeout: 60_000 }, async () => {
    await assert.rejects(createTestnet({ peers: 2, procs, startTimeoutMs: 1 }), /peer \d+ did not start and join within 1 ms/)
  })
}

test('a generous deadline starts the ring as before', { timeout: 60_000 }, async () => {
  const net = await createTestnet({ peers: 2, startTimeoutMs: 30_000 })
  try {
    assert.equal(net.live().length, 2)
  } finally { await net.stop() }
})
