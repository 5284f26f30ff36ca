// Where choking meets the RPC layer: which requests the gate sees, and which answers count
// as a remote's contribution. Maintenance (stabilize, notify, ping, successor lists, repair,
// handoff, maintenance-flagged lookups) never reaches the gate, or the ring would break.
import { ErrorCode, MessageType } from '../../protocol/chord.js'
import { ChordError, freeriderRefusal } from '../../protocol/errors.js'
import type { RequestOf, RpcType } from '../../protocol/messages.js'
import { randomBytes } from 'node:crypto'
import type { RequestRecord, RpcClient } from '../rpc/client.js'
import { isMaintenance, tagOf } from '../rpc/requestTag.js'
import type { RequestContext } from '../rpc/server.js'
import type { Choker } from './choker.js'
import type { InNeighbours } from './inNeighbours.js'
import type { ProbeAnswer } from './prober.js'

/** Service and forwarding: what a peer may withhold from a remote that does not reciprocate. */
export const GATED: ReadonlySet<RpcType> = new Set<RpcType>([
  MessageType.FIND_SUCCESSOR, MessageType.NEXT_HOP,
  MessageType.STORE_PUT, MessageType.STORE_GET, MessageType.STORE_DELETE, MessageType.REPLICA_GET
])
/** A free-rider also refuses to hold replicas of others' writes (anti-entropy still gives it copies). */
const REFUSED_BY_FREERIDER: ReadonlySet<RpcType> = new Set<RpcType>([...GATED, MessageType.REPLICA_PUT])

const isLookup = (t: RpcType): boolean => t === MessageType.FIND_SUCCESSOR || t === MessageType.NEXT_HOP

/** RpcServer's admit hook: throws CHOKED for a choked requester past its spare share. */
export function chokingGate (choker: Choker, inNeighbours?: InNeighbours): (type: RpcType, req: RequestOf<RpcType>, ctx: RequestContext) => void {
  const gated = choker.config.behavior === 'freerider' ? REFUSED_BY_FREERIDER : GATED
  return (type, req, ctx) => {
    if (!gated.has(type)) return
    if (isLookup(type)) {
      if ((req as { maintenance?: boolean }).maintenance === true && choker.maintenanceAllowed(ctx.remotePeer)) return
      inNeighbours?.heard(ctx.remotePeer, ctx.remoteAddr)
    }
    if (choker.admit(ctx.remotePeer, ctx.remoteAddr) === 'choked') {
      throw choker.config.behavior === 'freerider' ? freeriderRefusal() : new ChordError(ErrorCode.CHOKED, 'choked: spare capacity for choked peers is spent')
    }
  }
}

/** RpcClient's onRequest hook, choking part: a remote's answer to our own service/forwarding request. */
export function noteAnswer (choker: Pick<Choker, 'noteAnswer'>, r: RequestRecord): void {
  if (!GATED.has(r.type) || isMaintenance(tagOf(r))) return
  choker.noteAnswer(r.peerId, r.error == null ? 'ok' : r.error === ErrorCode.CHOKED ? 'choked' : 'other')
}

/**
 * Ask a requester for one routing step toward a random target, metered as maintenance (it is
 * the incentive mechanism's overhead) and gated at the remote like any forwarding request.
 */
export async function probe (rpc: RpcClient, peerId: string, addr: string, timeoutMs: number): Promise<ProbeAnswer> {
  try {
    await rpc.request({ peerId, addrs: [addr] }, MessageType.NEXT_HOP, { target: randomBytes(20), fingersOnly: false, maintenance: false, avoid: [] }, { timeoutMs, tag: 'maintenance' })
    return 'ok'
  } catch (err) {
    return err instanceof ChordError && err.code === ErrorCode.CHOKED ? 'choked' : 'other'
  }
}
