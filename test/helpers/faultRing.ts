// A ring of real chordd processes for the fault suite, with the pieces every fault test
// needs: start peers on chosen loopback addresses, poll the ring until it is ideal (with a
// deadline), write under a Jepsen-style checker, and clean everything up.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { RpcTarget } from '../../daemon/rpc/client.js'
import { splitP2p } from '../../protocol/peerInfo.js'
import type { AckChecker } from '../../tools/lib/checker.js'
import { ChordClient } from '../../tools/lib/client.js'
import { replicaCounts, type Member } from '../../tools/lib/replicaCount.js'
import { checkRing, idealOver, type RingCheck } from '../../tools/lib/ringCheck.js'
import { killAll, startChordd, type Daemon } from './chordd.js'

/** The flags the fault suite's peers run with: fast maintenance, short deadlines, quiet logs. */
export function faultFlags (o: { stabilizeMs?: number, rpcTimeoutMs?: number, lookupTimeoutMs?: number, maxClockSkewMs?: number } = {}): string[] {
  return ['--stabilize-ms', String(o.stabilizeMs ?? 200), '--fix-fingers-ms', '100', '--check-predecessor-ms', '200', '--repair-ms', '500',
    '--rpc-timeout-ms', String(o.rpcTimeoutMs ?? 600), '--lookup-timeout-ms', String(o.lookupTimeoutMs ?? 5000),
    '--max-clock-skew-ms', String(o.maxClockSkewMs ?? 500), '--heal-ms', '1000', '--http', 'off', '--log-level', 'warn']
}

export const sleep = async (ms: number): Promise<void> => { await new Promise(resolve => setTimeout(resolve, ms)) }
const enc = new TextEncoder()

export class FaultRing {
  readonly daemons = new Map<string, Daemon>()
  readonly dir = mkdtempSync(join(tmpdir(), 'chordmeter-faults-'))
  client!: ChordClient

  /** @param flags every peer's flags (listen, bootstrap and data dir are added per peer). */
  constructor (readonly flags: readonly string[], readonly successors = 8) {}

  async open (): Promise<void> { this.client = await ChordClient.create({ timeoutMs: 10_000 }) }

  async start (name: string, host: string, via?: Daemon, extra: readonly string[] = []): Promise<Daemon> {
    const d = await startChordd(['--data-dir', join(this.dir, name), '--listen', `/ip4/${host}/tcp/0`, ...(via == null ? [] : ['--bootstrap', via.info.listen[0]]), ...this.flags, ...extra])
    this.daemons.set(name, d)
    return d
  }

  /** Peers `${prefix}0..n-1` on `${subnet}.2 ..`, each joining through the first; returns the first. */
  async startRing (n: number, subnet: string, prefix = 'p'): Promise<Daemon> {
    const first = await this.start(`${prefix}0`, `${subnet}.2`)
    for (let i = 1; i < n; i++) await this.start(`${prefix}${i}`, `${subnet}.${i + 2}`, first)
    return first
  }

  targetOf (d: Daemon): RpcTarget { return { peerId: d.info.peerId, addrs: [splitP2p(d.info.listen[0]).addr] } }
  members (of: Iterable<Daemon> = this.daemons.values()): Member[] { return [...of].map(d => ({ peerId: d.info.peerId, ringId: d.info.ringId, target: this.targetOf(d) })) }
  live (): RpcTarget[] { return [...this.daemons.values()].map(d => this.targetOf(d)) }

  async check (of: Iterable<Daemon> = this.daemons.values()): Promise<RingCheck> {
    const members = this.members(of)
    const views = (await Promise.all(members.map(async m => await this.client.state(m.target).catch(() => undefined)))).filter(v => v != null)
    return checkRing(views, members, this.successors)
  }

  /** Poll (every 300 ms) until the ring of `of` is ideal; returns the ms it took, fails past the deadline. */
  async waitIdeal (timeoutMs: number, of?: Iterable<Daemon>): Promise<number> {
    const started = Date.now()
    for (;;) {
      const c = await this.check(of == null ? undefined : [...of])
      if (c.ideal) return Date.now() - started
      if (Date.now() - started > timeoutMs) assert.fail(`ring not ideal after ${timeoutMs} ms: ${c.problems.join('; ')}`)
      await sleep(300)
    }
  }

  /** Ideal at every poll over a window (not one lucky snapshot). */
  async assertIdealOver (windowMs: number, pollMs = 500): Promise<void> {
    const r = await idealOver(async () => await this.check(), { windowMs, pollMs })
    if (r.broken != null) assert.fail(`ring not ideal at poll ${r.broken.poll}, ${r.broken.atMs} ms into a ${windowMs} ms window: ${r.broken.check.problems.join('; ')}`)
  }

  /** Poll until every acknowledged key has r copies on its holders; returns the counts. */
  async waitReplicas (checker: AckChecker, r: number, timeoutMs: number): Promise<number[]> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const counts = await replicaCounts(this.client, this.members(), checker.latest(), r)
      if (counts.every(c => c === r) || Date.now() > deadline) return counts
      await sleep(500)
    }
  }

  async close (): Promise<void> {
    // Writers a failed test left running would keep the file alive until its timeout.
    await Promise.allSettled([...active].map(async w => await w.stop()))
    await this.client?.stop()
    await killAll()
    rmSync(this.dir, { recursive: true, force: true })
  }
}

export interface Writers { stop: () => Promise<{ acked: number, failed: number }> }

/** Writers not stopped yet: FaultRing.close() stops them, also when a test failed before it could. */
const active = new Set<Writers>()

/**
 * Put keys `${prefix}-0 .. keys-1` through the entry peers `peers()` picks, from `concurrency`
 * loops at once, each value unique, every put recorded with its invocation and completion
 * (acked or failed) so the checker can tell a lost write from an indeterminate one.
 */
/** `keyList`: write these keys instead of `${prefix}-0` .. `${prefix}-${keys - 1}` (a test that needs keys in some arc picks them). */
export function startWriters (client: ChordClient, peers: () => RpcTarget[], checker: AckChecker, o: { prefix: string, keys?: number, keyList?: readonly Uint8Array[], concurrency?: number, timeoutMs?: number }): Writers {
  let running = true
  let acked = 0
  let failed = 0
  const keyList = o.keyList ?? Array.from({ length: o.keys ?? 60 }, (_, i) => enc.encode(`${o.prefix}-${i}`))
  const loops = Array.from({ length: o.concurrency ?? 4 }, async (_, w) => {
    for (let i = 0; running; i++) {
      const key = keyList[(i * 7 + w * 13) % keyList.length]
      const value = enc.encode(`${o.prefix} w${w} #${i}`)
      const live = peers()
      const op = checker.invoke(key, value)
      try {
        op.ok(await client.put(live[(i + w) % live.length], key, value, { timeoutMs: o.timeoutMs ?? 8_000 }))
        acked++
      } catch {
        op.fail()
        failed++
        await sleep(50)
      }
    }
  })
  const writers: Writers = { stop: async () => { running = false; await Promise.all(loops); active.delete(writers); return { acked, failed } } }
  active.add(writers)
  return writers
}
