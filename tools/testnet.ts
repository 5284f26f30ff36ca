// createTestnet(n): a local ring on loopback that cleans up after itself (after
// hyperdht's testnet helper). Peers run in this process or spread over worker
// processes; either way each is a full libp2p peer with its own identity, port and sockets.
import { fork, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { createWriteStream, type WriteStream } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { pino } from 'pino'
import { resolveConfig, type PeerConfigInput } from '../daemon/host/config.js'
import { ChordPeer } from '../daemon/host/peer.js'
import type { PeerInfoLine } from '../protocol/telemetry.js'
import type { RpcTarget } from '../daemon/rpc/client.js'
import { splitP2p } from '../protocol/peerInfo.js'
import { ChordClient } from './lib/client.js'
import type { PeerView } from '../protocol/peerState.js'
import type { RingDigest } from '../daemon/meters/telemetry.js'
import { checkRing, idealOver, pollMsFor, pollUntilIdeal, type RingCheck, type WaitIdealOptions } from './lib/ringCheck.js'
import type { WorkerCommand, WorkerReply } from './swarmWorker.js'
import { LoadMeter, type ProcessLoad } from './lib/machineLoad.js'
import { rightNeighbours } from './lib/progress.js'
import { paceJoins, paceLimitMs, type Paced } from './lib/joinPacing.js'
import { DEFAULTS } from '../protocol/constants.js'

export interface TestnetOptions {
  /** Peers to start. */
  peers: number
  /** Worker processes to spread them over; 0 runs them in this process. Default 0. */
  procs?: number
  /** Options every peer gets (listen and bootstrap are set per peer). */
  peerConfig?: PeerConfigInput
  /** Per-peer options on top, by index (e.g. explicit ids). */
  configFor?: (index: number) => PeerConfigInput
  /** Peers joining at once; later waves join through peers already in. Default 8. */
  joinWave?: number
  /** Where worker processes write their logs; default: discarded. */
  workerLog?: string
  /** Give each peer a data dir under this folder (durable store, kept identity); default none. */
  dataRoot?: string
  /** Called after each peer has started, with how many have (a progress line). */
  onPeerStarted?: (started: number) => void
  /** A peer not started (joined) within this long fails the start, ms. Default START_TIMEOUT_MS. */
  startTimeoutMs?: number
  /** Pace the join waves by the machine's load (joinPacing.ts): the longest a wave waits, ms (PACE_MAX_WAIT_MS for a swarm). Default 0: no pacing (tests start small rings at once). */
  paceMaxWaitMs?: number
  /** Called when a wave waited for the machine (a progress line). */
  onPaced?: (paced: Paced) => void
}

/** A ring check with, for progress, how many members have the right predecessor and successor. */
export type ProgressCheck = RingCheck & { right: number, members: number }

export interface TestPeer {
  index: number
  info: PeerInfoLine
  target: RpcTarget
  /** Worker that hosts it, or undefined when in this process. */
  worker?: Worker
  local?: ChordPeer
  alive: boolean
  /** The config it was started with (restartPeer reuses it). */
  config: PeerConfigInput
}

/**
 * Connection limits of every testnet peer unless its config says otherwise: all peers share
 * one host, joins come in waves and a loaded machine makes handshakes slow, so the caps of a
 * daemon on a network (DEFAULTS.limits: 5 connections/s per IP, 16 handshakes) are raised to
 * what swarms ran with before those caps existed. Byte budgets and frame deadlines stay.
 */
export const LOCAL_SWARM_LIMITS = Object.freeze({
  connRatePerIp: 10_000,
  maxPendingHandshakes: 1_000,
  maxPendingHandshakesPerIp: 1_000,
  handshakeTimeoutMs: 10_000,
  maxConnections: 2_000,
  maxConnectionsPerIp: 2_000
})

/** Loopback address of peer i: 127.0.x.y spread over 127/8 (FACTS: per-IP connection limits). */
export function loopbackHost (i: number): string {
  const a = i + 2
  return `127.${(a >> 16) & 255}.${(a >> 8) & 255}.${a & 255}`
}

/** How long a worker may take to answer a ring check, ms: a worker with 128 busy peers answers late, not never. */
const WORKER_RING_MS = 30_000
/**
 * How long one peer may take to start and join, ms: a join retries until it gets through
 * (daemon/host/join.ts), and on a saturated machine its lookups never finish in time (at 512
 * of 1024 peers on 2 cores every join kept timing out), so the start would wait for ever.
 */
export const START_TIMEOUT_MS = 180_000
/** The longest one join wave waits for the event loops to catch up, ms, and how often it looks. */
export const PACE_MAX_WAIT_MS = 120_000
const PACE_POLL_MS = 1_000

/** A worker that did not answer a command within its deadline. */
class WorkerTimeout extends Error {}

class Worker {
  readonly #pending = new Map<number, { resolve: (v: unknown) => void, reject: (e: Error) => void }>()
  #nextId = 1
  exited = false

  constructor (readonly child: ChildProcess) {
    child.on('message', (r: WorkerReply) => {
      const p = this.#pending.get(r.reqId)
      if (p == null) return
      this.#pending.delete(r.reqId)
      if (r.ok) p.resolve(r.result); else p.reject(new Error(r.error))
    })
    child.on('exit', code => {
      this.exited = true
      for (const p of this.#pending.values()) p.reject(new Error(`worker exited with ${code}`))
      this.#pending.clear()
    })
  }

  /** Send a command; with `timeoutMs`, give up on its answer after that long. */
  async call (cmd: Omit<WorkerCommand, 'reqId'> & Record<string, unknown>, timeoutMs?: number): Promise<unknown> {
    if (this.exited) throw new Error('worker has exited')
    const reqId = this.#nextId++
    return await new Promise((resolve, reject) => {
      const timer = timeoutMs == null ? undefined : setTimeout(() => { this.#pending.delete(reqId); reject(new WorkerTimeout(`worker did not answer ${cmd.op} in ${timeoutMs} ms`)) }, timeoutMs)
      const settle = <T>(f: (v: T) => void) => (v: T): void => { clearTimeout(timer); f(v) }
      this.#pending.set(reqId, { resolve: settle(resolve), reject: settle(reject) })
      this.child.send({ ...cmd, reqId })
    })
  }
}

export class Testnet {
  readonly peers: TestPeer[] = []
  readonly client: ChordClient
  readonly #opts: TestnetOptions
  readonly #workers: Worker[] = []
  #logStream: WriteStream | undefined
  #stopped = false
  /** This process's load (the harness, and the peers when procs is 0). */
  readonly #load = new LoadMeter()

  private constructor (opts: TestnetOptions, client: ChordClient) {
    this.#opts = opts
    this.client = client
  }

  static async create (opts: TestnetOptions): Promise<Testnet> {
    const net = new Testnet(opts, await ChordClient.create())
    try {
      await net.#spawnWorkers(opts.procs ?? 0)
      const wave = opts.joinWave ?? 8
      const maxWaitMs = opts.paceMaxWaitMs ?? 0
      const rpcTimeoutMs = opts.peerConfig?.rpcTimeoutMs ?? DEFAULTS.rpcTimeoutMs
      await net.addPeer()
      await net.markLoad()
      while (net.peers.length < opts.peers) {
        if (maxWaitMs > 0) {
          const paced = await paceJoins({ sample: async () => await net.markLoad(), limitMs: paceLimitMs(rpcTimeoutMs), maxWaitMs, pollMs: PACE_POLL_MS })
          if (paced.samples > 1) opts.onPaced?.(paced)
        }
        const n = Math.min(wave, opts.peers - net.peers.length)
        await Promise.all(Array.from({ length: n }, async () => await net.addPeer()))
      }
    } catch (err) {
      await net.stop()
      throw err
    }
    return net
  }

  async #spawnWorkers (procs: number): Promise<void> {
    if (procs <= 0) return
    const script = fileURLToPath(new URL('./swarmWorker.js', import.meta.url))
    if (this.#opts.workerLog != null) this.#logStream = createWriteStream(this.#opts.workerLog, { flags: 'a' })
    for (let i = 0; i < procs; i++) {
      const child = fork(script, [], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], env: { ...process.env } })
      child.stdout?.on('data', d => this.#logStream?.write(d))
      child.stderr?.on('data', d => this.#logStream?.write(d))
      this.#workers.push(new Worker(child))
    }
  }

  /** Start one more peer; it joins through a random live peer (the first one creates the ring). */
  async addPeer (extra: PeerConfigInput = {}): Promise<TestPeer> {
    const index = this.#nextIndex++
    const live = this.peers.filter(p => p.alive)
    const via = live.length === 0 ? undefined : live[Math.floor(Math.random() * live.length)]
    const given: PeerConfigInput = {
      http: 'off',
      ...(this.#opts.dataRoot == null ? {} : { dataDir: join(this.#opts.dataRoot, `peer-${index}`) }),
      ...this.#opts.peerConfig,
      ...this.#opts.configFor?.(index),
      ...extra
    }
    const config: PeerConfigInput = {
      ...given,
      limits: { ...LOCAL_SWARM_LIMITS, ...given.limits },
      // One specific loopback address: the peer's dials leave from it too (daemon/host/libp2pNode.ts).
      listen: [`/ip4/${loopbackHost(index)}/tcp/0`],
      bootstrap: via == null ? [] : [via.info.listen[0]]
    }
    return await this.#start(index, config)
  }

  /** Start a stopped peer again with the same config: same data dir, so same identity and keys. */
  async restartPeer (peer: TestPeer): Promise<TestPeer> {
    if (peer.alive) throw new Error('peer is running')
    const live = this.live()
    const via = live[Math.floor(Math.random() * live.length)]
    const config = { ...peer.config, bootstrap: via == null ? [] : [via.info.listen[0]] }
    this.peers.splice(this.peers.indexOf(peer), 1)
    return await this.#start(peer.index, config)
  }

  async #start (index: number, config: PeerConfigInput): Promise<TestPeer> {
    let peer: TestPeer
    const withinMs = this.#opts.startTimeoutMs ?? START_TIMEOUT_MS
    const late = (): Error => new Error(`peer ${index} did not start and join within ${withinMs} ms (its joins kept failing: a saturated machine?)`)
    if (this.#workers.length === 0) {
      const local = new ChordPeer(resolveConfig(config), pino({ level: process.env.CHORD_LOG_LEVEL ?? 'silent' }))
      let timer: NodeJS.Timeout | undefined
      try {
        await Promise.race([local.start(), new Promise((_resolve, reject) => { timer = setTimeout(() => { reject(late()) }, withinMs) })])
      } catch (err) {
        await local.stop({ leave: false }).catch(() => {})
        throw err
      } finally { clearTimeout(timer) }
      peer = { index, info: local.info(), target: targetOf(local.info()), local, alive: true, config }
    } else {
      const worker = this.#workers[index % this.#workers.length]
      const info = await worker.call({ op: 'start', config }, withinMs).catch(err => {
        throw err instanceof WorkerTimeout ? late() : err
      }) as PeerInfoLine
      peer = { index, info, target: targetOf(info), worker, alive: true, config }
    }
    this.peers.push(peer)
    this.peers.sort((a, b) => a.index - b.index)
    this.#opts.onPeerStarted?.(this.peers.length)
    return peer
  }

  #nextIndex = 0

  /** Stop one peer: gracefully (leave) or as if it crashed (no goodbye, sockets just close). */
  async stopPeer (peer: TestPeer, opts: { leave: boolean }): Promise<void> {
    if (!peer.alive) return
    peer.alive = false
    if (peer.local != null) await peer.local.stop({ leave: opts.leave })
    else await peer.worker!.call({ op: 'stop', peerId: peer.info.peerId, leave: opts.leave })
  }

  live (): TestPeer[] { return this.peers.filter(p => p.alive) }

  /** Ask every live peer for its state; a peer that does not answer is left out. */
  async views (): Promise<PeerView[]> {
    const out = await Promise.all(this.live().map(async p => await this.client.state(p.target).catch(() => undefined)))
    return out.filter((v): v is PeerView => v != null)
  }

  /**
   * Every live peer's ring pointers, read where it runs: in this process, or by each worker for
   * its own peers. No RPC, so checking the ring adds nothing to the ring's traffic; a peer whose
   * worker does not answer is left out (and the check then fails).
   */
  async digests (): Promise<RingDigest[]> {
    const live = this.live()
    const alive = new Set(live.map(p => p.info.peerId))
    const local = live.flatMap(p => p.local == null ? [] : [p.local.ringDigest()])
    const packed = await Promise.all(this.#workers.filter(w => !w.exited).map(async w => await w.call({ op: 'ring' }, WORKER_RING_MS).then(d => d as RingDigest[], () => [])))
    return [...local, ...packed.flat().filter(d => alive.has(d.peerId))]
  }

  /** Whether the live peers' ring is ideal, from their digests (exact: every pointer compared), and how many have the right neighbours (progress). */
  async check (): Promise<ProgressCheck> {
    const r = this.#opts.peerConfig?.successors ?? 8
    const views = await this.digests()
    const members = this.live().map(p => ({ peerId: p.info.peerId, ringId: p.info.ringId }))
    return { ...checkRing(views, members, r), right: rightNeighbours(views, members), members: members.length }
  }

  /** Check until the ring (and, with `fingers`, every finger) is ideal, backing off (ringCheck.pollUntilIdeal); returns the last check. `onCheck` sees every check. */
  async waitIdeal (opts: WaitIdealOptions & { onCheck?: (c: ProgressCheck) => void }): Promise<RingCheck & { waitedMs: number }> {
    return await pollUntilIdeal(async () => { const c = await this.check(); opts.onCheck?.(c); return c }, opts)
  }

  /**
   * Throw unless the ring (with `fingers`, every finger too) is ideal at every poll over
   * `windowMs`: for claims that the ring *stays* ideal. pollMs defaults to 250, and is at
   * least 500 for rings over 16 peers (ringCheck.pollMsFor). Returns the polls made.
   */
  async assertIdealOver (opts: { windowMs: number, pollMs?: number, fingers?: boolean }): Promise<{ polls: number, elapsedMs: number }> {
    const pollMs = pollMsFor(this.live().length, opts.pollMs ?? 250)
    const r = await idealOver(async () => await this.check(), { windowMs: opts.windowMs, pollMs, fingers: opts.fingers })
    if (r.broken != null) {
      throw new Error(`ring not ideal at poll ${r.broken.poll}, ${r.broken.atMs} ms into a ${opts.windowMs} ms window: ${r.broken.check.problems.join('; ')}`)
    }
    return { polls: r.polls, elapsedMs: r.elapsedMs }
  }

  /**
   * Each process's load since the previous call (or its start): the worker processes, then
   * this one. A worker that does not answer within `timeoutMs` is left out.
   */
  async markLoad (timeoutMs = 10_000): Promise<ProcessLoad[]> {
    const live = this.#workers.filter(w => !w.exited)
    const got = await Promise.all(live.map(async w => await new Promise<ProcessLoad | undefined>(resolve => {
      const t = setTimeout(() => { resolve(undefined) }, timeoutMs)
      w.call({ op: 'load' }).then(l => { resolve(l as ProcessLoad) }, () => { resolve(undefined) }).finally(() => { clearTimeout(t) })
    })))
    const here = this.#load.mark(this.peers.filter(p => p.alive && p.local != null).length)
    return [...got.filter((l): l is ProcessLoad => l != null), here]
  }

  async stop (): Promise<void> {
    if (this.#stopped) return
    this.#stopped = true
    this.#load.stop()
    await Promise.allSettled(this.peers.filter(p => p.alive && p.local != null).map(async p => { p.alive = false; await p.local!.stop({ leave: false }) }))
    await Promise.allSettled(this.#workers.map(async w => {
      if (w.exited) return
      const exited = once(w.child, 'exit')
      w.call({ op: 'shutdown' }).catch(() => {})
      const t = setTimeout(() => w.child.kill('SIGKILL'), 5_000)
      await exited
      clearTimeout(t)
    }))
    await this.client.stop()
    this.#logStream?.end()
  }
}

export function targetOf (info: PeerInfoLine): RpcTarget {
  const { addr, peerId } = splitP2p(info.listen[0])
  return { peerId: peerId ?? info.peerId, addrs: [addr] }
}

export async function createTestnet (opts: TestnetOptions): Promise<Testnet> {
  return await Testnet.create(opts)
}
