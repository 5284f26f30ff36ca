// One address floods a chordd peer (issue 11, points 4 and 5): 1000 idle TCP connections at
// once, each one the victim closes reopened (up to 250/s, 50x what it admits from one address),
// and 8 libp2p identities whose chord streams (32 per connection) send half a frame and stop.
// Meanwhile a client on another address keeps putting and getting through the victim, over a
// kept connection and over a new connection every second: every operation succeeds within
// LATENCY_BOUND_MS, and the victim's RSS grows by less than RSS_GROWTH_BOUND. The victim runs
// chordd's default limits; the flood runs in a process of its own. Loopback only.
// Against the build before the limits (1fa5a6d, CHORD_TEST_CHORDD=<its dist/daemon/main.js>) the
// same test fails: 14 to 15 of 20 new connections refused (ECONNRESET, "Encryption failed") and
// RSS grown by 187-246 MiB.
import assert from 'node:assert/strict'
import { fork, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { after, before, describe, test } from 'node:test'
import { DEFAULTS } from '../../protocol/constants.js'
import { splitP2p } from '../../protocol/peerInfo.js'
import { ChordClient } from '../../tools/lib/client.js'
import { checkRing } from '../../tools/lib/ringCheck.js'
import { killAll, startChordd, type Daemon } from '../helpers/chordd.js'
import { cpuMs, rssBytes } from '../helpers/flood.js'
import type { FloodMessage, FloodPlan, FloodReport } from '../helpers/floodWorker.js'

const RING_IPS = ['127.0.5.1', '127.0.5.2', '127.0.5.3'] // the first is the victim
const FLOOD_IP = '127.0.9.9'
const CLIENT_IP = '127.0.0.1'
const FLOOD_MS = 20_000 // past the handshake timeout (5 s) and the partial-frame deadline (10 s), more than once
const IDLE_CONNECTIONS = 1000
const REOPEN_PER_S = 250
const ATTACKERS = 8 // identities from FLOOD_IP, one connection each
const STREAMS_PER_ATTACKER = 32 // more than the victim admits (8 chord streams, 16 yamux streams per connection)
const RETRY_MS = 5_000 // a stream refused or closed as over budget is tried again after this; one cut off by the deadline at once
/**
 * Every client operation during the flood, request to answer, a new connection's handshake
 * included. Measured here: kept connection max ~0.2-0.4 s, new connection max ~0.2-0.5 s; the
 * bound leaves room for a machine shared with other test runs (new connections wait in the
 * kernel's accept queue behind the flood's when the victim gets little CPU).
 */
const LATENCY_BOUND_MS = 5_000
/**
 * RSS after the flood minus before. Live, the byte budget lets this address hold 8 MiB; but V8
 * collects dead ArrayBuffers only once tens of MiB of them have piled up (its external-memory
 * trigger), so under this flood's ~10 MiB/s of half frames RSS rises by 60-100 MiB and then stays
 * (measured: 59-97 MiB in 20 s runs, 74-88 MiB in 60 s runs). Unbounded, the victim held every
 * half frame and handshake: 187-246 MiB in 20 s, and more the longer the flood.
 */
const RSS_GROWTH_BOUND = 160 * 1024 * 1024
const FAST = ['--stabilize-ms', '200', '--fix-fingers-ms', '200', '--check-predecessor-ms', '500', '--http', 'off', '--log-level', 'error']
const enc = new TextEncoder()
const MiB = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MiB`

/** The flood runs in its own process (test/helpers/floodWorker.ts): its CPU is not the client's event loop. */
class FloodProcess {
  readonly child: ChildProcess
  readonly #messages: FloodMessage[] = []
  #wake: (() => void) | undefined

  constructor () {
    this.child = fork(fileURLToPath(new URL('../helpers/floodWorker.js', import.meta.url)), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
    this.child.on('message', (m: FloodMessage) => { this.#messages.push(m); this.#wake?.() })
    this.child.on('exit', () => { this.#wake?.() })
  }

  async #next (op: FloodMessage['op'], timeoutMs: number): Promise<FloodMessage> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const m = this.#messages.shift()
      if (m?.op === 'error') throw new Error(`flood process: ${m.error}`)
      if (m?.op === op) return m
      if (m != null) continue
      if (this.child.exitCode != null || this.child.signalCode != null) throw new Error('flood process exited')
      if (Date.now() > deadline) throw new Error(`flood process: no ${op} within ${timeoutMs} ms`)
      await new Promise<void>(resolve => { this.#wake = resolve; setTimeout(resolve, 250) })
    }
  }

  async start (plan: FloodPlan): Promise<void> {
    this.child.send({ op: 'start', plan })
    await this.#next('started', 60_000)
  }

  async stop (): Promise<FloodReport> {
    this.child.send({ op: 'stop' })
    const m = await this.#next('report', 30_000)
    return (m as { report: FloodReport }).report
  }

  async kill (): Promise<void> {
    if (this.child.exitCode != null || this.child.signalCode != null) return
    const exited = once(this.child, 'exit')
    this.child.kill('SIGKILL')
    await exited
  }
}

describe('a flooding address does not lock a peer out or blow up its memory', () => {
  const daemons: Daemon[] = []
  const clients: ChordClient[] = []
  let flood: FloodProcess | undefined

  const targetOf = (d: Daemon): { peerId: string, addrs: string[] } => ({ peerId: d.info.peerId, addrs: [splitP2p(d.info.listen[0]).addr] })

  before(async () => {
    const first = await startChordd(['--listen', `/ip4/${RING_IPS[0]}/tcp/0`, ...FAST])
    daemons.push(first)
    for (const ip of RING_IPS.slice(1)) daemons.push(await startChordd(['--listen', `/ip4/${ip}/tcp/0`, '--bootstrap', first.info.listen[0], ...FAST]))
    const client = await ChordClient.create({ timeoutMs: 10_000, dialFrom: CLIENT_IP })
    clients.push(client)
    const deadline = Date.now() + 60_000
    for (;;) {
      const views = (await Promise.all(daemons.map(async d => await client.state(targetOf(d)).catch(() => undefined)))).filter(v => v != null)
      const c = checkRing(views, daemons.map(d => ({ peerId: d.info.peerId, ringId: d.info.ringId })), 8)
      if (c.ideal) break
      if (Date.now() > deadline) assert.fail(`ring not ideal: ${c.problems.join('; ')}`)
      await new Promise(resolve => setTimeout(resolve, 250))
    }
  })

  after(async () => {
    await flood?.kill()
    await Promise.allSettled(clients.map(async c => { await c.stop() }))
    await killAll()
  })

  test('puts and gets from another address all succeed in time; RSS growth stays bounded', { timeout: 150_000 }, async () => {
    const victim = daemons[0]
    const target = targetOf(victim)
    const [, , host, , port] = target.addrs[0].split('/')
    const client = clients[0]
    // Warm up, then the baseline.
    for (let i = 0; i < 50; i++) await client.put(target, enc.encode(`warm-${i}`), enc.encode('v'))
    await new Promise(resolve => setTimeout(resolve, 1_000))
    const rssBefore = rssBytes(victim.proc.pid!)

    flood = new FloodProcess()
    await flood.start({
      idle: { host, port: Number(port), from: FLOOD_IP, count: IDLE_CONNECTIONS, reopenPerSecond: REOPEN_PER_S },
      victim: victim.info.listen[0],
      attackers: ATTACKERS,
      streamsPerAttacker: STREAMS_PER_ATTACKER,
      retryMs: RETRY_MS
    })

    const cpuBefore = { victim: cpuMs(victim.proc.pid!), flood: cpuMs(flood.child.pid!), test: process.cpuUsage() }
    const floodStarted = performance.now()
    let rssPeak = rssBefore
    const sampler = setInterval(() => { try { rssPeak = Math.max(rssPeak, rssBytes(victim.proc.pid!)) } catch {} }, 250)
    const latencies: number[] = []
    const freshLatencies: number[] = []
    const failures: string[] = []
    const timed = async (into: number[], what: string, op: () => Promise<unknown>): Promise<void> => {
      const t = performance.now()
      try {
        await op()
        into.push(performance.now() - t)
      } catch (err) {
        failures.push(`${what}: ${(err as Error).message}`)
      }
    }
    const until = Date.now() + FLOOD_MS
    // A kept connection: puts and gets back to back.
    const kept = (async () => {
      for (let i = 0; Date.now() < until; i++) {
        const key = enc.encode(`during-${i}`)
        await timed(latencies, `put ${i}`, async () => await client.put(target, key, enc.encode(`v${i}`)))
        await timed(latencies, `get ${i}`, async () => {
          const r = await client.get(target, key)
          if (!r.found) throw new Error(`during-${i} not found`)
        })
      }
    })()
    // A new connection (new identity) every second: the victim must still accept others.
    const fresh = (async () => {
      for (let i = 0; Date.now() < until; i++) {
        const started = Date.now()
        await timed(freshLatencies, `fresh ${i}`, async () => {
          const c = await ChordClient.create({ timeoutMs: 10_000, dialFrom: CLIENT_IP })
          try {
            await c.put(target, enc.encode(`fresh-${i}`), enc.encode('v'))
            const r = await c.get(target, enc.encode(`fresh-${i}`))
            if (!r.found) throw new Error(`fresh-${i} not found`)
          } finally {
            await c.stop()
          }
        })
        await new Promise(resolve => setTimeout(resolve, Math.max(0, 1_000 - (Date.now() - started))))
      }
    })()
    await Promise.all([kept, fresh])
    const floodMs = performance.now() - floodStarted
    const cores = { victim: (cpuMs(victim.proc.pid!) - cpuBefore.victim) / floodMs, flood: (cpuMs(flood.child.pid!) - cpuBefore.flood) / floodMs, test: (() => { const u = process.cpuUsage(cpuBefore.test); return (u.user + u.system) / 1000 / floodMs })() }
    const report = await flood.stop()
    clearInterval(sampler)
    await new Promise(resolve => setTimeout(resolve, 3_000))
    const rssAfter = rssBytes(victim.proc.pid!)

    const { idle, ends } = report
    const sorted = [...latencies].sort((a, b) => a - b)
    const q = (p: number): string => (sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN).toFixed(1)
    console.log(`flood ${FLOOD_MS / 1000} s from ${FLOOD_IP}: idle TCP ${idle.attempted} attempted, ${idle.connected} connected, ${idle.closedByVictim} closed by the victim, at most ${idle.maxOpen} open at once, ${idle.openAtEnd} at the end, longest-lived ${idle.maxLifetimeMs.toFixed(0)} ms`)
    console.log(`half-frame streams (${ATTACKERS} identities x ${STREAMS_PER_ATTACKER}): ${MiB(report.halfFrameBytesSent)} of half frames sent; ended by the victim with ${JSON.stringify(ends)}`)
    console.log(`client ${CLIENT_IP}: ${latencies.length} ops on a kept connection, p50 ${q(0.5)} ms, p99 ${q(0.99)} ms, max ${Math.max(...latencies).toFixed(1)} ms; ${freshLatencies.length} new connections (put+get), max ${Math.max(...freshLatencies).toFixed(1)} ms; ${failures.length} failed`)
    console.log(`CPU during the flood, cores: victim ${cores.victim.toFixed(2)}, flooding process ${cores.flood.toFixed(2)}, test client process ${cores.test.toFixed(2)}`)
    console.log(`victim RSS before ${MiB(rssBefore)}, peak ${MiB(rssPeak)}, after ${MiB(rssAfter)}: growth ${MiB(rssAfter - rssBefore)} (bound ${MiB(RSS_GROWTH_BOUND)})`)

    if (failures.length > 0) console.log(`failures: ${failures.join('; ')}`)
    assert.deepEqual(failures, [], 'every client operation succeeded')
    assert.ok(latencies.length >= 20 && freshLatencies.length >= 5, 'the client kept working through the flood')
    assert.ok(Math.max(...latencies, ...freshLatencies) <= LATENCY_BOUND_MS, `every operation within ${LATENCY_BOUND_MS} ms`)
    assert.ok(rssAfter - rssBefore < RSS_GROWTH_BOUND, `RSS grew by ${MiB(rssAfter - rssBefore)}`)
    // The flood happened and the limits acted on it.
    assert.ok(idle.attempted >= 2 * IDLE_CONNECTIONS, 'idle connections were reopened')
    assert.ok(idle.maxLifetimeMs < 2 * DEFAULTS.limits.handshakeTimeoutMs, 'no idle connection outlived the handshake timeout by much')
    assert.ok(ends.TIMEOUT > 0, 'half frames were cut off by the partial-frame deadline')
  })
})
