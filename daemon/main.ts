#!/usr/bin/env node
// chordd: run one Chord peer. Flags > CHORD_* environment > defaults (protocol/constants.ts).
import './host/quietWarnings.js'
import { Command, Option } from 'commander'
import { pino } from 'pino'
import { DEFAULTS } from '../protocol/constants.js'
import { ConfigError, resolveConfig, type PeerConfigInput } from './host/config.js'
import { ChordPeer } from './host/peer.js'

const collect = (v: string, prev: string[] = []): string[] => [...prev, v]

const program = new Command('chordd')
  .description('a Chord peer on libp2p that meters what participating costs it')
  .addOption(new Option('--listen <multiaddr>', 'address to listen on (repeatable)').env('CHORD_LISTEN').argParser(collect))
  .addOption(new Option('--bootstrap <multiaddr>', 'ring member to join through (repeatable); none starts a new ring').env('CHORD_BOOTSTRAP').argParser(collect))
  .addOption(new Option('--data-dir <dir>', 'directory for the identity key').env('CHORD_DATA_DIR'))
  .addOption(new Option('--http <host:port|off>', 'telemetry/health server').env('CHORD_HTTP').default('127.0.0.1:0'))
  .addOption(new Option('--successors <r>', 'successor-list length').env('CHORD_SUCCESSORS').default(String(DEFAULTS.successors)))
  .addOption(new Option('--stabilize-ms <ms>', 'stabilize period').env('CHORD_STABILIZE_MS').default(String(DEFAULTS.stabilizeMs)))
  .addOption(new Option('--fix-fingers-ms <ms>', 'fix-fingers period').env('CHORD_FIX_FINGERS_MS').default(String(DEFAULTS.fixFingersMs)))
  .addOption(new Option('--check-predecessor-ms <ms>', 'check-predecessor period').env('CHORD_CHECK_PREDECESSOR_MS').default(String(DEFAULTS.checkPredecessorMs)))
  .addOption(new Option('--rpc-timeout-ms <ms>', 'deadline of one RPC').env('CHORD_RPC_TIMEOUT_MS').default(String(DEFAULTS.rpcTimeoutMs)))
  .addOption(new Option('--lookup-timeout-ms <ms>', 'deadline of a lookup or client operation').env('CHORD_LOOKUP_TIMEOUT_MS').default(String(DEFAULTS.lookupTimeoutMs)))
  .addOption(new Option('--leave-timeout-ms <ms>', 'bound on a graceful leave').env('CHORD_LEAVE_TIMEOUT_MS').default(String(DEFAULTS.leaveTimeoutMs)))
  .addOption(new Option('--replicas <r>', 'copies of every key (owner + r-1 successors)').env('CHORD_REPLICAS').default(String(DEFAULTS.replicas)))
  .addOption(new Option('--write-quorum <w>', 'replicas holding a write durably before it is acknowledged').env('CHORD_WRITE_QUORUM').default(String(DEFAULTS.writeQuorum)))
  .addOption(new Option('--repair-ms <ms>', 'anti-entropy period').env('CHORD_REPAIR_MS').default(String(DEFAULTS.repairMs)))
  .addOption(new Option('--tombstone-ttl-ms <ms>', 'lifetime of a delete tombstone').env('CHORD_TOMBSTONE_TTL_MS').default(String(DEFAULTS.tombstoneTtlMs)))
  .addOption(new Option('--price-service <p>', 'price of one request served for a key held').env('CHORD_PRICE_SERVICE').default('1'))
  .addOption(new Option('--price-forward <p>', 'price of one lookup forwarded for another peer').env('CHORD_PRICE_FORWARD').default('1'))
  .addOption(new Option('--price-maintenance <p>', 'price of one maintenance message sent or received').env('CHORD_PRICE_MAINTENANCE').default('1'))
  .addOption(new Option('--price-access <p>', 'price of one hop of an own lookup').env('CHORD_PRICE_ACCESS').default('1'))
  .addOption(new Option('--max-store-bytes <n>', 'byte limit of the key store').env('CHORD_MAX_STORE_BYTES').default(String(DEFAULTS.maxStoreBytes)))
  .addOption(new Option('--id-hex <hex>', 'explicit ring position (experiments; needs --allow-explicit-ids)').env('CHORD_ID_HEX'))
  .addOption(new Option('--allow-explicit-ids', 'accept ring ids that are not SHA-1 of the peer id (every peer of the ring needs it)').env('CHORD_ALLOW_EXPLICIT_IDS'))
  .addOption(new Option('--choking <on|off>', 'tit-for-tat choking of service and forwarding (docs/choking.md)').env('CHORD_CHOKING').choices(['on', 'off']).default(DEFAULTS.choking.enabled ? 'on' : 'off'))
  .addOption(new Option('--rechoke-ms <ms>', 'rechoke period (BEP 3: 10 s)').env('CHORD_RECHOKE_MS').default(String(DEFAULTS.choking.rechokeMs)))
  .addOption(new Option('--unchoke-slots <n>', 'peers unchoked at once, optimistic ones included').env('CHORD_UNCHOKE_SLOTS').default(String(DEFAULTS.choking.unchokeSlots)))
  .addOption(new Option('--optimistic-slots <n>', 'of which unchoked on trust').env('CHORD_OPTIMISTIC_SLOTS').default(String(DEFAULTS.choking.optimisticSlots)))
  .addOption(new Option('--optimistic-every <rounds>', 'rechoke rounds between optimistic rotations').env('CHORD_OPTIMISTIC_EVERY').default(String(DEFAULTS.choking.optimisticEvery)))
  .addOption(new Option('--capacity <req/s>', 'requests/s served for choked peers, all together').env('CHORD_CAPACITY').default(String(DEFAULTS.choking.capacity)))
  .addOption(new Option('--choke-window-ms <ms>', 'window over which contributions are summed').env('CHORD_CHOKE_WINDOW_MS').default(String(DEFAULTS.choking.windowMs)))
  .addOption(new Option('--behavior <kind>', 'contributor, or freerider: answers maintenance, serves and forwards nothing (experiments)').env('CHORD_BEHAVIOR').choices(['contributor', 'freerider']).default('contributor'))
  .addOption(new Option('--conn-rate-per-ip <n/s>', 'inbound connections accepted per second from one IP').env('CHORD_CONN_RATE_PER_IP').default(String(DEFAULTS.limits.connRatePerIp)))
  .addOption(new Option('--max-pending-handshakes <n>', 'inbound handshakes in progress, all addresses').env('CHORD_MAX_PENDING_HANDSHAKES').default(String(DEFAULTS.limits.maxPendingHandshakes)))
  .addOption(new Option('--max-pending-handshakes-per-ip <n>', 'inbound handshakes in progress from one IP').env('CHORD_MAX_PENDING_HANDSHAKES_PER_IP').default(String(DEFAULTS.limits.maxPendingHandshakesPerIp)))
  .addOption(new Option('--handshake-timeout-ms <ms>', 'time an inbound connection has to finish its handshake').env('CHORD_HANDSHAKE_TIMEOUT_MS').default(String(DEFAULTS.limits.handshakeTimeoutMs)))
  .addOption(new Option('--max-connections <n>', 'open connections, inbound and outbound').env('CHORD_MAX_CONNECTIONS').default(String(DEFAULTS.limits.maxConnections)))
  .addOption(new Option('--max-connections-per-ip <n>', 'inbound connections (open or in handshake) from one IP').env('CHORD_MAX_CONNECTIONS_PER_IP').default(String(DEFAULTS.limits.maxConnectionsPerIp)))
  .addOption(new Option('--frame-timeout-ms <ms>', 'a partial frame not completed within this closes its stream').env('CHORD_FRAME_TIMEOUT_MS').default(String(DEFAULTS.limits.frameTimeoutMs)))
  .addOption(new Option('--max-buffered-bytes-per-remote <bytes>', 'partial frames + requests in flight, per remote peer and per remote IP').env('CHORD_MAX_BUFFERED_BYTES_PER_REMOTE').default(String(DEFAULTS.limits.maxBufferedBytesPerRemote)))
  .addOption(new Option('--max-buffered-bytes <bytes>', 'partial frames + requests in flight, all remotes together').env('CHORD_MAX_BUFFERED_BYTES').default(String(DEFAULTS.limits.maxBufferedBytes)))
  .addOption(new Option('--max-clock-skew-ms <ms>', 'most a version may be ahead of this peer\'s clock; a failed write is held back this long').env('CHORD_MAX_CLOCK_SKEW_MS').default(String(DEFAULTS.maxClockSkewMs)))
  .addOption(new Option('--heal-ms <ms>', 'period of the partition-healing check').env('CHORD_HEAL_MS').default(String(DEFAULTS.healMs)))
  .addOption(new Option('--clock-offset-ms <ms>', 'shift the clock versions are minted from (fault tests only)').env('CHORD_CLOCK_OFFSET_MS').default('0').hideHelp())
  .addOption(new Option('--log-level <level>', 'pino log level').env('CHORD_LOG_LEVEL').default(DEFAULTS.logLevel))
  .exitOverride()

async function main (): Promise<void> {
  let input: PeerConfigInput
  try {
    program.parse()
    const o = program.opts()
    // An env var holds one value; commas separate several.
    const list = (v: string[] | undefined): string[] => (v ?? []).flatMap(s => s.split(',')).map(s => s.trim()).filter(s => s !== '')
    input = {
      listen: list(o.listen),
      bootstrap: list(o.bootstrap),
      dataDir: o.dataDir,
      http: o.http,
      successors: Number(o.successors),
      stabilizeMs: Number(o.stabilizeMs),
      fixFingersMs: Number(o.fixFingersMs),
      checkPredecessorMs: Number(o.checkPredecessorMs),
      rpcTimeoutMs: Number(o.rpcTimeoutMs),
      lookupTimeoutMs: Number(o.lookupTimeoutMs),
      leaveTimeoutMs: Number(o.leaveTimeoutMs),
      maxStoreBytes: Number(o.maxStoreBytes),
      prices: { service: o.priceService, forwarding: o.priceForward, maintenance: o.priceMaintenance, access: o.priceAccess },
      replicas: Number(o.replicas),
      writeQuorum: Number(o.writeQuorum),
      repairMs: Number(o.repairMs),
      tombstoneTtlMs: Number(o.tombstoneTtlMs),
      idHex: o.idHex,
      allowExplicitIds: o.allowExplicitIds === true || o.allowExplicitIds === 'true' || o.allowExplicitIds === '1',
      maxClockSkewMs: Number(o.maxClockSkewMs),
      healMs: Number(o.healMs),
      clockOffsetMs: Number(o.clockOffsetMs),
      logLevel: o.logLevel,
      choking: {
        enabled: o.choking === 'on',
        rechokeMs: Number(o.rechokeMs),
        unchokeSlots: Number(o.unchokeSlots),
        optimisticSlots: Number(o.optimisticSlots),
        optimisticEvery: Number(o.optimisticEvery),
        capacity: Number(o.capacity),
        windowMs: Number(o.chokeWindowMs),
        behavior: o.behavior
      },
      limits: {
        connRatePerIp: Number(o.connRatePerIp),
        maxPendingHandshakes: Number(o.maxPendingHandshakes),
        maxPendingHandshakesPerIp: Number(o.maxPendingHandshakesPerIp),
        handshakeTimeoutMs: Number(o.handshakeTimeoutMs),
        maxConnections: Number(o.maxConnections),
        maxConnectionsPerIp: Number(o.maxConnectionsPerIp),
        frameTimeoutMs: Number(o.frameTimeoutMs),
        maxBufferedBytesPerRemote: Number(o.maxBufferedBytesPerRemote),
        maxBufferedBytes: Number(o.maxBufferedBytes)
      }
    }
  } catch (err) {
    if ((err as { exitCode?: number }).exitCode === 0) process.exit(0)
    process.exit(2)
  }
  let config
  try {
    config = resolveConfig(input)
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`chordd: ${err.message}\n`)
      process.exit(2)
    }
    throw err
  }
  const log = pino({ level: config.logLevel })
  const peer = new ChordPeer(config, log)
  let signals = 0
  const shutdown = (sig: string): void => {
    if (++signals > 1) { log.warn({ signal: sig }, 'second signal: exiting now'); process.exit(1) }
    log.info({ event: 'shutdown', signal: sig }, 'leaving the ring')
    // Bounded: leave-timeout plus time to close sockets.
    setTimeout(() => { log.error('stop took too long; exiting'); process.exit(1) }, config.leaveTimeoutMs + 5_000).unref()
    peer.stop({ leave: true }).then(() => process.exit(0), err => { log.error({ err }, 'stop failed'); process.exit(1) })
  }
  process.on('SIGTERM', () => { shutdown('SIGTERM') })
  process.on('SIGINT', () => { shutdown('SIGINT') })
  await peer.start()
}

main().catch(err => {
  process.stderr.write(`chordd: ${(err as Error).stack ?? String(err)}\n`)
  process.exit(1)
})
