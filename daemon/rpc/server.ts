// Serves requests arriving on inbound Chord streams: one handler per message type,
// dispatched through a map. Bad input gets an error frame (or, when the framing
// itself is broken, a closed stream); it never takes the peer down.
import { setMaxListeners } from 'node:events'
import type { Connection, Stream } from '@libp2p/interface'
import type { Logger } from 'pino'
import { ErrorCode, type Frame } from '../../protocol/chord.js'
import { MAX_FRAME_BYTES, MAX_IN_FLIGHT_PER_STREAM } from '../../protocol/constants.js'
import { ChordError, codeOf } from '../../protocol/errors.js'
import { errorNumber, isRpcType, MESSAGES, typeName, type RequestOf, type ResponseOf, type RpcType } from '../../protocol/messages.js'
import { readFrames, writeFrame } from './streamIo.js'
import { BadFrameError, FrameTooLargeError } from '../../protocol/framing.js'

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

export interface RpcServerInit {
  handlers: HandlerMap
  log: Logger
  /** Deadline used when a request names none, ms. */
  defaultDeadlineMs: number
  onServed?: (record: ServedRecord) => void
  /** Our wall clock, ms: every answer carries it (the requester's clock-skew sample). Default Date.now. */
  wallClock?: () => number
  /** Called before the handler; throwing (e.g. CHOKED) answers the request with that error. */
  admit?: (type: RpcType, req: RequestOf<RpcType>, ctx: RequestContext) => void
}

export class RpcServer {
  readonly #handlers: HandlerMap
  readonly #log: Logger
  readonly #init: RpcServerInit
  readonly #streams = new Set<Stream>()
  readonly #stopping = new AbortController()

  constructor (init: RpcServerInit) {
    this.#init = init
    setMaxListeners(Infinity, this.#stopping.signal) // one listener per request in flight
    this.#handlers = init.handlers
    this.#log = init.log
  }

  /** libp2p stream handler for CHORD_PROTOCOL. */
  readonly handleStream = async (stream: Stream, connection: Connection): Promise<void> => {
    const remotePeer = connection.remotePeer.toString()
    const remoteAddr = connection.remoteAddr.toString()
    this.#streams.add(stream)
    let inFlight = 0
    try {
      for await (const { frame, bytes } of readFrames(stream, MAX_FRAME_BYTES)) {
        if (frame.response) continue
        if (inFlight >= MAX_IN_FLIGHT_PER_STREAM) {
          void this.#reply(stream, { id: frame.id, type: frame.type, response: true, error: errorNumber(ErrorCode.BUSY), errorMessage: `more than ${MAX_IN_FLIGHT_PER_STREAM} requests in flight` })
          continue
        }
        inFlight++
        void this.#serve(stream, remotePeer, remoteAddr, frame, bytes).finally(() => { inFlight-- })
      }
    } catch (err) {
      if (!(err instanceof FrameTooLargeError || err instanceof BadFrameError)) {
        this.#log.debug({ remote: remotePeer, err: (err as Error).message }, 'inbound chord stream ended')
        return
      }
      // Framing is lost: say why (id 0 = not about any one request), then close the stream.
      const code = err instanceof FrameTooLargeError ? ErrorCode.TOO_LARGE : ErrorCode.BAD_REQUEST
      this.#log.warn({ remote: remotePeer, err: (err as Error).message }, 'bad input on chord stream, closing it')
      await this.#reply(stream, { id: 0, response: true, error: errorNumber(code), errorMessage: (err as Error).message })
      // Close (flushing the error) rather than abort, which could drop it; abort if that stalls.
      await stream.close({ signal: AbortSignal.timeout(1_000) }).catch(() => { stream.abort(err as Error) })
    } finally {
      this.#streams.delete(stream)
      if (stream.status === 'open') await stream.close().catch(() => {})
    }
  }

  async #serve (stream: Stream, remotePeer: string, remoteAddr: string, frame: Frame, bytesIn: number): Promise<void> {
    const started = performance.now()
    const name = typeName(frame.type)
    const type = isRpcType(name) ? name : undefined
    const reply: Partial<Frame> = { id: frame.id, type: frame.type, response: true, error: 0 }
    let code = ErrorCode.OK
    try {
      const handler = type == null ? undefined : this.#handlers[type] as Handler<RpcType> | undefined
      if (type == null || handler == null) throw new ChordError(ErrorCode.UNKNOWN_TYPE, `unknown message type ${String(frame.type)}`)
      const spec = MESSAGES[type]
      let req: RequestOf<RpcType>
      try {
        req = spec.request.decode(frame.body) as RequestOf<RpcType>
      } catch (err) {
        throw new ChordError(ErrorCode.BAD_REQUEST, `malformed ${type} body: ${(err as Error).message}`)
      }
      const deadlineMs = frame.deadlineMs > 0 ? frame.deadlineMs : this.#init.defaultDeadlineMs
      // The deadline travels as a budget: every RPC a handler makes is bounded by what is
      // left of it, so no timer per request is needed here (it cost ~10% of a hop).
      const ctx: RequestContext = { remotePeer, remoteAddr, signal: this.#stopping.signal, deadlineMs }
      this.#init.admit?.(type, req, ctx)
      const res = await handler(req, ctx)
      reply.body = (spec.response.encode as (r: ResponseOf<RpcType>) => Uint8Array<ArrayBuffer>)(res)
    } catch (err) {
      code = codeOf(err)
      reply.error = errorNumber(code)
      reply.errorMessage = (err as Error).message
      if (code === ErrorCode.INTERNAL) this.#log.error({ err, type }, 'handler failed')
    }
    reply.wallMs = BigInt(Math.floor((this.#init.wallClock ?? Date.now)()))
    const bytesOut = await this.#reply(stream, reply)
    this.#init.onServed?.({ type, peerId: remotePeer, bytesIn, bytesOut, micros: Math.round((performance.now() - started) * 1000), error: code })
  }

  async #reply (stream: Stream, frame: Partial<Frame>): Promise<number> {
    try {
      return await writeFrame(stream, frame, { drainTimeoutMs: this.#init.defaultDeadlineMs })
    } catch {
      return 0 // the requester went away; nothing to tell it
    }
  }

  stop (): void {
    this.#stopping.abort(new ChordError(ErrorCode.SHUTTING_DOWN, 'peer stopping'))
    for (const s of this.#streams) s.abort(new Error('peer stopping'))
    this.#streams.clear()
  }
}
