// How many of a key's r replica holders (its owner and the owner's next r-1 successors,
// by the sorted membership) hold it at a given version or newer.
import { hashToId } from '../../protocol/ring.js'
import type { RpcTarget } from '../../daemon/rpc/client.js'
import { compareVersions, type Version } from '../../daemon/storage/version.js'
import type { ChordClient } from './client.js'
import { sortRing, successorOf, type RingMember } from './ringCheck.js'

export interface Member extends RingMember { target: RpcTarget }

export function holdersOf (sorted: readonly Member[], key: Uint8Array, r: number): Member[] {
  const i = sorted.indexOf(successorOf(sorted, hashToId(key)) as Member)
  return Array.from({ length: Math.min(r, sorted.length) }, (_, k) => sorted[(i + k) % sorted.length])
}

/** Replica counts of each key (at `versions.get(key)` or newer), in the order given. */
export async function replicaCounts (client: ChordClient, members: readonly Member[], keys: ReadonlyArray<{ key: Uint8Array, version: Version }>, r: number): Promise<number[]> {
  const sorted = sortRing(members)
  return await Promise.all(keys.map(async ({ key, version }) => {
    let n = 0
    for (const h of holdersOf(sorted, key, r)) {
      const got = await client.replicaGet(h.target, key).catch(() => undefined)
      const rec = got?.record
      if (rec != null && compareVersions({ ts: rec.ts, writer: rec.writer }, version) >= 0) n++
    }
    return n
  }))
}
