import { test, describe } from 'node:test'
import assert from 'node:assert/strict'
import type { Record as WireRecord } from '../../protocol/chord.js'
import { MAX_KEY_BYTES, MAX_VALUE_BYTES } from '../../protocol/constants.js'
import { ChordError, ErrorCode } from '../../protocol/errors.js'
import { batches, checkKey, checkValue, recordFromWire, recordToWire } from '../../daemon/keys/store/records.js'
import type { KeyRecord } from '../../daemon/keys/store/recordStore.js'

const bytes = (n: number, fill = 0x61): Uint8Array<ArrayBuffer> => new Uint8Array(n).fill(fill)
const item = (k: number, v: number, tag: number): { key: Uint8Array, value: Uint8Array, tag: number } => ({ key: bytes(k, tag), value: bytes(v), tag })
const wire = (over: Partial<WireRecord> = {}): WireRecord =>
  ({ key: bytes(3), value: bytes(5), ts: 77n << 16n, writer: new Uint8Array([0, 36, 1, 2]), deleted: false, ...over })
const code = (c: ErrorCode) => (e: unknown): boolean => e instanceof ChordError && e.code === c

describe('batches', () => {
  // each record costs key + value + 64 bytes of overhead
  test('splits by bytes, keeps order, never returns an empty batch', () => {
    const recs = Array.from({ length: 5 }, (_, i) => item(10, 26, i)) // 100 bytes each
    const out = batches(recs, 250)
    assert.deepEqual(out.map(b => b.map(r => r.tag)), [[0, 1], [2, 3], [4]])
    assert.ok(out.every(b => b.length > 0))
    assert.deepEqual(out.flat(), recs, 'same objects, same order')
    assert.deepEqual(batches(recs, 100).map(b => b.length), [1, 1, 1, 1, 1], 'exactly full')
    assert.deepEqual(batches(recs, 10_000).map(b => b.length), [5])
  })

  test('no records give no batches', () => {
    assert.deepEqual(batches([], 1000), [])
  })

  test('an oversized record goes alone and its neighbours are batched around it', () => {
    const recs = [item(10, 26, 0), item(10, 5000, 1), item(10, 26, 2), item(10, 26, 3)]
    const out = batches(recs, 250)
    assert.deepEqual(out.map(b => b.map(r => r.tag)), [[0], [1], [2, 3]])
    assert.deepEqual(batches([item(1, 9999, 9)], 10).map(b => b.map(r => r.tag)), [[9]])
  })

  test('no batch of more than one record exceeds maxBytes', () => {
    const recs = Array.from({ length: 200 }, (_, i) => item(1 + (i * 7) % 50, (i * 131) % 900, i))
    const out = batches(recs, 1000)
    for (const b of out) {
      assert.ok(b.length > 0)
      if (b.length > 1) assert.ok(b.reduce((s, r) => s + r.key.length + r.value.length + 64, 0) <= 1000)
    }
    assert.deepEqual(out.flat().map(r => r.tag), recs.map(r => r.tag))
    assert.ok(out.length > 10)
  })
})

describe('recordFromWire checks', () => {
  test('rejects an empty key with BAD_REQUEST', () => {
    assert.throws(() => recordFromWire(wire({ key: new Uint8Array() })), code(ErrorCode.BAD_REQUEST))
  })
  test('rejects a key over 1024 bytes with TOO_LARGE, accepts exactly 1024', () => {
    assert.equal(MAX_KEY_BYTES, 1024)
    assert.throws(() => recordFromWire(wire({ key: bytes(1025) })), code(ErrorCode.TOO_LARGE))
    assert.equal(recordFromWire(wire({ key: bytes(1024) })).key.length, 1024)
  })
  test('rejects a value over 1 MiB with TOO_LARGE, accepts exactly 1 MiB', () => {
    assert.equal(MAX_VALUE_BYTES, 1 << 20)
    assert.throws(() => recordFromWire(wire({ value: bytes((1 << 20) + 1) })), code(ErrorCode.TOO_LARGE))
    assert.equal(recordFromWire(wire({ value: bytes(1 << 20) })).value.length, 1 << 20)
  })
  test('rejects ts 0 with BAD_REQUEST', () => {
    assert.throws(() => recordFromWire(wire({ ts: 0n })), code(ErrorCode.BAD_REQUEST))
    assert.equal(recordFromWire(wire({ ts: 1n })).version.ts, 1n)
  })
  test('rejects an empty (or over 64-byte) writer with BAD_REQUEST', () => {
    assert.throws(() => recordFromWire(wire({ writer: new Uint8Array() })), code(ErrorCode.BAD_REQUEST))
    assert.throws(() => recordFromWire(wire({ writer: bytes(65) })), code(ErrorCode.BAD_REQUEST))
    assert.equal(recordFromWire(wire({ writer: bytes(64) })).version.writer.length, 64)
  })
  test('checkKey / checkValue return their input when it is fine', () => {
    const k = bytes(4)
    assert.equal(checkKey(k), k)
    assert.equal(checkValue(k), k)
    assert.equal(checkValue(new Uint8Array()).length, 0, 'an empty value is allowed')
  })
})

describe('recordToWire / recordFromWire', () => {
  test('round trip of a put and a tombstone', () => {
    const put: KeyRecord = { key: bytes(7, 0x6b), value: bytes(300, 0x76), version: { ts: (1_700_000_000_000n << 16n) + 3n, writer: new Uint8Array([0, 36, 8, 1, 9]) }, deleted: false }
    const tomb: KeyRecord = { key: bytes(2, 0x74), value: new Uint8Array(), version: { ts: 5n, writer: new Uint8Array([1]) }, deleted: true }
    for (const r of [put, tomb]) {
      const w = recordToWire(r)
      assert.deepEqual(w, { key: r.key, value: r.value, ts: r.version.ts, writer: r.version.writer, deleted: r.deleted })
      assert.deepEqual(recordFromWire(w), r)
    }
  })
  test('fromWire maps the wire fields onto the version', () => {
    const r = recordFromWire(wire({ ts: 123n, deleted: true }))
    assert.equal(r.version.ts, 123n)
    assert.deepEqual([...r.version.writer], [0, 36, 1, 2])
    assert.equal(r.deleted, true)
    assert.deepEqual([...r.key], [0x61, 0x61, 0x61])
  })
})
