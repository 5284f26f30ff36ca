// The libp2p node under one peer: TCP + Noise + yamux and nothing that dials on its
// own (no mDNS, no UPnP, no bootstrap lists, no autodial of discovered peers).
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import type { Libp2p, PrivateKey } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import { tcp } from '@libp2p/tcp'
import { createLibp2p } from 'libp2p'

export interface NodeOptions {
  privateKey: PrivateKey
  /** Multiaddrs to listen on; empty for a client that only dials. */
  listen: readonly string[]
}

export async function createNode (opts: NodeOptions): Promise<Libp2p> {
  return await createLibp2p({
    privateKey: opts.privateKey,
    addresses: { listen: [...opts.listen] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    // The ring's own RPCs tell live peers from dead ones; libp2p's ping monitor would
    // need the ping protocol and would add traffic the meters cannot attribute.
    connectionMonitor: { enabled: false },
    connectionManager: {
      // FACTS: defaults (5 inbound/s per IP, 10 pending) reset a one-host swarm's joins.
      inboundConnectionThreshold: 10_000,
      maxIncomingPendingConnections: 1_000,
      maxConnections: 2_000,
      maxParallelDials: 200,
      dialTimeout: 5_000
    }
  })
}

/**
 * The addresses a peer tells others to dial. A wildcard listener (0.0.0.0 in a container)
 * expands to every interface, loopback included; another host dialling our 127.0.0.1 would
 * reach itself, so loopback is left out unless it is all there is (a one-host ring).
 */
export function announceAddrs (addrs: readonly Multiaddr[]): Multiaddr[] {
  const isLoopback = (a: Multiaddr): boolean => /^\/(ip4\/127\.|ip6\/::1\/)/.test(a.toString())
  const routable = addrs.filter(a => !isLoopback(a))
  return routable.length > 0 ? routable : [...addrs]
}
