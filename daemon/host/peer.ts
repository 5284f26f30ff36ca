// One Chord peer: a libp2p node, its ring state, the RPC server and the periodic
// maintenance tasks. start() and stop() are safe to call twice; parts start in a fixed
// order and stop in the reverse one. This file wires the parts and runs their lifecycle;
// what the peer serves is handlers.ts, what it reports per request meters/requestHooks.ts,
// what it says of itself meters/telemetry.ts, its periodic tasks tasks.ts, its join join.ts.
import { setMaxListeners } from 'node:events'
import type { Libp2p } from '@libp2p/interface'
import { multiaddr } from '@multiformats/multiaddr'
import { pino, type Logger } from 'pino'
import { CHORD_PROTOCOL } from '../../protocol/constants.js'
import type { PeerRef } from '../../protocol/peerInfo.js'
import { shortId } from '../../protocol/ring.js'
import type { PeerConfig } from './config.js'
import { startPeerNode } from './identity.js'
import { createKeys, type Keys } from '../keys/keys.js'
import { AntiEntropy } from '../keys/antiEntropy.js'
import { RecordStore } from '../keys/store/recordStore.js'
import { HybridClock } from '../keys/store/hybridClock.js'
import { SkewMonitor } from '../keys/store/clockSkew.js'
import { RecordIntake } from '../keys/recordIntake.js'
import { Suspects } from '../ring/suspects.js'
import { WALK_SPARES } from '../keys/pastRefusals.js'
import { STAND_IN_SPARES } from '../keys/standIn.js'
import { ChangeHints } from '../ring/changeHints.js'
import { Maintenance } from '../ring/maintenance.js'
import { RingState } from '../ring/ringState.js'
import { Router } from '../ring/lookups.js'
import { RpcClient } from '../rpc/client.js'
import { RpcServer } from '../rpc/server.js'
import { TelemetryServer } from './httpServer.js'
import { CostMeters } from '../meters/costMeters.js'
import { requestHooks } from '../meters/requestHooks.js'
import { peerInfo, peerStats, ringDigest, type RingDigest, type TelemetryParts } from '../meters/telemetry.js'
import type { PeerInfoLine, PeerStats } from '../../protocol/telemetry.js'
import { Choker } from '../choking/choker.js'
import { chokingGate, probe } from '../choking/gate.js'
import { InNeighbours } from '../choking/inNeighbours.js'
import { handlerTable, type HandlerTableInit, type PeerParts } from './handlers.js'
import { joinWithRetry } from './join.js'
import { stabilizeGapMs } from './maintenanceSchedule.js'
import { PeerTasks } from './tasks.js'

export type { PeerParts }

export interface ChordPeerOptions {
  /** Fault tests only: handlers that replace the honest ones (a peer that lies), built from the peer's parts once started. */
  overrides?: HandlerTableInit['overrides']
}

export class ChordPeer {
  readonly config: PeerConfig
  /** What participating costs this peer (daemon/meters/costMeters.ts). */
  readonly meters = new CostMeters()
  /** Who gets served (docs/choking.md); set at start. */
  choker: Choker | undefined
  readonly #startedAt = Date.now()
  readonly #opts: ChordPeerOptions
  #log: Logger
  #libp2p: Libp2p | undefined
  #rpc: RpcClient | undefined
  #server: RpcServer | undefined
  #maintenance: Maintenance | undefined
  #keys: Keys | undefined
  #store: RecordStore | undefined
  #http: TelemetryServer | undefined
  /** What the peer's telemetry is read from (meters/telemetry.ts); set at start. */
  #telemetry: TelemetryParts | undefined
  #tasks: PeerTasks | undefined
  /** Ring RPCs refused because this peer had not joined yet (memberOnly.ts). */
  #refusedNotMember = 0
  #starting: Promise<void> | undefined
  #started = false
  #stopping: Promise<void> | undefined
  readonly #lifetime = new AbortController()

  constructor (config: PeerConfig, logger?: Logger, opts: ChordPeerOptions = {}) {
    this.config = config
    this.#opts = opts
    setMaxListeners(Infinity, this.#lifetime.signal) // every maintenance RPC listens to it
    this.#log = logger ?? pino({ level: config.logLevel })
  }

  get self (): PeerRef {
    return this.#parts().ring.self
  }

  async start (): Promise<void> {
    this.#starting ??= this.#start()
    await this.#starting
  }

  async #start (): Promise<void> {
    const cfg = this.config
    const { libp2p, self } = await startPeerNode(cfg)
    this.#libp2p = libp2p
    const log = this.#log = this.#log.child({ peer: shortId(self.id) })
    const verify = { allowExplicitIds: cfg.allowExplicitIds }

    // The predecessor list reaches back as far as a key's copies can sit past its owner: a
    // stand-in up to rank r - 1 + STAND_IN_SPARES, its r - 2 copies and WALK_SPARES past
    // refusals (aroundOwner.ts, pastRefusals.ts), and one more for the start of that owner's range.
    const ring = new RingState(self, cfg.successors, log.child({ component: 'ring' }), { predecessors: (cfg.replicas - 1 + STAND_IN_SPARES) + Math.max(0, cfg.replicas - 2) + WALK_SPARES + 1 })
    // The clock versions are minted from (offset only in fault tests: a peer whose clock runs ahead).
    const wallClock = cfg.clockOffsetMs === 0 ? Date.now : () => Date.now() + cfg.clockOffsetMs
    const clock = new HybridClock(wallClock, cfg.maxClockSkewMs)
    const skew = new SkewMonitor({ maxSkewMs: cfg.maxClockSkewMs, now: wallClock })
    const suspects = new Suspects()
    const intake = new RecordIntake({ ring, clock, log: log.child({ component: 'intake' }) })
    const meters = this.meters
    const choker = this.choker = new Choker(cfg.choking, log.child({ component: 'choking' }), {
      // A probe is one routing step (NEXT_HOP) for a random target: cheap to serve, and choked like any.
      probe: async (peerId, addr) => await probe(this.#rpc!, peerId, addr, cfg.rpcTimeoutMs)
    })
    const hooks = requestHooks({ meters, choker, suspects, skew })
    const rpc = this.#rpc = new RpcClient({ libp2p, log: log.child({ component: 'rpc' }), wallClock, onRequest: hooks.onRequest })
    // In-neighbours as routing candidates need ring ids derived from peer ids (docs/choking.md).
    // Only peers the ring vouches for (seen in ring structures, not merely heard from) become candidates.
    const inNeighbours = cfg.choking.enabled && !cfg.allowExplicitIds ? new InNeighbours({ skip: id => choker.distrusts(id) || suspects.has(id) || ring.known(id) == null }) : undefined
    const router = new Router({
      ring, rpc, verify, log: log.child({ component: 'router' }), rpcTimeoutMs: cfg.rpcTimeoutMs, suspects,
      extraCandidates: inNeighbours == null ? undefined : () => inNeighbours.list(),
      onDead: id => inNeighbours?.forget(id)
    })
    const store = this.#store = new RecordStore(cfg.dataDir, cfg.maxStoreBytes)
    const keys = this.#keys = createKeys({
      ring, router, rpc, store, clock, skew, intake, log: log.child({ component: 'keys' }),
      rpcTimeoutMs: cfg.rpcTimeoutMs, maxClockSkewMs: cfg.maxClockSkewMs, replicas: cfg.replicas, writeQuorum: cfg.writeQuorum, meters, verify,
      distrusts: id => choker.distrusts(id)
    })
    const antiEntropy = new AntiEntropy({
      ring, rpc, router, store, keys, verify, log: log.child({ component: 'repair' }), replicas: cfg.replicas,
      rpcTimeoutMs: cfg.rpcTimeoutMs, lookupTimeoutMs: cfg.lookupTimeoutMs, tombstoneTtlMs: cfg.tombstoneTtlMs, intake
    })
    const maintenance = this.#maintenance = new Maintenance({
      ring, rpc, router, verify, log: log.child({ component: 'maintenance' }), suspects,
      rpcTimeoutMs: cfg.rpcTimeoutMs, lookupTimeoutMs: cfg.lookupTimeoutMs, checkPredecessorMs: cfg.checkPredecessorMs,
      identify: async (addr, signal) => (await libp2p.dial(multiaddr(addr), { signal })).remotePeer.toString(),
      // A new predecessor changes what we own: repair soon rather than a full period later.
      onPredecessorChanged: () => { setTimeout(() => { void this.#tasks?.runNow('repair') }, 50).unref() }
    })
    const hints = new ChangeHints({ ring, rpc, rpcTimeoutMs: cfg.rpcTimeoutMs, minGapMs: cfg.stabilizeMs, signal: this.#lifetime.signal })
    const telemetry: TelemetryParts = this.#telemetry = {
      ring, meters, choker, store, skew, suspects, intake: intake.counters, config: cfg, startedAt: this.#startedAt,
      ready: () => this.ready, http: () => this.#http?.address ?? null, refusedNotMember: () => this.#refusedNotMember,
      maintenance: () => this.#tasks?.status()
    }
    const server = this.#server = new RpcServer({
      handlers: handlerTable({ rpc, ring, maintenance, router, keys, antiEntropy, hints, telemetry, overrides: this.#opts.overrides, onRefusedNotMember: () => { this.#refusedNotMember++ } }),
      log: log.child({ component: 'rpc-server' }),
      defaultDeadlineMs: cfg.lookupTimeoutMs,
      limits: cfg.limits,
      wallClock,
      admit: chokingGate(choker, inNeighbours),
      onServed: hooks.onServed
    })
    await libp2p.handle(CHORD_PROTOCOL, server.handleStream, RpcServer.streamLimits)

    if (cfg.http != null) {
      this.#http = new TelemetryServer(cfg.http, telemetry)
      await this.#http.start()
    }

    const signal = this.#lifetime.signal
    if (cfg.bootstrap.length === 0) maintenance.create()
    else await joinWithRetry({ join: async s => { await maintenance.join(cfg.bootstrap, s) }, signal, log })

    const tasks = this.#tasks = new PeerTasks({ config: cfg, maintenance, antiEntropy, choker, inNeighbours, rpc, suspects, hints, ring, log, signal })
    tasks.start()
    void tasks.runNow('stabilize')
    this.#started = true
    // The ready line is for scripts: printed at any level but silent.
    if (log.level !== 'silent') log.child({}, { level: 'info' }).info({ event: 'ready', ...this.info() }, 'ready')
  }

  /** Joined, and (unless alone) with a predecessor and a recent successful stabilize. */
  get ready (): boolean {
    const m = this.#maintenance
    const ring = this.#telemetry?.ring
    if (m == null || ring == null || !m.joined || this.#stopping != null) return false
    if (ring.alone()) return true
    // Three base periods, or in adaptive mode the longest gap between two rounds (maintenanceSchedule.ts).
    return ring.predecessor != null && Date.now() - m.lastStableAt < Math.max(3 * this.config.stabilizeMs + this.config.rpcTimeoutMs, stabilizeGapMs(this.config))
  }

  info (): PeerInfoLine {
    return peerInfo(this.#parts())
  }

  /** The telemetry document: /stats, GET_STATS and the collector read this. */
  stats (): PeerStats {
    return peerStats(this.#parts())
  }

  /** Its ring pointers, read in process: a packed peer's ring check asks this, not GET_STATE. */
  ringDigest (): RingDigest {
    return ringDigest(this.#parts())
  }

  #parts (): TelemetryParts {
    if (this.#telemetry == null) throw new Error('peer not started')
    return this.#telemetry
  }

  /** One stabilize round now (tests, and operators who want it before a measurement). */
  async stabilizeOnce (): Promise<void> {
    await this.#maintenance?.stabilize(this.#lifetime.signal)
  }

  /** Stop (or restart) the periodic maintenance tasks: a quiet window for exact measurements. */
  async pauseMaintenance (paused: boolean): Promise<void> {
    if (paused) await this.#tasks?.stop()
    else this.#tasks?.start()
  }

  /**
   * Stop the peer. With `leave` (the default) it first leaves gracefully: neighbours are
   * told and keys handed to the successor, bounded by leaveTimeoutMs.
   */
  async stop (opts: { leave?: boolean } = {}): Promise<void> {
    this.#stopping ??= this.#stop(opts.leave ?? true)
    await this.#stopping
  }

  async #stop (leave: boolean): Promise<void> {
    // A peer still trying to join stops trying; one that is up leaves properly.
    if (!this.#started) this.#lifetime.abort()
    await this.#starting?.catch(() => {})
    if (leave && this.#maintenance != null && this.#keys != null) {
      this.#keys.markLeaving()
      await this.#tasks?.stop()
      const keys = this.#keys
      await this.#maintenance.leave(async (to, signal) => await keys.handOffAll(to, signal), AbortSignal.timeout(this.config.leaveTimeoutMs))
        .catch(err => { this.#log.warn({ err: (err as Error).message }, 'graceful leave failed') })
    }
    this.#lifetime.abort()
    await this.#tasks?.stop()
    this.#server?.stop()
    await this.#rpc?.stop()
    await this.#http?.stop()
    await this.#libp2p?.stop()
    this.#store?.close()
  }
}
