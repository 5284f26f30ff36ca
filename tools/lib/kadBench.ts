// The other side of `npm run bench -- --vs-kad` (issue 13): N peers of @libp2p/kad-dht in this
// process on loopback, each a libp2p node over the same transport stack as a chordmeter peer
// (TCP + Noise + yamux), with kad-dht in server mode and the two services it requires
// (identify, ping). Nothing here dials but loopback: no bootstrap list, no mDNS, no other
// discovery; every peer joins by dialling the first one, and kad-dht's own queries fill the
// routing tables from there.
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { identify } from '@libp2p/identify'
import type { Libp2p } from '@libp2p/interface'
import { EventTypes, kadDHT, passthroughMapper, type KadDHTComponents, type SingleKadDHT } from '@libp2p/kad-dht'
import { ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import { createLibp2p } from 'libp2p'
import { equals } from 'uint8arrays/equals'
import { fromString } from 'uint8arrays/from-string'
import { toString } from 'uint8arrays/to-string'
import { LOCAL_SWARM_LIMITS, loopbackHost } from '../testnet.js'
import type { PairTarget } from './putGetPairs.js'

/** kad-dht's record namespace for the workload's keys: /bench/<hex>. */
const NAMESPACE = 'bench'

export interface KadSwarmInit {
  peers: number
  /** First loopback host index (loopbackHost), so the swarm's addresses do not meet another's. */
  hostOffset: number
  /** Deadline of one put or get, ms. */
  opTimeoutMs: number
}

export interface KadFill {
  /** Every routing table held at least `wanted` peers. */
  filled: boolean
  /** From the first dial to that, ms (or to giving up). */
  ms: number
  /** min(k, peers - 1): a k-bucket holds k peers (Maymounkov & Mazieres 2002), and there are peers - 1 others. */
  wanted: number
  /** Smallest routing table when the wait ended. */
  smallest: number
}

/** kad-dht's default protocol (its `protocol` option). */
const KAD_PROTOCOL = '/ipfs/kad/1.0.0'
/** Peers dialling the first one at once. */
const JOIN_WAVE = 8
/** A handshake's deadline, ms: kad-dht's peers query each other from their first connection on, and on a loaded 2-core machine 8 joins took over the 10 s a chordmeter testnet allows. */
const HANDSHAKE_TIMEOUT_MS = 30_000

type KadNode = Libp2p<{ dht: SingleKadDHT }>

export class KadSwarm implements PairTarget {
  readonly #nodes: KadNode[]
  readonly #opTimeoutMs: number
  readonly #startedAt: number

  private constructor (nodes: KadNode[], opTimeoutMs: number, startedAt: number) {
    this.#nodes = nodes
    this.#opTimeoutMs = opTimeoutMs
    this.#startedAt = startedAt
  }

  get peers (): number { return this.#nodes.length }

  /** Start the peers and have each dial the first; the fill starts with the first dial. */
  static async create (init: KadSwarmInit): Promise<KadSwarm> {
    const nodes: KadNode[] = []
    try {
      for (let i = 0; i < init.peers; i++) nodes.push(await kadNode(`/ip4/${loopbackHost(init.hostOffset + i)}/tcp/0`))
      const startedAt = performance.now()
      const first = nodes[0].getMultiaddrs()
      // In waves, as createTestnet joins chordmeter's peers: 31 handshakes at once with one
      // peer time out on a loaded 2-core machine.
      for (let i = 1; i < nodes.length; i += JOIN_WAVE) {
        await Promise.all(nodes.slice(i, i + JOIN_WAVE).map(async n => await n.dial(first, { signal: AbortSignal.timeout(HANDSHAKE_TIMEOUT_MS) })))
      }
      // What identify would have told each side, in case its exchange failed under load: the
      // other speaks kad, at these addresses (without them peer 0 cannot pass the others on). The protocol's arrival on a connected peer puts it in the routing table.
      for (const n of nodes.slice(1)) {
        await n.peerStore.merge(nodes[0].peerId, { protocols: [KAD_PROTOCOL], multiaddrs: nodes[0].getMultiaddrs() })
        await nodes[0].peerStore.merge(n.peerId, { protocols: [KAD_PROTOCOL], multiaddrs: n.getMultiaddrs() })
      }
      return new KadSwarm(nodes, init.opTimeoutMs, startedAt)
    } catch (err) {
      await Promise.allSettled(nodes.map(async n => { await n.stop() }))
      throw err
    }
  }

  /**
   * Fill the routing tables as a joining Kademlia node does (Maymounkov & Mazieres 2002, 2.3:
   * it looks up its own id): every peer looks itself up, in waves, round after round, until
   * every table holds min(k, peers - 1) peers or `timeoutMs` has passed. Left alone, kad-dht
   * 16 looks itself up 1 s after start (alone then) and next after 5 min (QUERY_SELF_INTERVAL).
   */
  async fill (opts: { timeoutMs: number }): Promise<KadFill> {
    const wanted = Math.min(this.#nodes[0].services.dht.k, this.#nodes.length - 1)
    const deadline = performance.now() + opts.timeoutMs
    const smallest = (): number => Math.min(...this.#nodes.map(n => n.services.dht.routingTable.size))
    while (smallest() < wanted && performance.now() < deadline) {
      for (let i = 0; i < this.#nodes.length && performance.now() < deadline; i += JOIN_WAVE) {
        await Promise.allSettled(this.#nodes.slice(i, i + JOIN_WAVE).map(async n => {
          const signal = AbortSignal.timeout(Math.max(1, Math.min(this.#opTimeoutMs, deadline - performance.now())))
          for await (const _ of n.services.dht.getClosestPeers(n.peerId.toMultihash().bytes, { signal })) { /* drain */ }
        }))
      }
    }
    const least = smallest()
    return { filled: least >= wanted, ms: Math.round(performance.now() - this.#startedAt), wanted, smallest: least }
  }

  readonly put = async (via: number, key: Uint8Array, value: Uint8Array): Promise<void> => {
    // put resolves once the record is stored at the k closest peers it found.
    for await (const _ of this.#nodes[via].services.dht.put(recordKey(key), value, { signal: AbortSignal.timeout(this.#opTimeoutMs) })) { /* drain */ }
  }

  readonly get = async (via: number, key: Uint8Array, value: Uint8Array): Promise<boolean> => {
    // The first value found ends the query, as a chordmeter get returns at its read quorum.
    for await (const e of this.#nodes[via].services.dht.get(recordKey(key), { signal: AbortSignal.timeout(this.#opTimeoutMs) })) {
      if (e.type === EventTypes.VALUE) return equals(e.value, value)
    }
    return false
  }

  async stop (): Promise<void> {
    await Promise.allSettled(this.#nodes.map(async n => { await n.stop() }))
  }
}

function recordKey (key: Uint8Array): Uint8Array {
  return fromString(`/${NAMESPACE}/${toString(key, 'base16')}`)
}

async function kadNode (listen: string): Promise<KadNode> {
  return await createLibp2p({
    privateKey: await generateKeyPair('Ed25519'),
    addresses: { listen: [listen] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionManager: {
      inboundConnectionThreshold: LOCAL_SWARM_LIMITS.connRatePerIp,
      maxIncomingPendingConnections: LOCAL_SWARM_LIMITS.maxPendingHandshakes,
      inboundUpgradeTimeout: HANDSHAKE_TIMEOUT_MS,
      dialTimeout: HANDSHAKE_TIMEOUT_MS,
      addressDialTimeout: HANDSHAKE_TIMEOUT_MS,
      maxConnections: LOCAL_SWARM_LIMITS.maxConnections
    },
    services: {
      // clientMode false: in its default (auto) mode kad-dht serves only once it has a public
      // address, which a loopback peer never has; passthroughMapper keeps loopback addresses,
      // which the default mapper drops as private.
      dht: kadDHT({
        protocol: KAD_PROTOCOL,
        clientMode: false,
        peerInfoMapper: passthroughMapper,
        validators: { [NAMESPACE]: async () => {} },
        selectors: { [NAMESPACE]: () => 0 }
      }) as unknown as (components: KadDHTComponents) => SingleKadDHT,
      // Under load an identify exchange outlasts its default 5 s; a peer whose exchange failed never learns the other speaks kad.
      identify: identify({ timeout: HANDSHAKE_TIMEOUT_MS }),
      ping: ping()
    }
  }) as unknown as KadNode
}
