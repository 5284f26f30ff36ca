// The side-by-side workload (tools/lib/putGetPairs.ts) on a stub system: every pair is a put
// and then a get of the same key and value, through peers in range; a failed put skips its
// get; failures and wrong reads are counted, not timed.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { putGetPairs, type PairTarget } from '../../tools/lib/putGetPairs.js'

function stub (opts: { failPutEvery?: number, wrongGetEvery?: number } = {}): PairTarget & { log: string[] } {
  const held = new Map<string, Uint8Array>()
  const log: string[] = []
  let puts = 0
  let gets = 0
  return {
    peers: 5,
    log,
    put: async (via, key, value) => {
      assert.ok(via >= 0 && via < 5)
      if (opts.failPutEvery != null && ++puts % opts.failPutEvery === 0) throw new Error('put failed')
      held.set(Buffer.from(key).toString('hex'), value)
      log.push('put')
    },
    get: async (via, key, value) => {
      assert.ok(via >= 0 && via < 5)
      log.push('get')
      if (opts.wrongGetEvery != null && ++gets % opts.wrongGetEvery === 0) return false
      return Buffer.compare(held.get(Buffer.from(key).toString('hex')) ?? Buffer.alloc(0), value) === 0
    }
  }
}

test('each pair puts, then reads the same key and value back', async () => {
  const t = stub()
  const r = await putGetPairs(t, { pairs: 20, valueBytes: 8 })
  assert.deepEqual(t.log, Array.from({ length: 40 }, (_, i) => i % 2 === 0 ? 'put' : 'get'))
  assert.equal(r.put.n, 20)
  assert.equal(r.get.n, 20)
  assert.equal(r.failed, 0)
  assert.equal(r.wrong, 0)
  assert.ok(r.get.p50Ms >= 0 && r.get.p99Ms >= r.get.p50Ms)
})

test('a failed put skips its get; wrong reads are counted', async () => {
  const r = await putGetPairs(stub({ failPutEvery: 4, wrongGetEvery: 5 }), { pairs: 20, valueBytes: 8 })
  assert.equal(r.failed, 5)
  assert.equal(r.put.n, 15)
  assert.equal(r.get.n, 15)
  assert.equal(r.wrong, 3)
})
