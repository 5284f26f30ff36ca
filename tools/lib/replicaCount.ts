// How many of a key's r replica holders (its owner and the owner's next r-1 successors,
// by the sorted membership) hold it at a given version or newer.
import { hashToId } from '../../protocol/ring.js'
import type { RpcTarget } from '../../daemon/rpc/client.js'
import { compareVersions, type Version } from '../../protocol/version.js'
import type { ChordClient } from './client.js'
import { mapLimit } from './concurrency.js'
import { sortRing, successorOf, type RingMember } from './ringCheck.js'

export interface Member extends RingMember { target: RpcTarget }

export function holdersOf (sorted: readonly Member[], key: Uint8Array, r: number): Member[] {
  const i = sorted.indexOf(successorOf(sorted, hashToId(key)) as Member)
  return Array.from({ length: Math.min(r, sorted.length) }, (_, k) => sorted[(i + k) % sorted.length])
}

/** Keys counted at once: asking every holder of thousands of keys at once makes their answers time out (and past their spare capacity, CHOKED). */
const KEYS_IN_FLIGHT = 64
/** A holder that refused or did not answer (CHOKED, BUSY, TIMEOUT) is asked again this often before its copy counts as absent. */
const ASKS = 4

/**
 * Replica counts of each key (at `versions.get(key)` or newer), in the order given. Only an
 * answer counts: a holder that answered without the record (or with an older one) lacks it; one
 * that refused us (CHOKED: the operator's client gives peers nothing, docs/choking.md) or did
 * not answer is asked again with backoff, and counts as lacking it only if it never answers.
 */
export async function replicaCounts (client: ChordClient, members: readonly Member[], keys: ReadonlyArray<{ key: Uint8Array, version: Version }>, r: number): Promise<number[]> {
  const sorted = sortRing(members)
  return await mapLimit(keys, KEYS_IN_FLIGHT, async ({ key, version }) => {
    let n = 0
    for (const h of holdersOf(sorted, key, r)) {
      const rec = await askHolder(client, h.target, key)
      if (rec != null && compareVersions({ ts: rec.ts, writer: rec.writer }, version) >= 0) n++
    }
    return n
  })
}

async function askHolder (client: ChordClient, target: RpcTarget, key: Uint8Array): Promise<{ ts: bigint, writer: Uint8Array } | undefined> {
  for (let i = 0; ; i++) {
    try {
      return (await client.replicaGet(target, key)).record
    } catch {
      if (i + 1 >= ASKS) return undefined
      await new Promise(resolve => setTimeout(resolve, 200 * 2 ** i))
    }
  }
}
