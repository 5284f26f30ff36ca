// Reads and writes routed around an owner that refuses them (CHOKED: it chokes us, or it is
// a free-rider; docs/choking.md). Both ask the owner for its successor list (maintenance,
// never choked) and send the request to a successor as a stand-in: one of its replicas, else
// the next successor (a sloppy quorum, Dynamo section 4.6: the key's replicas are the first successors
// that do not refuse). The stand-in holds a copy and coordinates in the owner's stead with
// its own next successors, walking past refusals (pastRefusals.ts): a write is acknowledged at
// the write quorum w, a read answered at the read quorum r - w + 1. One request to one more
// peer, so only one more peer has to admit us.
import { MessageType, type Key, type KeyValue, type StoreResult, type Value } from '../../protocol/chord.js'
import { isChoked } from '../../protocol/errors.js'
import { fromWire, type PeerRef, type VerifyOptions } from '../../protocol/peerInfo.js'
import type { RpcClient } from '../rpc/client.js'
import { shuffle } from '../ring/shuffle.js'

/** Requests at most, over the stand-ins and the owner, while the answer is CHOKED. */
const MAX_TRIES = 8
/** Pause after each pass over the stand-ins (times the pass): a peer past capacity may admit us a moment later. */
const PASS_PAUSE_MS = 150
/** Spares tried past the owner's r - 1 replicas. */
export const STAND_IN_SPARES = 2

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

interface StandIn { peer: PeerRef, rank: number }

/**
 * The owner's successors that may stand in for it, with their rank (1 = its first
 * successor): its first m = 1 + min(r - w, w - 1) replicas in random order (the detour load
 * of a refusing owner is spread over the peers that hold its copies, as DHash reads from any
 * replica; a write through rank j lands on ranks j..j+w-1 and a read through rank j' reads
 * j'..j'+r-w, which overlap for any two ranks up to m: for r = 3, w = 2, ranks 1 and 2),
 * then the other successors in ring order; peers we judged refusers are tried once, last,
 * and not on later passes.
 */
async function standIns (i: AroundOwnerInit, owner: PeerRef, timeoutMs: number, signal: AbortSignal, orElse: Error): Promise<{ first: StandIn[], again: StandIn[] }> {
  const nb = await i.rpc.request(owner, MessageType.GET_NEIGHBORS, {}, { timeoutMs, signal, tag: 'access' })
  const replicas = Math.max(1, i.replicas - 1)
  const all = nb.successors.slice(0, replicas + STAND_IN_SPARES).map((s, k) => ({ peer: fromWire(s, i.verify), rank: k + 1 }))
    .filter(s => s.peer.peerId !== owner.peerId)
  if (all.length === 0) throw orElse
  const distrusted = (s: StandIn): boolean => i.distrusts?.(s.peer.peerId) === true
  const trusted = all.filter(s => !distrusted(s))
  const m = 1 + Math.max(0, Math.min(i.replicas - i.writeQuorum, i.writeQuorum - 1))
  const order = [...shuffle(trusted.filter(s => s.rank <= m)), ...trusted.filter(s => s.rank > m)]
  const ownerAgain = i.distrusts?.(owner.peerId) === true ? [] : [{ peer: owner, rank: 0 }]
  return { first: [...order, ...all.filter(distrusted)], again: [...ownerAgain, ...order] }
}

/** One detour: the refusing owner, the deadline, and how to ask a stand-in (`local` when that is us). */
export interface Detour<Req, Res> {
  owner: PeerRef
  timeoutMs: number
  signal: AbortSignal
  /** Thrown when no stand-in can be tried (the owner's refusal). */
  orElse: Error
  local: (req: Req) => Promise<Res>
  remote: (to: PeerRef, timeoutMs: number, req: Req) => Promise<Res>
}

/**
 * Send to each stand-in in turn (or run `local` when that is us) while the answer is CHOKED,
 * then the owner itself and the stand-ins again, pass after pass, within the deadline and MAX_TRIES.
 */
async function viaStandIn<Req extends { standIn?: number }, Res> (i: AroundOwnerInit, req: Req, d: Detour<Req, Res>): Promise<Res> {
  const deadline = Date.now() + d.timeoutMs
  const { first, again } = await standIns(i, d.owner, d.timeoutMs, d.signal, d.orElse)
  let last: Error = d.orElse
  for (let tries = 0, pass = 0; tries < MAX_TRIES; pass++) {
    const round = pass === 0 ? first : again
    if (round.length === 0) throw last
    for (const s of round) {
      if (tries++ >= MAX_TRIES || d.signal.aborted || Date.now() >= deadline) throw last
      const asked = { ...req, standIn: s.rank }
      try {
        return s.peer.peerId === i.self.peerId ? await d.local(asked) : await d.remote(s.peer, Math.max(1, deadline - Date.now()), asked)
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

export async function readViaReplica (i: AroundOwnerInit, d: Detour<Key, Value> & { key: Uint8Array }): Promise<Value> {
  return await viaStandIn(i, { key: d.key as Uint8Array<ArrayBuffer> }, d)
}

/** The write keeps the version its entry minted; each stand-in is told its rank. */
export async function writeViaReplica (i: AroundOwnerInit, d: Detour<KeyValue, StoreResult> & { put: KeyValue }): Promise<StoreResult> {
  return await viaStandIn(i, d.put, d)
}
