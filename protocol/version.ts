// Versions and the conflict rule every replica applies, so that concurrent puts, deletes
// and repairs converge to the same record everywhere:
//   the record with the larger hybrid-logical-clock timestamp wins; on equal timestamps
//   the larger writer peer id (byte order) wins; equal versions are the same write.
// A delete is a write too (a tombstone) and wins or loses by the same rule.
// The clock that mints timestamps is daemon/keys/store/hybridClock.ts.

export interface Version {
  /** HLC timestamp: milliseconds since the epoch << 16, plus a logical counter. */
  ts: bigint
  /** Peer id (binary) of the peer that assigned the timestamp. */
  writer: Uint8Array
}

export const LOGICAL_BITS = 16n
/** The store keeps ts in a signed 64-bit INTEGER (SQLite): nothing above this is accepted. */
export const MAX_TS = (1n << 63n) - 1n

export function compareVersions (a: Version, b: Version): number {
  if (a.ts !== b.ts) return a.ts < b.ts ? -1 : 1
  return Buffer.compare(a.writer, b.writer)
}

export function physicalMs (ts: bigint): number {
  return Number(ts >> LOGICAL_BITS)
}

/** The first timestamp of millisecond `ms`. */
export function tsOfMs (ms: number): bigint {
  return BigInt(Math.floor(ms)) << LOGICAL_BITS
}

