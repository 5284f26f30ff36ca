// Which request and response message each MessageType carries in Frame.body.
import { reader, type Codec } from 'protons-runtime'
import {
  ErrorCode,
  ApplyResult, ClientRequest, ClientResult, Empty, FindSuccessor, Key, Keys, KeyValue, Leaving, LookupResult, MaybeRecord,
  MessageType, Neighbors, NextHop, NextHopResult, Notify, NotifyResult, PeerState, Pong, RangeDigests, Records, Stats, StoreResult, SyncMeta, Value
} from './chord.js'

export interface BodyCodec<T> {
  encode: (obj: T) => Uint8Array
  decode: (buf: Uint8Array) => T
}

export interface MessageSpec<Req, Res> {
  request: BodyCodec<Req>
  response: BodyCodec<Res>
}

function spec<Req, Res> (request: BodyCodec<Req>, response: BodyCodec<Res>): MessageSpec<Req, Res> {
  return { request, response }
}

/** The RPC table. Adding a message: add it to chord.proto, regenerate, add a line here and a handler. */
export const MESSAGES = {
  [MessageType.PING]: spec(Empty, Pong),
  [MessageType.GET_NEIGHBORS]: spec(Empty, Neighbors),
  [MessageType.NOTIFY]: spec(Notify, NotifyResult),
  [MessageType.LEAVING]: spec(Leaving, Empty),
  [MessageType.FIND_SUCCESSOR]: spec(FindSuccessor, LookupResult),
  [MessageType.NEXT_HOP]: spec(NextHop, NextHopResult),
  [MessageType.STORE_PUT]: spec(KeyValue, StoreResult),
  [MessageType.STORE_GET]: spec(Key, Value),
  [MessageType.STORE_DELETE]: spec(Key, StoreResult),
  [MessageType.GET_STATE]: spec(Empty, PeerState),
  [MessageType.REPLICA_PUT]: spec(Records, ApplyResult),
  [MessageType.REPLICA_GET]: spec(Key, MaybeRecord),
  [MessageType.SYNC_DIGESTS]: spec(RangeDigests, SyncMeta),
  [MessageType.REPLICA_FETCH]: spec(Keys, Records),
  [MessageType.REPAIR_PUT]: spec(Records, ApplyResult),
  [MessageType.GET_STATS]: spec(Empty, Stats),
  [MessageType.NEIGHBORS_CHANGED]: spec(Empty, Empty),
  [MessageType.CLIENT_LOOKUP]: spec(ClientRequest, ClientResult),
  [MessageType.CLIENT_PUT]: spec(ClientRequest, ClientResult),
  [MessageType.CLIENT_GET]: spec(ClientRequest, ClientResult),
  [MessageType.CLIENT_DELETE]: spec(ClientRequest, ClientResult)
} as const

export type RpcType = keyof typeof MESSAGES
type SpecOf<T extends RpcType> = (typeof MESSAGES)[T]
export type RequestOf<T extends RpcType> = SpecOf<T> extends MessageSpec<infer Req, any> ? Req : never
export type ResponseOf<T extends RpcType> = SpecOf<T> extends MessageSpec<any, infer Res> ? Res : never

export function isRpcType (t: MessageType | undefined): t is RpcType {
  return t != null && Object.hasOwn(MESSAGES, t)
}

/** Number <-> name of a generated protons enum, read off its codec so chord.proto stays the one source. */
function enumTable<E extends string> (codec: Codec<E>): { number: Map<E, number>, name: Map<number, E> } {
  const number = new Map<E, number>()
  const name = new Map<number, E>()
  for (let n = 0; n < 128; n++) {
    try {
      const e = codec.decode(reader(Uint8Array.of(n)))
      number.set(e, n)
      name.set(n, e)
    } catch {} // not a value of this enum
  }
  return { number, name }
}

const TYPES = enumTable(MessageType.codec())
const ERRORS = enumTable(ErrorCode.codec())

/** Frame.type is a plain number on the wire (see chord.proto). */
export function typeNumber (t: MessageType): number { return TYPES.number.get(t) ?? 0 }
/** undefined for a number this peer does not know. */
export function typeName (n: number): MessageType | undefined { return TYPES.name.get(n) }
export function errorNumber (e: ErrorCode): number { return ERRORS.number.get(e) ?? ERRORS.number.get(ErrorCode.INTERNAL)! }
/** An error code this peer does not know reads as INTERNAL. */
export function errorName (n: number): ErrorCode { return ERRORS.name.get(n) ?? ErrorCode.INTERNAL }
