// PeerRef: how the rest of the code sees a ring member. PeerInfo is its wire form.
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { toString as bytesToString } from 'uint8arrays/to-string'
import { fromString as stringToBytes } from 'uint8arrays/from-string'
import { PeerInfo } from './chord.js'
import { ID_BYTES, MAX_ADDRS_PER_PEER } from './constants.js'
import { BadRequestError, ChordError, ErrorCode } from './errors.js'
import { bytesToId, hashToId, idToBytes, shortId } from './ring.js'

export interface PeerRef {
  /** Base58btc peer id, as libp2p prints it. */
  readonly peerId: string
  /** Ring identifier in [0, 2^160). */
  readonly id: bigint
  /** Multiaddrs (strings, without /p2p/) the peer listens on. */
  readonly addrs: readonly string[]
}

export function peerIdBytes (peerId: string): Uint8Array<ArrayBuffer> {
  return stringToBytes(peerId, 'base58btc') as Uint8Array<ArrayBuffer>
}

// Every stabilize and lookup answer carries PeerInfos, mostly of the same few peers; the
// base58 and multiaddr conversions showed up at ~15% of a steady ring's CPU, so both
// directions are cached. Entries are immutable, so sharing them is safe.
const wireOf = new WeakMap<PeerRef, PeerInfo>()
const refOf = new Map<string, { ref: PeerRef, hashOk: boolean }>()
const REF_CACHE_MAX = 8192

export function toWire (peer: PeerRef): PeerInfo {
  let info = wireOf.get(peer)
  if (info == null) {
    info = {
      peerId: peerIdBytes(peer.peerId),
      ringId: idToBytes(peer.id),
      addrs: peer.addrs.map(a => multiaddr(a).bytes as Uint8Array<ArrayBuffer>)
    }
    wireOf.set(peer, info)
  }
  return info
}

export interface VerifyOptions {
  /** Accept ring ids that are not SHA-1 of the peer id (experiments with --id-hex only). */
  allowExplicitIds: boolean
}

function cacheKey (info: PeerInfo): string {
  let k = Buffer.from(info.peerId).toString('latin1') + '|' + Buffer.from(info.ringId).toString('latin1')
  for (const a of info.addrs) k += '|' + Buffer.from(a).toString('latin1')
  return k
}

/**
 * Parse and check a PeerInfo. A peer cannot choose its ring position: its ring id
 * must be SHA-1 of its (Noise-authenticated) peer id (Stoica et al. 4.1; Sybil placement).
 */
export function fromWire (info: PeerInfo | undefined, opts: VerifyOptions): PeerRef {
  if (info == null) throw new BadRequestError('missing peer info')
  if (info.peerId.length < 2 || info.peerId.length > 64) throw new BadRequestError(`peer id of ${info.peerId.length} bytes`)
  if (info.ringId.length !== ID_BYTES) throw new BadRequestError(`ring id of ${info.ringId.length} bytes, expected ${ID_BYTES}`)
  if (info.addrs.length > MAX_ADDRS_PER_PEER) throw new BadRequestError(`${info.addrs.length} addresses, at most ${MAX_ADDRS_PER_PEER}`)
  const key = cacheKey(info)
  let hit = refOf.get(key)
  if (hit == null) {
    const id = bytesToId(info.ringId)
    let addrs: string[]
    try {
      addrs = info.addrs.map(b => {
        if (b.length === 0) throw new Error('empty multiaddr')
        return multiaddr(b).toString()
      })
    } catch (err) {
      throw new BadRequestError(`bad multiaddr: ${(err as Error).message}`)
    }
    hit = { ref: { peerId: bytesToString(info.peerId, 'base58btc'), id, addrs }, hashOk: id === hashToId(info.peerId) }
    if (refOf.size >= REF_CACHE_MAX) refOf.clear()
    refOf.set(key, hit)
  }
  if (!opts.allowExplicitIds && !hit.hashOk) {
    throw new ChordError(ErrorCode.ID_MISMATCH, `ring id ${shortId(hit.ref.id)} is not SHA-1 of its peer id`)
  }
  return hit.ref
}

export function describe (peer: PeerRef): string {
  return `${shortId(peer.id)}/${peer.peerId.slice(-6)}`
}

/** Strip a trailing /p2p/<id> and return [address, peer id]. */
export function splitP2p (addr: string): { addr: string, peerId?: string } {
  const i = addr.lastIndexOf('/p2p/')
  if (i < 0) return { addr }
  return { addr: addr.slice(0, i), peerId: addr.slice(i + 5) }
}

/** The IP address of a multiaddr, if it has one. */
export function ipOf (addr: Multiaddr): string | undefined {
  return addr.getComponents().find(c => c.name === 'ip4' || c.name === 'ip6')?.value
}
