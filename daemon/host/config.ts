// Peer configuration: validated and frozen once at start-up. Precedence: flags > CHORD_* env > defaults.
import { multiaddr } from '@multiformats/multiaddr'
import { DEFAULTS, ID_BYTES, MAX_FRAME_BYTES } from '../../protocol/constants.js'
import type { ChokingConfig } from '../choking/choker.js'
import type { Prices } from '../../protocol/telemetry.js'

export class ConfigError extends Error {
  override name = 'ConfigError'
  readonly code = 'CONFIG'
}

export interface PeerConfig {
  /** Multiaddrs to listen on. Default: /ip4/127.0.0.1/tcp/0. */
  readonly listen: readonly string[]
  /** Multiaddrs of ring members to join through; empty starts a new ring. */
  readonly bootstrap: readonly string[]
  /** Directory for the identity key (and later the store); undefined = ephemeral identity. */
  readonly dataDir?: string
  /** host:port of the telemetry server; port 0 picks a free one; null disables it. Default 127.0.0.1:0. */
  readonly http: string | null
  /** Successor-list length r. Default 8. */
  readonly successors: number
  /** Stabilize period, ms. Default 1000. */
  readonly stabilizeMs: number
  /** Fix-fingers period, ms. Default 1000. */
  readonly fixFingersMs: number
  /** Check-predecessor period, ms. Default 1000. */
  readonly checkPredecessorMs: number
  /** Deadline of one RPC, ms. Default 2000. */
  readonly rpcTimeoutMs: number
  /** Deadline of a lookup or client operation, ms. Default 8000. */
  readonly lookupTimeoutMs: number
  /** Bound on a graceful leave, ms. Default 5000. */
  readonly leaveTimeoutMs: number
  /** Explicit ring position (hex), experiments only; needs allowExplicitIds. */
  readonly idHex?: string
  /** Accept ring ids that are not SHA-1 of the peer id. Every peer of such a ring needs it. */
  readonly allowExplicitIds: boolean
  /** Copies of every key: the owner and the next replicas-1 successors. Default 3. */
  readonly replicas: number
  /** Replicas that must hold a write durably before it is acknowledged. Default 2. */
  readonly writeQuorum: number
  /** Period of an anti-entropy round with the replicas, ms. Default 5000. */
  readonly repairMs: number
  /** Lifetime of a delete's tombstone, ms. Default 1 day. */
  readonly tombstoneTtlMs: number
  /** Unit prices of the cost terms (docs/cost-model.md). Default 1 each. */
  readonly prices: Readonly<Prices>
  /** Byte limit of the key store. Default 256 MiB. */
  readonly maxStoreBytes: number
  /** Most a version may be ahead of our clock, ms; a failed write is held back this long. Default 1000. */
  readonly maxClockSkewMs: number
  /** Shift of the clock versions are minted from, ms. Fault tests only (a peer whose clock runs ahead). Default 0. */
  readonly clockOffsetMs: number
  /** Period of the partition-healing check, ms. Default 10000. */
  readonly healMs: number
  /** pino level. Default info. */
  readonly logLevel: string
  /** Tit-for-tat choking of service and forwarding (docs/choking.md). */
  readonly choking: Readonly<ChokingConfig>
  /** What one remote address or peer can make this peer hold; defaults in DEFAULTS.limits. */
  readonly limits: Readonly<ResourceLimits>
}

/** Connection and memory limits against floods (README "RPC"); defaults and their sources in DEFAULTS.limits. */
export interface ResourceLimits {
  /** Inbound connections accepted per second from one IP. Default 5. */
  connRatePerIp: number
  /** Inbound handshakes in progress, all addresses. Default 16. */
  maxPendingHandshakes: number
  /** Inbound handshakes in progress from one IP. Default 4. */
  maxPendingHandshakesPerIp: number
  /** Time an inbound connection has to finish Noise + yamux, ms. Default 5000. */
  handshakeTimeoutMs: number
  /** Open connections, inbound and outbound. Default 300. */
  maxConnections: number
  /** Inbound connections, open or in handshake, from one IP. Default 16. */
  maxConnectionsPerIp: number
  /** Time a partial frame may take to complete before its stream is closed, ms. Default 10000. */
  frameTimeoutMs: number
  /** Bytes of partial frames and requests in flight per remote peer and per remote IP. Default 8 MiB. */
  maxBufferedBytesPerRemote: number
  /** The same, all remotes together. Default 64 MiB. */
  maxBufferedBytes: number
}

export type PeerConfigInput = Partial<{ -readonly [K in Exclude<keyof PeerConfig, 'choking' | 'limits'>]: PeerConfig[K] }> & { choking?: Partial<ChokingConfig>, limits?: Partial<ResourceLimits> }

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']

function positiveInt (name: string, v: unknown, min = 1, max = 86_400_000): number {
  const n = typeof v === 'string' ? Number(v) : v
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`${name} must be an integer in [${min}, ${max}], got ${String(v)}`)
  }
  return n
}

function integer (name: string, v: unknown, min: number, max: number): number {
  const n = typeof v === 'string' ? Number(v) : v
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) throw new ConfigError(`${name} must be an integer in [${min}, ${max}], got ${String(v)}`)
  return n
}

function price (name: string, v: unknown): number {
  if (v == null) return 1
  const n = typeof v === 'string' ? Number(v) : v
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) throw new ConfigError(`${name} must be a number >= 0, got ${String(v)}`)
  return n
}

function resolveChoking (c: Partial<ChokingConfig>): ChokingConfig {
  const d = DEFAULTS.choking
  const out: ChokingConfig = {
    enabled: c.enabled ?? d.enabled,
    rechokeMs: positiveInt('rechoke-ms', c.rechokeMs ?? d.rechokeMs, 10),
    unchokeSlots: positiveInt('unchoke-slots', c.unchokeSlots ?? d.unchokeSlots, 0, 1024),
    optimisticSlots: positiveInt('optimistic-slots', c.optimisticSlots ?? d.optimisticSlots, 0, 1024),
    optimisticEvery: positiveInt('optimistic-every', c.optimisticEvery ?? d.optimisticEvery, 1, 1_000_000),
    capacity: positiveInt('capacity', c.capacity ?? d.capacity, 0, 10_000_000),
    windowMs: positiveInt('choke-window-ms', c.windowMs ?? d.windowMs, 10),
    behavior: c.behavior ?? 'contributor'
  }
  if (out.behavior !== 'contributor' && out.behavior !== 'freerider') throw new ConfigError(`behavior must be contributor or freerider, got "${String(out.behavior)}"`)
  if (out.optimisticSlots > out.unchokeSlots) throw new ConfigError(`optimistic-slots (${out.optimisticSlots}) must be at most unchoke-slots (${out.unchokeSlots})`)
  if (out.windowMs < out.rechokeMs) throw new ConfigError('choke-window-ms must be at least rechoke-ms')
  return Object.freeze(out)
}

function resolveLimits (l: Partial<ResourceLimits>): ResourceLimits {
  const d = DEFAULTS.limits
  const max = Number.MAX_SAFE_INTEGER
  const out: ResourceLimits = {
    connRatePerIp: positiveInt('conn-rate-per-ip', l.connRatePerIp ?? d.connRatePerIp, 1, 1_000_000),
    maxPendingHandshakes: positiveInt('max-pending-handshakes', l.maxPendingHandshakes ?? d.maxPendingHandshakes, 1, 1_000_000),
    maxPendingHandshakesPerIp: positiveInt('max-pending-handshakes-per-ip', l.maxPendingHandshakesPerIp ?? d.maxPendingHandshakesPerIp, 1, 1_000_000),
    handshakeTimeoutMs: positiveInt('handshake-timeout-ms', l.handshakeTimeoutMs ?? d.handshakeTimeoutMs, 100),
    maxConnections: positiveInt('max-connections', l.maxConnections ?? d.maxConnections, 1, 1_000_000),
    maxConnectionsPerIp: positiveInt('max-connections-per-ip', l.maxConnectionsPerIp ?? d.maxConnectionsPerIp, 1, 1_000_000),
    frameTimeoutMs: positiveInt('frame-timeout-ms', l.frameTimeoutMs ?? d.frameTimeoutMs, 100),
    // At least one frame of the largest size must fit, or a 1 MiB value could never be stored.
    maxBufferedBytesPerRemote: positiveInt('max-buffered-bytes-per-remote', l.maxBufferedBytesPerRemote ?? d.maxBufferedBytesPerRemote, 2 * MAX_FRAME_BYTES, max),
    maxBufferedBytes: positiveInt('max-buffered-bytes', l.maxBufferedBytes ?? d.maxBufferedBytes, 2 * MAX_FRAME_BYTES, max)
  }
  if (out.maxPendingHandshakesPerIp > out.maxPendingHandshakes) throw new ConfigError(`max-pending-handshakes-per-ip (${out.maxPendingHandshakesPerIp}) must be at most max-pending-handshakes (${out.maxPendingHandshakes})`)
  if (out.maxConnectionsPerIp > out.maxConnections) throw new ConfigError(`max-connections-per-ip (${out.maxConnectionsPerIp}) must be at most max-connections (${out.maxConnections})`)
  if (out.maxBufferedBytesPerRemote > out.maxBufferedBytes) throw new ConfigError(`max-buffered-bytes-per-remote (${out.maxBufferedBytesPerRemote}) must be at most max-buffered-bytes (${out.maxBufferedBytes})`)
  return Object.freeze(out)
}

function checkAddrs (name: string, addrs: readonly string[]): string[] {
  return addrs.map(a => {
    try {
      return multiaddr(a).toString()
    } catch (err) {
      throw new ConfigError(`${name}: "${a}" is not a multiaddr (${(err as Error).message})`)
    }
  })
}

export function resolveConfig (input: PeerConfigInput): PeerConfig {
  const cfg: PeerConfig = {
    listen: checkAddrs('listen', input.listen != null && input.listen.length > 0 ? input.listen : ['/ip4/127.0.0.1/tcp/0']),
    bootstrap: checkAddrs('bootstrap', input.bootstrap ?? []),
    dataDir: input.dataDir === '' ? undefined : input.dataDir,
    http: input.http === undefined ? '127.0.0.1:0' : input.http === 'off' ? null : input.http,
    successors: positiveInt('successors', input.successors ?? DEFAULTS.successors, 1, 64),
    stabilizeMs: positiveInt('stabilize-ms', input.stabilizeMs ?? DEFAULTS.stabilizeMs, 10),
    fixFingersMs: positiveInt('fix-fingers-ms', input.fixFingersMs ?? DEFAULTS.fixFingersMs, 10),
    checkPredecessorMs: positiveInt('check-predecessor-ms', input.checkPredecessorMs ?? DEFAULTS.checkPredecessorMs, 10),
    rpcTimeoutMs: positiveInt('rpc-timeout-ms', input.rpcTimeoutMs ?? DEFAULTS.rpcTimeoutMs, 10),
    lookupTimeoutMs: positiveInt('lookup-timeout-ms', input.lookupTimeoutMs ?? DEFAULTS.lookupTimeoutMs, 10),
    leaveTimeoutMs: positiveInt('leave-timeout-ms', input.leaveTimeoutMs ?? DEFAULTS.leaveTimeoutMs, 10),
    idHex: input.idHex === '' ? undefined : input.idHex,
    allowExplicitIds: input.allowExplicitIds ?? false,
    replicas: positiveInt('replicas', input.replicas ?? DEFAULTS.replicas, 1, 64),
    writeQuorum: positiveInt('write-quorum', input.writeQuorum ?? DEFAULTS.writeQuorum, 1, 64),
    repairMs: positiveInt('repair-ms', input.repairMs ?? DEFAULTS.repairMs, 10),
    tombstoneTtlMs: positiveInt('tombstone-ttl-ms', input.tombstoneTtlMs ?? DEFAULTS.tombstoneTtlMs, 1, Number.MAX_SAFE_INTEGER),
    prices: Object.freeze({
      service: price('price-service', input.prices?.service),
      forwarding: price('price-forward', input.prices?.forwarding),
      maintenance: price('price-maintenance', input.prices?.maintenance),
      access: price('price-access', input.prices?.access)
    }),
    maxStoreBytes: positiveInt('max-store-bytes', input.maxStoreBytes ?? DEFAULTS.maxStoreBytes, 1, Number.MAX_SAFE_INTEGER),
    maxClockSkewMs: positiveInt('max-clock-skew-ms', input.maxClockSkewMs ?? DEFAULTS.maxClockSkewMs, 1, 3_600_000),
    clockOffsetMs: integer('clock-offset-ms', input.clockOffsetMs ?? 0, -86_400_000, 86_400_000),
    healMs: positiveInt('heal-ms', input.healMs ?? DEFAULTS.healMs, 10),
    logLevel: input.logLevel ?? DEFAULTS.logLevel,
    choking: resolveChoking(input.choking ?? {}),
    limits: resolveLimits(input.limits ?? {})
  }
  if (cfg.http != null) {
    const m = /^([^\s]+):(\d{1,5})$/.exec(cfg.http)
    if (m == null || Number(m[2]) > 65535) throw new ConfigError(`http must be host:port (port 0-65535) or "off", got "${cfg.http}"`)
  }
  if (cfg.idHex != null) {
    if (!/^[0-9a-fA-F]{1,40}$/.test(cfg.idHex)) throw new ConfigError(`id-hex must be 1 to ${ID_BYTES * 2} hex digits, got "${cfg.idHex}"`)
    if (!cfg.allowExplicitIds) throw new ConfigError('id-hex needs --allow-explicit-ids (and every peer of the ring must run with it)')
  }
  if (!LEVELS.includes(cfg.logLevel)) throw new ConfigError(`log-level must be one of ${LEVELS.join(', ')}, got "${cfg.logLevel}"`)
  if (cfg.replicas > cfg.successors + 1) throw new ConfigError(`replicas (${cfg.replicas}) must be at most successors + 1 (${cfg.successors + 1}): replicas live on the successor list`)
  if (cfg.writeQuorum > cfg.replicas) throw new ConfigError(`write-quorum (${cfg.writeQuorum}) must be at most replicas (${cfg.replicas})`)
  if (cfg.lookupTimeoutMs < cfg.rpcTimeoutMs) throw new ConfigError('lookup-timeout-ms must be at least rpc-timeout-ms')
  // A write's failure is held back max-clock-skew-ms (writeFence.ts): a client operation must outlast it.
  if (cfg.maxClockSkewMs * 2 > cfg.lookupTimeoutMs) throw new ConfigError(`max-clock-skew-ms (${cfg.maxClockSkewMs}) must be at most half of lookup-timeout-ms (${cfg.lookupTimeoutMs})`)
  return Object.freeze({ ...cfg, listen: Object.freeze([...cfg.listen]), bootstrap: Object.freeze([...cfg.bootstrap]) })
}
