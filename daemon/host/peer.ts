// One Chord peer: a libp2p node, its ring state, the RPC server and the periodic
// maintenance tasks. start() and stop() are safe to call twice; parts start in a fixed
// order and stop in the reverse one.
import { setMaxListeners } from 'node:events'
import type { Libp2p } from '@libp2p/interface'
import { multiaddr } from '@multiformats/multiaddr'
import { pino, type Logger } from 'pino'
import { MessageType } from '../../protocol/chord.js'
import { CHORD_PROTOCOL } from '../../protocol/constants.js'
import { peerIdBytes, type PeerRef } from '../../protocol/peerInfo.js'
import { hashToId, hexToId, idToHex, shortId } from '../../protocol/ring.js'
import type { PeerConfig } from './config.js'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { loadOrCreateKey } from './identity.js'
import { createKeys, type Keys } from '../keys/keys.js'
import { AntiEntropy } from '../keys/antiEntropy.js'
import { RecordStore } from '../keys/store/recordStore.js'
import { HybridClock } from '../keys/store/hybridClock.js'
import { SkewMonitor } from '../keys/store/clockSkew.js'
import { RecordIntake } from '../keys/recordIntake.js'
import { Suspects } from '../ring/suspects.js'
import { WALK_SPARES } from '../keys/pastRefusals.js'
import { STAND_IN_SPARES } from '../keys/standIn.js'
import { announceAddrs, createNode } from './libp2pNode.js'
import { Maintenance } from '../ring/maintenance.js'
import { memberOnly } from '../ring/memberOnly.js'
import { Periodic } from './periodic.js'
import { RingState } from '../ring/ringState.js'
import { Router } from '../ring/lookups.js'
import { RpcClient } from '../rpc/client.js'
import { RpcServer, type HandlerMap } from '../rpc/server.js'
import { TelemetryServer } from './httpServer.js'
import { CostMeters, TERM_OF } from '../meters/costMeters.js'
import { createRegistry } from '../meters/prometheus.js'
import type { PeerStats } from '../../protocol/telemetry.js'
import { ErrorCode } from '../../protocol/chord.js'
import { Choker } from '../choking/choker.js'
import { chokingGate, noteAnswer, probe } from '../choking/gate.js'
import { InNeighbours } from '../choking/inNeighbours.js'

/** Remembered members asked per healing round (each at most one RPC timeout). */
const HEAL_CHECKS = 2
/** How often due suspects are looked at, ms, and how many are pinged at most each time. */
const SUSPECT_PROBE_MS = 500
const SUSPECT_PROBES = 4

async function probeSuspects (rpc: RpcClient, suspects: Suspects, timeoutMs: number, signal: AbortSignal): Promise<void> {
  await Promise.allSettled(suspects.due(SUSPECT_PROBES).map(async p => await rpc.request(p, MessageType.PING, {}, { timeoutMs, signal })))
}

/** What a fault test may touch of a peer it builds to misbehave (a seam, not the peer's API). */
export interface PeerParts {
  rpc: RpcClient
  ring: RingState
  /** The honest handlers, for an override that wraps one (delays it, say). */
  handlers: HandlerMap
}

export interface ChordPeerOptions {
  /**
   * Fault tests only: handlers that replace the honest ones (a peer that lies), built from
   * the peer's parts once it has started them.
   */
  overrides?: (parts: PeerParts) => Partial<HandlerMap>
}

export interface PeerInfoLine {
  peerId: string
  ringId: string
  listen: string[]
  http: string | null
}

export class ChordPeer {
  readonly config: PeerConfig
  /** What participating costs this peer (daemon/meters/costMeters.ts). */
  readonly meters = new CostMeters()
  /** Who gets served (docs/choking.md); set at start. */
  choker: Choker | undefined
  #startedAt = Date.now()
  #log: Logger
  #libp2p: Libp2p | undefined
  #ring: RingState | undefined
  #rpc: RpcClient | undefined
  #server: RpcServer | undefined
  #maintenance: Maintenance | undefined
  #keys: Keys | undefined
  #store: RecordStore | undefined
  #repair: Periodic | undefined
  #http: TelemetryServer | undefined
  #skew: SkewMonitor | undefined
  #suspects: Suspects | undefined
  /** Ring RPCs refused because this peer had not joined yet (memberOnly.ts). */
  #refusedNotMember = 0
  #intake: RecordIntake | undefined
  #tasks: Periodic[] = []
  #starting: Promise<void> | undefined
  #started = false
  #stopping: Promise<void> | undefined
  readonly #lifetime = new AbortController()

  readonly #opts: ChordPeerOptions

  constructor (config: PeerConfig, logger?: Logger, opts: ChordPeerOptions = {}) {
    this.config = config
    this.#opts = opts
    setMaxListeners(Infinity, this.#lifetime.signal) // every maintenance RPC listens to it
    this.#log = logger ?? pino({ level: config.logLevel })
  }

  get self (): PeerRef {
    if (this.#ring == null) throw new Error('peer not started')
    return this.#ring.self
  }

  async start (): Promise<void> {
    this.#starting ??= this.#start()
    await this.#starting
  }

  async #start (): Promise<void> {
    const cfg = this.config
    const privateKey = cfg.dataDir == null ? await generateKeyPair('Ed25519') : (await loadOrCreateKey(cfg.dataDir)).key
    const libp2p = this.#libp2p = await createNode({ privateKey, listen: cfg.listen, limits: cfg.limits })
    const peerId = libp2p.peerId.toString()
    const id = cfg.idHex != null ? hexToId(cfg.idHex) : hashToId(peerIdBytes(peerId))
    const addrs = announceAddrs(libp2p.getMultiaddrs()).map(a => a.decapsulateCode(421).toString())
    const self: PeerRef = { peerId, id, addrs }
    const log = this.#log = this.#log.child({ peer: shortId(id) })
    const verify = { allowExplicitIds: cfg.allowExplicitIds }

    // The predecessor list reaches back as far as a key's copies can sit past its owner: a
    // stand-in up to rank r - 1 + STAND_IN_SPARES, its r - 2 copies and WALK_SPARES past
    // refusals (aroundOwner.ts, pastRefusals.ts), and one more for the start of that owner's range.
    const ring = this.#ring = new RingState(self, cfg.successors, log.child({ component: 'ring' }), { predecessors: (cfg.replicas - 1 + STAND_IN_SPARES) + Math.max(0, cfg.replicas - 2) + WALK_SPARES + 1 })
    // The clock versions are minted from (offset only in fault tests: a peer whose clock runs ahead).
    const wallClock = cfg.clockOffsetMs === 0 ? Date.now : () => Date.now() + cfg.clockOffsetMs
    const clock = new HybridClock(wallClock, cfg.maxClockSkewMs)
    const skew = this.#skew = new SkewMonitor({ maxSkewMs: cfg.maxClockSkewMs, now: wallClock })
    const suspects = this.#suspects = new Suspects()
    const intake = this.#intake = new RecordIntake({ ring, clock, log: log.child({ component: 'intake' }) })
    const meters = this.meters
    const choker = this.choker = new Choker(cfg.choking, log.child({ component: 'choking' }), {
      // A probe is one routing step (NEXT_HOP) for a random target: cheap to serve, and choked like any.
      probe: async (peerId, addr) => await probe(this.#rpc!, peerId, addr, cfg.rpcTimeoutMs)
    })
    const rpc = this.#rpc = new RpcClient({
      libp2p,
      log: log.child({ component: 'rpc' }),
      wallClock,
      onRequest: r => {
        meters.recordSent(r.tag ?? TERM_OF[r.type], r.peerId, r.bytesOut, r.bytesIn, r.micros, r.error != null)
        noteAnswer(choker, r)
        // Any answer (even an error it sent us) shows a suspect is alive again, and reads its clock.
        if (r.answered === true) {
          suspects.clear(r.peerId)
          if (r.remoteWallMs != null) skew.sample(r.peerId, r.remoteWallMs, r.sentAtMs!, r.receivedAtMs!)
        }
      }
    })
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
      ring,
      rpc,
      router,
      verify,
      log: log.child({ component: 'maintenance' }),
      rpcTimeoutMs: cfg.rpcTimeoutMs,
      lookupTimeoutMs: cfg.lookupTimeoutMs,
      checkPredecessorMs: cfg.checkPredecessorMs,
      suspects,
      identify: async (addr, signal) => (await libp2p.dial(multiaddr(addr), { signal })).remotePeer.toString(),
      // A new predecessor changes what we own: repair soon rather than a full period later.
      onPredecessorChanged: () => { setTimeout(() => { void this.#repair?.runNow() }, 50).unref() }
    })
    const handlers: HandlerMap = {
      [MessageType.PING]: maintenance.handlePing,
      [MessageType.GET_NEIGHBORS]: maintenance.handleGetNeighbors,
      [MessageType.NOTIFY]: maintenance.handleNotify,
      [MessageType.LEAVING]: maintenance.handleLeaving,
      [MessageType.FIND_SUCCESSOR]: router.handleFindSuccessor,
      [MessageType.NEXT_HOP]: router.handleNextHop,
      [MessageType.STORE_PUT]: keys.handleStorePut,
      [MessageType.STORE_GET]: keys.handleStoreGet,
      [MessageType.STORE_DELETE]: keys.handleStoreDelete,
      [MessageType.REPLICA_PUT]: keys.handleReplicaPut,
      [MessageType.REPLICA_GET]: keys.handleReplicaGet,
      [MessageType.REPLICA_FETCH]: keys.handleReplicaFetch,
      [MessageType.SYNC_DIGESTS]: antiEntropy.handleSyncDigests,
      [MessageType.REPAIR_PUT]: keys.handleReplicaPut,
      [MessageType.GET_STATS]: async () => ({ json: JSON.stringify(this.stats(), bigintJson) }),
      [MessageType.GET_STATE]: async () => this.state(),
      [MessageType.CLIENT_LOOKUP]: keys.handleClientLookup,
      [MessageType.CLIENT_PUT]: keys.handleClientPut,
      [MessageType.CLIENT_GET]: keys.handleClientGet,
      [MessageType.CLIENT_DELETE]: keys.handleClientDelete
    }
    const server = this.#server = new RpcServer({
      // Until it has joined, a peer answers no ring RPC (memberOnly.ts).
      handlers: memberOnly(this.#opts.overrides == null ? handlers : { ...handlers, ...this.#opts.overrides({ rpc, ring, handlers }) },
        () => maintenance.joined, () => { this.#refusedNotMember++ }),
      log: log.child({ component: 'rpc-server' }),
      defaultDeadlineMs: cfg.lookupTimeoutMs,
      limits: cfg.limits,
      wallClock,
      admit: chokingGate(choker, inNeighbours),
      onServed: r => {
        meters.recordServed(r.type == null ? 'telemetry' : TERM_OF[r.type], r.peerId, r.bytesIn, r.bytesOut, r.micros, r.error !== ErrorCode.OK)
        // A suspect that sends us requests is running again (a stalled peer after SIGCONT).
        if (suspects.size > 0) suspects.clear(r.peerId)
      }
    })
    await libp2p.handle(CHORD_PROTOCOL, server.handleStream, RpcServer.streamLimits)

    if (cfg.http != null) {
      const registry = createRegistry({
        meters,
        prices: cfg.prices,
        routingState: () => ring.routingStateSize(),
        successors: () => ring.successors.entries.length,
        keys: () => store.size,
        storeBytes: () => store.bytes,
        ready: () => this.ready,
        choker,
        intake: intake.counters,
        suspects: () => suspects.size,
        clock: () => skew.status()
      }, { peer: shortId(id) })
      this.#http = new TelemetryServer(cfg.http, { ready: () => this.ready, stats: () => this.stats(), metrics: async () => await registry.metrics() })
      await this.#http.start()
    }

    if (cfg.bootstrap.length === 0) {
      maintenance.create()
    } else {
      await this.#joinWithRetry(cfg.bootstrap)
    }

    const onError = (what: string) => (err: unknown): void => {
      if (this.#lifetime.signal.aborted) return
      log.debug({ err: (err as Error).message }, `${what} failed`)
    }
    const signal = this.#lifetime.signal
    this.#tasks = [
      new Periodic('stabilize', cfg.stabilizeMs, async () => { await maintenance.stabilize(signal) }, onError('stabilize')),
      new Periodic('check-predecessor', cfg.checkPredecessorMs, async () => { await maintenance.checkPredecessor(cfg.checkPredecessorMs, signal) }, onError('check predecessor')),
      this.#repair = new Periodic('repair', cfg.repairMs, async () => { await antiEntropy.round(signal) }, onError('repair')),
      new Periodic('fix-fingers', cfg.fixFingersMs, async () => { await maintenance.fixFingers(signal) }, onError('fix fingers')),
      new Periodic('rechoke', cfg.choking.rechokeMs, async () => { choker.rechoke(); inNeighbours?.prune() }, onError('rechoke')),
      new Periodic('heal', cfg.healMs, async () => { await maintenance.heal(HEAL_CHECKS, signal) }, onError('heal')),
      // Suspects are re-probed with backoff (suspects.ts); an answer clears them (onRequest above).
      new Periodic('suspects', SUSPECT_PROBE_MS, async () => { await probeSuspects(rpc, suspects, cfg.rpcTimeoutMs, signal) }, onError('suspect probe'))
    ]
    for (const t of this.#tasks) t.start()
    void this.#tasks[0].runNow()
    this.#started = true
    // The ready line is for scripts: printed at any level but silent.
    if (log.level !== 'silent') log.child({}, { level: 'info' }).info({ event: 'ready', ...this.info() }, 'ready')
  }

  /** Join through the bootstrap peers, retrying with capped backoff until joined or stopped. */
  async #joinWithRetry (bootstrap: readonly string[]): Promise<void> {
    let delay = 200
    for (;;) {
      try {
        await this.#maintenance!.join(bootstrap, this.#lifetime.signal)
        return
      } catch (err) {
        if (this.#lifetime.signal.aborted) throw err
        this.#log.warn({ err: (err as Error).message, retryMs: delay }, 'join failed, retrying')
        await new Promise<void>(resolve => {
          const t = setTimeout(resolve, delay)
          this.#lifetime.signal.addEventListener('abort', () => { clearTimeout(t); resolve() }, { once: true })
        })
        delay = Math.min(delay * 2, 5_000)
      }
    }
  }

  /** Joined, and (unless alone) with a predecessor and a recent successful stabilize. */
  get ready (): boolean {
    const m = this.#maintenance
    const ring = this.#ring
    if (m == null || ring == null || !m.joined || this.#stopping != null) return false
    if (ring.alone()) return true
    return ring.predecessor != null && Date.now() - m.lastStableAt < 3 * this.config.stabilizeMs + this.config.rpcTimeoutMs
  }

  info (): PeerInfoLine {
    const self = this.self
    return { peerId: self.peerId, ringId: idToHex(self.id), listen: self.addrs.map(a => `${a}/p2p/${self.peerId}`), http: this.#http?.address ?? null }
  }

  state (): ReturnType<RingState['snapshot']> {
    const store = this.#keys!.store
    return this.#ring!.snapshot({ keys: store.size, storeBytes: store.bytes, ready: this.ready, http: this.#http?.address ?? '' })
  }

  /** The telemetry document: /stats, GET_STATS and the collector read this. */
  stats (): PeerStats {
    const ring = this.#ring!
    const m = this.meters
    const summary = (p: PeerRef): { peerId: string, ringId: string } => ({ peerId: p.peerId, ringId: idToHex(p.id) })
    return {
      ...this.info(),
      ready: this.ready,
      uptimeMs: Date.now() - this.#startedAt,
      at: Date.now(),
      ring: {
        predecessor: ring.predecessor == null ? null : summary(ring.predecessor),
        successors: ring.successors.entries.map(summary),
        fingers: ring.fingers.runs().map(r => ({ start: r.start, ...summary(r.peer) })),
        distinctFingers: ring.fingers.distinct().length,
        routingState: ring.routingStateSize()
      },
      store: { records: this.#store!.size, bytes: this.#store!.bytes, durability: this.#store!.durability() },
      faults: {
        clock: this.#skew!.status(),
        suspects: this.#suspects!.list().slice(0, 16),
        suspectCount: this.#suspects!.size,
        remembered: ring.memory.size,
        predecessors: ring.predecessors.length,
        refusedRecords: { ...this.#intake!.counters },
        refusedNotMember: this.#refusedNotMember
      },
      config: { successors: this.config.successors, replicas: this.config.replicas, writeQuorum: this.config.writeQuorum },
      meters: {
        enabled: m.enabled,
        served: m.served,
        sent: m.sent,
        lookups: m.lookups,
        prices: this.config.prices,
        costs: m.costs(this.config.prices),
        topPeers: m.topPeers(16)
      },
      choking: this.choker!.stats()
    }
  }

  /** One stabilize round now (tests, and operators who want it before a measurement). */
  async stabilizeOnce (): Promise<void> {
    await this.#maintenance?.stabilize(this.#lifetime.signal)
  }

  /** Stop (or restart) the periodic maintenance tasks: a quiet window for exact measurements. */
  async pauseMaintenance (paused: boolean): Promise<void> {
    if (paused) await Promise.all(this.#tasks.map(async t => { await t.stop() }))
    else for (const t of this.#tasks) t.start()
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
      await Promise.all(this.#tasks.map(async t => { await t.stop() }))
      const keys = this.#keys
      await this.#maintenance.leave(async (to, signal) => await keys.handOffAll(to, signal), AbortSignal.timeout(this.config.leaveTimeoutMs))
        .catch(err => { this.#log.warn({ err: (err as Error).message }, 'graceful leave failed') })
    }
    this.#lifetime.abort()
    await Promise.all(this.#tasks.map(async t => { await t.stop() }))
    this.#server?.stop()
    await this.#rpc?.stop()
    await this.#http?.stop()
    await this.#libp2p?.stop()
    this.#store?.close()
  }
}

function bigintJson (_k: string, v: unknown): unknown {
  return typeof v === 'bigint' ? v.toString() : v
}
