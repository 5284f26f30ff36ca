// What a request we send is for: one value, from which both the cost term it is metered under
// (daemon/meters/, after Christin & Chuang 2004) and its treatment by choking derive
// (docs/choking.md: maintenance earns no credit, and a maintenance-flagged lookup may skip
// the gate). A request that names none is classified by its message type (TERM_OF).
import { MessageType } from '../../protocol/chord.js'
import type { RpcType } from '../../protocol/messages.js'
import type { Tag } from '../../protocol/telemetry.js'

/**
 * A cost term, or a hop of another peer's maintenance lookup that we forward: forwarding (R)
 * to the meters, as any lookup forwarded for others, but maintenance to choking and on the
 * wire (FindSuccessor.maintenance, NextHop.maintenance).
 */
export type RequestTag = Tag | 'forwarded-maintenance'

/**
 * Which term a message belongs to when its sender does not say otherwise. Keyed by the RPC
 * table (protocol/messages.ts): UNKNOWN and the retired HANDOFF (chord.proto) are sent by no one.
 */
export const TERM_OF: Readonly<Record<RpcType, Tag>> = {
  [MessageType.PING]: 'maintenance',
  [MessageType.GET_NEIGHBORS]: 'maintenance',
  [MessageType.NOTIFY]: 'maintenance',
  [MessageType.LEAVING]: 'maintenance',
  [MessageType.FIND_SUCCESSOR]: 'forwarding',
  [MessageType.NEXT_HOP]: 'forwarding',
  [MessageType.STORE_PUT]: 'service',
  [MessageType.STORE_GET]: 'service',
  [MessageType.STORE_DELETE]: 'service',
  [MessageType.GET_STATE]: 'telemetry',
  [MessageType.REPLICA_PUT]: 'service',
  [MessageType.REPLICA_GET]: 'service',
  [MessageType.SYNC_DIGESTS]: 'maintenance',
  [MessageType.REPLICA_FETCH]: 'maintenance',
  [MessageType.REPAIR_PUT]: 'maintenance',
  [MessageType.GET_STATS]: 'telemetry',
  [MessageType.NEIGHBORS_CHANGED]: 'maintenance',
  [MessageType.CLIENT_LOOKUP]: 'access',
  [MessageType.CLIENT_PUT]: 'access',
  [MessageType.CLIENT_GET]: 'access',
  [MessageType.CLIENT_DELETE]: 'access'
}

/** The tag a request was sent with, or its message type's term. */
export function tagOf (r: { type: RpcType, tag?: RequestTag }): RequestTag {
  return r.tag ?? TERM_OF[r.type]
}

/** The cost term a request is metered under. */
export function termOf (tag: RequestTag): Tag {
  return tag === 'forwarded-maintenance' ? 'forwarding' : tag
}

/** Part of ring maintenance: no choking credit for its answer, and flagged so on the wire. */
export function isMaintenance (tag: RequestTag): boolean {
  return tag === 'maintenance' || tag === 'forwarded-maintenance'
}
