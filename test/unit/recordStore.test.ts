import { test, describe, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { RecordStore, type KeyRecord } from '../../daemon/keys/store/recordStore.js'
import { ChordError, ErrorCode } from '../../protocol/errors.js'
import { hashToId, RING_SIZE } from '../../protocol/ring.js'

const enc = (s: string): Uint8Array => new TextEncoder().encode(s)
const dec = (b: Uint8Array): string => new TextDecoder().decode(b)
const put = (key: string, value: string, ts: bigint, writer = 1): KeyRecord =>
  ({ key: enc(key), value: enc(value), version: { ts, writer: new Uint8Array([writer]) }, deleted: false })
const tomb = (key: string, ts: bigint, writer = 1): KeyRecord =>
  ({ key: enc(key), value: new Uint8Array(), version: { ts, writer: new Uint8Array([writer]) }, deleted: true })
const cmpId = (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0)

const root = mkdtempSync(join(tmpdir(), 'chordmeter-store-'))
const opened: RecordStore[] = []
let dirs = 0
after(() => { for (const s of opened) s.close(); rmSync(root, { recursive: true, force: true }) })

/** The stores' own clock (when a record was stored, for tombstone expiry), ms. */
let storeNow = 1_000_000
function open (dir: string | undefined, maxBytes = 1 << 20): RecordStore {
  const s = new RecordStore(dir, maxBytes, () => storeNow)
  opened.push(s)
  return s
}

const kinds: Array<[string, (maxBytes?: number) => RecordStore]> = [
  ['in-memory', m => open(undefined, m)],
  ['on-disk', m => open(join(root, `d${dirs++}`), m)]
]

for (const [kind, fresh] of kinds) {
  describe(`RecordStore (${kind})`, () => {
    test('apply keeps the newer version and ignores an older or equal one', () => {
      const s = fresh()
      assert.deepEqual(s.apply([put('k', 'v2', 20n)]), { applied: 1, held: 1, superseded: [] })
      assert.equal(s.apply([put('k', 'old', 10n)]).applied, 0)
      assert.equal(s.apply([put('k', 'same', 20n)]).applied, 0, 'equal version is the same write')
      assert.equal(s.apply([put('k', 'lowwriter', 20n, 0)]).applied, 0)
      assert.equal(dec(s.get(enc('k'))!.value), 'v2')
      assert.equal(s.apply([put('k', 'hiwriter', 20n, 2)]).applied, 1, 'ts tie: larger writer wins')
      assert.equal(s.apply([put('k', 'v3', 30n)]).applied, 1)
      const r = s.get(enc('k'))!
      assert.equal(dec(r.value), 'v3')
      assert.equal(r.version.ts, 30n)
      assert.deepEqual([...r.version.writer], [1])
      assert.equal(s.get(enc('absent')), undefined)
    })

    const versions = [put('k', 'a', 5n, 9), put('k', 'b', 7n, 1), put('k', 'c', 7n, 2)]
    const perms = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]]
    test('concurrent writes applied one by one in any order converge', () => {
      for (const p of perms) {
        const s = fresh()
        for (const i of p) s.apply([versions[i]!])
        const r = s.get(enc('k'))!
        assert.equal(dec(r.value), 'c', `order ${p}`)
        assert.deepEqual([r.version.ts, [...r.version.writer]], [7n, [2]])
        assert.equal(s.size, 1)
        assert.equal(s.bytes, 2)
      }
    })

    test('concurrent writes to one key in ONE batch converge in any order', () => {
        for (const p of perms) {
          const s = fresh()
          s.apply(p.map(i => versions[i]!))
          assert.equal(dec(s.get(enc('k'))!.value), 'c', `order ${p}`)
        }
      })

    test('tombstones are stored and returned; a newer put wins over them, an older one loses', () => {
      const s = fresh()
      s.apply([put('k', 'value', 10n)])
      assert.equal(s.apply([tomb('k', 20n)]).applied, 1)
      const t = s.get(enc('k'))!
      assert.equal(t.deleted, true)
      assert.equal(t.value.length, 0)
      assert.equal(t.version.ts, 20n)
      assert.equal(s.apply([put('k', 'stale', 15n)]).applied, 0)
      assert.equal(s.get(enc('k'))!.deleted, true)
      assert.equal(s.apply([put('k', 'back', 25n)]).applied, 1)
      assert.deepEqual([s.get(enc('k'))!.deleted, dec(s.get(enc('k'))!.value)], [false, 'back'])
      assert.equal(s.apply([tomb('fresh', 3n)]).applied, 1, 'a tombstone for an unknown key is kept')
      assert.equal(s.get(enc('fresh'))!.deleted, true)
    })

    test('size and bytes follow puts, overwrites, tombstones and removes', () => {
      const s = fresh()
      assert.deepEqual([s.size, s.bytes], [0, 0])
      s.apply([put('aa', 'xxxxx', 1n), put('bbb', 'yy', 1n)])
      assert.deepEqual([s.size, s.bytes], [2, 7 + 5])
      s.apply([put('aa', 'x', 2n)])
      assert.deepEqual([s.size, s.bytes], [2, 3 + 5])
      s.apply([tomb('bbb', 2n)])
      assert.deepEqual([s.size, s.bytes], [2, 3 + 3])
      s.remove([enc('aa'), enc('nope')])
      assert.deepEqual([s.size, s.bytes], [1, 3])
      s.remove([enc('bbb')])
      assert.deepEqual([s.size, s.bytes], [0, 0])
      assert.equal(s.get(enc('aa')), undefined)
    })

    test('STORE_FULL when maxBytes would be exceeded, and nothing is written', () => {
      const s = fresh(20)
      s.apply([put('a', '123456789', 1n)]) // 10 bytes
      assert.throws(() => s.apply([put('b', '1234', 1n), put('c', '123456', 1n)]),
        (e: unknown) => e instanceof ChordError && e.code === ErrorCode.STORE_FULL)
      assert.equal(s.get(enc('b')), undefined)
      assert.equal(s.get(enc('c')), undefined)
      assert.deepEqual([s.size, s.bytes], [1, 10])
      assert.throws(() => s.apply([put('a', '1'.repeat(20), 2n)]), { code: ErrorCode.STORE_FULL })
      assert.equal(s.get(enc('a'))!.version.ts, 1n)
      assert.equal(s.apply([put('b', '123456789', 1n)]).applied, 1, 'filling up to exactly maxBytes is allowed')
      assert.equal(s.bytes, 20)
      assert.equal(s.apply([put('a', '1', 3n)]).applied, 1, 'shrinking a full store is allowed')
    })

    test('tombstones expire by when this store took them, on its own clock, not by their timestamps', () => {
      const s = fresh()
      const t0 = storeNow
      // A far-future tombstone (ts 2^62) and an ancient one, stored at the same local moment.
      s.apply([tomb('future', 1n << 62n), tomb('ancient', 10n), put('p5', 'v', 5n)])
      storeNow = t0 + 100
      s.apply([tomb('later', 20n)])
      const names = (ks: Array<{ key: Uint8Array }>): string[] => ks.map(k => dec(k.key)).sort()
      assert.deepEqual(s.tombstonesStoredBefore(t0, 100), [], 'nothing stored before t0')
      assert.deepEqual(names(s.tombstonesStoredBefore(t0 + 1, 100)), ['ancient', 'future'], 'the far-future one expires with the ancient one')
      assert.deepEqual(names(s.tombstonesStoredBefore(t0 + 101, 100)), ['ancient', 'future', 'later'])
      assert.equal(s.tombstonesStoredBefore(t0 + 101, 2).length, 2)
      const f = s.tombstonesStoredBefore(t0 + 1, 100).find(t => dec(t.key) === 'future')!
      assert.equal(f.version.ts, 1n << 62n, 'with the version that was stored')
    })

    test('apply names the newer version held for each record it did not take', () => {
      const s = fresh()
      s.apply([put('k', 'new', 50n, 2)])
      const out = s.apply([put('k', 'old', 40n), put('fresh', 'v', 1n), put('k', 'same', 50n, 2)])
      assert.equal(out.applied, 1)
      assert.equal(out.superseded.length, 1, 'the older one is superseded, the equal one is held')
      assert.equal(out.superseded[0].version.ts, 50n)
      assert.deepEqual([...out.superseded[0].version.writer], [2])
    })

    describe('range', () => {
      const s = fresh()
      const recs = Array.from({ length: 20 }, (_, i) => put(`r${i}`, 'v', 1n))
      s.apply(recs)
      const ids = recs.map(r => hashToId(r.key)).sort(cmpId)
      const idx = (rs: KeyRecord[]): number[] => rs.map(r => ids.indexOf(hashToId(r.key)))
      const seq = (a: number, b: number): number[] => Array.from({ length: b - a + 1 }, (_, i) => a + i)

      test('from < to: (from, to] in ring order, honouring limit', () => {
        assert.deepEqual(idx(s.range(ids[2]!, ids[7]!, 100)), seq(3, 7))
        assert.deepEqual(idx(s.range(ids[2]!, ids[7]!, 2)), [3, 4])
        assert.deepEqual(idx(s.range(ids[2]! + 1n, ids[7]! - 1n, 100)), seq(3, 6))
      })
      test('from > to wraps around, clockwise from `from`', () => {
        assert.deepEqual(idx(s.range(ids[15]!, ids[3]!, 100)), [...seq(16, 19), ...seq(0, 3)])
        assert.deepEqual(idx(s.range(RING_SIZE - 1n, ids[1]!, 100)), [0, 1])
      })
      test('from === to is the whole ring, clockwise from `from`', () => {
        assert.deepEqual(idx(s.range(ids[10]! + 1n, ids[10]! + 1n, 100)), [...seq(11, 19), ...seq(0, 10)])
        assert.deepEqual(idx(s.range(0n, 0n, 100)), seq(0, 19))
      })
      test('from === to at a record\'s own id: that record comes last (a full turn after `from`)', () => {
          assert.deepEqual(idx(s.range(ids[10]!, ids[10]!, 100)), [...seq(11, 19), ...seq(0, 10)])
        })
      test('wrapping range with a limit returns the first records clockwise from `from`', () => {
          assert.deepEqual(idx(s.range(ids[15]!, ids[3]!, 2)), [16, 17])
          assert.deepEqual(idx(s.range(ids[10]!, ids[10]!, 2)), [11, 12])
        })
    })
  })
}

test('durability: everything written is there after close() and reopen, digests equal', () => {
  const dir = join(root, 'reopen')
  const a = new RecordStore(dir, 1 << 20)
  const recs = Array.from({ length: 50 }, (_, i) => (i % 5 === 0 ? tomb(`d${i}`, BigInt(100 + i), 3) : put(`d${i}`, `value-${i}`, BigInt(100 + i), i % 7)))
  a.apply(recs)
  a.apply([put('d1', 'overwritten', 999n, 4)])
  a.remove([enc('d2')])
  const ranges: Array<[bigint, bigint]> = [[0n, RING_SIZE - 1n], [RING_SIZE / 3n, RING_SIZE / 2n], [RING_SIZE / 2n, RING_SIZE / 5n]]
  const before = ranges.map(([f, t]) => a.digests(f, t))
  const [size, bytes] = [a.size, a.bytes]
  a.close()
  const b = open(dir)
  assert.deepEqual([b.size, b.bytes], [size, bytes])
  assert.equal(size, 49)
  for (const r of recs) {
    if (dec(r.key) === 'd2') { assert.equal(b.get(r.key), undefined); continue }
    const want = dec(r.key) === 'd1' ? put('d1', 'overwritten', 999n, 4) : r
    assert.deepEqual(b.get(r.key), want, dec(r.key))
  }
  assert.ok(before[0]!.size > 0)
  assert.deepEqual(ranges.map(([f, t]) => b.digests(f, t)), before)
})

test('durability() reads the connection: WAL and synchronous=FULL on disk, memory without a data dir', () => {
  assert.deepEqual(open(join(root, 'pragmas')).durability(), { journalMode: 'wal', synchronous: 2 })
  assert.equal(open(undefined).durability().journalMode, 'memory')
})

describe('RecordStore.removeIfVersion', () => {
  test('removes a record only at the version given; a newer one written meanwhile stays', () => {
    const s = open(undefined)
    s.apply([put('a', 'v1', 10n), put('b', 'v1', 10n), put('c', 'v1', 10n), tomb('d', 10n)])
    const pushed = [put('a', 'v1', 10n), put('b', 'v1', 10n), put('c', 'v1', 10n), tomb('d', 10n), put('e', 'never held', 10n)]
    s.apply([put('b', 'v2', 20n)]) // arrived while `pushed` was on its way
    s.apply([put('c', 'v1', 10n, 2)]) // same ts, larger writer: a different write that wins
    assert.equal(s.removeIfVersion(pushed), 2)
    assert.equal(s.get(enc('a')), undefined)
    assert.equal(s.get(enc('d')), undefined, 'a tombstone at its version goes too')
    assert.equal(dec(s.get(enc('b'))!.value), 'v2')
    assert.equal(s.get(enc('c'))!.version.writer[0], 2)
    assert.equal(s.size, 2)
    assert.equal(s.bytes, 'b'.length + 2 + 'c'.length + 2)
  })

  test('a tombstone and a put at the same version are not the same record', () => {
    const s = open(undefined)
    s.apply([put('k', 'v', 10n)])
    assert.equal(s.removeIfVersion([tomb('k', 10n)]), 0)
    assert.ok(s.get(enc('k')) != null)
  })
})
