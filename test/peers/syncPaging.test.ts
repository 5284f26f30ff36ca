// Anti-entropy repairs a range whose record metadata is many frames large: 1 KiB keys make
// each meta ~1.1 KiB, so the 1500 records a joining peer must pull are ~1.6 MiB of metadata,
// past MAX_FRAME_BYTES. SYNC_DIGESTS answers come in pages bounded in bytes (daemon/keys/syncPages.ts);
// before that one answer exceeded the frame limit, the stream died and the range was never repaired.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, describe, test } from 'node:test'
import { MAX_FRAME_BYTES, MAX_KEY_BYTES } from '../../protocol/constants.js'
import { hashToId, hexToId, inHalfOpen } from '../../protocol/ring.js'
import { createTestnet, type Testnet } from '../../tools/testnet.js'

const KEYS = 3000
const FAST = { stabilizeMs: 100, fixFingersMs: 100, checkPredecessorMs: 200, repairMs: 500, rpcTimeoutMs: 2000, lookupTimeoutMs: 8000, replicas: 3, writeQuorum: 2 }

describe('anti-entropy with 1 KiB keys', () => {
  let net: Testnet | undefined
  after(async () => { await net?.stop() })

  test(`a joining peer pulls ${KEYS} records with 1 KiB keys, more metadata than one frame holds`, { timeout: 180_000 }, async () => {
    // Two ring positions half a ring apart, so the joiner's range holds about half the keys.
    const ids = ['1'.padEnd(40, '0'), '9'.padEnd(40, '0')]
    net = await createTestnet({ peers: 1, peerConfig: FAST, configFor: i => ({ idHex: ids[i], allowExplicitIds: true }) })
    const first = net.peers[0]
    const keys = Array.from({ length: KEYS }, () => randomBytes(MAX_KEY_BYTES))
    let next = 0
    await Promise.all(Array.from({ length: 16 }, async () => {
      while (next < keys.length) {
        const k = keys[next++]
        await net!.client.put(first.target, k, Uint8Array.of(1))
      }
    }))
    const joiner = await net.addPeer()
    assert.ok((await net.waitIdeal({ timeoutMs: 30_000 })).ideal)
    // The joiner owns (first, joiner]: those it must pull from `first`, as the owner of that range.
    const owned = keys.filter(k => inHalfOpen(hashToId(k), hexToId(first.info.ringId), hexToId(joiner.info.ringId))).length
    const metaBytes = owned * (MAX_KEY_BYTES + 60)
    assert.ok(metaBytes > 1.3 * MAX_FRAME_BYTES, 'the range to pull is more than a frame of metadata')
    console.log(`joiner owns ${owned} of ${KEYS} keys: ~${(metaBytes / 1024 / 1024).toFixed(2)} MiB of metadata to pull (frame limit ${(MAX_FRAME_BYTES / 1024 / 1024).toFixed(2)} MiB)`)
    // With r = 3 and two peers, each holds every key: the joiner pulls its own range and is pushed the other.
    const started = Date.now()
    let held = 0
    while (Date.now() - started < 120_000) {
      held = (await net.client.state(joiner.target)).keys
      if (held === KEYS) break
      await new Promise(resolve => setTimeout(resolve, 500))
    }
    console.log(`joiner holds ${held} of ${KEYS} keys ${((Date.now() - started) / 1000).toFixed(1)} s after the ring was ideal`)
    assert.equal(held, KEYS, 'every key reached the joiner')
  })
})
