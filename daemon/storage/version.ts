// Versions and the conflict rule every replica applies, so that concurrent puts, deletes
// and repairs converge to the same record everywhere:
//   the record with the larger hybrid-logical-clock timestamp wins; on equal timestamps
//   the larger writer peer id (byte order) wins; equal versions are the same write.
// A delete is a write too (a tombstone) and wins or loses by the same rule.
// Hybrid logical clocks: Kulkarni et al., "Logical Physical Clocks" (OPODIS 2014).

export interface Version {
  /** HLC timestamp: milliseconds since the epoch << 16, plus a logical counter. */
  ts: bigint
  /** Peer id (binary) of the peer that assigned the timestamp. */
  writer: Uint8Array
}

const LOGICAL_BITS = 16n

export function compareVersions (a: Version, b: Version): number {
  if (a.ts !== b.ts) return a.ts < b.ts ? -1 : 1
  return Buffer.compare(a.writer, b.writer)
}

export function physicalMs (ts: bigint): number {
  return Number(ts >> LOGICAL_BITS)
}

/** Timestamps that never go backwards and stay ahead of every timestamp observed. */
export class HybridClock {
  #last = 0n

  constructor (readonly now: () => number = Date.now) {}

  /** A timestamp larger than every one issued or observed before. */
  next (): bigint {
    const wall = BigInt(Math.floor(this.now())) << LOGICAL_BITS
    this.#last = wall > this.#last ? wall : this.#last + 1n
    return this.#last
  }

  /** Move past a timestamp seen from another peer. */
  observe (ts: bigint): void {
    if (ts > this.#last) this.#last = ts
  }
}
