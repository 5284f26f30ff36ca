// put / get / delete: the entry peer looks the key's owner up and asks it; the owner
// checks that the key is in (predecessor, self] and keeps it. Keys move to a joining
// peer that becomes their owner and to the successor when a peer leaves.
import type { Logger } from 'pino'
import { ErrorCode, MessageType, type ClientRequest, type ClientResult, type Empty, type Handoff, type HandoffResult, type Key, type KeyValue, type Value } from '../protocol/chord.js'
import { HANDOFF_BATCH_BYTES, MAX_KEY_BYTES, MAX_VALUE_BYTES } from '../protocol/constants.js'
import { BadRequestError, ChordError, isPeerFailure } from '../protocol/errors.js'
import { describe, peerIdBytes, toWire, type PeerRef } from '../protocol/peerInfo.js'
import { bytesToId, hashToId, inHalfOpen } from '../protocol/ring.js'
import type { KeyStore, StoredEntry } from './keyStore.js'
import type { RingState } from './ringState.js'
import type { LookupOutcome, Router } from './router.js'
import type { RpcClient } from './rpc/client.js'
import type { RequestContext } from './rpc/server.js'

export interface KeyServiceInit {
  ring: RingState
  router: Router
  rpc: RpcClient
  store: KeyStore
  log: Logger
  rpcTimeoutMs: number
}

type StoreOp = 'put' | 'get' | 'delete'

export class KeyService {
  readonly #ring: RingState
  readonly #router: Router
  readonly #rpc: RpcClient
  readonly #store: KeyStore
  readonly #log: Logger
  readonly #rpcTimeoutMs: number
  #leaving = false
  #handoff: Promise<void> | undefined

  constructor (init: KeyServiceInit) {
    this.#ring = init.ring
    this.#router = init.router
    this.#rpc = init.rpc
    this.#store = init.store
    this.#log = init.log
    this.#rpcTimeoutMs = init.rpcTimeoutMs
  }

  get store (): KeyStore { return this.#store }

  /** From here on, store requests get SHUTTING_DOWN so clients retry at the new owner. */
  markLeaving (): void { this.#leaving = true }

  #owns (id: bigint): boolean {
    const pred = this.#ring.predecessor
    return pred == null || inHalfOpen(id, pred.id, this.#ring.self.id)
  }

  #checkOwner (key: Uint8Array): void {
    checkKey(key)
    if (this.#leaving) throw new ChordError(ErrorCode.SHUTTING_DOWN, 'peer is leaving; its keys are moving to its successor')
    if (!this.#owns(hashToId(key))) throw new ChordError(ErrorCode.NOT_OWNER, `key is not in (${describe(this.#ring.predecessor!)}, self]`)
  }

  readonly handleStorePut = async (req: KeyValue): Promise<Empty> => {
    this.#checkOwner(req.key)
    checkValue(req.value)
    this.#store.put(req.key, req.value)
    return {}
  }

  readonly handleStoreGet = async (req: Key): Promise<Value> => {
    this.#checkOwner(req.key)
    const v = this.#store.get(req.key)
    return v == null ? { found: false, value: new Uint8Array() } : { found: true, value: v as Uint8Array<ArrayBuffer> }
  }

  readonly handleStoreDelete = async (req: Key): Promise<Value> => {
    this.#checkOwner(req.key)
    return { found: this.#store.delete(req.key), value: new Uint8Array() }
  }

  /** Keys handed to us by a leaving predecessor or by a successor we joined in front of. */
  readonly handleHandoff = async (req: Handoff): Promise<HandoffResult> => {
    for (const e of req.entries) { checkKey(e.key); checkValue(e.value) }
    for (const e of req.entries) this.#store.put(e.key, e.value)
    return { accepted: req.entries.length }
  }

  readonly handleClientLookup = async (req: ClientRequest, ctx: RequestContext): Promise<ClientResult> => {
    let target: bigint
    if (req.target != null) {
      if (req.target.length !== 20) throw new BadRequestError(`target must be 20 bytes, got ${req.target.length}`)
      target = bytesToId(req.target)
    } else {
      target = hashToId(checkKey(req.key))
    }
    const started = performance.now()
    const out = await this.#router.lookup(target, { iterative: req.iterative, fingersOnly: req.fingersOnly, timeoutMs: ctx.deadlineMs, signal: ctx.signal })
    return result(out, Math.round((performance.now() - started) * 1000), 1)
  }

  readonly handleClientPut = async (req: ClientRequest, ctx: RequestContext): Promise<ClientResult> => {
    checkValue(req.value)
    return await this.#atOwner('put', req, ctx)
  }

  readonly handleClientGet = async (req: ClientRequest, ctx: RequestContext): Promise<ClientResult> => await this.#atOwner('get', req, ctx)
  readonly handleClientDelete = async (req: ClientRequest, ctx: RequestContext): Promise<ClientResult> => await this.#atOwner('delete', req, ctx)

  /**
   * Look the owner up and run the store operation there. NOT_OWNER or a dead owner
   * (the ring is moving under us) means: wait a little, look up again, within the deadline.
   */
  async #atOwner (op: StoreOp, req: ClientRequest, ctx: RequestContext): Promise<ClientResult> {
    const id = hashToId(checkKey(req.key))
    const deadline = Date.now() + ctx.deadlineMs
    let lastErr: Error = new ChordError(ErrorCode.TIMEOUT, 'no attempt fit in the deadline')
    for (let attempt = 1; Date.now() < deadline; attempt++) {
      const started = performance.now()
      let out: LookupOutcome | undefined
      try {
        out = await this.#router.lookup(id, { iterative: req.iterative, fingersOnly: req.fingersOnly, timeoutMs: deadline - Date.now(), signal: ctx.signal })
        const lookupUs = Math.round((performance.now() - started) * 1000)
        const v = await this.#storeOp(op, out.owner, req, Math.min(this.#rpcTimeoutMs, deadline - Date.now()), ctx.signal)
        return { ...result(out, lookupUs, attempt), found: v.found, value: v.value }
      } catch (err) {
        if (ctx.signal.aborted) throw err
        const code = err instanceof ChordError ? err.code : ErrorCode.INTERNAL
        const retry = code === ErrorCode.NOT_OWNER || code === ErrorCode.SHUTTING_DOWN || (out != null && isPeerFailure(err))
        if (!retry) throw err
        if (out != null && isPeerFailure(err) && code !== ErrorCode.SHUTTING_DOWN) this.#ring.markDead(out.owner.peerId, `${op} at owner failed`)
        lastErr = err as Error
        await sleep(Math.min(50 * attempt, 500, Math.max(0, deadline - Date.now())), ctx.signal)
      }
    }
    throw lastErr
  }

  async #storeOp (op: StoreOp, owner: PeerRef, req: ClientRequest, timeoutMs: number, signal: AbortSignal): Promise<Value> {
    if (owner.peerId === this.#ring.self.peerId) {
      if (op === 'put') { await this.handleStorePut({ key: req.key, value: req.value }); return { found: true, value: new Uint8Array() } }
      return op === 'get' ? await this.handleStoreGet({ key: req.key }) : await this.handleStoreDelete({ key: req.key })
    }
    const opts = { timeoutMs, signal }
    if (op === 'put') {
      await this.#rpc.request(owner, MessageType.STORE_PUT, { key: req.key, value: req.value }, opts)
      return { found: true, value: new Uint8Array() }
    }
    return await this.#rpc.request(owner, op === 'get' ? MessageType.STORE_GET : MessageType.STORE_DELETE, { key: req.key }, opts)
  }

  /**
   * Move every key we hold but no longer own (id not in (pred, self]) to the predecessor.
   * Keys only travel counter-clockwise and stop at the first peer whose range holds them,
   * so repeated calls converge on the owner. One transfer at a time.
   */
  handOffToPredecessor (): void {
    if (this.#handoff != null || this.#leaving) return
    const pred = this.#ring.predecessor
    if (pred == null) return
    const notMine = [...this.#store.entries()].filter(e => !inHalfOpen(e.id, pred.id, this.#ring.self.id))
    if (notMine.length === 0) return
    this.#handoff = this.#transfer(pred, notMine, AbortSignal.timeout(this.#rpcTimeoutMs * 4))
      .then(n => { this.#log.info({ event: 'handoff', to: describe(pred), keys: n }, 'handed keys to new predecessor') })
      .catch(err => { this.#log.warn({ err: (err as Error).message }, 'handoff to predecessor failed; will retry') })
      .finally(() => { this.#handoff = undefined })
  }

  /** Everything we hold goes to `to` (graceful leave). */
  async handOffAll (to: PeerRef, signal: AbortSignal): Promise<number> {
    await this.#handoff
    return await this.#transfer(to, [...this.#store.entries()], signal)
  }

  /** Send in batches of about HANDOFF_BATCH_BYTES; delete each batch only once it was accepted. */
  async #transfer (to: PeerRef, entries: StoredEntry[], signal: AbortSignal): Promise<number> {
    let moved = 0
    let batch: StoredEntry[] = []
    let bytes = 0
    const flush = async (): Promise<void> => {
      if (batch.length === 0) return
      await this.#rpc.request(to, MessageType.HANDOFF, { entries: batch.map(e => ({ key: e.key as Uint8Array<ArrayBuffer>, value: e.value as Uint8Array<ArrayBuffer> })) }, { timeoutMs: this.#rpcTimeoutMs, signal })
      for (const e of batch) this.#store.delete(e.key)
      moved += batch.length
      batch = []
      bytes = 0
    }
    for (const e of entries) {
      const size = e.key.length + e.value.length
      if (bytes + size > HANDOFF_BATCH_BYTES) await flush()
      batch.push(e)
      bytes += size
    }
    await flush()
    return moved
  }
}

function result (out: LookupOutcome, lookupUs: number, attempts: number): ClientResult {
  return { owner: toWire(out.owner), hops: out.hops, path: out.path.map(peerIdBytes), lookupUs, found: false, value: new Uint8Array(), attempts }
}

function checkKey (key: Uint8Array): Uint8Array {
  if (key.length === 0) throw new BadRequestError('key is empty')
  if (key.length > MAX_KEY_BYTES) throw new ChordError(ErrorCode.TOO_LARGE, `key of ${key.length} bytes exceeds the ${MAX_KEY_BYTES}-byte limit`)
  return key
}

function checkValue (value: Uint8Array): void {
  if (value.length > MAX_VALUE_BYTES) throw new ChordError(ErrorCode.TOO_LARGE, `value of ${value.length} bytes exceeds the ${MAX_VALUE_BYTES}-byte limit`)
}

async function sleep (ms: number, signal: AbortSignal): Promise<void> {
  await new Promise<void>(resolve => {
    const t = setTimeout(resolve, ms)
    signal.addEventListener('abort', () => { clearTimeout(t); resolve() }, { once: true })
  })
}
