// Every setting of chordd, once: its config key, flag, CHORD_* variable, default, unit, kind and
// the words --help and README say about it (as fastify checks its options against one schema and
// then freezes them). config.ts resolves a PeerConfig from it, commandLine.ts makes the flags,
// `npm run docs:options` writes README's table. Defaults shared with other code live in DEFAULTS.
import { DEFAULTS, ID_BYTES, MAX_FRAME_BYTES } from '../../protocol/constants.js'
import type { Prices } from '../../protocol/telemetry.js'
import type { ChokingConfig } from '../choking/choker.js'
import type { PeerConfig, ResourceLimits } from './peerConfig.js'
import { choice, hex, hostPortOrOff, int, multiaddrs, nonNegative, onOff, path, switchFlag, type Kind } from './optionKinds.js'

export type Unit = 'ms' | 'bytes' | 'req/s' | 'conn/s' | 'rounds'

export interface OptionSpec<T> {
  /** The flag and its value placeholder, as commander takes them: '--stabilize-ms <ms>'; no placeholder for a switch. */
  readonly flag: string
  /** The CHORD_* variable that sets it when the flag is not given. */
  readonly env: string
  /** The value when nothing sets it; undefined (or an empty list) for none, see `none`. */
  readonly default: T
  readonly kind: Kind<T>
  readonly unit?: Unit
  /** What it does, in a few words, for --help. */
  readonly help: string
  /** What it does, for README's table. Default: `help`. */
  readonly readme?: string
  /** README's default column for an option without a default: what happens when it is not set. */
  readonly none?: string
  /** Left out of --help (fault-test options); README still lists it. */
  readonly hidden?: boolean
}

/** The config's nested groups, keyed `group.field` in the table. */
interface Groups { choking: ChokingConfig, limits: ResourceLimits, prices: Prices }
type Group = keyof Groups
/** A setting's place in PeerConfig: 'stabilizeMs', 'choking.rechokeMs', ... */
export type OptionKey = Exclude<keyof PeerConfig, Group> | { [G in Group]: `${G}.${keyof Groups[G] & string}` }[Group]
export type OptionValue<K extends OptionKey> = K extends `${infer G extends Group}.${infer F}` ? Groups[G][F & keyof Groups[G]] : K extends keyof PeerConfig ? PeerConfig[K] : never
/** Defaults that a program sets in place of the table's (tools/swarm.ts). */
export type OptionDefaults = { readonly [K in OptionKey]?: OptionValue<K> }

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const
/** Periods and deadlines: at least 10 ms, at most a day. */
const period = int({ min: 10 })
const count = int({ max: 1_000_000 })
/** Byte counts and long lifetimes. */
const large = int({ max: Number.MAX_SAFE_INTEGER })
// At least one frame of the largest size must fit, or a 1 MiB value could never be stored.
const bufferBytes = int({ min: 2 * MAX_FRAME_BYTES, max: Number.MAX_SAFE_INTEGER })

/** In --help and README order. */
export const OPTIONS: { readonly [K in OptionKey]: OptionSpec<OptionValue<K>> } = {
  listen: {
    flag: '--listen <multiaddr>', env: 'CHORD_LISTEN', default: ['/ip4/127.0.0.1/tcp/0'], kind: multiaddrs,
    help: 'address to listen on', readme: 'address to listen on; port 0 picks a free one'
  },
  bootstrap: {
    flag: '--bootstrap <multiaddr>', env: 'CHORD_BOOTSTRAP', default: [], kind: multiaddrs, none: 'start a new ring',
    help: 'ring member to join through; none starts a new ring',
    readme: 'ring member to join through; without `/p2p/<id>` the peer id is learned by dialling; join is retried with backoff until it works'
  },
  dataDir: {
    flag: '--data-dir <dir>', env: 'CHORD_DATA_DIR', default: undefined, kind: path, none: 'new identity, in-memory store',
    help: 'directory for the identity key and the key store',
    readme: 'holds `peer.key` (mode 0600), so a restarted peer keeps its peer id and ring position, and the key store `store.db`, so it keeps its keys'
  },
  http: {
    flag: '--http <host:port|off>', env: 'CHORD_HTTP', default: '127.0.0.1:0', kind: hostPortOrOff,
    help: 'telemetry/health server; port 0 picks a free one',
    readme: 'telemetry: `/healthz`, `/readyz` (joined and stable), `/stats` (JSON), `/metrics` (Prometheus); port 0 picks a free one'
  },
  successors: {
    flag: '--successors <r>', env: 'CHORD_SUCCESSORS', default: DEFAULTS.successors, kind: int({ max: 64 }),
    help: 'successor-list length'
  },
  maintenance: {
    flag: '--maintenance <mode>', env: 'CHORD_MAINTENANCE', default: 'adaptive', kind: choice(['adaptive', 'fixed']),
    help: 'adaptive: quiet rounds stretch the maintenance periods (MIT lsd); fixed: every base period',
    readme: 'adaptive (MIT lsd): a stabilize, check-predecessor, fix-fingers or repair round that changed nothing stretches its period x1.2 up to its `-max-ms` bound, and a change puts the periods it concerns back to their base at once; fixed: every base period, as Stoica et al. ([Adaptive maintenance](#adaptive-maintenance))'
  },
  stabilizeMs: {
    flag: '--stabilize-ms <ms>', env: 'CHORD_STABILIZE_MS', default: DEFAULTS.stabilizeMs, kind: period, unit: 'ms',
    help: 'stabilize period', readme: 'stabilize (+ notify) period'
  },
  stabilizeMaxMs: {
    flag: '--stabilize-max-ms <ms>', env: 'CHORD_STABILIZE_MAX_MS', default: undefined, kind: period, unit: 'ms', none: '20 x `--stabilize-ms` (lsd: 1 s to 20 s)',
    help: 'longest stabilize period in adaptive mode (default 20 x --stabilize-ms)',
    readme: 'longest stabilize period in adaptive mode; check-predecessor stretches to it too; at least `--stabilize-ms`'
  },
  fixFingersMs: {
    flag: '--fix-fingers-ms <ms>', env: 'CHORD_FIX_FINGERS_MS', default: DEFAULTS.fixFingersMs, kind: period, unit: 'ms',
    help: 'fix-fingers period', readme: 'fix-fingers period: one finger lookup per period'
  },
  fixFingersMaxMs: {
    flag: '--fix-fingers-max-ms <ms>', env: 'CHORD_FIX_FINGERS_MAX_MS', default: undefined, kind: period, unit: 'ms', none: '16 x `--fix-fingers-ms` (lsd: 1 s to 16 s)',
    help: 'longest fix-fingers period in adaptive mode (default 16 x --fix-fingers-ms)',
    readme: 'longest fix-fingers period in adaptive mode; at least `--fix-fingers-ms`'
  },
  checkPredecessorMs: {
    flag: '--check-predecessor-ms <ms>', env: 'CHORD_CHECK_PREDECESSOR_MS', default: DEFAULTS.checkPredecessorMs, kind: period, unit: 'ms',
    help: 'check-predecessor period', readme: 'check-predecessor (predecessor liveness) period'
  },
  rpcTimeoutMs: {
    flag: '--rpc-timeout-ms <ms>', env: 'CHORD_RPC_TIMEOUT_MS', default: DEFAULTS.rpcTimeoutMs, kind: period, unit: 'ms',
    help: 'deadline of one RPC', readme: 'deadline of one RPC to one peer'
  },
  lookupTimeoutMs: {
    flag: '--lookup-timeout-ms <ms>', env: 'CHORD_LOOKUP_TIMEOUT_MS', default: DEFAULTS.lookupTimeoutMs, kind: period, unit: 'ms',
    help: 'deadline of a lookup or client operation', readme: 'deadline of a lookup or client operation; at least `--rpc-timeout-ms`'
  },
  leaveTimeoutMs: {
    flag: '--leave-timeout-ms <ms>', env: 'CHORD_LEAVE_TIMEOUT_MS', default: DEFAULTS.leaveTimeoutMs, kind: period, unit: 'ms',
    help: 'bound on a graceful leave', readme: 'bound on a graceful leave (SIGTERM, SIGINT)'
  },
  replicas: {
    flag: '--replicas <r>', env: 'CHORD_REPLICAS', default: DEFAULTS.replicas, kind: int({ max: 64 }),
    help: 'copies of every key (owner + r-1 successors)',
    readme: 'copies of every key: the owner and its next r-1 successors; at most `--successors` + 1'
  },
  writeQuorum: {
    flag: '--write-quorum <w>', env: 'CHORD_WRITE_QUORUM', default: DEFAULTS.writeQuorum, kind: int({ max: 64 }),
    help: 'replicas holding a write durably before it is acknowledged',
    readme: 'replicas holding a write durably before it is acknowledged; at most `--replicas`'
  },
  repairMs: {
    flag: '--repair-ms <ms>', env: 'CHORD_REPAIR_MS', default: DEFAULTS.repairMs, kind: period, unit: 'ms',
    help: 'anti-entropy period', readme: 'period of an anti-entropy round with the replicas'
  },
  repairMaxMs: {
    flag: '--repair-max-ms <ms>', env: 'CHORD_REPAIR_MAX_MS', default: undefined, kind: period, unit: 'ms', none: '12 x `--repair-ms`',
    help: 'longest anti-entropy period in adaptive mode (default 12 x --repair-ms)',
    readme: 'longest anti-entropy period in adaptive mode, reached while rounds move nothing and the ring does not change; at least `--repair-ms`'
  },
  tombstoneTtlMs: {
    flag: '--tombstone-ttl-ms <ms>', env: 'CHORD_TOMBSTONE_TTL_MS', default: DEFAULTS.tombstoneTtlMs, kind: large, unit: 'ms',
    help: 'lifetime of a delete tombstone',
    readme: 'how long a delete\'s tombstone is kept; a replica away longer may bring the deleted key back'
  },
  maxStoreBytes: {
    flag: '--max-store-bytes <n>', env: 'CHORD_MAX_STORE_BYTES', default: DEFAULTS.maxStoreBytes, kind: large, unit: 'bytes',
    help: 'byte limit of the key store', readme: 'byte limit of the key store (keys + values); past it puts get `STORE_FULL`'
  },
  maxClockSkewMs: {
    flag: '--max-clock-skew-ms <ms>', env: 'CHORD_MAX_CLOCK_SKEW_MS', default: DEFAULTS.maxClockSkewMs, kind: int({ max: 3_600_000 }), unit: 'ms',
    help: 'most a version may be ahead of this peer\'s clock; a failed write is held back this long',
    readme: 'most a version may be ahead of this peer\'s clock (`CLOCK_SKEW` past it); a failed write is held back this long before it is reported; at most half of `--lookup-timeout-ms` ([Faults and guarantees](#faults-and-guarantees))'
  },
  healMs: {
    flag: '--heal-ms <ms>', env: 'CHORD_HEAL_MS', default: DEFAULTS.healMs, kind: period, unit: 'ms',
    help: 'period of the partition-healing check', readme: 'period of the partition-healing check (two remembered members asked a round)'
  },
  clockOffsetMs: {
    flag: '--clock-offset-ms <ms>', env: 'CHORD_CLOCK_OFFSET_MS', default: 0, kind: int({ min: -86_400_000, max: 86_400_000 }), unit: 'ms', hidden: true,
    help: 'shift the clock versions are minted from (fault tests only)',
    readme: 'fault tests only: shift the clock versions are minted and checked by'
  },
  'prices.service': {
    flag: '--price-service <p>', env: 'CHORD_PRICE_SERVICE', default: 1, kind: nonNegative,
    help: 'price of one request served for a key held',
    readme: 'unit price of one request served for a key held: term S of the cost ([Cost meters](#cost-meters))'
  },
  'prices.forwarding': {
    flag: '--price-forward <p>', env: 'CHORD_PRICE_FORWARD', default: 1, kind: nonNegative,
    help: 'price of one lookup forwarded for another peer', readme: 'unit price of one lookup forwarded for another peer: term R'
  },
  'prices.maintenance': {
    flag: '--price-maintenance <p>', env: 'CHORD_PRICE_MAINTENANCE', default: 1, kind: nonNegative,
    help: 'price of one maintenance message sent or received', readme: 'unit price of one maintenance message sent or received: term M'
  },
  'prices.access': {
    flag: '--price-access <p>', env: 'CHORD_PRICE_ACCESS', default: 1, kind: nonNegative,
    help: 'price of one hop of an own lookup', readme: 'unit price of one hop of an own lookup: term A'
  },
  idHex: {
    flag: '--id-hex <hex>', env: 'CHORD_ID_HEX', default: undefined, kind: hex(ID_BYTES * 2), none: 'SHA-1 of the peer id',
    help: 'explicit ring position (experiments; needs --allow-explicit-ids)',
    readme: 'explicit ring position, for experiments only; needs `--allow-explicit-ids`'
  },
  allowExplicitIds: {
    flag: '--allow-explicit-ids', env: 'CHORD_ALLOW_EXPLICIT_IDS', default: false, kind: switchFlag,
    help: 'accept ring ids that are not SHA-1 of the peer id (every peer of the ring needs it)',
    readme: 'accept ring ids that are not SHA-1 of the peer id; every peer of such a ring needs it; the variable takes true, false, 1 or 0'
  },
  'choking.enabled': {
    flag: '--choking <on|off>', env: 'CHORD_CHOKING', default: DEFAULTS.choking.enabled, kind: onOff,
    help: 'tit-for-tat choking of service and forwarding (docs/choking.md)',
    readme: 'tit-for-tat choking of service and forwarding ([docs/choking.md](docs/choking.md)); off serves everyone'
  },
  'choking.rechokeMs': {
    flag: '--rechoke-ms <ms>', env: 'CHORD_RECHOKE_MS', default: DEFAULTS.choking.rechokeMs, kind: period, unit: 'ms',
    help: 'rechoke period (BEP 3: 10 s)'
  },
  'choking.unchokeSlots': {
    flag: '--unchoke-slots <n>', env: 'CHORD_UNCHOKE_SLOTS', default: DEFAULTS.choking.unchokeSlots, kind: int({ min: 0, max: 1024 }),
    help: 'peers unchoked at once, optimistic ones included', readme: 'remotes unchoked at once, optimistic ones included (BEP 3: 4)'
  },
  'choking.optimisticSlots': {
    flag: '--optimistic-slots <n>', env: 'CHORD_OPTIMISTIC_SLOTS', default: DEFAULTS.choking.optimisticSlots, kind: int({ min: 0, max: 1024 }),
    help: 'of which unchoked on trust', readme: 'of those, remotes unchoked on trust (optimistically); at most `--unchoke-slots`'
  },
  'choking.optimisticEvery': {
    flag: '--optimistic-every <rounds>', env: 'CHORD_OPTIMISTIC_EVERY', default: DEFAULTS.choking.optimisticEvery, kind: count, unit: 'rounds',
    help: 'rechoke rounds between optimistic rotations'
  },
  'choking.capacity': {
    flag: '--capacity <req/s>', env: 'CHORD_CAPACITY', default: DEFAULTS.choking.capacity, kind: int({ min: 0, max: 10_000_000 }), unit: 'req/s',
    help: 'requests/s served for choked peers, all together',
    readme: 'requests/s served for choked remotes, all together (shared by what each gave); past it they get `CHOKED`'
  },
  'choking.windowMs': {
    flag: '--choke-window-ms <ms>', env: 'CHORD_CHOKE_WINDOW_MS', default: DEFAULTS.choking.windowMs, kind: period, unit: 'ms',
    help: 'window over which contributions are summed', readme: 'window over which what each remote gave is summed; at least `--rechoke-ms`'
  },
  'choking.behavior': {
    flag: '--behavior <kind>', env: 'CHORD_BEHAVIOR', default: 'contributor', kind: choice(['contributor', 'freerider']),
    help: 'contributor, or freerider: answers maintenance, serves and forwards nothing (experiments)',
    readme: 'freerider: answers maintenance, refuses all service and forwarding (experiments)'
  },
  'limits.connRatePerIp': {
    flag: '--conn-rate-per-ip <n/s>', env: 'CHORD_CONN_RATE_PER_IP', default: DEFAULTS.limits.connRatePerIp, kind: count, unit: 'conn/s',
    help: 'inbound connections accepted per second from one IP', readme: 'inbound connections accepted per second from one IP (libp2p\'s default)'
  },
  'limits.maxPendingHandshakes': {
    flag: '--max-pending-handshakes <n>', env: 'CHORD_MAX_PENDING_HANDSHAKES', default: DEFAULTS.limits.maxPendingHandshakes, kind: count,
    help: 'inbound handshakes in progress, all addresses', readme: 'inbound connections in their Noise + yamux handshake, from all addresses'
  },
  'limits.maxPendingHandshakesPerIp': {
    flag: '--max-pending-handshakes-per-ip <n>', env: 'CHORD_MAX_PENDING_HANDSHAKES_PER_IP', default: DEFAULTS.limits.maxPendingHandshakesPerIp, kind: count,
    help: 'inbound handshakes in progress from one IP', readme: 'inbound connections in their handshake from one IP; at most `--max-pending-handshakes`'
  },
  'limits.handshakeTimeoutMs': {
    flag: '--handshake-timeout-ms <ms>', env: 'CHORD_HANDSHAKE_TIMEOUT_MS', default: DEFAULTS.limits.handshakeTimeoutMs, kind: int({ min: 100 }), unit: 'ms',
    help: 'time an inbound connection has to finish its handshake', readme: 'an inbound connection not through its handshake by then is dropped'
  },
  'limits.maxConnections': {
    flag: '--max-connections <n>', env: 'CHORD_MAX_CONNECTIONS', default: DEFAULTS.limits.maxConnections, kind: count,
    help: 'open connections, inbound and outbound', readme: 'open connections, both directions (libp2p\'s default)'
  },
  'limits.maxConnectionsPerIp': {
    flag: '--max-connections-per-ip <n>', env: 'CHORD_MAX_CONNECTIONS_PER_IP', default: DEFAULTS.limits.maxConnectionsPerIp, kind: count,
    help: 'inbound connections (open or in handshake) from one IP', readme: 'inbound connections (open or in handshake) from one IP; at most `--max-connections`'
  },
  'limits.frameTimeoutMs': {
    flag: '--frame-timeout-ms <ms>', env: 'CHORD_FRAME_TIMEOUT_MS', default: DEFAULTS.limits.frameTimeoutMs, kind: int({ min: 100 }), unit: 'ms',
    help: 'a partial frame not completed within this closes its stream', readme: 'a frame begun and not completed within this closes its stream (`TIMEOUT`)'
  },
  'limits.maxBufferedBytesPerRemote': {
    flag: '--max-buffered-bytes-per-remote <bytes>', env: 'CHORD_MAX_BUFFERED_BYTES_PER_REMOTE', default: DEFAULTS.limits.maxBufferedBytesPerRemote, kind: bufferBytes, unit: 'bytes',
    help: 'partial frames + requests in flight, per remote peer and per remote IP',
    readme: 'bytes of partial frames and of requests in flight (their answers until written), per remote peer id and per remote IP; past it `BUSY`'
  },
  'limits.maxBufferedBytes': {
    flag: '--max-buffered-bytes <bytes>', env: 'CHORD_MAX_BUFFERED_BYTES', default: DEFAULTS.limits.maxBufferedBytes, kind: bufferBytes, unit: 'bytes',
    help: 'partial frames + requests in flight, all remotes together', readme: 'the same, all remotes together; at least `--max-buffered-bytes-per-remote`'
  },
  logLevel: {
    flag: '--log-level <level>', env: 'CHORD_LOG_LEVEL', default: DEFAULTS.logLevel, kind: choice(LEVELS),
    help: 'pino log level'
  }
}

/** The table's keys, in its order. */
export const OPTION_KEYS = Object.keys(OPTIONS) as readonly OptionKey[]

/** The table's entry for `key`, its value type forgotten (for code that treats every entry alike). */
export const specOf = (key: OptionKey): OptionSpec<unknown> => OPTIONS[key] as OptionSpec<unknown>

/** The flag without its dashes and placeholder ('stabilize-ms'): ConfigErrors name options by it. */
export const flagName = (spec: OptionSpec<unknown>): string => spec.flag.replace(/^--/, '').replace(/ .*$/, '')

const MiB = 1024 * 1024
const DAY_MS = 86_400_000

/** A value as --help and README show it, unit included; undefined for none (undefined or an empty list). */
export function formatValue (spec: OptionSpec<unknown>, value: unknown): string | undefined {
  if (value === undefined || (Array.isArray(value) && value.length === 0)) return undefined
  const shown = spec.kind.show(value)
  if (typeof value !== 'number' || spec.unit == null) return shown
  const withUnit = `${shown} ${spec.unit}`
  if (spec.unit === 'bytes' && value % MiB === 0) return `${withUnit} = ${value / MiB} MiB`
  if (spec.unit === 'ms' && value !== 0 && value % DAY_MS === 0) return `${withUnit} = ${value / DAY_MS} day${value === DAY_MS ? '' : 's'}`
  return withUnit
}
