// The libp2p node under one peer: TCP + Noise + yamux and nothing that dials on its
// own (no mDNS, no UPnP, no bootstrap lists, no autodial of discovered peers).
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import type { ConnectionGater, Libp2p, MultiaddrConnection, PrivateKey } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import { tcp } from '@libp2p/tcp'
import { createLibp2p } from 'libp2p'
import { DEFAULTS, MAX_MUXED_STREAMS_PER_CONNECTION } from '../../protocol/constants.js'
import { ipOf } from '../../protocol/peerInfo.js'
import type { ResourceLimits } from './config.js'
import { PerIpConnections, type Ticket } from './perIpConnections.js'

/** The limits createNode applies (config.limits); the frame and byte limits belong to the RPC server. */
export type ConnectionLimits = Pick<ResourceLimits, 'connRatePerIp' | 'maxPendingHandshakes' | 'maxPendingHandshakesPerIp' | 'handshakeTimeoutMs' | 'maxConnections' | 'maxConnectionsPerIp'>

export interface NodeOptions {
  privateKey: PrivateKey
  /** Multiaddrs to listen on; empty for a client that only dials. */
  listen: readonly string[]
  /** Connection limits; default DEFAULTS.limits, which suit a daemon on a network. Local swarms raise them. */
  limits?: Partial<ConnectionLimits>
  /**
   * Source IP of outgoing TCP connections. Default: the listen IP when the node listens on
   * exactly one specific loopback address (so each peer packed on one host is its own source
   * address for per-IP limits and firewall rules), else the kernel's choice.
   */
  dialFrom?: string
  /** The per-IP counter the gater feeds; default a new one (a seam for tests that read it). */
  perIp?: PerIpConnections
}

export async function createNode (opts: NodeOptions): Promise<Libp2p> {
  const limits: ConnectionLimits = { ...DEFAULTS.limits, ...opts.limits }
  const perIp = opts.perIp ?? new PerIpConnections({ maxPendingPerIp: limits.maxPendingHandshakesPerIp, maxConnectionsPerIp: limits.maxConnectionsPerIp })
  const localAddress = opts.dialFrom ?? loopbackSource(opts.listen)
  return await createLibp2p({
    privateKey: opts.privateKey,
    addresses: { listen: [...opts.listen] },
    // backlog: a flood's connections then queue others' behind them rather than get their SYNs dropped
    // (Node's default is 511; Linux caps it at net.core.somaxconn, 4096 since 5.4).
    // @libp2p/tcp spreads dialOpts into net.connect, so localAddress binds the source; its type omits it.
    transports: [tcp({ backlog: 4096, ...(localAddress == null ? {} : { dialOpts: { localAddress } as Record<string, unknown> }) })],
    connectionEncrypters: [noise()],
    // No yamux keep-alive either: its ping every 30 s on every connection was most of an idle
    // swarm's socket writes (issue 13), traffic no meter attributes; a connection that carries
    // no RPC for the socket's inactivity timeout (2 min) is closed and dialed again when needed.
    streamMuxers: [yamux({ maxInboundStreams: MAX_MUXED_STREAMS_PER_CONNECTION, enableKeepAlive: false })],
    // The ring's own RPCs tell live peers from dead ones; libp2p's ping monitor would
    // need the ping protocol and would add traffic the meters cannot attribute.
    connectionMonitor: { enabled: false },
    connectionGater: perIpGater(perIp),
    connectionManager: {
      // libp2p checks these first (acceptIncomingConnection), the gater's per-IP caps after.
      inboundConnectionThreshold: limits.connRatePerIp,
      maxIncomingPendingConnections: limits.maxPendingHandshakes,
      inboundUpgradeTimeout: limits.handshakeTimeoutMs,
      maxConnections: limits.maxConnections,
      maxParallelDials: 200,
      dialTimeout: 5_000
    }
  })
}

/**
 * Per-IP caps on inbound connections. libp2p calls denyInboundConnection after its own global
 * pending cap and per-IP rate, and releases its pending slot at once when we deny; the count
 * here is taken back when the handshake ends (upgraded) or the socket closes, whichever first.
 */
function perIpGater (counts: PerIpConnections): ConnectionGater {
  const tickets = new WeakMap<MultiaddrConnection, Ticket>()
  return {
    denyInboundConnection: (maConn) => {
      const ip = ipOf(maConn.remoteAddr)
      if (ip == null) return false // not over IP (a unix socket): nothing to count by
      if (maConn.status !== 'open') return true
      const t = counts.admit(ip)
      if (typeof t === 'string') return true
      tickets.set(maConn, t)
      maConn.addEventListener('close', t.closed, { once: true })
      return false
    },
    denyInboundUpgradedConnection: (_peer, maConn) => {
      tickets.get(maConn)?.upgraded()
      return false
    }
  }
}

/** The listen IP when it is exactly one specific loopback address (127.x.y.z), else undefined. */
export function loopbackSource (listen: readonly string[]): string | undefined {
  if (listen.length !== 1) return undefined
  return /^\/ip4\/(127\.\d{1,3}\.\d{1,3}\.\d{1,3})\/tcp\/\d+$/.exec(listen[0])?.[1]
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
