// Requests over one long-lived stream per remote peer, multiplexed by Frame.id.
// FACTS: a fresh stream per request costs ~8x a reused one, and per-protocol
// stream limits reset the 33rd concurrent inbound stream, so we never open more than one.
import type { Libp2p, Stream } from '@libp2p/interface'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import type { Logger } from 'pino'
import { ErrorCode, type Frame } from '../../protocol/chord.js'
import { CHORD_PROTOCOL, DEFAULTS, MAX_FRAME_BYTES, MAX_PENDING_PER_STREAM } from '../../protocol/constants.js'
import { ChordError, TimeoutError, UnreachableError } from '../../protocol/errors.js'
import { errorName, MESSAGES, typeNumber, type RequestOf, type ResponseOf, type RpcType } from '../../protocol/messages.js'
import { readFrames, writeFrame } from './streamIo.js'
import type { RequestTag } from './requestTag.js'

export interface RpcTarget {
  readonly peerId: string
  readonly addrs: readonly string[]
}

export interface RequestOptions {
  /** Deadline of this request, ms; also sent to the server as its budget. */
  timeoutMs: number
  signal?: AbortSignal
  /** What this request is for: its cost term and its treatment by choking (requestTag.ts); default: its message type's term (TERM_OF). */
  tag?: RequestTag
}

/** What a request cost, for the meters (issue: cost metering). */
export interface RequestRecord {
  type: RpcType
  tag?: RequestTag
  peerId: string
  bytesOut: number
  bytesIn: number
  micros: number
  error?: ErrorCode
  /** The peer answered (a reply frame came back, an error reply included). */
  answered?: boolean
  /** The responder's wall clock in its answer, and ours when we sent and when the answer came, ms. */
  remoteWallMs?: bigint
  sentAtMs?: number
  receivedAtMs?: number
}

export interface RpcClientInit {
  libp2p: Libp2p
  log: Logger
  /** Called once per finished request. */
  onRequest?: (record: RequestRecord) => void
  /** A partial answer frame not completed within this closes the stream, ms. Default DEFAULTS.limits.frameTimeoutMs. */
  frameTimeoutMs?: number
  /** Our wall clock, ms, for the clock-skew samples each answer gives. Default Date.now. */
  wallClock?: () => number
}

interface Pending {
  resolve: (frame: Frame, bytes: number) => void
  reject: (err: Error) => void
}

class Channel {
  readonly pending = new Map<number, Pending>()
  #nextId = 1
  closed = false

  constructor (readonly stream: Stream) {}

  nextId (): number {
    const id = this.#nextId
    this.#nextId = this.#nextId >= 0xffffffff ? 1 : this.#nextId + 1
    return id
  }

  failAll (err: Error): void {
    this.closed = true
    for (const p of this.pending.values()) p.reject(err)
    this.pending.clear()
  }
}

export class RpcClient {
  readonly #libp2p: Libp2p
  readonly #log: Logger
  readonly #onRequest?: (record: RequestRecord) => void
  readonly #frameTimeoutMs: number
  readonly #wallClock: () => number
  readonly #channels = new Map<string, Promise<Channel>>()
  #stopped = false

  constructor (init: RpcClientInit) {
    this.#libp2p = init.libp2p
    this.#log = init.log
    this.#onRequest = init.onRequest
    this.#frameTimeoutMs = init.frameTimeoutMs ?? DEFAULTS.limits.frameTimeoutMs
    this.#wallClock = init.wallClock ?? Date.now
  }

  async request<T extends RpcType>(target: RpcTarget, type: T, body: RequestOf<T>, opts: RequestOptions): Promise<ResponseOf<T>> {
    const started = performance.now()
    const record: RequestRecord = { type, tag: opts.tag, peerId: target.peerId, bytesOut: 0, bytesIn: 0, micros: 0 }
    // One timer and one controller per request: AbortSignal.any/timeout cost more on this path.
    const ctl = new AbortController()
    const signal = ctl.signal
    const timer = setTimeout(() => { ctl.abort(new TimeoutError(`${type} to ${target.peerId.slice(-6)} timed out after ${opts.timeoutMs} ms`)) }, Math.max(1, opts.timeoutMs))
    const onOuter = (): void => { ctl.abort(opts.signal?.reason) }
    if (opts.signal?.aborted === true) onOuter()
    opts.signal?.addEventListener('abort', onOuter, { once: true })
    try {
      const spec = MESSAGES[type]
      record.sentAtMs = this.#wallClock()
      const reply = await this.#roundTrip(target, {
        type: typeNumber(type),
        deadlineMs: Math.max(1, Math.floor(opts.timeoutMs)),
        body: (spec.request.encode as (b: RequestOf<T>) => Uint8Array<ArrayBuffer>)(body)
      }, signal, record)
      record.answered = true
      record.remoteWallMs = reply.wallMs
      record.receivedAtMs = this.#wallClock()
      if (reply.error !== 0) throw new ChordError(errorName(reply.error), reply.errorMessage, { remote: true })
      return (spec.response.decode as (b: Uint8Array) => ResponseOf<T>)(reply.body)
    } catch (err) {
      const e = signal.aborted && !(err instanceof ChordError) ? signal.reason : err
      record.error = e instanceof ChordError ? e.code : ErrorCode.UNREACHABLE
      if (e instanceof ChordError || (e as Error)?.name === 'AbortError') throw e
      throw new UnreachableError(`${type} to ${target.peerId.slice(-6)}: ${(e as Error)?.message ?? String(e)}`)
    } finally {
      clearTimeout(timer)
      opts.signal?.removeEventListener('abort', onOuter)
      record.micros = Math.round((performance.now() - started) * 1000)
      this.#onRequest?.(record)
    }
  }

  async #roundTrip (target: RpcTarget, frame: Partial<Frame>, signal: AbortSignal, record: RequestRecord): Promise<Frame> {
    const channel = await this.#channel(target, signal)
    if (channel.pending.size >= MAX_PENDING_PER_STREAM) throw new ChordError(ErrorCode.BUSY, `${MAX_PENDING_PER_STREAM} requests already waiting on ${target.peerId.slice(-6)}`)
    const id = channel.nextId()
    const reply = new Promise<Frame>((resolve, reject) => {
      channel.pending.set(id, {
        resolve: (f, bytes) => { record.bytesIn = bytes; resolve(f) },
        reject
      })
    })
    // If the write below throws, nobody awaits `reply`; its later rejection must not go unhandled.
    reply.catch(() => {})
    const onAbort = (): void => { channel.pending.get(id)?.reject(signal.reason as Error) }
    signal.addEventListener('abort', onAbort, { once: true })
    try {
      record.bytesOut = await writeFrame(channel.stream, { ...frame, id }, { signal })
      return await reply
    } finally {
      signal.removeEventListener('abort', onAbort)
      channel.pending.delete(id)
    }
  }

  async #channel (target: RpcTarget, signal: AbortSignal): Promise<Channel> {
    if (this.#stopped) throw new ChordError(ErrorCode.SHUTTING_DOWN, 'rpc client stopped')
    let opening = this.#channels.get(target.peerId)
    if (opening == null) {
      opening = this.#open(target, signal)
      this.#channels.set(target.peerId, opening)
      opening.catch(() => { if (this.#channels.get(target.peerId) === opening) this.#channels.delete(target.peerId) })
    }
    const channel = await opening
    if (channel.closed) {
      if (this.#channels.get(target.peerId) === opening) this.#channels.delete(target.peerId)
      return await this.#channel(target, signal)
    }
    return channel
  }

  async #open (target: RpcTarget, signal: AbortSignal): Promise<Channel> {
    if (target.addrs.length === 0) throw new UnreachableError(`no address known for ${target.peerId.slice(-6)}`)
    const addrs: Multiaddr[] = target.addrs.map(a => multiaddr(`${a}/p2p/${target.peerId}`))
    const stream = await this.#libp2p.dialProtocol(addrs, CHORD_PROTOCOL, { signal })
    const channel = new Channel(stream)
    void this.#readLoop(target.peerId, channel)
    return channel
  }

  async #readLoop (peerId: string, channel: Channel): Promise<void> {
    let reason: Error = new UnreachableError(`stream to ${peerId.slice(-6)} closed`)
    try {
      for await (const { frame, bytes } of readFrames(channel.stream, MAX_FRAME_BYTES, { partialFrameTimeoutMs: this.#frameTimeoutMs })) {
        if (!frame.response) continue
        if (frame.id === 0) {
          // The server lost framing (e.g. our frame was too large) and closes the stream:
          // every request on it fails with the reason it gave.
          reason = new ChordError(errorName(frame.error), frame.errorMessage, { remote: true })
          continue
        }
        channel.pending.get(frame.id)?.resolve(frame, bytes)
      }
    } catch (err) {
      reason = new UnreachableError(`stream to ${peerId.slice(-6)} failed: ${(err as Error).message}`)
      this.#log.debug({ peer: peerId, err: (err as Error).message }, 'rpc stream failed')
      channel.stream.abort(err as Error)
    } finally {
      channel.failAll(reason)
      // The server ended its side; end ours, or the half-open stream keeps one of the connection's chord stream slots.
      if (channel.stream.status === 'open') void channel.stream.close({ signal: AbortSignal.timeout(1_000) }).catch(() => { channel.stream.abort(new Error('closing')) })
      const current = this.#channels.get(peerId)
      if (current != null) void current.then(c => { if (c === channel) this.#channels.delete(peerId) }, () => {})
    }
  }

  /**
   * Close our stream to a peer (e.g. found dead); the next request reopens it. With
   * `disconnect`, also close every connection to it: frames still queued in the kernel for a
   * peer that stopped answering (a partition, a stalled process) are dropped with the socket
   * instead of being delivered, stale, once the network heals.
   */
  forget (peerId: string, opts: { disconnect?: boolean } = {}): void {
    const opening = this.#channels.get(peerId)
    this.#channels.delete(peerId)
    void opening?.then(c => { c.failAll(new UnreachableError('forgotten')); c.stream.abort(new Error('peer forgotten')) }, () => {})
    if (opts.disconnect === true && !this.#stopped) {
      for (const conn of this.#libp2p.getConnections().filter(c => c.remotePeer.toString() === peerId)) conn.abort(new Error('peer stopped answering'))
    }
  }

  async stop (): Promise<void> {
    this.#stopped = true
    const all = [...this.#channels.values()]
    this.#channels.clear()
    await Promise.allSettled(all.map(async p => {
      // A dial still in progress is not waited for past a second: its request's own deadline ends it.
      const c = await Promise.race([p, new Promise<never>((_resolve, reject) => setTimeout(() => { reject(new Error('dial still open')) }, 1_000).unref())])
      c.failAll(new ChordError(ErrorCode.SHUTTING_DOWN, 'rpc client stopped'))
      await c.stream.close().catch(() => c.stream.abort(new Error('closing')))
    }))
  }
}
