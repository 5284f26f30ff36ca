// Where a peer keeps the keys it owns. Behind this interface so that the replicated,
// on-disk store of a later issue slots in without touching routing.
import { ErrorCode } from '../protocol/chord.js'
import { ChordError } from '../protocol/errors.js'
import { hashToId } from '../protocol/ring.js'

export interface StoredEntry {
  key: Uint8Array
  value: Uint8Array
  /** SHA-1 ring id of the key. */
  id: bigint
}

export interface KeyStore {
  get: (key: Uint8Array) => Uint8Array | undefined
  /** Throws ChordError(STORE_FULL) when the byte limit would be exceeded. */
  put: (key: Uint8Array, value: Uint8Array) => void
  delete: (key: Uint8Array) => boolean
  entries: () => Iterable<StoredEntry>
  readonly size: number
  /** Bytes of keys plus values held. */
  readonly bytes: number
}

export class MemoryKeyStore implements KeyStore {
  readonly #map = new Map<string, StoredEntry>()
  #bytes = 0

  /** @param maxBytes limit on keys + values held, bytes. */
  constructor (readonly maxBytes: number) {}

  get size (): number { return this.#map.size }
  get bytes (): number { return this.#bytes }

  get (key: Uint8Array): Uint8Array | undefined {
    return this.#map.get(Buffer.from(key).toString('hex'))?.value
  }

  put (key: Uint8Array, value: Uint8Array): void {
    const k = Buffer.from(key).toString('hex')
    const old = this.#map.get(k)
    const delta = key.length + value.length - (old == null ? 0 : old.key.length + old.value.length)
    if (this.#bytes + delta > this.maxBytes) {
      throw new ChordError(ErrorCode.STORE_FULL, `store holds ${this.#bytes} of ${this.maxBytes} bytes; ${delta} more do not fit`)
    }
    this.#map.set(k, { key: Uint8Array.from(key), value: Uint8Array.from(value), id: old?.id ?? hashToId(key) })
    this.#bytes += delta
  }

  delete (key: Uint8Array): boolean {
    const k = Buffer.from(key).toString('hex')
    const old = this.#map.get(k)
    if (old == null) return false
    this.#map.delete(k)
    this.#bytes -= old.key.length + old.value.length
    return true
  }

  * entries (): Iterable<StoredEntry> {
    yield * [...this.#map.values()]
  }
}
