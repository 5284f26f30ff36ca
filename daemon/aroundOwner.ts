// Reads and writes routed around a choking owner (docs/choking.md). Both first ask the owner
// for its successor list (maintenance, never choked). A read then asks the copies its r-1
// successors hold (DHash placement) and answers with the newest, if r - w + 1 of them
// answered (so it meets every acknowledged write; no read repair: that is the owner's job).
// A write goes to the first successor, which coordinates it in the owner's stead.
import { MessageType, type KeyValue, type StoreResult, type Value } from '../protocol/chord.js'
import { isChoked } from '../protocol/errors.js'
import { fromWire, type PeerRef, type VerifyOptions } from '../protocol/peerInfo.js'
import type { RpcClient } from './rpc/client.js'
import type { KeyRecord, RecordStore } from './storage/recordStore.js'
import { recordFromWire } from './storage/records.js'
import { compareVersions } from './storage/version.js'

/** Tries of a replica that answers CHOKED, and the pause before the next (times the try). */
const CHOKED_TRIES = 3
const CHOKED_PAUSE_MS = 150

export interface AroundOwnerInit {
  rpc: RpcClient
  store: RecordStore
  self: PeerRef
  verify: VerifyOptions
  replicas: number
  writeQuorum: number
}

/** The newest copy among the owner's replicas; throws `orElse` when none of them answered. */
export async function readFromReplicas (i: AroundOwnerInit, owner: PeerRef, key: Uint8Array, timeoutMs: number, signal: AbortSignal, orElse: Error): Promise<Value> {
  const deadline = Date.now() + timeoutMs
  const nb = await i.rpc.request(owner, MessageType.GET_NEIGHBORS, {}, { timeoutMs, signal, tag: 'access' })
  const holders = nb.successors.slice(0, Math.max(0, i.replicas - 1)).map(p => fromWire(p, i.verify))
  let answered = 0
  let newest: KeyRecord | undefined
  const consider = (r: KeyRecord | undefined): void => { if (r != null && (newest == null || compareVersions(r.version, newest.version) > 0)) newest = r }
  await Promise.all(holders.map(async peer => {
    if (peer.peerId === i.self.peerId) { answered++; consider(i.store.get(key)); return }
    // A replica that chokes us may have a token for us a moment later: a few tries, in the deadline.
    for (let attempt = 1; attempt <= CHOKED_TRIES && Date.now() < deadline; attempt++) {
      try {
        const r = await i.rpc.request(peer, MessageType.REPLICA_GET, { key: key as Uint8Array<ArrayBuffer> }, { timeoutMs: Math.max(1, deadline - Date.now()), signal, tag: 'access' })
        answered++
        consider(r.record == null ? undefined : recordFromWire(r.record))
        return
      } catch (err) {
        if (!isChoked(err) || signal.aborted) return
        await new Promise(resolve => setTimeout(resolve, Math.min(CHOKED_PAUSE_MS * attempt, Math.max(0, deadline - Date.now()))))
      }
    }
  }))
  // A read quorum of r - w + 1 copies meets every write quorum (the owner's copy is not among them).
  if (answered < i.replicas - i.writeQuorum + 1) throw orElse
  const n = newest as KeyRecord | undefined
  if (n == null || n.deleted) return { found: false, value: new Uint8Array(), ts: n?.version.ts ?? 0n, writer: (n?.version.writer ?? new Uint8Array()) as Uint8Array<ArrayBuffer>, replicas: answered }
  return { found: true, value: n.value as Uint8Array<ArrayBuffer>, ts: n.version.ts, writer: n.version.writer as Uint8Array<ArrayBuffer>, replicas: answered }
}

/** The owner's first successor writes in its stead; `local` runs it here when that is us. */
export async function writeViaReplica (i: AroundOwnerInit, owner: PeerRef, put: KeyValue, timeoutMs: number, signal: AbortSignal, orElse: Error, local: (req: KeyValue) => Promise<StoreResult>): Promise<StoreResult> {
  const deadline = Date.now() + timeoutMs
  const nb = await i.rpc.request(owner, MessageType.GET_NEIGHBORS, {}, { timeoutMs, signal, tag: 'access' })
  if (nb.successors.length === 0) throw orElse
  const first = fromWire(nb.successors[0], i.verify)
  const req = { ...put, standIn: true }
  if (first.peerId === i.self.peerId) return await local(req)
  return await i.rpc.request(first, MessageType.STORE_PUT, req, { timeoutMs: Math.max(1, deadline - Date.now()), signal, tag: 'access' })
}
