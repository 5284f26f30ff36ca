// Serves requests arriving on inbound Chord streams: one handler per message type,
// dispatched through a map. Bad input gets an error frame (or, when the framing
// itself is broken, a closed stream); it never takes the peer down. What a remote can make
// the server hold is bounded: a deadline per partial frame, a byte budget per remote and in
// all, and a deadline per request cut at the server's own bound.
import { setMaxListeners } from 'node:events'
import type { Connection, Stream } from '@libp2p/interface'
import type { Logger } from 'pino'
import { ErrorCode, Frame } from '../../protocol/chord.js'
import { DEFAULTS, MAX_CHORD_STREAMS_PER_CONNECTION, MAX_FRAME_BYTES, MAX_IN_FLIGHT_PER_STREAM } from '../../protocol/constants.js'
import { ChordError, codeOf, TimeoutError } from '../../protocol/errors.js'
import { errorNumber, isRpcType, MESSAGES, typeName, type RequestOf, type ResponseOf, type RpcType } from '../../protocol/messages.js'
import { BadFrameError, encodeFrame, FrameTooLargeError } from '../../protocol/framing.js'
import type { ResourceLimits } from '../host/config.js'
import { ipOf } from '../../protocol/peerInfo.js'
import { ByteBudget, type BudgetAccount } from './byteBudget.js'
import { processStallClock, requestBudgetMs } from './deadline.js'
import { FrameBudgetError, FrameTimeoutError, readFrames, waitDrain, writeBytes } from './streamIo.js'

export interface RequestContext {
  /** Noise-authenticated peer id of the requester. */
  remotePeer: string
  /** Address of the connection it came over. */
  remoteAddr: string
  /** Aborts when the peer stops. */
  signal: AbortSignal
  /** The requester's budget for the whole operation, ms: bound every RPC the handler makes by it. */
  deadlineMs: number
}

export type Handler<T extends RpcType> = (req: RequestOf<T>, ctx: RequestContext) => Promise<ResponseOf<T>>
export type HandlerMap = { [T in RpcType]?: Handler<T> }

/** What serving a request cost, for the meters. */
export interface ServedRecord {
  type: RpcType | undefined
  peerId: string
  bytesIn: number
  bytesOut: number
  micros: number
  error: ErrorCode
}

/** The server's share of config.limits. */
export type ServerLimits = Pick<ResourceLimits, 'frameTimeoutMs' | 'maxBufferedBytesPerRemote' | 'maxBufferedBytes'>

export interface RpcServerInit {
  handlers: HandlerMap
  log: Logger
  /** Deadline used when a request names none, ms; also how long an answer may wait for the stream to drain. */
  defaultDeadlineMs: number
  /** Longest deadline honoured, ms: a remote's longer one is cut to it. Default: defaultDeadlineMs. */
  maxDeadlineMs?: number
  /** Partial-frame deadline and byte budgets. Default: DEFAULTS.limits. */
  limits?: Partial<ServerLimits>
  /** The byte budget to charge; default a new one from `limits` (a seam for tests that read it). */
  budget?: ByteBudget
  /** Time the process was stalled with input possibly unread, ms; default the process's stall clock. */
  stalledMs?: () => number
  onServed?: (record: ServedRecord) => void
  /** Our wall clock, ms: every answer carries it (the requester's clock-skew sample). Default Date.now. */
  wallClock?: () => number
  /** Called before the handler; throwing (e.g. CHOKED) answers the request with that error. */
  admit?: (type: RpcType, req: RequestOf<RpcType>, ctx: RequestContext) => void
}

export class RpcServer {
  /** Options for libp2p.handle: chord streams per connection (one per remote is used; FACTS: past the limit libp2p resets). */
  static readonly streamLimits = Object.freeze({ maxInboundStreams: MAX_CHORD_STREAMS_PER_CONNECTION, maxOutboundStreams: MAX_CHORD_STREAMS_PER_CONNECTION })

  readonly #handlers: HandlerMap
  readonly #log: Logger
  readonly #limits: ServerLimits
  readonly #bounds: { defaultMs: number, maxMs: number }
  readonly #stalledMs: () => number
  readonly #admit: RpcServerInit['admit']
  readonly #onServed: RpcServerInit['onServed']
  readonly #wallClock: () => number
  /** What remotes make this peer hold (README "RPC": limits). */
  readonly budget: ByteBudget
  readonly #streams = new Set<Stream>()
  readonly #stopping = new AbortController()

  constructor (init: RpcServerInit) {
    setMaxListeners(Infinity, this.#stopping.signal) // one listener per request in flight
    this.#handlers = init.handlers
    this.#log = init.log
    this.#admit = init.admit
    this.#onServed = init.onServed
    this.#wallClock = init.wallClock ?? Date.now
    this.#limits = { ...DEFAULTS.limits, ...init.limits }
    this.#bounds = { defaultMs: init.defaultDeadlineMs, maxMs: init.maxDeadlineMs ?? init.defaultDeadlineMs }
    if (init.stalledMs != null) {
      this.#stalledMs = init.stalledMs
    } else {
      const clock = processStallClock()
      this.#stalledMs = () => clock.unaccountedMs()
    }
    this.budget = init.budget ?? new ByteBudget({ perRemote: this.#limits.maxBufferedBytesPerRemote, total: this.#limits.maxBufferedBytes })
  }

  /** libp2p stream handler for CHORD_PROTOCOL. */
  readonly handleStream = async (stream: Stream, connection: Connection): Promise<void> => {
    const remotePeer = connection.remotePeer.toString()
    const remoteAddr = connection.remoteAddr.toString()
    // The remote is its peer id and, apart, its IP: new identities from one address share one allowance.
    const account = this.budget.account([`peer:${remotePeer}`, `ip:${ipOf(connection.remoteAddr) ?? remoteAddr}`])
    this.#streams.add(stream)
    let inFlight = 0
    let reading = true
    const settle = (): void => { if (!reading && inFlight === 0) account.close() }
    try {
      for await (const { frame, bytes } of readFrames(stream, MAX_FRAME_BYTES, { partialFrameTimeoutMs: this.#limits.frameTimeoutMs, account })) {
        if (frame.response) continue
        if (inFlight >= MAX_IN_FLIGHT_PER_STREAM) {
          void this.#reply(stream, { id: frame.id, type: frame.type, response: true, error: errorNumber(ErrorCode.BUSY), errorMessage: `more than ${MAX_IN_FLIGHT_PER_STREAM} requests in flight` })
          continue
        }
        if (!account.tryReserve(bytes)) {
          void this.#reply(stream, { id: frame.id, type: frame.type, response: true, error: errorNumber(ErrorCode.BUSY), errorMessage: `byte budget spent (${account.held} bytes held for this remote)` })
          continue
        }
        inFlight++
        void this.#serve(stream, account, remotePeer, remoteAddr, frame, bytes).finally(() => { inFlight--; settle() })
      }
    } catch (err) {
      const code = framingErrorCode(err)
      if (code == null) {
        this.#log.debug({ remote: remotePeer, err: (err as Error).message }, 'inbound chord stream ended')
        return
      }
      // Framing is lost or the remote holds too much: say why (id 0 = not about any one request), then close the stream.
      // A deadline or budget cut is what a flood earns many times a second: not worth a line at the default level.
      const level = code === ErrorCode.TIMEOUT || code === ErrorCode.BUSY ? 'debug' : 'warn'
      this.#log[level]({ remote: remotePeer, err: (err as Error).message }, 'bad input on chord stream, closing it')
      // Nothing more is read from it. yamux grants the remote more window as data arrives, read or
      // not: pausing stops that, and a closed read side drops what is still on its way.
      try { stream.pause() } catch {}
      await stream.closeRead().catch(() => {})
      await this.#reply(stream, { id: 0, response: true, error: errorNumber(code), errorMessage: (err as Error).message })
      // Close our side (flushing the error: abort could drop it), then abort what the remote
      // leaves open: close() ends only our writing, and a half-open stream would keep one of the
      // connection's few chord stream slots (MAX_CHORD_STREAMS_PER_CONNECTION) for good.
      await stream.close({ signal: AbortSignal.timeout(1_000) }).catch(() => {})
      if (stream.status !== 'closed') await closedWithin(stream, 1_000)
      if (stream.status !== 'closed') stream.abort(err as Error)
    } finally {
      reading = false
      settle()
      this.#streams.delete(stream)
      if (stream.status === 'open') await stream.close().catch(() => {})
    }
  }

  async #serve (stream: Stream, account: BudgetAccount, remotePeer: string, remoteAddr: string, frame: Frame, bytesIn: number): Promise<void> {
    const started = performance.now()
    const name = typeName(frame.type)
    const type = isRpcType(name) ? name : undefined
    const reply: Partial<Frame> = { id: frame.id, type: frame.type, response: true, error: 0 }
    let code = ErrorCode.OK
    try {
      const handler = type == null ? undefined : this.#handlers[type] as Handler<RpcType> | undefined
      if (type == null || handler == null) throw new ChordError(ErrorCode.UNKNOWN_TYPE, `unknown message type ${String(frame.type)}`)
      // Checked before any work: an expired request is answered, not served.
      const stalled = this.#stalledMs()
      const deadlineMs = requestBudgetMs(frame.deadlineMs, this.#bounds, stalled)
      if (deadlineMs <= 0) throw new TimeoutError(`deadline of ${frame.deadlineMs} ms passed before the request was read: this process was stalled for ${Math.round(stalled)} ms`)
      const spec = MESSAGES[type]
      let req: RequestOf<RpcType>
      try {
        req = spec.request.decode(frame.body) as RequestOf<RpcType>
      } catch (err) {
        throw new ChordError(ErrorCode.BAD_REQUEST, `malformed ${type} body: ${(err as Error).message}`)
      }
      // The deadline travels as a budget: every RPC a handler makes is bounded by what is
      // left of it, so no timer per request is needed here (it cost ~10% of a hop).
      const ctx: RequestContext = { remotePeer, remoteAddr, signal: this.#stopping.signal, deadlineMs }
      this.#admit?.(type, req, ctx)
      const res = await handler(req, ctx)
      reply.body = (spec.response.encode as (r: ResponseOf<RpcType>) => Uint8Array<ArrayBuffer>)(res)
    } catch (err) {
      code = codeOf(err)
      reply.error = errorNumber(code)
      reply.errorMessage = (err as Error).message
      if (code === ErrorCode.INTERNAL) this.#log.error({ err, type }, 'handler failed')
    }
    reply.wallMs = BigInt(Math.floor(this.#wallClock()))
    let bytesOut = 0
    try {
      bytesOut = await this.#reply(stream, reply, account)
    } finally {
      account.release(bytesIn)
    }
    this.#onServed?.({ type, peerId: remotePeer, bytesIn, bytesOut, micros: Math.round((performance.now() - started) * 1000), error: code })
  }

  /**
   * Send an answer. With an account, its bytes stay charged until the stream has taken them
   * (drained); a remote that reads nothing for a whole default deadline loses the stream.
   */
  async #reply (stream: Stream, frame: Partial<Frame>, account?: BudgetAccount): Promise<number> {
    const bytes = encodeFrame(Frame.encode(frame))
    const opts = { drainTimeoutMs: this.#bounds.defaultMs }
    account?.charge(bytes.length)
    try {
      await writeBytes(stream, bytes, opts)
    } catch (err) {
      // The requester went away, or reads nothing: nothing to tell it.
      account?.release(bytes.length)
      if (stream.status === 'open') stream.abort(err as Error)
      return 0
    }
    if (account != null) {
      if (!stream.writableNeedsDrain) account.release(bytes.length)
      else {
        void waitDrain(stream, opts)
          .catch(err => { if (stream.status === 'open') stream.abort(err as Error) })
          .finally(() => { account.release(bytes.length) })
      }
    }
    return bytes.length
  }

  stop (): void {
    this.#stopping.abort(new ChordError(ErrorCode.SHUTTING_DOWN, 'peer stopping'))
    for (const s of this.#streams) s.abort(new Error('peer stopping'))
    this.#streams.clear()
  }
}

/** Resolves when the stream has closed both ways, or after `ms`. */
async function closedWithin (stream: Stream, ms: number): Promise<void> {
  await new Promise<void>(resolve => {
    const timer = setTimeout(done, ms)
    function done (): void { clearTimeout(timer); stream.removeEventListener('close', done); resolve() }
    stream.addEventListener('close', done)
  })
}

/** The error code for an error that ends a stream's framing, or undefined for the stream's own failure. */
function framingErrorCode (err: unknown): ErrorCode | undefined {
  if (err instanceof FrameTooLargeError) return ErrorCode.TOO_LARGE
  if (err instanceof BadFrameError) return ErrorCode.BAD_REQUEST
  if (err instanceof FrameTimeoutError) return ErrorCode.TIMEOUT
  if (err instanceof FrameBudgetError) return ErrorCode.BUSY
  return undefined
}
