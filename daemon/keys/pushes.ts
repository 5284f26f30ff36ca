// Repair and handoff pushes: records sent to the peers that should hold them, in bounded
// batches (maintenance traffic). Anti-entropy pushes to our replicas and to the holders of
// strays (antiEntropy.ts); a graceful leave hands everything to our successor.
import { MessageType } from '../../protocol/chord.js'
import { HANDOFF_BATCH_BYTES } from '../../protocol/constants.js'
import type { PeerRef } from '../../protocol/peerInfo.js'
import type { RingState } from '../ring/ringState.js'
import type { RpcClient } from '../rpc/client.js'
import type { KeyRecord, RecordStore } from './store/recordStore.js'
import { batches, recordToWire } from './store/records.js'

export interface PushesInit {
  ring: RingState
  rpc: RpcClient
  store: RecordStore
  rpcTimeoutMs: number
  /** Copies of every key: the owner and the next replicas-1 successors. */
  replicas: number
}

export class Pushes {
  readonly #i: PushesInit

  constructor (init: PushesInit) { this.#i = init }

  /** The peers after us that hold copies of what we own. */
  readonly replicaPeers = (): PeerRef[] => this.#i.ring.successors.entries.slice(0, this.#i.replicas - 1)

  /** Send records to a peer in bounded batches (maintenance traffic); true if it holds them all. */
  readonly pushTo = async (peer: PeerRef, records: readonly KeyRecord[], signal?: AbortSignal): Promise<boolean> => {
    for (const batch of batches(records, HANDOFF_BATCH_BYTES)) {
      const r = await this.#i.rpc.request(peer, MessageType.REPAIR_PUT, { records: batch.map(recordToWire) }, { timeoutMs: this.#i.rpcTimeoutMs * 2, signal })
      if (r.held !== batch.length) return false
    }
    return true
  }

  /** Graceful leave: everything we hold goes to our successor, which now owns our range. */
  readonly handOffAll = async (to: PeerRef, signal: AbortSignal): Promise<number> => {
    const { ring, store } = this.#i
    const all = store.range(ring.self.id, ring.self.id, Number.MAX_SAFE_INTEGER)
    await this.pushTo(to, all, signal)
    return all.length
  }
}
