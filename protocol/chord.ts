// Generated from protocol/chord.proto by `npm run protos` (protons): do not edit by hand.
/* eslint-disable require-yield */

import { decodeMessage, encodeMessage, enumeration, MaxLengthError, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export enum MessageType {
  UNKNOWN = 'UNKNOWN',
  PING = 'PING',
  GET_NEIGHBORS = 'GET_NEIGHBORS',
  NOTIFY = 'NOTIFY',
  LEAVING = 'LEAVING',
  FIND_SUCCESSOR = 'FIND_SUCCESSOR',
  NEXT_HOP = 'NEXT_HOP',
  STORE_PUT = 'STORE_PUT',
  STORE_GET = 'STORE_GET',
  STORE_DELETE = 'STORE_DELETE',
  HANDOFF = 'HANDOFF',
  GET_STATE = 'GET_STATE',
  REPLICA_PUT = 'REPLICA_PUT',
  REPLICA_GET = 'REPLICA_GET',
  SYNC_DIGESTS = 'SYNC_DIGESTS',
  REPLICA_FETCH = 'REPLICA_FETCH',
  REPAIR_PUT = 'REPAIR_PUT',
  GET_STATS = 'GET_STATS',
  NEIGHBORS_CHANGED = 'NEIGHBORS_CHANGED',
  CLIENT_LOOKUP = 'CLIENT_LOOKUP',
  CLIENT_PUT = 'CLIENT_PUT',
  CLIENT_GET = 'CLIENT_GET',
  CLIENT_DELETE = 'CLIENT_DELETE'
}

enum __MessageTypeValues {
  UNKNOWN = 0,
  PING = 1,
  GET_NEIGHBORS = 2,
  NOTIFY = 3,
  LEAVING = 4,
  FIND_SUCCESSOR = 5,
  NEXT_HOP = 6,
  STORE_PUT = 7,
  STORE_GET = 8,
  STORE_DELETE = 9,
  HANDOFF = 10,
  GET_STATE = 11,
  REPLICA_PUT = 12,
  REPLICA_GET = 13,
  SYNC_DIGESTS = 14,
  REPLICA_FETCH = 15,
  REPAIR_PUT = 16,
  GET_STATS = 17,
  NEIGHBORS_CHANGED = 18,
  CLIENT_LOOKUP = 20,
  CLIENT_PUT = 21,
  CLIENT_GET = 22,
  CLIENT_DELETE = 23
}

export namespace MessageType {
  export const codec = (): Codec<MessageType> => {
    return enumeration<MessageType>(__MessageTypeValues)
  }
}

export enum ErrorCode {
  OK = 'OK',
  BAD_REQUEST = 'BAD_REQUEST',
  UNKNOWN_TYPE = 'UNKNOWN_TYPE',
  TOO_LARGE = 'TOO_LARGE',
  NOT_OWNER = 'NOT_OWNER',
  TIMEOUT = 'TIMEOUT',
  UNREACHABLE = 'UNREACHABLE',
  BUSY = 'BUSY',
  ID_MISMATCH = 'ID_MISMATCH',
  SHUTTING_DOWN = 'SHUTTING_DOWN',
  STORE_FULL = 'STORE_FULL',
  INTERNAL = 'INTERNAL',
  CHOKED = 'CHOKED',
  ROUTE_CHOKED = 'ROUTE_CHOKED',
  CLOCK_SKEW = 'CLOCK_SKEW',
  NOT_HOLDER = 'NOT_HOLDER',
  NOT_MEMBER = 'NOT_MEMBER'
}

enum __ErrorCodeValues {
  OK = 0,
  BAD_REQUEST = 1,
  UNKNOWN_TYPE = 2,
  TOO_LARGE = 3,
  NOT_OWNER = 4,
  TIMEOUT = 5,
  UNREACHABLE = 6,
  BUSY = 7,
  ID_MISMATCH = 8,
  SHUTTING_DOWN = 9,
  STORE_FULL = 10,
  INTERNAL = 11,
  CHOKED = 12,
  ROUTE_CHOKED = 13,
  CLOCK_SKEW = 14,
  NOT_HOLDER = 15,
  NOT_MEMBER = 16
}

export namespace ErrorCode {
  export const codec = (): Codec<ErrorCode> => {
    return enumeration<ErrorCode>(__ErrorCodeValues)
  }
}

export interface Frame {
  id: number
  type: number
  response: boolean
  deadlineMs: number
  error: number
  errorMessage: string
  body: Uint8Array<ArrayBuffer>
  wallMs: bigint
}

export namespace Frame {
  let _codec: Codec<Frame>

  export const codec = (): Codec<Frame> => {
    if (_codec == null) {
      _codec = message<Frame>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.id != null && obj.id !== 0)) {
          w.uint32(8)
          w.uint32(obj.id)
        }

        if ((obj.type != null && obj.type !== 0)) {
          w.uint32(16)
          w.uint32(obj.type)
        }

        if ((obj.response != null && obj.response !== false)) {
          w.uint32(24)
          w.bool(obj.response)
        }

        if ((obj.deadlineMs != null && obj.deadlineMs !== 0)) {
          w.uint32(32)
          w.uint32(obj.deadlineMs)
        }

        if ((obj.error != null && obj.error !== 0)) {
          w.uint32(40)
          w.uint32(obj.error)
        }

        if ((obj.errorMessage != null && obj.errorMessage !== '')) {
          w.uint32(50)
          w.string(obj.errorMessage)
        }

        if ((obj.body != null && obj.body.byteLength > 0)) {
          w.uint32(58)
          w.bytes(obj.body)
        }

        if ((obj.wallMs != null && obj.wallMs !== 0n)) {
          w.uint32(64)
          w.uint64(obj.wallMs)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          id: 0,
          type: 0,
          response: false,
          deadlineMs: 0,
          error: 0,
          errorMessage: '',
          body: uint8ArrayAlloc(0),
          wallMs: 0n
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.id = reader.uint32()
              break
            }
            case 2: {
              obj.type = reader.uint32()
              break
            }
            case 3: {
              obj.response = reader.bool()
              break
            }
            case 4: {
              obj.deadlineMs = reader.uint32()
              break
            }
            case 5: {
              obj.error = reader.uint32()
              break
            }
            case 6: {
              obj.errorMessage = reader.string()
              break
            }
            case 7: {
              obj.body = reader.bytes()
              break
            }
            case 8: {
              obj.wallMs = reader.uint64()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.id`,
                value: reader.uint32()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.type`,
                value: reader.uint32()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.response`,
                value: reader.bool()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.deadlineMs`,
                value: reader.uint32()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.error`,
                value: reader.uint32()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.errorMessage`,
                value: reader.string()
              }
              break
            }
            case 7: {
              yield {
                field: `${prefix}.body`,
                value: reader.bytes()
              }
              break
            }
            case 8: {
              yield {
                field: `${prefix}.wallMs`,
                value: reader.uint64()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface FrameIdFieldEvent {
    field: '$.id'
    value: number
  }

  export interface FrameTypeFieldEvent {
    field: '$.type'
    value: number
  }

  export interface FrameResponseFieldEvent {
    field: '$.response'
    value: boolean
  }

  export interface FrameDeadlineMsFieldEvent {
    field: '$.deadlineMs'
    value: number
  }

  export interface FrameErrorFieldEvent {
    field: '$.error'
    value: number
  }

  export interface FrameErrorMessageFieldEvent {
    field: '$.errorMessage'
    value: string
  }

  export interface FrameBodyFieldEvent {
    field: '$.body'
    value: Uint8Array<ArrayBuffer>
  }

  export interface FrameWallMsFieldEvent {
    field: '$.wallMs'
    value: bigint
  }

  export function encode (obj: Partial<Frame>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Frame.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Frame>): Frame {
    return decodeMessage(buf, Frame.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Frame>): Generator<FrameIdFieldEvent | FrameTypeFieldEvent | FrameResponseFieldEvent | FrameDeadlineMsFieldEvent | FrameErrorFieldEvent | FrameErrorMessageFieldEvent | FrameBodyFieldEvent | FrameWallMsFieldEvent> {
    return streamMessage(buf, Frame.codec(), opts)
  }
}

export interface PeerInfo {
  peerId: Uint8Array<ArrayBuffer>
  ringId: Uint8Array<ArrayBuffer>
  addrs: Uint8Array<ArrayBuffer>[]
}

export namespace PeerInfo {
  let _codec: Codec<PeerInfo>

  export const codec = (): Codec<PeerInfo> => {
    if (_codec == null) {
      _codec = message<PeerInfo>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.peerId != null && obj.peerId.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.peerId)
        }

        if ((obj.ringId != null && obj.ringId.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.ringId)
        }

        if (obj.addrs != null && obj.addrs.length > 0) {
          for (const value of obj.addrs) {
            w.uint32(26)
            w.bytes(value)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          peerId: uint8ArrayAlloc(0),
          ringId: uint8ArrayAlloc(0),
          addrs: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.peerId = reader.bytes()
              break
            }
            case 2: {
              obj.ringId = reader.bytes()
              break
            }
            case 3: {
              if (opts.limits?.addrs != null && obj.addrs.length === opts.limits.addrs) {
                throw new MaxLengthError('Decode error - repeated field "addrs" had too many elements')
              }

              obj.addrs.push(reader.bytes())
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          addrs: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.peerId`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.ringId`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              if (opts.limits?.addrs != null && obj.addrs === opts.limits.addrs) {
                throw new MaxLengthError('Streaming decode error - repeated field "addrs" had too many elements')
              }

              yield {
                field: `${prefix}.addrs[]`,
                index: obj.addrs,
                value: reader.bytes()
              }

              obj.addrs++

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface PeerInfoPeerIdFieldEvent {
    field: '$.peerId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PeerInfoRingIdFieldEvent {
    field: '$.ringId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PeerInfoAddrsFieldEvent {
    field: '$.addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<PeerInfo>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, PeerInfo.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PeerInfo>): PeerInfo {
    return decodeMessage(buf, PeerInfo.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PeerInfo>): Generator<PeerInfoPeerIdFieldEvent | PeerInfoRingIdFieldEvent | PeerInfoAddrsFieldEvent> {
    return streamMessage(buf, PeerInfo.codec(), opts)
  }
}

export interface Empty {}

export namespace Empty {
  let _codec: Codec<Empty>

  export const codec = (): Codec<Empty> => {
    if (_codec == null) {
      _codec = message<Empty>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {}

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export function encode (obj: Partial<Empty>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Empty.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Empty>): Empty {
    return decodeMessage(buf, Empty.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Empty>): Generator<{}> {
    return streamMessage(buf, Empty.codec(), opts)
  }
}

export interface Pong {
  self?: PeerInfo
}

export namespace Pong {
  let _codec: Codec<Pong>

  export const codec = (): Codec<Pong> => {
    if (_codec == null) {
      _codec = message<Pong>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.self != null) {
          w.uint32(10)
          PeerInfo.codec().encode(obj.self, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {}

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.self = PeerInfo.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.self
              })
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield * PeerInfo.codec().stream(reader, reader.uint32(), `${prefix}.self`, {
                limits: opts.limits?.self
              })

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface PongSelfPeerIdFieldEvent {
    field: '$.self.peerId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PongSelfRingIdFieldEvent {
    field: '$.self.ringId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PongSelfAddrsFieldEvent {
    field: '$.self.addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<Pong>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Pong.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Pong>): Pong {
    return decodeMessage(buf, Pong.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Pong>): Generator<PongSelfPeerIdFieldEvent | PongSelfRingIdFieldEvent | PongSelfAddrsFieldEvent> {
    return streamMessage(buf, Pong.codec(), opts)
  }
}

export interface Neighbors {
  self?: PeerInfo
  predecessor?: PeerInfo
  successors: PeerInfo[]
}

export namespace Neighbors {
  let _codec: Codec<Neighbors>

  export const codec = (): Codec<Neighbors> => {
    if (_codec == null) {
      _codec = message<Neighbors>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.self != null) {
          w.uint32(10)
          PeerInfo.codec().encode(obj.self, w)
        }

        if (obj.predecessor != null) {
          w.uint32(18)
          PeerInfo.codec().encode(obj.predecessor, w)
        }

        if (obj.successors != null && obj.successors.length > 0) {
          for (const value of obj.successors) {
            w.uint32(26)
            PeerInfo.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          successors: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.self = PeerInfo.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.self
              })
              break
            }
            case 2: {
              obj.predecessor = PeerInfo.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.predecessor
              })
              break
            }
            case 3: {
              if (opts.limits?.successors != null && obj.successors.length === opts.limits.successors) {
                throw new MaxLengthError('Decode error - repeated field "successors" had too many elements')
              }

              obj.successors.push(PeerInfo.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.successors$
              }))
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          successors: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield * PeerInfo.codec().stream(reader, reader.uint32(), `${prefix}.self`, {
                limits: opts.limits?.self
              })

              break
            }
            case 2: {
              yield * PeerInfo.codec().stream(reader, reader.uint32(), `${prefix}.predecessor`, {
                limits: opts.limits?.predecessor
              })

              break
            }
            case 3: {
              if (opts.limits?.successors != null && obj.successors === opts.limits.successors) {
                throw new MaxLengthError('Streaming decode error - repeated field "successors" had too many elements')
              }

              for (const evt of PeerInfo.codec().stream(reader, reader.uint32(), `${prefix}.successors[]`, {
                limits: opts.limits?.successors$
              })) {
                yield {
                  ...evt,
                  index: obj.successors
                }
              }

              obj.successors++

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface NeighborsSelfPeerIdFieldEvent {
    field: '$.self.peerId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface NeighborsSelfRingIdFieldEvent {
    field: '$.self.ringId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface NeighborsSelfAddrsFieldEvent {
    field: '$.self.addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface NeighborsPredecessorPeerIdFieldEvent {
    field: '$.predecessor.peerId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface NeighborsPredecessorRingIdFieldEvent {
    field: '$.predecessor.ringId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface NeighborsPredecessorAddrsFieldEvent {
    field: '$.predecessor.addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface NeighborsSuccessorsPeerIdFieldEvent {
    field: '$.successors[].peerId'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface NeighborsSuccessorsRingIdFieldEvent {
    field: '$.successors[].ringId'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface NeighborsSuccessorsAddrsFieldEvent {
    field: '$.successors[].addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<Neighbors>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Neighbors.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Neighbors>): Neighbors {
    return decodeMessage(buf, Neighbors.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Neighbors>): Generator<NeighborsSelfPeerIdFieldEvent | NeighborsSelfRingIdFieldEvent | NeighborsSelfAddrsFieldEvent | NeighborsPredecessorPeerIdFieldEvent | NeighborsPredecessorRingIdFieldEvent | NeighborsPredecessorAddrsFieldEvent | NeighborsSuccessorsPeerIdFieldEvent | NeighborsSuccessorsRingIdFieldEvent | NeighborsSuccessorsAddrsFieldEvent> {
    return streamMessage(buf, Neighbors.codec(), opts)
  }
}

export interface Notify {
  self?: PeerInfo
  predecessors: PeerInfo[]
}

export namespace Notify {
  let _codec: Codec<Notify>

  export const codec = (): Codec<Notify> => {
    if (_codec == null) {
      _codec = message<Notify>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.self != null) {
          w.uint32(10)
          PeerInfo.codec().encode(obj.self, w)
        }

        if (obj.predecessors != null && obj.predecessors.length > 0) {
          for (const value of obj.predecessors) {
            w.uint32(18)
            PeerInfo.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          predecessors: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.self = PeerInfo.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.self
              })
              break
            }
            case 2: {
              if (opts.limits?.predecessors != null && obj.predecessors.length === opts.limits.predecessors) {
                throw new MaxLengthError('Decode error - repeated field "predecessors" had too many elements')
              }

              obj.predecessors.push(PeerInfo.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.predecessors$
              }))
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          predecessors: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield * PeerInfo.codec().stream(reader, reader.uint32(), `${prefix}.self`, {
                limits: opts.limits?.self
              })

              break
            }
            case 2: {
              if (opts.limits?.predecessors != null && obj.predecessors === opts.limits.predecessors) {
                throw new MaxLengthError('Streaming decode error - repeated field "predecessors" had too many elements')
              }

              for (const evt of PeerInfo.codec().stream(reader, reader.uint32(), `${prefix}.predecessors[]`, {
                limits: opts.limits?.predecessors$
              })) {
                yield {
                  ...evt,
                  index: obj.predecessors
                }
              }

              obj.predecessors++

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface NotifySelfPeerIdFieldEvent {
    field: '$.self.peerId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface NotifySelfRingIdFieldEvent {
    field: '$.self.ringId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface NotifySelfAddrsFieldEvent {
    field: '$.self.addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface NotifyPredecessorsPeerIdFieldEvent {
    field: '$.predecessors[].peerId'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface NotifyPredecessorsRingIdFieldEvent {
    field: '$.predecessors[].ringId'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface NotifyPredecessorsAddrsFieldEvent {
    field: '$.predecessors[].addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<Notify>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Notify.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Notify>): Notify {
    return decodeMessage(buf, Notify.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Notify>): Generator<NotifySelfPeerIdFieldEvent | NotifySelfRingIdFieldEvent | NotifySelfAddrsFieldEvent | NotifyPredecessorsPeerIdFieldEvent | NotifyPredecessorsRingIdFieldEvent | NotifyPredecessorsAddrsFieldEvent> {
    return streamMessage(buf, Notify.codec(), opts)
  }
}

export interface NotifyResult {
  accepted: boolean
  neighbors?: Neighbors
}

export namespace NotifyResult {
  let _codec: Codec<NotifyResult>

  export const codec = (): Codec<NotifyResult> => {
    if (_codec == null) {
      _codec = message<NotifyResult>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.accepted != null && obj.accepted !== false)) {
          w.uint32(8)
          w.bool(obj.accepted)
        }

        if (obj.neighbors != null) {
          w.uint32(18)
          Neighbors.codec().encode(obj.neighbors, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          accepted: false
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.accepted = reader.bool()
              break
            }
            case 2: {
              obj.neighbors = Neighbors.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.neighbors
              })
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.accepted`,
                value: reader.bool()
              }
              break
            }
            case 2: {
              yield * Neighbors.codec().stream(reader, reader.uint32(), `${prefix}.neighbors`, {
                limits: opts.limits?.neighbors
              })

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface NotifyResultAcceptedFieldEvent {
    field: '$.accepted'
    value: boolean
  }

  export interface NotifyResultNeighborsSelfPeerIdFieldEvent {
    field: '$.neighbors.self.peerId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface NotifyResultNeighborsSelfRingIdFieldEvent {
    field: '$.neighbors.self.ringId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface NotifyResultNeighborsSelfAddrsFieldEvent {
    field: '$.neighbors.self.addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface NotifyResultNeighborsPredecessorPeerIdFieldEvent {
    field: '$.neighbors.predecessor.peerId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface NotifyResultNeighborsPredecessorRingIdFieldEvent {
    field: '$.neighbors.predecessor.ringId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface NotifyResultNeighborsPredecessorAddrsFieldEvent {
    field: '$.neighbors.predecessor.addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface NotifyResultNeighborsSuccessorsPeerIdFieldEvent {
    field: '$.neighbors.successors[].peerId'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface NotifyResultNeighborsSuccessorsRingIdFieldEvent {
    field: '$.neighbors.successors[].ringId'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface NotifyResultNeighborsSuccessorsAddrsFieldEvent {
    field: '$.neighbors.successors[].addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<NotifyResult>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, NotifyResult.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<NotifyResult>): NotifyResult {
    return decodeMessage(buf, NotifyResult.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<NotifyResult>): Generator<NotifyResultAcceptedFieldEvent | NotifyResultNeighborsSelfPeerIdFieldEvent | NotifyResultNeighborsSelfRingIdFieldEvent | NotifyResultNeighborsSelfAddrsFieldEvent | NotifyResultNeighborsPredecessorPeerIdFieldEvent | NotifyResultNeighborsPredecessorRingIdFieldEvent | NotifyResultNeighborsPredecessorAddrsFieldEvent | NotifyResultNeighborsSuccessorsPeerIdFieldEvent | NotifyResultNeighborsSuccessorsRingIdFieldEvent | NotifyResultNeighborsSuccessorsAddrsFieldEvent> {
    return streamMessage(buf, NotifyResult.codec(), opts)
  }
}

export interface Leaving {
  self?: PeerInfo
  predecessor?: PeerInfo
  successors: PeerInfo[]
}

export namespace Leaving {
  let _codec: Codec<Leaving>

  export const codec = (): Codec<Leaving> => {
    if (_codec == null) {
      _codec = message<Leaving>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.self != null) {
          w.uint32(10)
          PeerInfo.codec().encode(obj.self, w)
        }

        if (obj.predecessor != null) {
          w.uint32(18)
          PeerInfo.codec().encode(obj.predecessor, w)
        }

        if (obj.successors != null && obj.successors.length > 0) {
          for (const value of obj.successors) {
            w.uint32(26)
            PeerInfo.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          successors: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.self = PeerInfo.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.self
              })
              break
            }
            case 2: {
              obj.predecessor = PeerInfo.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.predecessor
              })
              break
            }
            case 3: {
              if (opts.limits?.successors != null && obj.successors.length === opts.limits.successors) {
                throw new MaxLengthError('Decode error - repeated field "successors" had too many elements')
              }

              obj.successors.push(PeerInfo.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.successors$
              }))
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          successors: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield * PeerInfo.codec().stream(reader, reader.uint32(), `${prefix}.self`, {
                limits: opts.limits?.self
              })

              break
            }
            case 2: {
              yield * PeerInfo.codec().stream(reader, reader.uint32(), `${prefix}.predecessor`, {
                limits: opts.limits?.predecessor
              })

              break
            }
            case 3: {
              if (opts.limits?.successors != null && obj.successors === opts.limits.successors) {
                throw new MaxLengthError('Streaming decode error - repeated field "successors" had too many elements')
              }

              for (const evt of PeerInfo.codec().stream(reader, reader.uint32(), `${prefix}.successors[]`, {
                limits: opts.limits?.successors$
              })) {
                yield {
                  ...evt,
                  index: obj.successors
                }
              }

              obj.successors++

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface LeavingSelfPeerIdFieldEvent {
    field: '$.self.peerId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface LeavingSelfRingIdFieldEvent {
    field: '$.self.ringId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface LeavingSelfAddrsFieldEvent {
    field: '$.self.addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface LeavingPredecessorPeerIdFieldEvent {
    field: '$.predecessor.peerId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface LeavingPredecessorRingIdFieldEvent {
    field: '$.predecessor.ringId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface LeavingPredecessorAddrsFieldEvent {
    field: '$.predecessor.addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface LeavingSuccessorsPeerIdFieldEvent {
    field: '$.successors[].peerId'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface LeavingSuccessorsRingIdFieldEvent {
    field: '$.successors[].ringId'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface LeavingSuccessorsAddrsFieldEvent {
    field: '$.successors[].addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<Leaving>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Leaving.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Leaving>): Leaving {
    return decodeMessage(buf, Leaving.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Leaving>): Generator<LeavingSelfPeerIdFieldEvent | LeavingSelfRingIdFieldEvent | LeavingSelfAddrsFieldEvent | LeavingPredecessorPeerIdFieldEvent | LeavingPredecessorRingIdFieldEvent | LeavingPredecessorAddrsFieldEvent | LeavingSuccessorsPeerIdFieldEvent | LeavingSuccessorsRingIdFieldEvent | LeavingSuccessorsAddrsFieldEvent> {
    return streamMessage(buf, Leaving.codec(), opts)
  }
}

export interface FindSuccessor {
  target: Uint8Array<ArrayBuffer>
  hops: number
  fingersOnly: boolean
  maintenance: boolean
}

export namespace FindSuccessor {
  let _codec: Codec<FindSuccessor>

  export const codec = (): Codec<FindSuccessor> => {
    if (_codec == null) {
      _codec = message<FindSuccessor>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.target != null && obj.target.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.target)
        }

        if ((obj.hops != null && obj.hops !== 0)) {
          w.uint32(16)
          w.uint32(obj.hops)
        }

        if ((obj.fingersOnly != null && obj.fingersOnly !== false)) {
          w.uint32(24)
          w.bool(obj.fingersOnly)
        }

        if ((obj.maintenance != null && obj.maintenance !== false)) {
          w.uint32(32)
          w.bool(obj.maintenance)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          target: uint8ArrayAlloc(0),
          hops: 0,
          fingersOnly: false,
          maintenance: false
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.target = reader.bytes()
              break
            }
            case 2: {
              obj.hops = reader.uint32()
              break
            }
            case 3: {
              obj.fingersOnly = reader.bool()
              break
            }
            case 4: {
              obj.maintenance = reader.bool()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.target`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.hops`,
                value: reader.uint32()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.fingersOnly`,
                value: reader.bool()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.maintenance`,
                value: reader.bool()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface FindSuccessorTargetFieldEvent {
    field: '$.target'
    value: Uint8Array<ArrayBuffer>
  }

  export interface FindSuccessorHopsFieldEvent {
    field: '$.hops'
    value: number
  }

  export interface FindSuccessorFingersOnlyFieldEvent {
    field: '$.fingersOnly'
    value: boolean
  }

  export interface FindSuccessorMaintenanceFieldEvent {
    field: '$.maintenance'
    value: boolean
  }

  export function encode (obj: Partial<FindSuccessor>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, FindSuccessor.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FindSuccessor>): FindSuccessor {
    return decodeMessage(buf, FindSuccessor.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FindSuccessor>): Generator<FindSuccessorTargetFieldEvent | FindSuccessorHopsFieldEvent | FindSuccessorFingersOnlyFieldEvent | FindSuccessorMaintenanceFieldEvent> {
    return streamMessage(buf, FindSuccessor.codec(), opts)
  }
}

export interface LookupResult {
  owner?: PeerInfo
  hops: number
  path: Uint8Array<ArrayBuffer>[]
}

export namespace LookupResult {
  let _codec: Codec<LookupResult>

  export const codec = (): Codec<LookupResult> => {
    if (_codec == null) {
      _codec = message<LookupResult>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.owner != null) {
          w.uint32(10)
          PeerInfo.codec().encode(obj.owner, w)
        }

        if ((obj.hops != null && obj.hops !== 0)) {
          w.uint32(16)
          w.uint32(obj.hops)
        }

        if (obj.path != null && obj.path.length > 0) {
          for (const value of obj.path) {
            w.uint32(26)
            w.bytes(value)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          hops: 0,
          path: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.owner = PeerInfo.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.owner
              })
              break
            }
            case 2: {
              obj.hops = reader.uint32()
              break
            }
            case 3: {
              if (opts.limits?.path != null && obj.path.length === opts.limits.path) {
                throw new MaxLengthError('Decode error - repeated field "path" had too many elements')
              }

              obj.path.push(reader.bytes())
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          path: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield * PeerInfo.codec().stream(reader, reader.uint32(), `${prefix}.owner`, {
                limits: opts.limits?.owner
              })

              break
            }
            case 2: {
              yield {
                field: `${prefix}.hops`,
                value: reader.uint32()
              }
              break
            }
            case 3: {
              if (opts.limits?.path != null && obj.path === opts.limits.path) {
                throw new MaxLengthError('Streaming decode error - repeated field "path" had too many elements')
              }

              yield {
                field: `${prefix}.path[]`,
                index: obj.path,
                value: reader.bytes()
              }

              obj.path++

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface LookupResultOwnerPeerIdFieldEvent {
    field: '$.owner.peerId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface LookupResultOwnerRingIdFieldEvent {
    field: '$.owner.ringId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface LookupResultOwnerAddrsFieldEvent {
    field: '$.owner.addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface LookupResultHopsFieldEvent {
    field: '$.hops'
    value: number
  }

  export interface LookupResultPathFieldEvent {
    field: '$.path[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<LookupResult>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, LookupResult.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<LookupResult>): LookupResult {
    return decodeMessage(buf, LookupResult.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<LookupResult>): Generator<LookupResultOwnerPeerIdFieldEvent | LookupResultOwnerRingIdFieldEvent | LookupResultOwnerAddrsFieldEvent | LookupResultHopsFieldEvent | LookupResultPathFieldEvent> {
    return streamMessage(buf, LookupResult.codec(), opts)
  }
}

export interface NextHop {
  target: Uint8Array<ArrayBuffer>
  fingersOnly: boolean
  maintenance: boolean
  avoid: Uint8Array<ArrayBuffer>[]
}

export namespace NextHop {
  let _codec: Codec<NextHop>

  export const codec = (): Codec<NextHop> => {
    if (_codec == null) {
      _codec = message<NextHop>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.target != null && obj.target.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.target)
        }

        if ((obj.fingersOnly != null && obj.fingersOnly !== false)) {
          w.uint32(16)
          w.bool(obj.fingersOnly)
        }

        if ((obj.maintenance != null && obj.maintenance !== false)) {
          w.uint32(24)
          w.bool(obj.maintenance)
        }

        if (obj.avoid != null && obj.avoid.length > 0) {
          for (const value of obj.avoid) {
            w.uint32(34)
            w.bytes(value)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          target: uint8ArrayAlloc(0),
          fingersOnly: false,
          maintenance: false,
          avoid: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.target = reader.bytes()
              break
            }
            case 2: {
              obj.fingersOnly = reader.bool()
              break
            }
            case 3: {
              obj.maintenance = reader.bool()
              break
            }
            case 4: {
              if (opts.limits?.avoid != null && obj.avoid.length === opts.limits.avoid) {
                throw new MaxLengthError('Decode error - repeated field "avoid" had too many elements')
              }

              obj.avoid.push(reader.bytes())
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          avoid: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.target`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.fingersOnly`,
                value: reader.bool()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.maintenance`,
                value: reader.bool()
              }
              break
            }
            case 4: {
              if (opts.limits?.avoid != null && obj.avoid === opts.limits.avoid) {
                throw new MaxLengthError('Streaming decode error - repeated field "avoid" had too many elements')
              }

              yield {
                field: `${prefix}.avoid[]`,
                index: obj.avoid,
                value: reader.bytes()
              }

              obj.avoid++

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface NextHopTargetFieldEvent {
    field: '$.target'
    value: Uint8Array<ArrayBuffer>
  }

  export interface NextHopFingersOnlyFieldEvent {
    field: '$.fingersOnly'
    value: boolean
  }

  export interface NextHopMaintenanceFieldEvent {
    field: '$.maintenance'
    value: boolean
  }

  export interface NextHopAvoidFieldEvent {
    field: '$.avoid[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<NextHop>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, NextHop.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<NextHop>): NextHop {
    return decodeMessage(buf, NextHop.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<NextHop>): Generator<NextHopTargetFieldEvent | NextHopFingersOnlyFieldEvent | NextHopMaintenanceFieldEvent | NextHopAvoidFieldEvent> {
    return streamMessage(buf, NextHop.codec(), opts)
  }
}

export interface NextHopResult {
  owner?: PeerInfo
  candidates: PeerInfo[]
}

export namespace NextHopResult {
  let _codec: Codec<NextHopResult>

  export const codec = (): Codec<NextHopResult> => {
    if (_codec == null) {
      _codec = message<NextHopResult>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.owner != null) {
          w.uint32(10)
          PeerInfo.codec().encode(obj.owner, w)
        }

        if (obj.candidates != null && obj.candidates.length > 0) {
          for (const value of obj.candidates) {
            w.uint32(18)
            PeerInfo.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          candidates: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.owner = PeerInfo.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.owner
              })
              break
            }
            case 2: {
              if (opts.limits?.candidates != null && obj.candidates.length === opts.limits.candidates) {
                throw new MaxLengthError('Decode error - repeated field "candidates" had too many elements')
              }

              obj.candidates.push(PeerInfo.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.candidates$
              }))
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          candidates: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield * PeerInfo.codec().stream(reader, reader.uint32(), `${prefix}.owner`, {
                limits: opts.limits?.owner
              })

              break
            }
            case 2: {
              if (opts.limits?.candidates != null && obj.candidates === opts.limits.candidates) {
                throw new MaxLengthError('Streaming decode error - repeated field "candidates" had too many elements')
              }

              for (const evt of PeerInfo.codec().stream(reader, reader.uint32(), `${prefix}.candidates[]`, {
                limits: opts.limits?.candidates$
              })) {
                yield {
                  ...evt,
                  index: obj.candidates
                }
              }

              obj.candidates++

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface NextHopResultOwnerPeerIdFieldEvent {
    field: '$.owner.peerId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface NextHopResultOwnerRingIdFieldEvent {
    field: '$.owner.ringId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface NextHopResultOwnerAddrsFieldEvent {
    field: '$.owner.addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface NextHopResultCandidatesPeerIdFieldEvent {
    field: '$.candidates[].peerId'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface NextHopResultCandidatesRingIdFieldEvent {
    field: '$.candidates[].ringId'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface NextHopResultCandidatesAddrsFieldEvent {
    field: '$.candidates[].addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<NextHopResult>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, NextHopResult.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<NextHopResult>): NextHopResult {
    return decodeMessage(buf, NextHopResult.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<NextHopResult>): Generator<NextHopResultOwnerPeerIdFieldEvent | NextHopResultOwnerRingIdFieldEvent | NextHopResultOwnerAddrsFieldEvent | NextHopResultCandidatesPeerIdFieldEvent | NextHopResultCandidatesRingIdFieldEvent | NextHopResultCandidatesAddrsFieldEvent> {
    return streamMessage(buf, NextHopResult.codec(), opts)
  }
}

export interface Key {
  key: Uint8Array<ArrayBuffer>
  standIn?: number
  ts?: bigint
  writer?: Uint8Array<ArrayBuffer>
}

export namespace Key {
  let _codec: Codec<Key>

  export const codec = (): Codec<Key> => {
    if (_codec == null) {
      _codec = message<Key>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.key != null && obj.key.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.key)
        }

        if (obj.standIn != null) {
          w.uint32(16)
          w.uint32(obj.standIn)
        }

        if (obj.ts != null) {
          w.uint32(24)
          w.uint64(obj.ts)
        }

        if (obj.writer != null) {
          w.uint32(34)
          w.bytes(obj.writer)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          key: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.key = reader.bytes()
              break
            }
            case 2: {
              obj.standIn = reader.uint32()
              break
            }
            case 3: {
              obj.ts = reader.uint64()
              break
            }
            case 4: {
              obj.writer = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.key`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.standIn`,
                value: reader.uint32()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.ts`,
                value: reader.uint64()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.writer`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface KeyKeyFieldEvent {
    field: '$.key'
    value: Uint8Array<ArrayBuffer>
  }

  export interface KeyStandInFieldEvent {
    field: '$.standIn'
    value: number
  }

  export interface KeyTsFieldEvent {
    field: '$.ts'
    value: bigint
  }

  export interface KeyWriterFieldEvent {
    field: '$.writer'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<Key>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Key.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Key>): Key {
    return decodeMessage(buf, Key.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Key>): Generator<KeyKeyFieldEvent | KeyStandInFieldEvent | KeyTsFieldEvent | KeyWriterFieldEvent> {
    return streamMessage(buf, Key.codec(), opts)
  }
}

export interface KeyValue {
  key: Uint8Array<ArrayBuffer>
  value: Uint8Array<ArrayBuffer>
  standIn?: number
  ts: bigint
  writer: Uint8Array<ArrayBuffer>
}

export namespace KeyValue {
  let _codec: Codec<KeyValue>

  export const codec = (): Codec<KeyValue> => {
    if (_codec == null) {
      _codec = message<KeyValue>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.key != null && obj.key.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.key)
        }

        if ((obj.value != null && obj.value.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.value)
        }

        if (obj.standIn != null) {
          w.uint32(24)
          w.uint32(obj.standIn)
        }

        if ((obj.ts != null && obj.ts !== 0n)) {
          w.uint32(32)
          w.uint64(obj.ts)
        }

        if ((obj.writer != null && obj.writer.byteLength > 0)) {
          w.uint32(42)
          w.bytes(obj.writer)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          key: uint8ArrayAlloc(0),
          value: uint8ArrayAlloc(0),
          ts: 0n,
          writer: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.key = reader.bytes()
              break
            }
            case 2: {
              obj.value = reader.bytes()
              break
            }
            case 3: {
              obj.standIn = reader.uint32()
              break
            }
            case 4: {
              obj.ts = reader.uint64()
              break
            }
            case 5: {
              obj.writer = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.key`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.value`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.standIn`,
                value: reader.uint32()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.ts`,
                value: reader.uint64()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.writer`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface KeyValueKeyFieldEvent {
    field: '$.key'
    value: Uint8Array<ArrayBuffer>
  }

  export interface KeyValueValueFieldEvent {
    field: '$.value'
    value: Uint8Array<ArrayBuffer>
  }

  export interface KeyValueStandInFieldEvent {
    field: '$.standIn'
    value: number
  }

  export interface KeyValueTsFieldEvent {
    field: '$.ts'
    value: bigint
  }

  export interface KeyValueWriterFieldEvent {
    field: '$.writer'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<KeyValue>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, KeyValue.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<KeyValue>): KeyValue {
    return decodeMessage(buf, KeyValue.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<KeyValue>): Generator<KeyValueKeyFieldEvent | KeyValueValueFieldEvent | KeyValueStandInFieldEvent | KeyValueTsFieldEvent | KeyValueWriterFieldEvent> {
    return streamMessage(buf, KeyValue.codec(), opts)
  }
}

export interface Value {
  found: boolean
  value: Uint8Array<ArrayBuffer>
  ts: bigint
  writer: Uint8Array<ArrayBuffer>
  replicas: number
}

export namespace Value {
  let _codec: Codec<Value>

  export const codec = (): Codec<Value> => {
    if (_codec == null) {
      _codec = message<Value>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.found != null && obj.found !== false)) {
          w.uint32(8)
          w.bool(obj.found)
        }

        if ((obj.value != null && obj.value.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.value)
        }

        if ((obj.ts != null && obj.ts !== 0n)) {
          w.uint32(24)
          w.uint64(obj.ts)
        }

        if ((obj.writer != null && obj.writer.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.writer)
        }

        if ((obj.replicas != null && obj.replicas !== 0)) {
          w.uint32(40)
          w.uint32(obj.replicas)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          found: false,
          value: uint8ArrayAlloc(0),
          ts: 0n,
          writer: uint8ArrayAlloc(0),
          replicas: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.found = reader.bool()
              break
            }
            case 2: {
              obj.value = reader.bytes()
              break
            }
            case 3: {
              obj.ts = reader.uint64()
              break
            }
            case 4: {
              obj.writer = reader.bytes()
              break
            }
            case 5: {
              obj.replicas = reader.uint32()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.found`,
                value: reader.bool()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.value`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.ts`,
                value: reader.uint64()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.writer`,
                value: reader.bytes()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.replicas`,
                value: reader.uint32()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface ValueFoundFieldEvent {
    field: '$.found'
    value: boolean
  }

  export interface ValueValueFieldEvent {
    field: '$.value'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ValueTsFieldEvent {
    field: '$.ts'
    value: bigint
  }

  export interface ValueWriterFieldEvent {
    field: '$.writer'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ValueReplicasFieldEvent {
    field: '$.replicas'
    value: number
  }

  export function encode (obj: Partial<Value>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Value.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Value>): Value {
    return decodeMessage(buf, Value.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Value>): Generator<ValueFoundFieldEvent | ValueValueFieldEvent | ValueTsFieldEvent | ValueWriterFieldEvent | ValueReplicasFieldEvent> {
    return streamMessage(buf, Value.codec(), opts)
  }
}

export interface Record {
  key: Uint8Array<ArrayBuffer>
  value: Uint8Array<ArrayBuffer>
  ts: bigint
  writer: Uint8Array<ArrayBuffer>
  deleted: boolean
}

export namespace Record {
  let _codec: Codec<Record>

  export const codec = (): Codec<Record> => {
    if (_codec == null) {
      _codec = message<Record>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.key != null && obj.key.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.key)
        }

        if ((obj.value != null && obj.value.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.value)
        }

        if ((obj.ts != null && obj.ts !== 0n)) {
          w.uint32(24)
          w.uint64(obj.ts)
        }

        if ((obj.writer != null && obj.writer.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.writer)
        }

        if ((obj.deleted != null && obj.deleted !== false)) {
          w.uint32(40)
          w.bool(obj.deleted)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          key: uint8ArrayAlloc(0),
          value: uint8ArrayAlloc(0),
          ts: 0n,
          writer: uint8ArrayAlloc(0),
          deleted: false
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.key = reader.bytes()
              break
            }
            case 2: {
              obj.value = reader.bytes()
              break
            }
            case 3: {
              obj.ts = reader.uint64()
              break
            }
            case 4: {
              obj.writer = reader.bytes()
              break
            }
            case 5: {
              obj.deleted = reader.bool()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.key`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.value`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.ts`,
                value: reader.uint64()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.writer`,
                value: reader.bytes()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.deleted`,
                value: reader.bool()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface RecordKeyFieldEvent {
    field: '$.key'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RecordValueFieldEvent {
    field: '$.value'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RecordTsFieldEvent {
    field: '$.ts'
    value: bigint
  }

  export interface RecordWriterFieldEvent {
    field: '$.writer'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RecordDeletedFieldEvent {
    field: '$.deleted'
    value: boolean
  }

  export function encode (obj: Partial<Record>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Record.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Record>): Record {
    return decodeMessage(buf, Record.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Record>): Generator<RecordKeyFieldEvent | RecordValueFieldEvent | RecordTsFieldEvent | RecordWriterFieldEvent | RecordDeletedFieldEvent> {
    return streamMessage(buf, Record.codec(), opts)
  }
}

export interface Records {
  records: Record[]
}

export namespace Records {
  let _codec: Codec<Records>

  export const codec = (): Codec<Records> => {
    if (_codec == null) {
      _codec = message<Records>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.records != null && obj.records.length > 0) {
          for (const value of obj.records) {
            w.uint32(10)
            Record.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          records: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.records != null && obj.records.length === opts.limits.records) {
                throw new MaxLengthError('Decode error - repeated field "records" had too many elements')
              }

              obj.records.push(Record.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.records$
              }))
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          records: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.records != null && obj.records === opts.limits.records) {
                throw new MaxLengthError('Streaming decode error - repeated field "records" had too many elements')
              }

              for (const evt of Record.codec().stream(reader, reader.uint32(), `${prefix}.records[]`, {
                limits: opts.limits?.records$
              })) {
                yield {
                  ...evt,
                  index: obj.records
                }
              }

              obj.records++

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface RecordsRecordsKeyFieldEvent {
    field: '$.records[].key'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface RecordsRecordsValueFieldEvent {
    field: '$.records[].value'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface RecordsRecordsTsFieldEvent {
    field: '$.records[].ts'
    value: bigint
    index: number
  }

  export interface RecordsRecordsWriterFieldEvent {
    field: '$.records[].writer'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface RecordsRecordsDeletedFieldEvent {
    field: '$.records[].deleted'
    value: boolean
    index: number
  }

  export function encode (obj: Partial<Records>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Records.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Records>): Records {
    return decodeMessage(buf, Records.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Records>): Generator<RecordsRecordsKeyFieldEvent | RecordsRecordsValueFieldEvent | RecordsRecordsTsFieldEvent | RecordsRecordsWriterFieldEvent | RecordsRecordsDeletedFieldEvent> {
    return streamMessage(buf, Records.codec(), opts)
  }
}

export interface ApplyResult {
  applied: number
  held: number
  superseded: RecordMeta[]
  refused: number
}

export namespace ApplyResult {
  let _codec: Codec<ApplyResult>

  export const codec = (): Codec<ApplyResult> => {
    if (_codec == null) {
      _codec = message<ApplyResult>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.applied != null && obj.applied !== 0)) {
          w.uint32(8)
          w.uint32(obj.applied)
        }

        if ((obj.held != null && obj.held !== 0)) {
          w.uint32(16)
          w.uint32(obj.held)
        }

        if (obj.superseded != null && obj.superseded.length > 0) {
          for (const value of obj.superseded) {
            w.uint32(26)
            RecordMeta.codec().encode(value, w)
          }
        }

        if ((obj.refused != null && obj.refused !== 0)) {
          w.uint32(32)
          w.uint32(obj.refused)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          applied: 0,
          held: 0,
          superseded: [],
          refused: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.applied = reader.uint32()
              break
            }
            case 2: {
              obj.held = reader.uint32()
              break
            }
            case 3: {
              if (opts.limits?.superseded != null && obj.superseded.length === opts.limits.superseded) {
                throw new MaxLengthError('Decode error - repeated field "superseded" had too many elements')
              }

              obj.superseded.push(RecordMeta.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.superseded$
              }))
              break
            }
            case 4: {
              obj.refused = reader.uint32()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          superseded: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.applied`,
                value: reader.uint32()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.held`,
                value: reader.uint32()
              }
              break
            }
            case 3: {
              if (opts.limits?.superseded != null && obj.superseded === opts.limits.superseded) {
                throw new MaxLengthError('Streaming decode error - repeated field "superseded" had too many elements')
              }

              for (const evt of RecordMeta.codec().stream(reader, reader.uint32(), `${prefix}.superseded[]`, {
                limits: opts.limits?.superseded$
              })) {
                yield {
                  ...evt,
                  index: obj.superseded
                }
              }

              obj.superseded++

              break
            }
            case 4: {
              yield {
                field: `${prefix}.refused`,
                value: reader.uint32()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface ApplyResultAppliedFieldEvent {
    field: '$.applied'
    value: number
  }

  export interface ApplyResultHeldFieldEvent {
    field: '$.held'
    value: number
  }

  export interface ApplyResultSupersededKeyFieldEvent {
    field: '$.superseded[].key'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface ApplyResultSupersededTsFieldEvent {
    field: '$.superseded[].ts'
    value: bigint
    index: number
  }

  export interface ApplyResultSupersededWriterFieldEvent {
    field: '$.superseded[].writer'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface ApplyResultSupersededDeletedFieldEvent {
    field: '$.superseded[].deleted'
    value: boolean
    index: number
  }

  export interface ApplyResultRefusedFieldEvent {
    field: '$.refused'
    value: number
  }

  export function encode (obj: Partial<ApplyResult>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ApplyResult.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ApplyResult>): ApplyResult {
    return decodeMessage(buf, ApplyResult.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ApplyResult>): Generator<ApplyResultAppliedFieldEvent | ApplyResultHeldFieldEvent | ApplyResultSupersededKeyFieldEvent | ApplyResultSupersededTsFieldEvent | ApplyResultSupersededWriterFieldEvent | ApplyResultSupersededDeletedFieldEvent | ApplyResultRefusedFieldEvent> {
    return streamMessage(buf, ApplyResult.codec(), opts)
  }
}

export interface MaybeRecord {
  record?: Record
}

export namespace MaybeRecord {
  let _codec: Codec<MaybeRecord>

  export const codec = (): Codec<MaybeRecord> => {
    if (_codec == null) {
      _codec = message<MaybeRecord>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.record != null) {
          w.uint32(10)
          Record.codec().encode(obj.record, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {}

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.record = Record.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.record
              })
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield * Record.codec().stream(reader, reader.uint32(), `${prefix}.record`, {
                limits: opts.limits?.record
              })

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface MaybeRecordRecordKeyFieldEvent {
    field: '$.record.key'
    value: Uint8Array<ArrayBuffer>
  }

  export interface MaybeRecordRecordValueFieldEvent {
    field: '$.record.value'
    value: Uint8Array<ArrayBuffer>
  }

  export interface MaybeRecordRecordTsFieldEvent {
    field: '$.record.ts'
    value: bigint
  }

  export interface MaybeRecordRecordWriterFieldEvent {
    field: '$.record.writer'
    value: Uint8Array<ArrayBuffer>
  }

  export interface MaybeRecordRecordDeletedFieldEvent {
    field: '$.record.deleted'
    value: boolean
  }

  export function encode (obj: Partial<MaybeRecord>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, MaybeRecord.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MaybeRecord>): MaybeRecord {
    return decodeMessage(buf, MaybeRecord.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MaybeRecord>): Generator<MaybeRecordRecordKeyFieldEvent | MaybeRecordRecordValueFieldEvent | MaybeRecordRecordTsFieldEvent | MaybeRecordRecordWriterFieldEvent | MaybeRecordRecordDeletedFieldEvent> {
    return streamMessage(buf, MaybeRecord.codec(), opts)
  }
}

export interface StoreResult {
  replicas: number
  ts: bigint
  writer: Uint8Array<ArrayBuffer>
  found: boolean
  superseded: boolean
}

export namespace StoreResult {
  let _codec: Codec<StoreResult>

  export const codec = (): Codec<StoreResult> => {
    if (_codec == null) {
      _codec = message<StoreResult>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.replicas != null && obj.replicas !== 0)) {
          w.uint32(8)
          w.uint32(obj.replicas)
        }

        if ((obj.ts != null && obj.ts !== 0n)) {
          w.uint32(16)
          w.uint64(obj.ts)
        }

        if ((obj.writer != null && obj.writer.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.writer)
        }

        if ((obj.found != null && obj.found !== false)) {
          w.uint32(32)
          w.bool(obj.found)
        }

        if ((obj.superseded != null && obj.superseded !== false)) {
          w.uint32(40)
          w.bool(obj.superseded)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          replicas: 0,
          ts: 0n,
          writer: uint8ArrayAlloc(0),
          found: false,
          superseded: false
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.replicas = reader.uint32()
              break
            }
            case 2: {
              obj.ts = reader.uint64()
              break
            }
            case 3: {
              obj.writer = reader.bytes()
              break
            }
            case 4: {
              obj.found = reader.bool()
              break
            }
            case 5: {
              obj.superseded = reader.bool()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.replicas`,
                value: reader.uint32()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.ts`,
                value: reader.uint64()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.writer`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.found`,
                value: reader.bool()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.superseded`,
                value: reader.bool()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface StoreResultReplicasFieldEvent {
    field: '$.replicas'
    value: number
  }

  export interface StoreResultTsFieldEvent {
    field: '$.ts'
    value: bigint
  }

  export interface StoreResultWriterFieldEvent {
    field: '$.writer'
    value: Uint8Array<ArrayBuffer>
  }

  export interface StoreResultFoundFieldEvent {
    field: '$.found'
    value: boolean
  }

  export interface StoreResultSupersededFieldEvent {
    field: '$.superseded'
    value: boolean
  }

  export function encode (obj: Partial<StoreResult>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, StoreResult.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<StoreResult>): StoreResult {
    return decodeMessage(buf, StoreResult.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<StoreResult>): Generator<StoreResultReplicasFieldEvent | StoreResultTsFieldEvent | StoreResultWriterFieldEvent | StoreResultFoundFieldEvent | StoreResultSupersededFieldEvent> {
    return streamMessage(buf, StoreResult.codec(), opts)
  }
}

export interface BucketDigest {
  bucket: number
  digest: bigint
}

export namespace BucketDigest {
  let _codec: Codec<BucketDigest>

  export const codec = (): Codec<BucketDigest> => {
    if (_codec == null) {
      _codec = message<BucketDigest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.bucket != null && obj.bucket !== 0)) {
          w.uint32(8)
          w.uint32(obj.bucket)
        }

        if ((obj.digest != null && obj.digest !== 0n)) {
          w.uint32(16)
          w.uint64(obj.digest)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          bucket: 0,
          digest: 0n
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.bucket = reader.uint32()
              break
            }
            case 2: {
              obj.digest = reader.uint64()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.bucket`,
                value: reader.uint32()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.digest`,
                value: reader.uint64()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface BucketDigestBucketFieldEvent {
    field: '$.bucket'
    value: number
  }

  export interface BucketDigestDigestFieldEvent {
    field: '$.digest'
    value: bigint
  }

  export function encode (obj: Partial<BucketDigest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, BucketDigest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<BucketDigest>): BucketDigest {
    return decodeMessage(buf, BucketDigest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<BucketDigest>): Generator<BucketDigestBucketFieldEvent | BucketDigestDigestFieldEvent> {
    return streamMessage(buf, BucketDigest.codec(), opts)
  }
}

export interface RangeDigests {
  from: Uint8Array<ArrayBuffer>
  to: Uint8Array<ArrayBuffer>
  digests: BucketDigest[]
  resumeAfter?: Uint8Array<ArrayBuffer>
}

export namespace RangeDigests {
  let _codec: Codec<RangeDigests>

  export const codec = (): Codec<RangeDigests> => {
    if (_codec == null) {
      _codec = message<RangeDigests>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.from != null && obj.from.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.from)
        }

        if ((obj.to != null && obj.to.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.to)
        }

        if (obj.digests != null && obj.digests.length > 0) {
          for (const value of obj.digests) {
            w.uint32(26)
            BucketDigest.codec().encode(value, w)
          }
        }

        if (obj.resumeAfter != null) {
          w.uint32(34)
          w.bytes(obj.resumeAfter)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          from: uint8ArrayAlloc(0),
          to: uint8ArrayAlloc(0),
          digests: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.from = reader.bytes()
              break
            }
            case 2: {
              obj.to = reader.bytes()
              break
            }
            case 3: {
              if (opts.limits?.digests != null && obj.digests.length === opts.limits.digests) {
                throw new MaxLengthError('Decode error - repeated field "digests" had too many elements')
              }

              obj.digests.push(BucketDigest.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.digests$
              }))
              break
            }
            case 4: {
              obj.resumeAfter = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          digests: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.from`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.to`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              if (opts.limits?.digests != null && obj.digests === opts.limits.digests) {
                throw new MaxLengthError('Streaming decode error - repeated field "digests" had too many elements')
              }

              for (const evt of BucketDigest.codec().stream(reader, reader.uint32(), `${prefix}.digests[]`, {
                limits: opts.limits?.digests$
              })) {
                yield {
                  ...evt,
                  index: obj.digests
                }
              }

              obj.digests++

              break
            }
            case 4: {
              yield {
                field: `${prefix}.resumeAfter`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface RangeDigestsFromFieldEvent {
    field: '$.from'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RangeDigestsToFieldEvent {
    field: '$.to'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RangeDigestsDigestsBucketFieldEvent {
    field: '$.digests[].bucket'
    value: number
    index: number
  }

  export interface RangeDigestsDigestsDigestFieldEvent {
    field: '$.digests[].digest'
    value: bigint
    index: number
  }

  export interface RangeDigestsResumeAfterFieldEvent {
    field: '$.resumeAfter'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<RangeDigests>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, RangeDigests.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RangeDigests>): RangeDigests {
    return decodeMessage(buf, RangeDigests.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RangeDigests>): Generator<RangeDigestsFromFieldEvent | RangeDigestsToFieldEvent | RangeDigestsDigestsBucketFieldEvent | RangeDigestsDigestsDigestFieldEvent | RangeDigestsResumeAfterFieldEvent> {
    return streamMessage(buf, RangeDigests.codec(), opts)
  }
}

export interface RecordMeta {
  key: Uint8Array<ArrayBuffer>
  ts: bigint
  writer: Uint8Array<ArrayBuffer>
  deleted: boolean
}

export namespace RecordMeta {
  let _codec: Codec<RecordMeta>

  export const codec = (): Codec<RecordMeta> => {
    if (_codec == null) {
      _codec = message<RecordMeta>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.key != null && obj.key.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.key)
        }

        if ((obj.ts != null && obj.ts !== 0n)) {
          w.uint32(16)
          w.uint64(obj.ts)
        }

        if ((obj.writer != null && obj.writer.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.writer)
        }

        if ((obj.deleted != null && obj.deleted !== false)) {
          w.uint32(32)
          w.bool(obj.deleted)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          key: uint8ArrayAlloc(0),
          ts: 0n,
          writer: uint8ArrayAlloc(0),
          deleted: false
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.key = reader.bytes()
              break
            }
            case 2: {
              obj.ts = reader.uint64()
              break
            }
            case 3: {
              obj.writer = reader.bytes()
              break
            }
            case 4: {
              obj.deleted = reader.bool()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.key`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.ts`,
                value: reader.uint64()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.writer`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.deleted`,
                value: reader.bool()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface RecordMetaKeyFieldEvent {
    field: '$.key'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RecordMetaTsFieldEvent {
    field: '$.ts'
    value: bigint
  }

  export interface RecordMetaWriterFieldEvent {
    field: '$.writer'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RecordMetaDeletedFieldEvent {
    field: '$.deleted'
    value: boolean
  }

  export function encode (obj: Partial<RecordMeta>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, RecordMeta.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RecordMeta>): RecordMeta {
    return decodeMessage(buf, RecordMeta.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RecordMeta>): Generator<RecordMetaKeyFieldEvent | RecordMetaTsFieldEvent | RecordMetaWriterFieldEvent | RecordMetaDeletedFieldEvent> {
    return streamMessage(buf, RecordMeta.codec(), opts)
  }
}

export interface SyncMeta {
  buckets: number[]
  metas: RecordMeta[]
  truncated: boolean
  last?: Uint8Array<ArrayBuffer>
}

export namespace SyncMeta {
  let _codec: Codec<SyncMeta>

  export const codec = (): Codec<SyncMeta> => {
    if (_codec == null) {
      _codec = message<SyncMeta>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.buckets != null && obj.buckets.length > 0) {
          for (const value of obj.buckets) {
            w.uint32(8)
            w.uint32(value)
          }
        }

        if (obj.metas != null && obj.metas.length > 0) {
          for (const value of obj.metas) {
            w.uint32(18)
            RecordMeta.codec().encode(value, w)
          }
        }

        if ((obj.truncated != null && obj.truncated !== false)) {
          w.uint32(24)
          w.bool(obj.truncated)
        }

        if (obj.last != null) {
          w.uint32(34)
          w.bytes(obj.last)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          buckets: [],
          metas: [],
          truncated: false
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.buckets != null && obj.buckets.length === opts.limits.buckets) {
                throw new MaxLengthError('Decode error - repeated field "buckets" had too many elements')
              }

              obj.buckets.push(reader.uint32())
              break
            }
            case 2: {
              if (opts.limits?.metas != null && obj.metas.length === opts.limits.metas) {
                throw new MaxLengthError('Decode error - repeated field "metas" had too many elements')
              }

              obj.metas.push(RecordMeta.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.metas$
              }))
              break
            }
            case 3: {
              obj.truncated = reader.bool()
              break
            }
            case 4: {
              obj.last = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          buckets: 0,
          metas: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.buckets != null && obj.buckets === opts.limits.buckets) {
                throw new MaxLengthError('Streaming decode error - repeated field "buckets" had too many elements')
              }

              yield {
                field: `${prefix}.buckets[]`,
                index: obj.buckets,
                value: reader.uint32()
              }

              obj.buckets++

              break
            }
            case 2: {
              if (opts.limits?.metas != null && obj.metas === opts.limits.metas) {
                throw new MaxLengthError('Streaming decode error - repeated field "metas" had too many elements')
              }

              for (const evt of RecordMeta.codec().stream(reader, reader.uint32(), `${prefix}.metas[]`, {
                limits: opts.limits?.metas$
              })) {
                yield {
                  ...evt,
                  index: obj.metas
                }
              }

              obj.metas++

              break
            }
            case 3: {
              yield {
                field: `${prefix}.truncated`,
                value: reader.bool()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.last`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface SyncMetaBucketsFieldEvent {
    field: '$.buckets[]'
    index: number
    value: number
  }

  export interface SyncMetaMetasKeyFieldEvent {
    field: '$.metas[].key'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface SyncMetaMetasTsFieldEvent {
    field: '$.metas[].ts'
    value: bigint
    index: number
  }

  export interface SyncMetaMetasWriterFieldEvent {
    field: '$.metas[].writer'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface SyncMetaMetasDeletedFieldEvent {
    field: '$.metas[].deleted'
    value: boolean
    index: number
  }

  export interface SyncMetaTruncatedFieldEvent {
    field: '$.truncated'
    value: boolean
  }

  export interface SyncMetaLastFieldEvent {
    field: '$.last'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<SyncMeta>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, SyncMeta.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SyncMeta>): SyncMeta {
    return decodeMessage(buf, SyncMeta.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SyncMeta>): Generator<SyncMetaBucketsFieldEvent | SyncMetaMetasKeyFieldEvent | SyncMetaMetasTsFieldEvent | SyncMetaMetasWriterFieldEvent | SyncMetaMetasDeletedFieldEvent | SyncMetaTruncatedFieldEvent | SyncMetaLastFieldEvent> {
    return streamMessage(buf, SyncMeta.codec(), opts)
  }
}

export interface Keys {
  keys: Uint8Array<ArrayBuffer>[]
}

export namespace Keys {
  let _codec: Codec<Keys>

  export const codec = (): Codec<Keys> => {
    if (_codec == null) {
      _codec = message<Keys>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.keys != null && obj.keys.length > 0) {
          for (const value of obj.keys) {
            w.uint32(10)
            w.bytes(value)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          keys: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.keys != null && obj.keys.length === opts.limits.keys) {
                throw new MaxLengthError('Decode error - repeated field "keys" had too many elements')
              }

              obj.keys.push(reader.bytes())
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          keys: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.keys != null && obj.keys === opts.limits.keys) {
                throw new MaxLengthError('Streaming decode error - repeated field "keys" had too many elements')
              }

              yield {
                field: `${prefix}.keys[]`,
                index: obj.keys,
                value: reader.bytes()
              }

              obj.keys++

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface KeysKeysFieldEvent {
    field: '$.keys[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<Keys>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Keys.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Keys>): Keys {
    return decodeMessage(buf, Keys.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Keys>): Generator<KeysKeysFieldEvent> {
    return streamMessage(buf, Keys.codec(), opts)
  }
}

export interface Stats {
  json: string
}

export namespace Stats {
  let _codec: Codec<Stats>

  export const codec = (): Codec<Stats> => {
    if (_codec == null) {
      _codec = message<Stats>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.json != null && obj.json !== '')) {
          w.uint32(10)
          w.string(obj.json)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          json: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.json = reader.string()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.json`,
                value: reader.string()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface StatsJsonFieldEvent {
    field: '$.json'
    value: string
  }

  export function encode (obj: Partial<Stats>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Stats.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Stats>): Stats {
    return decodeMessage(buf, Stats.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Stats>): Generator<StatsJsonFieldEvent> {
    return streamMessage(buf, Stats.codec(), opts)
  }
}

export interface FingerRun {
  start: number
  peer?: PeerInfo
}

export namespace FingerRun {
  let _codec: Codec<FingerRun>

  export const codec = (): Codec<FingerRun> => {
    if (_codec == null) {
      _codec = message<FingerRun>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.start != null && obj.start !== 0)) {
          w.uint32(8)
          w.uint32(obj.start)
        }

        if (obj.peer != null) {
          w.uint32(18)
          PeerInfo.codec().encode(obj.peer, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          start: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.start = reader.uint32()
              break
            }
            case 2: {
              obj.peer = PeerInfo.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.peer
              })
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.start`,
                value: reader.uint32()
              }
              break
            }
            case 2: {
              yield * PeerInfo.codec().stream(reader, reader.uint32(), `${prefix}.peer`, {
                limits: opts.limits?.peer
              })

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface FingerRunStartFieldEvent {
    field: '$.start'
    value: number
  }

  export interface FingerRunPeerPeerIdFieldEvent {
    field: '$.peer.peerId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface FingerRunPeerRingIdFieldEvent {
    field: '$.peer.ringId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface FingerRunPeerAddrsFieldEvent {
    field: '$.peer.addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<FingerRun>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, FingerRun.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FingerRun>): FingerRun {
    return decodeMessage(buf, FingerRun.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FingerRun>): Generator<FingerRunStartFieldEvent | FingerRunPeerPeerIdFieldEvent | FingerRunPeerRingIdFieldEvent | FingerRunPeerAddrsFieldEvent> {
    return streamMessage(buf, FingerRun.codec(), opts)
  }
}

export interface PeerState {
  self?: PeerInfo
  predecessor?: PeerInfo
  successors: PeerInfo[]
  fingers: FingerRun[]
  keys: bigint
  storeBytes: bigint
  ready: boolean
  http: string
}

export namespace PeerState {
  let _codec: Codec<PeerState>

  export const codec = (): Codec<PeerState> => {
    if (_codec == null) {
      _codec = message<PeerState>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.self != null) {
          w.uint32(10)
          PeerInfo.codec().encode(obj.self, w)
        }

        if (obj.predecessor != null) {
          w.uint32(18)
          PeerInfo.codec().encode(obj.predecessor, w)
        }

        if (obj.successors != null && obj.successors.length > 0) {
          for (const value of obj.successors) {
            w.uint32(26)
            PeerInfo.codec().encode(value, w)
          }
        }

        if (obj.fingers != null && obj.fingers.length > 0) {
          for (const value of obj.fingers) {
            w.uint32(34)
            FingerRun.codec().encode(value, w)
          }
        }

        if ((obj.keys != null && obj.keys !== 0n)) {
          w.uint32(40)
          w.uint64(obj.keys)
        }

        if ((obj.storeBytes != null && obj.storeBytes !== 0n)) {
          w.uint32(48)
          w.uint64(obj.storeBytes)
        }

        if ((obj.ready != null && obj.ready !== false)) {
          w.uint32(56)
          w.bool(obj.ready)
        }

        if ((obj.http != null && obj.http !== '')) {
          w.uint32(66)
          w.string(obj.http)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          successors: [],
          fingers: [],
          keys: 0n,
          storeBytes: 0n,
          ready: false,
          http: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.self = PeerInfo.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.self
              })
              break
            }
            case 2: {
              obj.predecessor = PeerInfo.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.predecessor
              })
              break
            }
            case 3: {
              if (opts.limits?.successors != null && obj.successors.length === opts.limits.successors) {
                throw new MaxLengthError('Decode error - repeated field "successors" had too many elements')
              }

              obj.successors.push(PeerInfo.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.successors$
              }))
              break
            }
            case 4: {
              if (opts.limits?.fingers != null && obj.fingers.length === opts.limits.fingers) {
                throw new MaxLengthError('Decode error - repeated field "fingers" had too many elements')
              }

              obj.fingers.push(FingerRun.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.fingers$
              }))
              break
            }
            case 5: {
              obj.keys = reader.uint64()
              break
            }
            case 6: {
              obj.storeBytes = reader.uint64()
              break
            }
            case 7: {
              obj.ready = reader.bool()
              break
            }
            case 8: {
              obj.http = reader.string()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          successors: 0,
          fingers: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield * PeerInfo.codec().stream(reader, reader.uint32(), `${prefix}.self`, {
                limits: opts.limits?.self
              })

              break
            }
            case 2: {
              yield * PeerInfo.codec().stream(reader, reader.uint32(), `${prefix}.predecessor`, {
                limits: opts.limits?.predecessor
              })

              break
            }
            case 3: {
              if (opts.limits?.successors != null && obj.successors === opts.limits.successors) {
                throw new MaxLengthError('Streaming decode error - repeated field "successors" had too many elements')
              }

              for (const evt of PeerInfo.codec().stream(reader, reader.uint32(), `${prefix}.successors[]`, {
                limits: opts.limits?.successors$
              })) {
                yield {
                  ...evt,
                  index: obj.successors
                }
              }

              obj.successors++

              break
            }
            case 4: {
              if (opts.limits?.fingers != null && obj.fingers === opts.limits.fingers) {
                throw new MaxLengthError('Streaming decode error - repeated field "fingers" had too many elements')
              }

              for (const evt of FingerRun.codec().stream(reader, reader.uint32(), `${prefix}.fingers[]`, {
                limits: opts.limits?.fingers$
              })) {
                yield {
                  ...evt,
                  index: obj.fingers
                }
              }

              obj.fingers++

              break
            }
            case 5: {
              yield {
                field: `${prefix}.keys`,
                value: reader.uint64()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.storeBytes`,
                value: reader.uint64()
              }
              break
            }
            case 7: {
              yield {
                field: `${prefix}.ready`,
                value: reader.bool()
              }
              break
            }
            case 8: {
              yield {
                field: `${prefix}.http`,
                value: reader.string()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface PeerStateSelfPeerIdFieldEvent {
    field: '$.self.peerId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PeerStateSelfRingIdFieldEvent {
    field: '$.self.ringId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PeerStateSelfAddrsFieldEvent {
    field: '$.self.addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface PeerStatePredecessorPeerIdFieldEvent {
    field: '$.predecessor.peerId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PeerStatePredecessorRingIdFieldEvent {
    field: '$.predecessor.ringId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PeerStatePredecessorAddrsFieldEvent {
    field: '$.predecessor.addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface PeerStateSuccessorsPeerIdFieldEvent {
    field: '$.successors[].peerId'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface PeerStateSuccessorsRingIdFieldEvent {
    field: '$.successors[].ringId'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface PeerStateSuccessorsAddrsFieldEvent {
    field: '$.successors[].addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface PeerStateFingersStartFieldEvent {
    field: '$.fingers[].start'
    value: number
    index: number
  }

  export interface PeerStateFingersPeerPeerIdFieldEvent {
    field: '$.fingers[].peer.peerId'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface PeerStateFingersPeerRingIdFieldEvent {
    field: '$.fingers[].peer.ringId'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface PeerStateFingersPeerAddrsFieldEvent {
    field: '$.fingers[].peer.addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface PeerStateKeysFieldEvent {
    field: '$.keys'
    value: bigint
  }

  export interface PeerStateStoreBytesFieldEvent {
    field: '$.storeBytes'
    value: bigint
  }

  export interface PeerStateReadyFieldEvent {
    field: '$.ready'
    value: boolean
  }

  export interface PeerStateHttpFieldEvent {
    field: '$.http'
    value: string
  }

  export function encode (obj: Partial<PeerState>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, PeerState.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PeerState>): PeerState {
    return decodeMessage(buf, PeerState.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PeerState>): Generator<PeerStateSelfPeerIdFieldEvent | PeerStateSelfRingIdFieldEvent | PeerStateSelfAddrsFieldEvent | PeerStatePredecessorPeerIdFieldEvent | PeerStatePredecessorRingIdFieldEvent | PeerStatePredecessorAddrsFieldEvent | PeerStateSuccessorsPeerIdFieldEvent | PeerStateSuccessorsRingIdFieldEvent | PeerStateSuccessorsAddrsFieldEvent | PeerStateFingersStartFieldEvent | PeerStateFingersPeerPeerIdFieldEvent | PeerStateFingersPeerRingIdFieldEvent | PeerStateFingersPeerAddrsFieldEvent | PeerStateKeysFieldEvent | PeerStateStoreBytesFieldEvent | PeerStateReadyFieldEvent | PeerStateHttpFieldEvent> {
    return streamMessage(buf, PeerState.codec(), opts)
  }
}

export interface ClientRequest {
  key: Uint8Array<ArrayBuffer>
  value: Uint8Array<ArrayBuffer>
  iterative: boolean
  target?: Uint8Array<ArrayBuffer>
  fingersOnly: boolean
}

export namespace ClientRequest {
  let _codec: Codec<ClientRequest>

  export const codec = (): Codec<ClientRequest> => {
    if (_codec == null) {
      _codec = message<ClientRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.key != null && obj.key.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.key)
        }

        if ((obj.value != null && obj.value.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.value)
        }

        if ((obj.iterative != null && obj.iterative !== false)) {
          w.uint32(24)
          w.bool(obj.iterative)
        }

        if (obj.target != null) {
          w.uint32(34)
          w.bytes(obj.target)
        }

        if ((obj.fingersOnly != null && obj.fingersOnly !== false)) {
          w.uint32(40)
          w.bool(obj.fingersOnly)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          key: uint8ArrayAlloc(0),
          value: uint8ArrayAlloc(0),
          iterative: false,
          fingersOnly: false
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.key = reader.bytes()
              break
            }
            case 2: {
              obj.value = reader.bytes()
              break
            }
            case 3: {
              obj.iterative = reader.bool()
              break
            }
            case 4: {
              obj.target = reader.bytes()
              break
            }
            case 5: {
              obj.fingersOnly = reader.bool()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.key`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.value`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.iterative`,
                value: reader.bool()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.target`,
                value: reader.bytes()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.fingersOnly`,
                value: reader.bool()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface ClientRequestKeyFieldEvent {
    field: '$.key'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ClientRequestValueFieldEvent {
    field: '$.value'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ClientRequestIterativeFieldEvent {
    field: '$.iterative'
    value: boolean
  }

  export interface ClientRequestTargetFieldEvent {
    field: '$.target'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ClientRequestFingersOnlyFieldEvent {
    field: '$.fingersOnly'
    value: boolean
  }

  export function encode (obj: Partial<ClientRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ClientRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ClientRequest>): ClientRequest {
    return decodeMessage(buf, ClientRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ClientRequest>): Generator<ClientRequestKeyFieldEvent | ClientRequestValueFieldEvent | ClientRequestIterativeFieldEvent | ClientRequestTargetFieldEvent | ClientRequestFingersOnlyFieldEvent> {
    return streamMessage(buf, ClientRequest.codec(), opts)
  }
}

export interface ClientResult {
  owner?: PeerInfo
  hops: number
  path: Uint8Array<ArrayBuffer>[]
  lookupUs: number
  found: boolean
  value: Uint8Array<ArrayBuffer>
  attempts: number
  replicas: number
  ts: bigint
  writer: Uint8Array<ArrayBuffer>
}

export namespace ClientResult {
  let _codec: Codec<ClientResult>

  export const codec = (): Codec<ClientResult> => {
    if (_codec == null) {
      _codec = message<ClientResult>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.owner != null) {
          w.uint32(10)
          PeerInfo.codec().encode(obj.owner, w)
        }

        if ((obj.hops != null && obj.hops !== 0)) {
          w.uint32(16)
          w.uint32(obj.hops)
        }

        if (obj.path != null && obj.path.length > 0) {
          for (const value of obj.path) {
            w.uint32(26)
            w.bytes(value)
          }
        }

        if ((obj.lookupUs != null && obj.lookupUs !== 0)) {
          w.uint32(32)
          w.uint32(obj.lookupUs)
        }

        if ((obj.found != null && obj.found !== false)) {
          w.uint32(40)
          w.bool(obj.found)
        }

        if ((obj.value != null && obj.value.byteLength > 0)) {
          w.uint32(50)
          w.bytes(obj.value)
        }

        if ((obj.attempts != null && obj.attempts !== 0)) {
          w.uint32(56)
          w.uint32(obj.attempts)
        }

        if ((obj.replicas != null && obj.replicas !== 0)) {
          w.uint32(64)
          w.uint32(obj.replicas)
        }

        if ((obj.ts != null && obj.ts !== 0n)) {
          w.uint32(72)
          w.uint64(obj.ts)
        }

        if ((obj.writer != null && obj.writer.byteLength > 0)) {
          w.uint32(82)
          w.bytes(obj.writer)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          hops: 0,
          path: [],
          lookupUs: 0,
          found: false,
          value: uint8ArrayAlloc(0),
          attempts: 0,
          replicas: 0,
          ts: 0n,
          writer: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.owner = PeerInfo.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.owner
              })
              break
            }
            case 2: {
              obj.hops = reader.uint32()
              break
            }
            case 3: {
              if (opts.limits?.path != null && obj.path.length === opts.limits.path) {
                throw new MaxLengthError('Decode error - repeated field "path" had too many elements')
              }

              obj.path.push(reader.bytes())
              break
            }
            case 4: {
              obj.lookupUs = reader.uint32()
              break
            }
            case 5: {
              obj.found = reader.bool()
              break
            }
            case 6: {
              obj.value = reader.bytes()
              break
            }
            case 7: {
              obj.attempts = reader.uint32()
              break
            }
            case 8: {
              obj.replicas = reader.uint32()
              break
            }
            case 9: {
              obj.ts = reader.uint64()
              break
            }
            case 10: {
              obj.writer = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          path: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield * PeerInfo.codec().stream(reader, reader.uint32(), `${prefix}.owner`, {
                limits: opts.limits?.owner
              })

              break
            }
            case 2: {
              yield {
                field: `${prefix}.hops`,
                value: reader.uint32()
              }
              break
            }
            case 3: {
              if (opts.limits?.path != null && obj.path === opts.limits.path) {
                throw new MaxLengthError('Streaming decode error - repeated field "path" had too many elements')
              }

              yield {
                field: `${prefix}.path[]`,
                index: obj.path,
                value: reader.bytes()
              }

              obj.path++

              break
            }
            case 4: {
              yield {
                field: `${prefix}.lookupUs`,
                value: reader.uint32()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.found`,
                value: reader.bool()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.value`,
                value: reader.bytes()
              }
              break
            }
            case 7: {
              yield {
                field: `${prefix}.attempts`,
                value: reader.uint32()
              }
              break
            }
            case 8: {
              yield {
                field: `${prefix}.replicas`,
                value: reader.uint32()
              }
              break
            }
            case 9: {
              yield {
                field: `${prefix}.ts`,
                value: reader.uint64()
              }
              break
            }
            case 10: {
              yield {
                field: `${prefix}.writer`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface ClientResultOwnerPeerIdFieldEvent {
    field: '$.owner.peerId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ClientResultOwnerRingIdFieldEvent {
    field: '$.owner.ringId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ClientResultOwnerAddrsFieldEvent {
    field: '$.owner.addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface ClientResultHopsFieldEvent {
    field: '$.hops'
    value: number
  }

  export interface ClientResultPathFieldEvent {
    field: '$.path[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface ClientResultLookupUsFieldEvent {
    field: '$.lookupUs'
    value: number
  }

  export interface ClientResultFoundFieldEvent {
    field: '$.found'
    value: boolean
  }

  export interface ClientResultValueFieldEvent {
    field: '$.value'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ClientResultAttemptsFieldEvent {
    field: '$.attempts'
    value: number
  }

  export interface ClientResultReplicasFieldEvent {
    field: '$.replicas'
    value: number
  }

  export interface ClientResultTsFieldEvent {
    field: '$.ts'
    value: bigint
  }

  export interface ClientResultWriterFieldEvent {
    field: '$.writer'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<ClientResult>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ClientResult.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ClientResult>): ClientResult {
    return decodeMessage(buf, ClientResult.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ClientResult>): Generator<ClientResultOwnerPeerIdFieldEvent | ClientResultOwnerRingIdFieldEvent | ClientResultOwnerAddrsFieldEvent | ClientResultHopsFieldEvent | ClientResultPathFieldEvent | ClientResultLookupUsFieldEvent | ClientResultFoundFieldEvent | ClientResultValueFieldEvent | ClientResultAttemptsFieldEvent | ClientResultReplicasFieldEvent | ClientResultTsFieldEvent | ClientResultWriterFieldEvent> {
    return streamMessage(buf, ClientResult.codec(), opts)
  }
}
