import { test, describe } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import {
  RING_SIZE, bytesToId, distance, fingerStart, hashToId, hexToId, idToBytes, idToHex, inHalfOpen, inOpen, mod
} from '../../protocol/ring.js'
import { seededIds } from '../../tools/lib/stats.js'

const TOP = RING_SIZE - 1n

/** A seeded PRNG of ring ids so failures reproduce. */
const prng = seededIds

describe('inOpen / inHalfOpen', () => {
  test('plain interval a < b', () => {
    assert.equal(inOpen(5n, 3n, 9n), true)
    assert.equal(inOpen(3n, 3n, 9n), false, 'x == a is outside (a, b)')
    assert.equal(inOpen(9n, 3n, 9n), false, 'x == b is outside (a, b)')
    assert.equal(inOpen(2n, 3n, 9n), false)
    assert.equal(inOpen(10n, 3n, 9n), false)
    assert.equal(inHalfOpen(9n, 3n, 9n), true, 'x == b is inside (a, b]')
    assert.equal(inHalfOpen(3n, 3n, 9n), false, 'x == a is outside (a, b]')
    assert.equal(inHalfOpen(4n, 3n, 9n), true)
    assert.equal(inHalfOpen(10n, 3n, 9n), false)
  })

  test('wrap-around interval a > b', () => {
    const a = TOP - 5n
    const b = 7n
    for (const x of [TOP - 4n, TOP, 0n, 1n, 6n]) {
      assert.equal(inOpen(x, a, b), true, `inOpen ${x}`)
      assert.equal(inHalfOpen(x, a, b), true, `inHalfOpen ${x}`)
    }
    assert.equal(inOpen(7n, a, b), false)
    assert.equal(inHalfOpen(7n, a, b), true)
    assert.equal(inOpen(a, a, b), false)
    assert.equal(inHalfOpen(a, a, b), false)
    for (const x of [8n, 1n << 100n, TOP - 6n]) {
      assert.equal(inOpen(x, a, b), false, `inOpen ${x}`)
      assert.equal(inHalfOpen(x, a, b), false, `inHalfOpen ${x}`)
    }
  })

  test('a == b: inOpen is the whole ring but a, inHalfOpen the whole ring', () => {
    for (const a of [0n, 42n, TOP]) {
      assert.equal(inOpen(a, a, a), false)
      assert.equal(inHalfOpen(a, a, a), true)
      for (const x of [mod(a + 1n), mod(a - 1n), mod(a + (RING_SIZE >> 1n))]) {
        assert.equal(inOpen(x, a, a), true)
        assert.equal(inHalfOpen(x, a, a), true)
      }
    }
  })

  test('adjacent ids: (a, a+1) is empty, (a, a+1] holds only a+1', () => {
    assert.equal(inOpen(0n, TOP, 0n), false)
    assert.equal(inOpen(TOP, TOP, 0n), false)
    assert.equal(inHalfOpen(0n, TOP, 0n), true)
    assert.equal(inHalfOpen(1n, TOP, 0n), false)
  })

  test('randomized: inOpen matches distances, and the ring splits into exactly four parts', () => {
    const rand = prng(20010827n)
    for (let n = 0; n < 2000; n++) {
      const a = rand()
      // Mix in near-edge cases that uniform 160-bit draws would never hit.
      const b = n % 3 === 0 ? mod(a + BigInt(n % 7) + 1n) : rand()
      const pick = n % 6
      const x = pick === 0 ? a : pick === 1 ? b : pick === 2 ? mod(b + 1n) : pick === 3 ? mod(a + BigInt(n % 4) + 1n) : rand()
      if (a === b) continue
      const expected = distance(a, x) > 0n && distance(a, x) < distance(a, b)
      assert.equal(inOpen(x, a, b), expected, `inOpen(${x}, ${a}, ${b})`)
      assert.equal(inHalfOpen(x, a, b), expected || x === b, `inHalfOpen(${x}, ${a}, ${b})`)
      const parts = [x === a, inOpen(x, a, b), x === b, inOpen(x, b, a)].filter(Boolean).length
      assert.equal(parts, 1, `x=${x} a=${a} b=${b}`)
    }
  })
})

describe('distance', () => {
  test('clockwise, in [0, 2^160)', () => {
    assert.equal(distance(3n, 10n), 7n)
    assert.equal(distance(10n, 3n), RING_SIZE - 7n)
    assert.equal(distance(TOP, 0n), 1n)
    assert.equal(distance(0n, TOP), TOP)
    assert.equal(distance(5n, 5n), 0n)
    assert.equal(distance(1n, 1n + RING_SIZE), 0n, 'inputs are reduced mod 2^160')
  })
})

describe('fingerStart', () => {
  test('(n + 2^i) mod 2^160 (Stoica et al. 2001 table 1, 0-based)', () => {
    assert.equal(fingerStart(0n, 0), 1n)
    assert.equal(fingerStart(10n, 3), 18n)
    assert.equal(fingerStart(0n, 159), 1n << 159n)
    assert.equal(fingerStart(TOP, 0), 0n, 'wraps past 2^160')
    assert.equal(fingerStart(3n << 158n, 159), 1n << 158n, 'wraps past 2^160')
    assert.equal(fingerStart(1n << 159n, 159), 0n)
  })

  test('bad index throws RangeError', () => {
    for (const i of [-1, 160, 1.5, Number.NaN, Infinity]) {
      assert.throws(() => fingerStart(0n, i), RangeError, `index ${i}`)
    }
  })
})

describe('byte and hex conversion', () => {
  test('bytesToId / idToBytes round trip, big-endian', () => {
    const bytes = Uint8Array.from({ length: 20 }, (_, i) => i + 1)
    const id = bytesToId(bytes)
    assert.equal(id, BigInt('0x0102030405060708090a0b0c0d0e0f1011121314'))
    assert.deepEqual(idToBytes(id), bytes)
    assert.deepEqual(idToBytes(1n), Uint8Array.from({ length: 20 }, (_, i) => i === 19 ? 1 : 0))
    assert.deepEqual(idToBytes(TOP), new Uint8Array(20).fill(0xff))
    assert.deepEqual(idToBytes(-1n), new Uint8Array(20).fill(0xff), 'negative ids are reduced mod 2^160')
    const rand = prng(7n)
    for (let n = 0; n < 200; n++) {
      const r = rand()
      assert.equal(bytesToId(idToBytes(r)), r)
    }
  })

  test('bytesToId rejects a wrong length', () => {
    for (const len of [0, 19, 21, 32]) {
      assert.throws(() => bytesToId(new Uint8Array(len)), RangeError, `length ${len}`)
    }
  })

  test('hexToId accepts 1 to 40 hex digits and nothing else', () => {
    assert.equal(hexToId('ff'), 255n)
    assert.equal(hexToId('0'), 0n)
    assert.equal(hexToId('f'.repeat(40)), TOP)
    assert.equal(hexToId('AbC'), 0xabcn)
    assert.equal(hexToId(idToHex(123456789n)), 123456789n)
    assert.equal(idToHex(255n), '0'.repeat(38) + 'ff')
    for (const bad of ['', '0x12', 'f'.repeat(41), 'g', ' 1', '1 ', '-1', '1.5']) {
      assert.throws(() => hexToId(bad), RangeError, JSON.stringify(bad))
    }
  })
})

describe('hashToId', () => {
  test('equals SHA-1 of the bytes, read big-endian', () => {
    for (const input of [new Uint8Array(0), new TextEncoder().encode('chordmeter'), Uint8Array.of(0, 1, 2, 255)]) {
      const digest = createHash('sha1').update(input).digest('hex')
      assert.equal(hashToId(input), BigInt('0x' + digest))
    }
    // FIPS 180-2 appendix A.1 test vector.
    assert.equal(idToHex(hashToId(new TextEncoder().encode('abc'))), 'a9993e364706816aba3e25717850c26c9cd0d89d')
  })
})
