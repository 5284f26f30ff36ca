// Which request and response message each MessageType carries in Frame.body.
import {
  ClientRequest, ClientResult, Empty, FindSuccessor, Handoff, HandoffResult, Key, KeyValue, Leaving,
  LookupResult, MessageType, Neighbors, NextHop, NextHopResult, Notify, NotifyResult, PeerState, Pong, Value
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
  [MessageType.STORE_PUT]: spec(KeyValue, Empty),
  [MessageType.STORE_GET]: spec(Key, Value),
  [MessageType.STORE_DELETE]: spec(Key, Value),
  [MessageType.HANDOFF]: spec(Handoff, HandoffResult),
  [MessageType.GET_STATE]: spec(Empty, PeerState),
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
