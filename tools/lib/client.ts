// A ring client: a libp2p node that listens nowhere and speaks the Chord RPC protocol to
// peers it is given. Used by chordctl, the swarm tool, the benchmark and the tests.
import { generateKeyPair } from '@libp2p/crypto/keys'
import type { Libp2p } from '@libp2p/interface'
import { multiaddr } from '@multiformats/multiaddr'
import { pino, type Logger } from 'pino'
import { toString as bytesToString } from 'uint8arrays/to-string'
import { MessageType, type ClientResult, type MaybeRecord } from '../../protocol/chord.js'
import { splitP2p } from '../../protocol/peerInfo.js'
import { viewOf, type PeerView } from '../../protocol/peerState.js'
import { createNode } from '../../daemon/host/libp2pNode.js'
import { RpcClient, type RpcTarget } from '../../daemon/rpc/client.js'
import { DEFAULTS } from '../../protocol/constants.js'
import type { PeerStats } from '../../protocol/telemetry.js'

export interface OpOptions {
  iterative?: boolean
  fingersOnly?: boolean
  timeoutMs?: number
}

export class ChordClient {
  readonly #libp2p: Libp2p
  readonly #rpc: RpcClient
  readonly timeoutMs: number

  private constructor (libp2p: Libp2p, rpc: RpcClient, timeoutMs: number) {
    this.#libp2p = libp2p
    this.#rpc = rpc
    this.timeoutMs = timeoutMs
  }

  /** `dialFrom`: source IP of its connections (tests that play several addresses); default the kernel's choice. */
  static async create (opts: { timeoutMs?: number, log?: Logger, dialFrom?: string } = {}): Promise<ChordClient> {
    const libp2p = await createNode({ privateKey: await generateKeyPair('Ed25519'), listen: [], dialFrom: opts.dialFrom })
    const rpc = new RpcClient({ libp2p, log: opts.log ?? pino({ level: 'silent' }) })
    return new ChordClient(libp2p, rpc, opts.timeoutMs ?? DEFAULTS.lookupTimeoutMs + 2_000)
  }

  /** A peer to talk to, from a multiaddr; one without /p2p/ is dialled to learn who answers. */
  async target (addr: string): Promise<RpcTarget> {
    const { addr: bare, peerId } = splitP2p(addr)
    if (peerId != null) return { peerId, addrs: [bare] }
    const conn = await this.#libp2p.dial(multiaddr(addr), { signal: AbortSignal.timeout(this.timeoutMs) })
    return { peerId: conn.remotePeer.toString(), addrs: [bare] }
  }

  async #client (type: MessageType.CLIENT_PUT | MessageType.CLIENT_GET | MessageType.CLIENT_DELETE | MessageType.CLIENT_LOOKUP,
    peer: RpcTarget, req: { key?: Uint8Array, value?: Uint8Array, target?: Uint8Array }, opts: OpOptions): Promise<ClientResult> {
    const timeoutMs = opts.timeoutMs ?? this.timeoutMs
    return await this.#rpc.request(peer, type, {
      key: (req.key ?? new Uint8Array()) as Uint8Array<ArrayBuffer>,
      value: (req.value ?? new Uint8Array()) as Uint8Array<ArrayBuffer>,
      target: req.target as Uint8Array<ArrayBuffer> | undefined,
      iterative: opts.iterative ?? false,
      fingersOnly: opts.fingersOnly ?? false
    }, { timeoutMs })
  }

  async put (peer: RpcTarget, key: Uint8Array, value: Uint8Array, opts: OpOptions = {}): Promise<ClientResult> {
    return await this.#client(MessageType.CLIENT_PUT, peer, { key, value }, opts)
  }

  async get (peer: RpcTarget, key: Uint8Array, opts: OpOptions = {}): Promise<ClientResult> {
    return await this.#client(MessageType.CLIENT_GET, peer, { key }, opts)
  }

  async del (peer: RpcTarget, key: Uint8Array, opts: OpOptions = {}): Promise<ClientResult> {
    return await this.#client(MessageType.CLIENT_DELETE, peer, { key }, opts)
  }

  /** Look up a key (hashed) or, with `target`, a raw 20-byte ring id. */
  async lookup (peer: RpcTarget, what: { key?: Uint8Array, target?: Uint8Array }, opts: OpOptions = {}): Promise<ClientResult> {
    return await this.#client(MessageType.CLIENT_LOOKUP, peer, what, opts)
  }

  /** One replica's own copy of a key (no lookup, no repair): to check replicas converged. */
  async replicaGet (peer: RpcTarget, key: Uint8Array, timeoutMs = 3_000): Promise<MaybeRecord> {
    return await this.#rpc.request(peer, MessageType.REPLICA_GET, { key: key as Uint8Array<ArrayBuffer> }, { timeoutMs })
  }

  /** The peer's telemetry document (cost meters and ring state), over the ring's own protocol. */
  async stats (peer: RpcTarget, timeoutMs = 3_000): Promise<PeerStats> {
    const res = await this.#rpc.request(peer, MessageType.GET_STATS, {}, { timeoutMs })
    return JSON.parse(res.json) as PeerStats
  }

  async state (peer: RpcTarget, timeoutMs = 3_000): Promise<PeerView> {
    return viewOf(await this.#rpc.request(peer, MessageType.GET_STATE, {}, { timeoutMs }))
  }

  /**
   * Walk the ring from `start` along successor pointers until it closes, asking each
   * peer for its state; an unreachable successor is skipped for the next in its list.
   */
  async walkRing (start: RpcTarget, opts: { maxPeers?: number, timeoutMs?: number } = {}): Promise<{ peers: PeerView[], closed: boolean, unreachable: string[] }> {
    const maxPeers = opts.maxPeers ?? 10_000
    const perPeerMs = opts.timeoutMs ?? 3_000
    const peers: PeerView[] = []
    const seen = new Set<string>()
    const unreachable: string[] = []
    let current: PeerView = await this.state(start, perPeerMs)
    for (;;) {
      peers.push(current)
      seen.add(current.peerId)
      if (peers.length >= maxPeers) return { peers, closed: false, unreachable }
      let next: PeerView | undefined
      for (const s of current.successors) {
        if (seen.has(s.peerId)) return { peers, closed: s.peerId === peers[0].peerId, unreachable }
        try {
          next = await this.state({ peerId: s.peerId, addrs: s.addrs }, perPeerMs)
          break
        } catch {
          unreachable.push(s.peerId)
        }
      }
      if (next == null) return { peers, closed: current.successors.length === 0, unreachable }
      current = next
    }
  }

  async stop (): Promise<void> {
    await this.#rpc.stop()
    await this.#libp2p.stop()
  }
}

export function pathIds (res: ClientResult): string[] {
  return res.path.map(p => bytesToString(p, 'base58btc'))
}
