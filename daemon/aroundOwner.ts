// Reads and writes routed around an owner that refuses them (CHOKED: it chokes us, or it is
// a free-rider; docs/choking.md). Both ask the owner for its successor list (maintenance,
// never choked) and send the request to a successor as a stand-in: one of its replicas, else
// the next successor (a sloppy quorum, Dynamo section 4.6: the key's replicas are the first successors
// that do not refuse). The stand-in holds a copy and coordinates in the owner's stead with
// its own next successors, walking past refusals (pastRefusals.ts): a write is acknowledged at
// the write quorum w, a read answered at the read quorum r - w + 1. One request to one more
// peer, so only one more peer has to admit us.
import { MessageType, type Key, type KeyValue, type StoreResult, type Value } from '../protocol/chord.js'
import { isChoked } from '../protocol/errors.js'
import { fromWire, type PeerRef, type VerifyOptions } from '../protocol/peerInfo.js'
import type { RpcClient } from './rpc/client.js'
import { shuffle } from './shuffle.js'

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
  const all = nb.successors.slice(0, replicas + SPARES).map((s, k) => ({ peer: fromWire(s, i.verify), rank: k + 1 }))
    .filter(s => s.peer.peerId !== owner.peerId)
  if (all.length === 0) throw orElse
  const distrusted = (s: StandIn): boolean => i.distrusts?.(s.peer.peerId) === true
  const trusted = all.filter(s => !distrusted(s))
  const m = 1 + Math.max(0, Math.min(i.replicas - i.writeQuorum, i.writeQuorum - 1))
  const order = [...shuffle(trusted.filter(s => s.rank <= m)), ...trusted.filter(s => s.rank > m)]
  const ownerAgain = i.distrusts?.(owner.peerId) === true ? [] : [{ peer: owner, rank: 0 }]
  return { first: [...order, ...all.filter(distrusted)], again: [...ownerAgain, ...order] }
}

/**
 * Send to each stand-in in turn (or run `local` when that is us) while the answer is CHOKED,
 * then the owner itself and the stand-ins again, pass after pass, within the deadline and MAX_TRIES.
 */
async function viaStandIn<T> (i: AroundOwnerInit, owner: PeerRef, timeoutMs: number, signal: AbortSignal, orElse: Error, local: (rank: number) => Promise<T>, remote: (to: PeerRef, timeoutMs: number, rank: number) => Promise<T>): Promise<T> {
  const deadline = Date.now() + timeoutMs
  const { first, again } = await standIns(i, owner, timeoutMs, signal, orElse)
  let last: Error = orElse
  for (let tries = 0, pass = 0; tries < MAX_TRIES; pass++) {
    const round = pass === 0 ? first : again
    if (round.length === 0) throw last
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
