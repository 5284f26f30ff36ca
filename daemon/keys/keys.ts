// One peer's key service, by role: entry.ts (a client's operations), coordinator.ts (a key's
// writes and reads at its owner or a stand-in), replica.ts (a replica's handlers) and
// pushes.ts (repair and handoff pushes). createKeys builds them over the peer's ring, store
// and clock, and names what the peer maps its message types and its leave to.
import type { Logger } from 'pino'
import type { VerifyOptions } from '../../protocol/peerInfo.js'
import type { CostMeters } from '../meters/costMeters.js'
import type { Router } from '../ring/lookups.js'
import type { RingState } from '../ring/ringState.js'
import type { RpcClient } from '../rpc/client.js'
import { Coordinator } from './coordinator.js'
import { Entry } from './entry.js'
import { Pushes } from './pushes.js'
import type { RecordIntake } from './recordIntake.js'
import { Replica } from './replica.js'
import type { SkewMonitor } from './store/clockSkew.js'
import type { HybridClock } from './store/hybridClock.js'
import type { RecordStore } from './store/recordStore.js'

export interface KeysInit {
  ring: RingState
  router: Router
  rpc: RpcClient
  store: RecordStore
  clock: HybridClock
  /** This peer's clock against its neighbours': a peer out of bounds mints no versions. */
  skew: SkewMonitor
  /** Every record from another peer passes here before the store. */
  intake: RecordIntake
  log: Logger
  rpcTimeoutMs: number
  /** --max-clock-skew-ms. */
  maxClockSkewMs: number
  /** Copies of every key: the owner and the next replicas-1 successors. */
  replicas: number
  /** Replicas that must hold a write durably before it is acknowledged. */
  writeQuorum: number
  meters: CostMeters
  verify: VerifyOptions
  /** Peers judged refusers by our choker: tried last as stand-ins. */
  distrusts?: (peerId: string) => boolean
}

/** The handlers of the key service's message types, the pushes anti-entropy makes, the leave, and the store. */
export interface Keys extends
  Pick<Entry, 'handleClientLookup' | 'handleClientPut' | 'handleClientGet' | 'handleClientDelete'>,
  Pick<Coordinator, 'handleStorePut' | 'handleStoreGet' | 'handleStoreDelete' | 'markLeaving'>,
  Pick<Replica, 'handleReplicaPut' | 'handleReplicaGet' | 'handleReplicaFetch'>,
  Pick<Pushes, 'replicaPeers' | 'pushTo' | 'handOffAll'> {
  /** The store the roles share. */
  readonly store: RecordStore
}

export function createKeys (init: KeysInit): Keys {
  const coordinator = new Coordinator(init)
  const entry = new Entry({ ...init, self: init.ring.self, coordinator })
  const replica = new Replica(init)
  const pushes = new Pushes(init)
  return {
    store: init.store,
    handleClientLookup: entry.handleClientLookup,
    handleClientPut: entry.handleClientPut,
    handleClientGet: entry.handleClientGet,
    handleClientDelete: entry.handleClientDelete,
    handleStorePut: coordinator.handleStorePut,
    handleStoreGet: coordinator.handleStoreGet,
    handleStoreDelete: coordinator.handleStoreDelete,
    markLeaving: () => { coordinator.markLeaving() },
    handleReplicaPut: replica.handleReplicaPut,
    handleReplicaGet: replica.handleReplicaGet,
    handleReplicaFetch: replica.handleReplicaFetch,
    replicaPeers: pushes.replicaPeers,
    pushTo: pushes.pushTo,
    handOffAll: pushes.handOffAll
  }
}
