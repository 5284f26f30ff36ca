import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Readable } from 'node:stream'
import { readBounded } from '../../tools/lib/readBounded.js'

/** A stream of `n` chunks of `size` bytes that counts how many were pulled. */
function chunks (n: number, size: number): { stream: Readable, pulled: () => number } {
  let pulled = 0
  const stream = Readable.from((function * () { for (let i = 0; i < n; i++) { pulled++; yield Buffer.alloc(size, i) } })(), { objectMode: false })
  return { stream, pulled: () => pulled }
}

test('readBounded returns the whole stream at or under the limit', async () => {
  assert.deepEqual(await readBounded(chunks(4, 25).stream, 100), { kind: 'whole', bytes: Buffer.concat([0, 1, 2, 3].map(i => Buffer.alloc(25, i))) })
  const empty = await readBounded(Readable.from([]), 100)
  assert.equal(empty.kind, 'whole')
  assert.equal(empty.kind === 'whole' && empty.bytes.length, 0)
})

test('readBounded stops one byte past the limit and leaves the rest unread', async () => {
  const s = chunks(1000, 25)
  assert.deepEqual(await readBounded(s.stream, 100), { kind: 'over', maxBytes: 100 })
  assert.ok(s.pulled() < 20, `pulled ${s.pulled()} of 1000 chunks`)
  assert.equal(s.stream.destroyed, true)
})
