// Reads and writes routed around an owner that refuses them (CHOKED: it chokes us, or it is
// a free-rider; docs/choking.md). Both ask the owner for its successor list (maintenance,
// never choked) and send the request to a successor as a stand-in: the first one, else the
// next (a sloppy quorum, Dynamo section 4.6: the key's replicas are the first successors
// that do not refuse). The stand-in holds a copy and coordinates in the owner's stead with
// its own next successors, walking past refusals (pastRefusals.ts): a write is acknowledged at
// the write quorum w, a read answered at the read quorum r - w + 1. One request to one more
// peer, so only one more peer has to admit us.
import { MessageType, type Key, type KeyValue, type StoreResult, type Value } from '../protocol/chord.js'
import { isChoked } from '../protocol/errors.js'
import { fromWire, type PeerRef, type VerifyOptions } from '../protocol/peerInfo.js'
import type { RpcClient } from './rpc/client.js'

/** Requests at most, over the stand-ins and the owner, while the answer is CHOKED. */
const MAX_TRIES = 8
/** Pause after each pass over the stand-ins (times the pass): a peer past capacity may admit us a moment later. */
const PASS_PAUSE_MS = 150
/** Spares tried past the owner's r - 1 replicas. */
const SPARES = 2

export interface AroundOwnerInit {
  rpc: RpcClient
  self: PeerRef
  verify: VerifyOptions
  /** Copies of every key (r). */
  replicas: number
  /** Peers we have judged refusers: tried last. */
  distrusts?: (peerId: string) => boolean
}

interface StandIn { peer: PeerRef, rank: number }

/** The owner's successors that may stand in for it, with their rank (1 = its first successor); distrusted ones last. */
async function standIns (i: AroundOwnerInit, owner: PeerRef, timeoutMs: number, signal: AbortSignal, orElse: Error): Promise<StandIn[]> {
  const nb = await i.rpc.request(owner, MessageType.GET_NEIGHBORS, {}, { timeoutMs, signal, tag: 'access' })
  const all = nb.successors.slice(0, Math.max(1, i.replicas - 1) + SPARES).map((s, k) => ({ peer: fromWire(s, i.verify), rank: k + 1 }))
    .filter(s => s.peer.peerId !== owner.peerId)
  if (all.length === 0) throw orElse
  const distrusted = (s: StandIn): boolean => i.distrusts?.(s.peer.peerId) === true
  return [...all.filter(s => !distrusted(s)), ...all.filter(distrusted)]
}

/**
 * Send to each stand-in in turn (or run `local` when that is us) while the answer is CHOKED,
 * then the owner itself again, pass after pass, within the deadline and MAX_TRIES.
 */
async function viaStandIn<T> (i: AroundOwnerInit, owner: PeerRef, timeoutMs: number, signal: AbortSignal, orElse: Error, local: (rank: number) => Promise<T>, remote: (to: PeerRef, timeoutMs: number, rank: number) => Promise<T>): Promise<T> {
  const deadline = Date.now() + timeoutMs
  const order = await standIns(i, owner, timeoutMs, signal, orElse)
  let last: Error = orElse
  for (let tries = 0, pass = 0; tries < MAX_TRIES; pass++) {
    const round: StandIn[] = pass === 0 ? order : [{ peer: owner, rank: 0 }, ...order]
    for (const s of round) {
      if (tries++ >= MAX_TRIES || signal.aborted || Date.now() >= deadline) throw last
      try {
        return s.peer.peerId === i.self.peerId ? await local(s.rank) : await remote(s.peer, Math.max(1, deadline - Date.now()), s.rank)
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

export async function readViaReplica (i: AroundOwnerInit, owner: PeerRef, key: Uint8Array, timeoutMs: number, signal: AbortSignal, orElse: Error, local: (req: Key) => Promise<Value>): Promise<Value> {
  const req: Key = { key: key as Uint8Array<ArrayBuffer> }
  return await viaStandIn(i, owner, timeoutMs, signal, orElse, async rank => await local({ ...req, standIn: rank }),
    async (to, t, rank) => await i.rpc.request(to, MessageType.STORE_GET, { ...req, standIn: rank }, { timeoutMs: t, signal, tag: 'access' }))
}

export async function writeViaReplica (i: AroundOwnerInit, owner: PeerRef, put: KeyValue, timeoutMs: number, signal: AbortSignal, orElse: Error, local: (req: KeyValue) => Promise<StoreResult>): Promise<StoreResult> {
  return await viaStandIn(i, owner, timeoutMs, signal, orElse, async rank => await local({ ...put, standIn: rank }),
    async (to, t, rank) => await i.rpc.request(to, MessageType.STORE_PUT, { ...put, standIn: rank }, { timeoutMs: t, signal, tag: 'access' }))
}
