import { errorName, errorNumber, typeName, typeNumber } from '../../protocol/messages.js'
import { test, describe } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { multiaddr } from '@multiformats/multiaddr'
import { ErrorCode, FindSuccessor, Frame, MessageType, Neighbors, PeerInfo, RangeDigests, SyncMeta } from '../../protocol/chord.js'
import { ChordError } from '../../protocol/errors.js'
import { fromWire, peerIdBytes, toWire, type PeerRef } from '../../protocol/peerInfo.js'
import { hashToId, idToBytes, idToHex } from '../../protocol/ring.js'

// The fixtures were written once from exactly the inputs below (a throwaway script calling
// the same encoders) and checked by hand against the proto3 encoding rules; they pin the
// wire format, so a change in chord.proto or protons that alters bytes fails here.
function fixture (name: string): Uint8Array {
  const text = readFileSync(new URL(`../../../test/fixtures/${name}`, import.meta.url), 'utf8')
  return Uint8Array.from(Buffer.from(text.replace(/\s+/g, ''), 'hex'))
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')
const PID = '12D3KooW9xL25GeGGzoobr3Xks1cbbwaEJuFcdSmREquD2zmujea'
const TARGET = Uint8Array.from({ length: 20 }, (_, i) => i + 1)
const realPeer = (addrs: string[]): PeerRef => ({ peerId: PID, id: hashToId(peerIdBytes(PID)), addrs })
const info = (n: number): PeerInfo => ({
  peerId: Uint8Array.of(0x00, 0x02, n, n),
  ringId: new Uint8Array(20).fill(n * 0x11),
  addrs: [multiaddr(`/ip4/10.0.0.${n}/tcp/400${n}`).bytes as Uint8Array<ArrayBuffer>]
})

describe('wire fixtures (chord.proto)', () => {
  test('Frame request: FIND_SUCCESSOR id 7, deadline 1500 ms', () => {
    const bytes = fixture('frame-find-successor.hex')
    // Field by field: id=7, type=5, deadline_ms=1500 (varint dc 0b), body of 26 bytes (0x3a = field 7, LEN).
    assert.equal(hex(bytes.subarray(0, 9)), '0807100520dc0b3a1a')
    const frame = Frame.decode(bytes)
    assert.equal(frame.id, 7)
    assert.equal(typeName(frame.type), MessageType.FIND_SUCCESSOR)
    assert.equal(frame.response, false)
    assert.equal(frame.deadlineMs, 1500)
    assert.equal(errorName(frame.error), ErrorCode.OK)
    assert.equal(frame.errorMessage, '')
    const body = FindSuccessor.decode(frame.body)
    assert.deepEqual(body.target, TARGET)
    assert.equal(body.hops, 3)
    assert.equal(body.fingersOnly, true)
    const encoded = Frame.encode({
      id: 7, type: typeNumber(MessageType.FIND_SUCCESSOR), response: false, deadlineMs: 1500, error: errorNumber(ErrorCode.OK), errorMessage: '',
      body: FindSuccessor.encode({ target: TARGET, hops: 3, fingersOnly: true })
    })
    assert.equal(hex(encoded), hex(bytes))
  })

  test('Frame error response: NOT_OWNER with message "x"', () => {
    const bytes = fixture('frame-error-not-owner.hex')
    // id=9, type=STORE_GET(8), response=true, error=NOT_OWNER(4), error_message="x"; defaults are omitted.
    assert.equal(hex(bytes), '0809100818012804320178')
    const frame = Frame.decode(bytes)
    assert.equal(frame.id, 9)
    assert.equal(typeName(frame.type), MessageType.STORE_GET)
    assert.equal(frame.response, true)
    assert.equal(errorName(frame.error), ErrorCode.NOT_OWNER)
    assert.equal(frame.errorMessage, 'x')
    assert.equal(frame.body.length, 0)
    const encoded = Frame.encode({
      id: 9, type: typeNumber(MessageType.STORE_GET), response: true, deadlineMs: 0, error: errorNumber(ErrorCode.NOT_OWNER), errorMessage: 'x', body: new Uint8Array(0)
    })
    assert.equal(hex(encoded), hex(bytes))
  })

  test('PeerInfo with 2 addrs', () => {
    const bytes = fixture('peerinfo-two-addrs.hex')
    const decoded = PeerInfo.decode(bytes)
    assert.deepEqual(decoded.peerId, peerIdBytes(PID))
    assert.equal(decoded.peerId.length, 38, 'identity multihash of an Ed25519 key')
    assert.deepEqual(decoded.ringId, idToBytes(hashToId(peerIdBytes(PID))))
    assert.equal(idToHex(hashToId(peerIdBytes(PID))), '46f84051f7b08f3abf7b32de778b31d6c180816b')
    assert.deepEqual(decoded.addrs.map(a => multiaddr(a).toString()), ['/ip4/127.0.0.2/tcp/4001', '/ip6/::1/tcp/4002'])
    const encoded = PeerInfo.encode(toWire(realPeer(['/ip4/127.0.0.2/tcp/4001', '/ip6/::1/tcp/4002'])))
    assert.equal(hex(encoded), hex(bytes))
  })

  test('Neighbors with predecessor and 2 successors', () => {
    const bytes = fixture('neighbors.hex')
    const decoded = Neighbors.decode(bytes)
    assert.deepEqual(decoded.self, info(1))
    assert.deepEqual(decoded.predecessor, info(2))
    assert.deepEqual(decoded.successors, [info(3), info(4)])
    assert.equal(multiaddr(decoded.successors[1].addrs[0]).toString(), '/ip4/10.0.0.4/tcp/4004')
    const encoded = Neighbors.encode({ self: info(1), predecessor: info(2), successors: [info(3), info(4)] })
    assert.equal(hex(encoded), hex(bytes))
  })

  test('RangeDigests page 2: one digest, resume_after (field 4)', () => {
    const bytes = fixture('range-digests-page.hex')
    // ... 1a 05 (08 05 10 b4 24: bucket 5, digest 0x1234) 22 14 <20 x 03>
    assert.equal(hex(bytes.subarray(44, 51)), '1a05080510b424')
    assert.equal(hex(bytes.subarray(51, 53)), '2214')
    const decoded = RangeDigests.decode(bytes)
    assert.deepEqual(decoded.digests, [{ bucket: 5, digest: 0x1234n }])
    assert.deepEqual(decoded.resumeAfter, new Uint8Array(20).fill(3))
    assert.equal(hex(RangeDigests.encode({ from: new Uint8Array(20).fill(1), to: new Uint8Array(20).fill(2), digests: [{ bucket: 5, digest: 0x1234n }], resumeAfter: new Uint8Array(20).fill(3) })), hex(bytes))
    assert.equal(RangeDigests.decode(bytes.subarray(0, 51)).resumeAfter, undefined, 'a first page has no cursor')
  })

  test('SyncMeta truncated page with last (field 4)', () => {
    const bytes = fixture('sync-meta-page.hex')
    // 08 05 (bucket 5), 12 09 (meta: key "k", ts 300 = ac 02, writer 09), 18 01 (truncated), 22 14 <20 x 04>
    assert.equal(hex(bytes.subarray(0, 16)), '080512090a016b10ac021a0109180122')
    const decoded = SyncMeta.decode(bytes)
    assert.equal(decoded.truncated, true)
    assert.deepEqual(decoded.last, new Uint8Array(20).fill(4))
    assert.equal(decoded.metas[0].ts, 300n)
    assert.equal(hex(SyncMeta.encode({ buckets: [5], metas: [{ key: Uint8Array.of(0x6b), ts: 300n, writer: Uint8Array.of(9), deleted: false }], truncated: true, last: new Uint8Array(20).fill(4) })), hex(bytes))
  })

  test('Neighbors without predecessor decodes it as absent', () => {
    const decoded = Neighbors.decode(Neighbors.encode({ self: info(1), successors: [] }))
    assert.equal(decoded.predecessor, undefined)
    assert.deepEqual(decoded.successors, [])
  })
})

function assertChordError (fn: () => unknown, code: ErrorCode): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof ChordError, `not a ChordError: ${String(err)}`)
    assert.equal(err.code, code, `code ${ErrorCode[err.code]}, expected ${ErrorCode[code]}: ${err.message}`)
    return true
  })
}

describe('peerInfo toWire / fromWire', () => {
  const strict = { allowExplicitIds: false }
  const ref = realPeer(['/ip4/127.0.0.2/tcp/4001'])

  test('round trip through the wire, with the ring id = SHA-1 of the peer id bytes', () => {
    assert.deepEqual(fromWire(toWire(ref), strict), ref)
    assert.deepEqual(fromWire(PeerInfo.decode(PeerInfo.encode(toWire(ref))), strict), ref)
    const noAddrs = realPeer([])
    assert.deepEqual(fromWire(toWire(noAddrs), strict), noAddrs)
  })

  test('a ring id that is not SHA-1 of the peer id: ID_MISMATCH unless explicit ids are allowed', () => {
    const moved = { ...ref, id: ref.id ^ 1n }
    assertChordError(() => fromWire(toWire(moved), strict), ErrorCode.ID_MISMATCH)
    assert.deepEqual(fromWire(toWire(moved), { allowExplicitIds: true }), moved)
  })

  test('ring id of the wrong length: BAD_REQUEST, even with explicit ids', () => {
    for (const len of [0, 19, 21, 32]) {
      const w = { ...toWire(ref), ringId: new Uint8Array(len) }
      assertChordError(() => fromWire(w, strict), ErrorCode.BAD_REQUEST)
      assertChordError(() => fromWire(w, { allowExplicitIds: true }), ErrorCode.BAD_REQUEST)
    }
  })

  test('at most 8 addrs', () => {
    const addrs = Array.from({ length: 9 }, (_, i) => `/ip4/127.0.0.${i + 1}/tcp/4001`)
    assertChordError(() => fromWire(toWire(realPeer(addrs)), strict), ErrorCode.BAD_REQUEST)
    assert.equal(fromWire(toWire(realPeer(addrs.slice(0, 8))), strict).addrs.length, 8)
  })

  test('garbage multiaddr bytes: BAD_REQUEST', () => {
    for (const garbage of [Uint8Array.of(0xff, 0xff, 0xff), Uint8Array.of(0x04, 1, 2)]) {
      const w = { ...toWire(ref), addrs: [garbage as Uint8Array<ArrayBuffer>] }
      assertChordError(() => fromWire(w, strict), ErrorCode.BAD_REQUEST)
    }
  })

  test('an empty multiaddr', () => {
    const w = { ...toWire(ref), addrs: [new Uint8Array(0)] }
    assertChordError(() => fromWire(w, strict), ErrorCode.BAD_REQUEST)
  })

  test('missing info or a peer id of implausible length: BAD_REQUEST', () => {
    assertChordError(() => fromWire(undefined, strict), ErrorCode.BAD_REQUEST)
    for (const len of [0, 1, 65]) {
      const w = { ...toWire(ref), peerId: new Uint8Array(len).fill(1) }
      assertChordError(() => fromWire(w, { allowExplicitIds: true }), ErrorCode.BAD_REQUEST)
    }
  })
})

describe('enum numbers read off the generated codecs', () => {
  test('match the values written in chord.proto', () => {
    assert.equal(typeNumber(MessageType.PING), 1)
    assert.equal(typeNumber(MessageType.NOTIFY), 3)
    assert.equal(typeNumber(MessageType.CLIENT_DELETE), 23)
    assert.equal(typeNumber(MessageType.NEIGHBORS_CHANGED), 18)
    assert.equal(typeName(19), undefined, 'a gap in the enum is unknown')
    assert.equal(typeName(99), undefined)
    assert.equal(errorNumber(ErrorCode.NOT_OWNER), 4)
    assert.equal(errorName(11), ErrorCode.INTERNAL)
    assert.equal(errorName(99), ErrorCode.INTERNAL, 'an unknown error code reads as INTERNAL')
  })

  test('a Frame with an unknown type number still decodes', () => {
    const f = Frame.decode(Uint8Array.from([0x08, 0x01, 0x10, 0x63]))
    assert.equal(f.id, 1)
    assert.equal(f.type, 99)
  })
})
