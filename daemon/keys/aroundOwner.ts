// Reads and writes routed around an owner that refuses them (CHOKED: it chokes us, or it is
// a free-rider; docs/choking.md). Both ask the owner for its successor list (maintenance,
// never choked) and send the request to a successor as a stand-in: one of its replicas, else
// the next successor (a sloppy quorum, Dynamo section 4.6: the key's replicas are the first successors
// that do not refuse). The stand-in holds a copy and coordinates in the owner's stead with
// its own next successors, walking past refusals (pastRefusals.ts): a write is acknowledged at
// the write quorum w, a read answered at the read quorum r - w + 1. One request to one more
// peer, so only one more peer has to admit us.
import { MessageType } from '../../protocol/chord.js'
import { isChoked } from '../../protocol/errors.js'
import { fromWire, type PeerRef, type VerifyOptions } from '../../protocol/peerInfo.js'
import type { RpcClient } from '../rpc/client.js'
import { standInOrder, standInReach, type Holder, type StandInOrder } from './standIn.js'

/** Requests at most, over the stand-ins and the owner, while the answer is CHOKED. */
const MAX_TRIES = 8
/** Pause after each pass over the stand-ins (times the pass): a peer past capacity may admit us a moment later. */
const PASS_PAUSE_MS = 150

export interface AroundOwnerInit {
  rpc: RpcClient
  self: PeerRef
  verify: VerifyOptions
  /** Copies of every key (r), and the write quorum (w). */
  replicas: number
  writeQuorum: number
  /** Peers we have judged refusers: tried last. */
  distrusts?: (peerId: string) => boolean
}

/** One detour: the refusing owner, the deadline, and how to ask a stand-in (`local` when that is us). */
export interface Detour<Res> {
  owner: PeerRef
  timeoutMs: number
  signal: AbortSignal
  /** Thrown when no stand-in can be tried (the owner's refusal). */
  orElse: Error
  /** Run the request here, holding the key for `holder`. */
  local: (holder: Holder) => Promise<Res>
  /** Send the request to `to`, which holds the key for `holder`. */
  remote: (to: PeerRef, timeoutMs: number, holder: Holder) => Promise<Res>
}

/** The owner's successor list (maintenance, never choked), in the order its stand-ins are tried (standIn.ts). */
async function standIns<Res> (i: AroundOwnerInit, d: Detour<Res>): Promise<StandInOrder> {
  const nb = await i.rpc.request(d.owner, MessageType.GET_NEIGHBORS, {}, { timeoutMs: d.timeoutMs, signal: d.signal, tag: 'access' })
  const successors = nb.successors.slice(0, standInReach(i.replicas)).map(s => fromWire(s, i.verify))
  const order = standInOrder({ owner: d.owner, successors, replicas: i.replicas, writeQuorum: i.writeQuorum, distrusts: i.distrusts })
  if (order.first.length === 0) throw d.orElse
  return order
}

/**
 * Send to each stand-in in turn (or run `local` when that is us) while the answer is CHOKED,
 * then the owner itself and the stand-ins again, pass after pass, within the deadline and MAX_TRIES.
 * A write keeps the version its entry minted; each stand-in is told its rank.
 */
export async function viaStandIn<Res> (i: AroundOwnerInit, d: Detour<Res>): Promise<Res> {
  const deadline = Date.now() + d.timeoutMs
  const { first, again } = await standIns(i, d)
  let last: Error = d.orElse
  for (let tries = 0, pass = 0; tries < MAX_TRIES; pass++) {
    const round = pass === 0 ? first : again
    if (round.length === 0) throw last
    for (const s of round) {
      if (tries++ >= MAX_TRIES || d.signal.aborted || Date.now() >= deadline) throw last
      try {
        return s.peer.peerId === i.self.peerId ? await d.local(s.holder) : await d.remote(s.peer, Math.max(1, deadline - Date.now()), s.holder)
      } catch (err) {
        if (!isChoked(err)) throw err
        last = err as Error
      }
    }
    if (Date.now() + PASS_PAUSE_MS * (pass + 1) >= deadline) throw last
    await new Promise(resolve => setTimeout(resolve, PASS_PAUSE_MS * (pass + 1)))
  }
  throw last
}
