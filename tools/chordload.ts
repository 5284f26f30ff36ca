#!/usr/bin/env node
// chordload: the compose harness's workload. `run` waits for the ring to reach --ring-size
// ready peers, puts --keys keys through random peers, reads them back (tools/lib/workload.ts)
// and writes every acknowledged key to --out; `verify` later reads that file and checks that
// every acknowledged key still reads back (AckChecker) and that each has --replicas copies on
// its current holders (replicaCount.ts), retrying for --within-s while repair catches up.
// Exit codes: 0 ok, 1 a key lost or under-replicated, 2 usage, 3 ring not reachable in time.
import '../daemon/host/quietWarnings.js'
import { readFile, rename, writeFile } from 'node:fs/promises'
import { Command, Option } from 'commander'
import type { RpcTarget } from '../daemon/rpc/client.js'
import { ChordClient } from './lib/client.js'
import type { PeerView } from '../protocol/peerState.js'
import { AckChecker } from './lib/checker.js'
import { replicaCounts, type Member } from './lib/replicaCount.js'
import { runWorkload } from './lib/workload.js'

interface AckedFile {
  ring: number
  keys: number
  putsAcked: number
  putsFailed: number
  getsOk: number
  lost: number
  putMs: number
  getMs: number
  errors: string[]
  acked: Array<{ key: string, value: string, ts: string, writer: string }>
}

const print = (o: unknown): void => { process.stdout.write(JSON.stringify(o) + '\n') }
const sleep = async (ms: number): Promise<void> => { await new Promise(resolve => setTimeout(resolve, ms)) }
const membersOf = (views: readonly PeerView[]): Member[] => views.map(v => ({ peerId: v.peerId, ringId: v.ringId, target: { peerId: v.peerId, addrs: v.addrs } }))

/** Walk the ring from `addr` until it is closed, all ready and at least `size` peers, or `waitMs` passes. */
async function waitForRing (client: ChordClient, addr: string, size: number, waitMs: number): Promise<{ views: PeerView[], complete: boolean }> {
  const deadline = Date.now() + waitMs
  let views: PeerView[] = []
  let last = ''
  for (;;) {
    try {
      const walk = await client.walkRing(await client.target(addr))
      views = walk.closed ? walk.peers : []
      if (walk.closed && walk.peers.length >= size && walk.peers.every(v => v.ready)) return { views, complete: true }
      last = `${walk.peers.length} peers, ${walk.closed ? 'closed' : 'open'}`
    } catch (err) {
      last = (err as Error).message.split('\n')[0]
    }
    if (Date.now() > deadline) {
      process.stderr.write(`chordload: ring not at ${size} ready peers after ${waitMs} ms (${last})\n`)
      return { views, complete: false }
    }
    await sleep(2_000)
  }
}

const program = new Command('chordload')
  .description('workload for a chordmeter ring: put keys, read them back, verify them later')
  .addOption(new Option('--peer <multiaddr>', 'ring peer to start from (/p2p/<id> optional)').env('CHORD_PEER').makeOptionMandatory())
  .addOption(new Option('--ring-size <n>', 'wait for this many ready peers').env('CHORD_RING_SIZE').default('2'))
  .addOption(new Option('--wait-s <s>', 'bound on waiting for the ring').default('300'))
  .exitOverride()

program.command('run').description('put --keys keys, read them back, write the acknowledged ones to --out')
  .option('--keys <n>', 'keys to put', '2000')
  .option('--concurrency <n>', 'operations in flight', '16')
  .option('--seed <n>', 'seed of the key sequence and entry peers', '1')
  .requiredOption('--out <file>', 'where to write the acknowledged keys (JSON)')
  .action(async (o: { keys: string, concurrency: string, seed: string, out: string }) => {
    const g = program.opts()
    const client = await ChordClient.create()
    try {
      const { views } = await waitForRing(client, g.peer, Number(g.ringSize), Number(g.waitS) * 1000)
      if (views.length < 2) { process.exitCode = 3; return }
      const targets: RpcTarget[] = membersOf(views).map(m => m.target)
      const w = await runWorkload(client, () => targets, { keys: Number(o.keys), concurrency: Number(o.concurrency), seed: Number(o.seed) })
      const out: AckedFile = {
        ring: views.length, keys: Number(o.keys), putsAcked: w.putsAcked, putsFailed: w.putsFailed, getsOk: w.getsOk, lost: w.lost,
        putMs: Math.round(w.putMs), getMs: Math.round(w.getMs), errors: w.errors,
        acked: w.acked.map(a => ({ key: Buffer.from(a.key).toString('hex'), value: Buffer.from(a.value).toString('base64'), ts: a.version.ts.toString(), writer: Buffer.from(a.version.writer).toString('hex') }))
      }
      // Written whole, then renamed: the collector waits for this file to appear.
      await writeFile(`${o.out}.tmp`, JSON.stringify(out) + '\n')
      await rename(`${o.out}.tmp`, o.out)
      const { acked: _, ...summary } = out
      print({ event: 'workload', ...summary })
      process.exitCode = w.lost === 0 && w.putsFailed === 0 ? 0 : 1
    } finally {
      await client.stop()
    }
  })

program.command('verify').description('check that every key in --acked reads back and has --replicas copies')
  .requiredOption('--acked <file>', 'a file written by `chordload run`')
  .option('--replicas <r>', 'copies every key should have', '3')
  .option('--within-s <s>', 'keep checking this long for repair to finish', '60')
  .action(async (o: { acked: string, replicas: string, withinS: string }) => {
    const g = program.opts()
    const file = JSON.parse(await readFile(o.acked, 'utf8')) as AckedFile
    const checker = new AckChecker()
    const keys = file.acked.map(a => ({ key: Buffer.from(a.key, 'hex'), value: Buffer.from(a.value, 'base64'), version: { ts: BigInt(a.ts), writer: Buffer.from(a.writer, 'hex') } }))
    for (const k of keys) checker.put(k.key, k.value, k.version)
    const client = await ChordClient.create()
    const deadline = Date.now() + Number(o.withinS) * 1000
    try {
      for (let round = 1; ; round++) {
        const { views, complete } = await waitForRing(client, g.peer, Number(g.ringSize), Math.max(0, deadline - Date.now()))
        if (!complete && views.length === 0) { process.exitCode = 3; return }
        const members = membersOf(views)
        const check = await checker.verify(client, () => members.map(m => m.target))
        const counts = await replicaCounts(client, members, keys, Number(o.replicas))
        const short = counts.filter(c => c < Number(o.replicas)).length
        const result = { event: 'verify', round, ring: views.length, keys: check.keys, lost: check.lost, newer: check.newer, underReplicated: short, minCopies: Math.min(...counts), problems: check.problems.slice(0, 5) }
        if ((check.lost === 0 && short === 0 && complete) || Date.now() > deadline) {
          print(result)
          process.exitCode = check.lost === 0 && short === 0 && complete ? 0 : 1
          return
        }
        await sleep(2_000)
      }
    } finally {
      await client.stop()
    }
  })

program.parseAsync().catch(err => {
  process.stderr.write(`chordload: ${(err as Error).message}\n`)
  const code = (err as { code?: string, exitCode?: number })
  process.exitCode = code.exitCode === 0 ? 0 : String(code.code).startsWith('commander.') ? 2 : 3
}).finally(() => { process.stdout.write('', () => process.exit()) })
