// What a peer serves: one handler per message type, dispatched through this table by the
// RPC server. A fault test may put its own handlers over the honest ones; either way, until
// the peer has joined it answers no ring RPC (ring/memberOnly.ts).
import { MessageType } from '../../protocol/chord.js'
import type { AntiEntropy } from '../keys/antiEntropy.js'
import type { Keys } from '../keys/keys.js'
import { peerState, peerStats, statsJson, type TelemetryParts } from '../meters/telemetry.js'
import type { ChangeHints } from '../ring/changeHints.js'
import type { Router } from '../ring/lookups.js'
import type { Maintenance } from '../ring/maintenance.js'
import { memberOnly } from '../ring/memberOnly.js'
import type { RingState } from '../ring/ringState.js'
import type { RpcClient } from '../rpc/client.js'
import type { HandlerMap } from '../rpc/server.js'

/** What a fault test may touch of a peer it builds to misbehave (a seam, not the peer's API). */
export interface PeerParts {
  rpc: RpcClient
  ring: RingState
  /** The honest handlers, for an override that wraps one (delays it, say). */
  handlers: HandlerMap
}

export interface HandlerTableInit {
  rpc: RpcClient
  ring: RingState
  maintenance: Maintenance
  router: Router
  keys: Keys
  antiEntropy: AntiEntropy
  /** NEIGHBORS_CHANGED from a successor (adaptive maintenance). */
  hints: Pick<ChangeHints, 'handle'>
  /** What GET_STATS and GET_STATE answer from. */
  telemetry: TelemetryParts
  /** Fault tests only: handlers that replace the honest ones (a peer that lies). */
  overrides?: (parts: PeerParts) => Partial<HandlerMap>
  /** A ring RPC was refused because this peer has not joined (yet). */
  onRefusedNotMember: () => void
}

export function handlerTable ({ rpc, ring, maintenance, router, keys, antiEntropy, hints, telemetry, overrides, onRefusedNotMember }: HandlerTableInit): HandlerMap {
  const handlers: HandlerMap = {
    [MessageType.PING]: maintenance.handlePing,
    [MessageType.GET_NEIGHBORS]: maintenance.handleGetNeighbors,
    [MessageType.NOTIFY]: maintenance.handleNotify,
    [MessageType.LEAVING]: maintenance.handleLeaving,
    [MessageType.NEIGHBORS_CHANGED]: hints.handle,
    [MessageType.FIND_SUCCESSOR]: router.handleFindSuccessor,
    [MessageType.NEXT_HOP]: router.handleNextHop,
    [MessageType.STORE_PUT]: keys.handleStorePut,
    [MessageType.STORE_GET]: keys.handleStoreGet,
    [MessageType.STORE_DELETE]: keys.handleStoreDelete,
    [MessageType.REPLICA_PUT]: keys.handleReplicaPut,
    [MessageType.REPLICA_GET]: keys.handleReplicaGet,
    [MessageType.REPLICA_FETCH]: keys.handleReplicaFetch,
    [MessageType.SYNC_DIGESTS]: antiEntropy.handleSyncDigests,
    [MessageType.REPAIR_PUT]: keys.handleReplicaPut,
    [MessageType.GET_STATS]: async () => ({ json: statsJson(peerStats(telemetry)) }),
    [MessageType.GET_STATE]: async () => peerState(telemetry),
    [MessageType.CLIENT_LOOKUP]: keys.handleClientLookup,
    [MessageType.CLIENT_PUT]: keys.handleClientPut,
    [MessageType.CLIENT_GET]: keys.handleClientGet,
    [MessageType.CLIENT_DELETE]: keys.handleClientDelete
  }
  // Until it has joined, a peer answers no ring RPC (memberOnly.ts).
  return memberOnly(overrides == null ? handlers : { ...handlers, ...overrides({ rpc, ring, handlers }) }, () => maintenance.joined, onRefusedNotMember)
}
