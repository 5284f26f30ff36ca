// Identifier-circle arithmetic for Chord (Stoica et al. 2001, section 4).
// Ids are bigints in [0, 2^m); every interval is read clockwise and wraps at 2^m.
import { createHash } from 'node:crypto'
import { ID_BITS, ID_BYTES } from './constants.js'

export const RING_SIZE = 1n << BigInt(ID_BITS)
const MASK = RING_SIZE - 1n

/** SHA-1 of `bytes` as a ring id (Stoica et al. 4.1: "consistent hashing ... using SHA-1"). */
export function hashToId (bytes: Uint8Array): bigint {
  return bytesToId(createHash('sha1').update(bytes).digest())
}

export function bytesToId (bytes: Uint8Array): bigint {
  if (bytes.length !== ID_BYTES) throw new RangeError(`a ring id is ${ID_BYTES} bytes, got ${bytes.length}`)
  let id = 0n
  for (const b of bytes) id = (id << 8n) | BigInt(b)
  return id
}

export function idToBytes (id: bigint): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(ID_BYTES)
  let v = mod(id)
  for (let i = ID_BYTES - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn)
    v >>= 8n
  }
  return out
}

export function idToHex (id: bigint): string {
  return mod(id).toString(16).padStart(ID_BYTES * 2, '0')
}

export function hexToId (hex: string): bigint {
  if (!/^[0-9a-fA-F]{1,40}$/.test(hex)) throw new RangeError(`a ring id is 1 to ${ID_BYTES * 2} hex digits, got "${hex}"`)
  return BigInt('0x' + hex)
}

/** First 8 hex digits: enough to tell peers apart in logs. */
export function shortId (id: bigint): string {
  return idToHex(id).slice(0, 8)
}

export function mod (x: bigint): bigint {
  return ((x % RING_SIZE) + RING_SIZE) & MASK
}

/** Clockwise distance from a to b, in [0, 2^m). */
export function distance (a: bigint, b: bigint): bigint {
  return mod(b - a)
}

/** x in (a, b), clockwise. When a == b the interval is the whole ring but a. */
export function inOpen (x: bigint, a: bigint, b: bigint): boolean {
  if (a === b) return x !== a
  return distance(a, x) > 0n && distance(a, x) < distance(a, b)
}

/** x in (a, b], clockwise. When a == b the interval is the whole ring. */
export function inHalfOpen (x: bigint, a: bigint, b: bigint): boolean {
  if (a === b) return true
  return distance(a, x) > 0n && distance(a, x) <= distance(a, b)
}

/** Start of finger i of node n: (n + 2^i) mod 2^m, for 0 <= i < m (Stoica et al. table 1, 0-based). */
export function fingerStart (n: bigint, i: number): bigint {
  if (!Number.isInteger(i) || i < 0 || i >= ID_BITS) throw new RangeError(`finger index must be in [0, ${ID_BITS}), got ${i}`)
  return mod(n + (1n << BigInt(i)))
}
