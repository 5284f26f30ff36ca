// Conversions between stored records and their wire form, with the size checks every
// path that accepts a record applies.
import { ErrorCode, type Record as WireRecord } from '../../../protocol/chord.js'
import { MAX_KEY_BYTES, MAX_VALUE_BYTES } from '../../../protocol/constants.js'
import { BadRequestError, ChordError } from '../../../protocol/errors.js'
import type { KeyRecord } from './recordStore.js'

export function checkKey (key: Uint8Array): Uint8Array {
  if (key.length === 0) throw new BadRequestError('key is empty')
  if (key.length > MAX_KEY_BYTES) throw new ChordError(ErrorCode.TOO_LARGE, `key of ${key.length} bytes exceeds the ${MAX_KEY_BYTES}-byte limit`)
  return key
}

export function checkValue (value: Uint8Array): Uint8Array {
  if (value.length > MAX_VALUE_BYTES) throw new ChordError(ErrorCode.TOO_LARGE, `value of ${value.length} bytes exceeds the ${MAX_VALUE_BYTES}-byte limit`)
  return value
}

export function recordToWire (r: KeyRecord): WireRecord {
  return { key: r.key as Uint8Array<ArrayBuffer>, value: r.value as Uint8Array<ArrayBuffer>, ts: r.version.ts, writer: r.version.writer as Uint8Array<ArrayBuffer>, deleted: r.deleted }
}

export function recordFromWire (w: WireRecord): KeyRecord {
  checkKey(w.key)
  checkValue(w.value)
  if (w.writer.length === 0 || w.writer.length > 64) throw new BadRequestError(`writer id of ${w.writer.length} bytes`)
  if (w.ts === 0n) throw new BadRequestError('record without a version')
  return { key: w.key, value: w.value, version: { ts: w.ts, writer: w.writer }, deleted: w.deleted }
}

/** Split records into batches of about `maxBytes` (a larger record goes alone). */
export function batches<T extends { key: Uint8Array, value: Uint8Array }> (records: readonly T[], maxBytes: number): T[][] {
  const out: T[][] = []
  let cur: T[] = []
  let bytes = 0
  for (const r of records) {
    const size = r.key.length + r.value.length + 64
    if (cur.length > 0 && bytes + size > maxBytes) { out.push(cur); cur = []; bytes = 0 }
    cur.push(r)
    bytes += size
  }
  if (cur.length > 0) out.push(cur)
  return out
}
