// Reads and writes routed around an owner that refuses them (CHOKED: it chokes us, or it is
// a free-rider; docs/choking.md). Both ask the owner for its successor list (maintenance,
// never choked) and send the request to its first successor as a stand-in, which holds a
// copy anyway and coordinates in the owner's stead with the rest of the owner's replica set
// (its own next r-2 successors): a write acknowledged at the write quorum w, a read answered
// at the read quorum r - w + 1, so the detours meet every acknowledged write. One request
// to one replica, so only one more peer has to admit us.
import { MessageType, type Key, type KeyValue, type StoreResult, type Value } from '../protocol/chord.js'
import { isChoked } from '../protocol/errors.js'
import { fromWire, type PeerRef, type VerifyOptions } from '../protocol/peerInfo.js'
import type { RpcClient } from './rpc/client.js'

/** Tries (stand-in, owner, stand-in, ...) while the answer is CHOKED, and the pause before the next (times the try). */
const CHOKED_TRIES = 4
const CHOKED_PAUSE_MS = 150

export interface AroundOwnerInit {
  rpc: RpcClient
  self: PeerRef
  verify: VerifyOptions
}

/** The owner's first successor, who stands in for it. */
async function standIn (i: AroundOwnerInit, owner: PeerRef, timeoutMs: number, signal: AbortSignal, orElse: Error): Promise<PeerRef> {
  const nb = await i.rpc.request(owner, MessageType.GET_NEIGHBORS, {}, { timeoutMs, signal, tag: 'access' })
  if (nb.successors.length === 0) throw orElse
  return fromWire(nb.successors[0], i.verify)
}

/**
 * Send to the stand-in (or run `local` when that is us); a CHOKED answer is retried within
 * the deadline, alternating with the owner itself (a contributor past capacity may admit us
 * a moment later, and a stand-in may be a free-rider too).
 */
async function viaStandIn<T> (i: AroundOwnerInit, owner: PeerRef, timeoutMs: number, signal: AbortSignal, orElse: Error, local: () => Promise<T>, remote: (to: PeerRef, timeoutMs: number, standIn: boolean) => Promise<T>): Promise<T> {
  const deadline = Date.now() + timeoutMs
  const to = await standIn(i, owner, timeoutMs, signal, orElse)
  if (to.peerId === i.self.peerId) return await local()
  for (let attempt = 1; ; attempt++) {
    const viaOwner = attempt % 2 === 0
    try {
      return await remote(viaOwner ? owner : to, Math.max(1, deadline - Date.now()), !viaOwner)
    } catch (err) {
      if (!isChoked(err) || signal.aborted || attempt >= CHOKED_TRIES || Date.now() + CHOKED_PAUSE_MS * attempt >= deadline) throw err
      await new Promise(resolve => setTimeout(resolve, CHOKED_PAUSE_MS * attempt))
    }
  }
}

export async function readViaReplica (i: AroundOwnerInit, owner: PeerRef, key: Uint8Array, timeoutMs: number, signal: AbortSignal, orElse: Error, local: (req: Key) => Promise<Value>): Promise<Value> {
  const req: Key = { key: key as Uint8Array<ArrayBuffer>, standIn: true }
  return await viaStandIn(i, owner, timeoutMs, signal, orElse, async () => await local(req),
    async (to, t, standIn) => await i.rpc.request(to, MessageType.STORE_GET, { ...req, standIn }, { timeoutMs: t, signal, tag: 'access' }))
}

export async function writeViaReplica (i: AroundOwnerInit, owner: PeerRef, put: KeyValue, timeoutMs: number, signal: AbortSignal, orElse: Error, local: (req: KeyValue) => Promise<StoreResult>): Promise<StoreResult> {
  const req: KeyValue = { ...put, standIn: true }
  return await viaStandIn(i, owner, timeoutMs, signal, orElse, async () => await local(req),
    async (to, t, standIn) => await i.rpc.request(to, MessageType.STORE_PUT, { ...req, standIn }, { timeoutMs: t, signal, tag: 'access' }))
}
