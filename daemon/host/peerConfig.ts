// The shape of a peer's configuration: what resolveConfig (./config.ts) returns, frozen, and
// what code may pass it. Each field's flag, variable, default and bounds: ./options.ts.
import type { ChokingConfig } from '../choking/choker.js'
import type { Prices } from '../../protocol/telemetry.js'

export interface PeerConfig {
  /** Multiaddrs to listen on. */
  readonly listen: readonly string[]
  /** Multiaddrs of ring members to join through; empty starts a new ring. */
  readonly bootstrap: readonly string[]
  /** Directory for the identity key and the key store; undefined = ephemeral identity, in-memory store. */
  readonly dataDir?: string
  /** host:port of the telemetry server; port 0 picks a free one; null disables it. */
  readonly http: string | null
  /** Successor-list length r. */
  readonly successors: number
  /** adaptive: quiet maintenance rounds stretch their periods up to the -Max bounds (maintenanceSchedule.ts); fixed: base periods only. */
  readonly maintenance: 'adaptive' | 'fixed'
  /** Stabilize period, ms (the base period in adaptive mode). */
  readonly stabilizeMs: number
  /** Longest stabilize period in adaptive mode, ms; undefined: 20 x stabilizeMs. */
  readonly stabilizeMaxMs?: number
  /** Fix-fingers period, ms (the base period in adaptive mode). */
  readonly fixFingersMs: number
  /** Longest fix-fingers period in adaptive mode, ms; undefined: 16 x fixFingersMs. */
  readonly fixFingersMaxMs?: number
  /** Check-predecessor period, ms. */
  readonly checkPredecessorMs: number
  /** Deadline of one RPC, ms. */
  readonly rpcTimeoutMs: number
  /** Deadline of a lookup or client operation, ms. */
  readonly lookupTimeoutMs: number
  /** Bound on a graceful leave, ms. */
  readonly leaveTimeoutMs: number
  /** Explicit ring position (hex), experiments only; needs allowExplicitIds. */
  readonly idHex?: string
  /** Accept ring ids that are not SHA-1 of the peer id. Every peer of such a ring needs it. */
  readonly allowExplicitIds: boolean
  /** Copies of every key: the owner and the next replicas-1 successors. */
  readonly replicas: number
  /** Replicas that must hold a write durably before it is acknowledged. */
  readonly writeQuorum: number
  /** Period of an anti-entropy round with the replicas, ms (the base period in adaptive mode). */
  readonly repairMs: number
  /** Longest anti-entropy period in adaptive mode, ms; undefined: 12 x repairMs. */
  readonly repairMaxMs?: number
  /** Lifetime of a delete's tombstone, ms. */
  readonly tombstoneTtlMs: number
  /** Unit prices of the cost terms (docs/cost-model.md). */
  readonly prices: Readonly<Prices>
  /** Byte limit of the key store. */
  readonly maxStoreBytes: number
  /** Most a version may be ahead of our clock, ms; a failed write is held back this long. */
  readonly maxClockSkewMs: number
  /** Shift of the clock versions are minted from, ms. Fault tests only (a peer whose clock runs ahead). */
  readonly clockOffsetMs: number
  /** Period of the partition-healing check, ms. */
  readonly healMs: number
  /** pino level. */
  readonly logLevel: string
  /** Tit-for-tat choking of service and forwarding (docs/choking.md). */
  readonly choking: Readonly<ChokingConfig>
  /** What one remote address or peer can make this peer hold; defaults and their sources in DEFAULTS.limits. */
  readonly limits: Readonly<ResourceLimits>
}

/** Connection and memory limits against floods (README "RPC"); defaults and their sources in DEFAULTS.limits. */
export interface ResourceLimits {
  /** Inbound connections accepted per second from one IP. */
  connRatePerIp: number
  /** Inbound handshakes in progress, all addresses. */
  maxPendingHandshakes: number
  /** Inbound handshakes in progress from one IP. */
  maxPendingHandshakesPerIp: number
  /** Time an inbound connection has to finish Noise + yamux, ms. */
  handshakeTimeoutMs: number
  /** Open connections, inbound and outbound. */
  maxConnections: number
  /** Inbound connections, open or in handshake, from one IP. */
  maxConnectionsPerIp: number
  /** Time a partial frame may take to complete before its stream is closed, ms. */
  frameTimeoutMs: number
  /** Bytes of partial frames and requests in flight per remote peer and per remote IP. */
  maxBufferedBytesPerRemote: number
  /** The same, all remotes together. */
  maxBufferedBytes: number
}

type Grouped = 'choking' | 'limits' | 'prices'
export type PeerConfigInput = Partial<{ -readonly [K in Exclude<keyof PeerConfig, Grouped>]: PeerConfig[K] }> & { choking?: Partial<ChokingConfig>, limits?: Partial<ResourceLimits>, prices?: Partial<Prices> }
