// The libp2p node under one peer: TCP + Noise + yamux and nothing that dials on its
// own (no mDNS, no UPnP, no bootstrap lists, no autodial of discovered peers).
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import type { Libp2p, PrivateKey } from '@libp2p/interface'
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
