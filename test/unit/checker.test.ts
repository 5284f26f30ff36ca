// The real-time half of the Jepsen-style checker: which values a read may return.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { AckChecker } from '../../tools/lib/checker.js'

const enc = (s: string): Uint8Array => new TextEncoder().encode(s)
const names = (vs: Uint8Array[] | null): string[] => (vs ?? []).map(v => new TextDecoder().decode(v)).sort()
const ver = (ts: bigint) => ({ ts, writer: new Uint8Array([1]) })

test('a put that completed (acked or failed) before a later acknowledged put was invoked may not be read back', () => {
  let t = 0
  const c = new AckChecker({ now: () => t })
  const key = enc('k')
  const k = Buffer.from(key).toString('latin1')
  const a = c.invoke(key, enc('a')); t = 1; a.ok({ ts: 1n, writer: new Uint8Array([1]) })
  const z = c.invoke(key, enc('zombie')); t = 2; z.fail()
  assert.deepEqual(names(c.allowedValues(k)), ['a', 'zombie'], 'the failed put may still take effect')
  t = 3
  const b = c.invoke(key, enc('b')); t = 4; b.ok({ ts: 2n, writer: new Uint8Array([1]) })
  assert.deepEqual(names(c.allowedValues(k)), ['b'], 'once b was acknowledged after both, only b')
  t = 4.5
  const d = c.invoke(key, enc('d')); t = 5
  const e = c.invoke(key, enc('e')); t = 6
  d.ok(ver(3n)); e.fail()
  assert.deepEqual(names(c.allowedValues(k)), ['d', 'e'], 'e overlaps d, so either may win')
  assert.equal(c.allowedValues('untimed'), null)
})
