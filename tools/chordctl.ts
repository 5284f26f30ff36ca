#!/usr/bin/env node
// chordctl: talk to a Chord ring through one of its peers (put/get/del/lookup, ring walk, stats).
//
// Exit codes:
//   0  ok
//   1  not found: get/del of a key the ring does not hold
//   2  usage: bad flags or arguments, unknown or missing command, missing --peer (or CHORD_PEER),
//      bad multiaddr/peer id/--target-hex, key or value over the protocol limits (checked here
//      first), and requests the peer refuses as TOO_LARGE or BAD_REQUEST
//   3  network: no answer within --timeout-ms (TIMEOUT), dial failures and UNREACHABLE,
//      SHUTTING_DOWN, BUSY; any other failure also exits 3, with its message
// Errors go to stderr as one line: "chordctl: <message>". Every wait, stopping the client
// included and a value read from stdin, is bounded by --timeout-ms (default 10000); collect's by
// --window plus --timeout-ms.
import '../daemon/host/quietWarnings.js'
import { readFileSync } from 'node:fs'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { Command, CommanderError, Option } from 'commander'
import type { ClientResult } from '../protocol/chord.js'
import { MAX_KEY_BYTES, MAX_VALUE_BYTES } from '../protocol/constants.js'
import { ChordError, ErrorCode, TimeoutError, codeOf } from '../protocol/errors.js'
import { fromWire, splitP2p } from '../protocol/peerInfo.js'
import { hexToId, idToBytes, idToHex } from '../protocol/ring.js'
import type { RpcTarget } from '../daemon/rpc/client.js'
import { ChordClient, pathIds, type OpOptions } from './lib/client.js'
import type { PeerView } from '../protocol/peerState.js'
import { collect } from './lib/collect.js'
import { readBounded } from './lib/readBounded.js'
import { formatSummary } from './lib/report.js'

/** An outcome with its exit code: usage errors (2) and "not found" (1). */
class Exit extends Error {
  constructor (readonly code: number, message: string) { super(message) }
}

interface Ctx {
  client: ChordClient
  peer: RpcTarget
  json: boolean
  op: OpOptions
  left: () => number
}
type Job = (ctx: Ctx) => Promise<number>

const enc = new TextEncoder()
let job: Job | undefined
/** Time a command waits on purpose (collect's window), added to the --timeout-ms bound. */
let jobWaitMs = 0
/** Input read before dialling (a value on stdin), within the --timeout-ms bound. */
let readInput: (() => Promise<void>) | undefined

const program = new Command('chordctl')
  .description('client for a chordmeter Chord ring')
  .addOption(new Option('--peer <multiaddr>', 'ring peer to talk to (/p2p/<id> optional)').env('CHORD_PEER'))
  .addOption(new Option('--timeout-ms <ms>', 'bound on the whole command').default('10000'))
  .addOption(new Option('--iterative', 'iterative instead of recursive lookup'))
  .addOption(new Option('--fingers-only', 'route over fingers only'))
  .addOption(new Option('--json', 'print JSON'))
  .exitOverride()
  .configureOutput({ outputError: (s, write) => { write(`chordctl: ${s.replace(/^error: /, '')}`) } })
  .addHelpText('after', '\nExit codes: 0 ok, 1 not found, 2 usage/too large/bad request, 3 network/timeout/other.')

program.command('put').description('store VALUE (or --value-file) under KEY')
  .argument('<key>').argument('[value]')
  .option('--value-file <path>', "read the value from a file ('-' for stdin)")
  .action((key: string, value: string | undefined, o: { valueFile?: string }) => {
    if ((value == null) === (o.valueFile == null)) throw new Exit(2, 'put needs exactly one of VALUE or --value-file')
    const k = keyBytes(key)
    let bytes: Uint8Array = new Uint8Array()
    if (o.valueFile === '-') {
      // A pipe may not have its data yet (a synchronous read of it fails with EAGAIN): read it as a stream.
      readInput = async () => { bytes = await valueFromStdin() }
    } else {
      try {
        bytes = value != null ? enc.encode(value) : readFileSync(o.valueFile!)
      } catch (err) { throw new Exit(2, `cannot read ${o.valueFile}: ${(err as Error).message}`) }
      if (bytes.length > MAX_VALUE_BYTES) throw new Exit(2, `value of ${bytes.length} bytes exceeds the ${MAX_VALUE_BYTES}-byte limit`)
    }
    job = async c => {
      const s = summary(await c.client.put(c.peer, k, bytes, { ...c.op, timeoutMs: c.left() }))
      print(c.json ? JSON.stringify({ op: 'put', key, bytes: bytes.length, ...s }) : `put ok owner=${s.owner} ring=${s.ownerRing.slice(0, 8)} hops=${s.hops} lookup_ms=${s.lookupMs} attempts=${s.attempts}`)
      return 0
    }
  })

program.command('get').description('print the value stored under KEY').argument('<key>')
  .action((key: string) => {
    const k = keyBytes(key)
    job = async c => {
      const res = await c.client.get(c.peer, k, { ...c.op, timeoutMs: c.left() })
      if (c.json) print(JSON.stringify({ op: 'get', key, found: res.found, value: res.found ? Buffer.from(res.value).toString('utf8') : null, ...summary(res) }))
      if (!res.found) throw new Exit(1, `key ${JSON.stringify(key)} not found`)
      if (!c.json) { process.stdout.write(res.value); if (process.stdout.isTTY) process.stdout.write('\n') }
      return 0
    }
  })

program.command('del').description('delete KEY').argument('<key>')
  .action((key: string) => {
    const k = keyBytes(key)
    job = async c => {
      const res = await c.client.del(c.peer, k, { ...c.op, timeoutMs: c.left() })
      const s = summary(res)
      if (c.json) print(JSON.stringify({ op: 'del', key, found: res.found, ...s }))
      if (!res.found) throw new Exit(1, `key ${JSON.stringify(key)} not found`)
      if (!c.json) print(`del ok owner=${s.owner} ring=${s.ownerRing.slice(0, 8)} hops=${s.hops} lookup_ms=${s.lookupMs}`)
      return 0
    }
  })

program.command('lookup').description('find the peer that owns KEY (or the ring id --target-hex)').argument('[key]')
  .option('--target-hex <hex>', 'look up this ring id (1-40 hex digits) instead of hashing KEY')
  .action((key: string | undefined, o: { targetHex?: string }) => {
    if ((key == null) === (o.targetHex == null)) throw new Exit(2, 'lookup needs exactly one of KEY or --target-hex')
    let what: { key?: Uint8Array, target?: Uint8Array }
    try {
      what = key != null ? { key: keyBytes(key) } : { target: idToBytes(hexToId(o.targetHex!)) }
    } catch (err) { throw err instanceof Exit ? err : new Exit(2, (err as Error).message) }
    job = async c => {
      const started = performance.now()
      const s = summary(await c.client.lookup(c.peer, what, { ...c.op, timeoutMs: c.left() }))
      const totalMs = round(performance.now() - started)
      const target = key != null ? { key } : { target: o.targetHex!.toLowerCase().padStart(40, '0') }
      if (c.json) print(JSON.stringify({ op: 'lookup', ...target, ...s, totalMs }))
      else {
        print([`owner    ${s.owner}`, `ring id  ${s.ownerRing}`, `addrs    ${s.ownerAddrs.join(' ')}`, `hops     ${s.hops}`,
          `path     ${s.path.length === 0 ? '-' : s.path.join(' -> ')}`, `lookup   ${s.lookupMs} ms at the entry peer (${totalMs} ms round trip)`].join('\n'))
      }
      return 0
    }
  })

program.command('ring').description('walk the ring from --peer along successor pointers')
  .action(() => {
    job = async c => {
      const walk = await c.client.walkRing(c.peer)
      if (c.json) { print(JSON.stringify({ peers: walk.peers, closed: walk.closed, size: walk.peers.length, unreachable: walk.unreachable }, null, 2)); return 0 }
      for (const p of walk.peers) {
        print(`${p.ringId.slice(0, 8)}  ..${p.peerId.slice(-6)}  pred=${p.predecessor == null ? '-' : p.predecessor.ringId.slice(0, 8)}` +
          `  succ=${p.successors.length}  fingers=${distinctFingers(p)}  keys=${p.keys}${p.ready ? '' : '  NOT READY'}`)
      }
      print(`${walk.peers.length} peers, ring ${walk.closed ? 'closed' : 'NOT closed'}` +
        (walk.unreachable.length > 0 ? `, unreachable: ${walk.unreachable.join(' ')}` : ''))
      return 0
    }
  })

program.command('stats').description("print the state of the --peer peer")
  .action(() => {
    job = async c => {
      const v = await c.client.state(c.peer, c.left())
      if (c.json) { print(JSON.stringify(v, null, 2)); return 0 }
      const ps = (p: { peerId: string, ringId: string } | null): string => p == null ? '-' : `${p.ringId.slice(0, 8)} ${p.peerId}`
      print([`peer         ${v.peerId}`, `ring id      ${v.ringId}`, `addrs        ${v.addrs.join(' ')}`, `ready        ${v.ready}`,
        `http         ${v.http === '' ? '-' : v.http}`, `keys         ${v.keys} (${v.storeBytes} bytes)`, `predecessor  ${ps(v.predecessor)}`,
        `successors   ${v.successors.length}`, ...v.successors.map((s, i) => `  ${i}  ${ps(s)}`),
        `fingers      ${v.fingers.length} runs, ${distinctFingers(v)} distinct peers`, ...v.fingers.map(f => `  ${String(f.start).padStart(3)}+ ${ps(f)}`)].join('\n'))
      return 0
    }
  })

program.command('collect').description('scrape every peer\'s cost meters twice, --window seconds apart; write report.json, peers.csv and SVG charts')
  .option('--window <s>', 'seconds between the two scrapes', '10')
  .option('--out <dir>', 'output directory', './reports/collect')
  .option('--route-candidates <which>', 'how the measured lookups routed, for the model: fingers or all', 'all')
  .action((o: { window: string, out: string, routeCandidates: string }) => {
    const windowS = Number(o.window)
    if (o.window.trim() === '' || !Number.isFinite(windowS) || windowS < 0 || windowS > 86_400) throw new Exit(2, `--window must be a number of seconds in [0, 86400], got ${o.window}`)
    if (o.out.trim() === '') throw new Exit(2, '--out must name a directory')
    const route = o.routeCandidates
    if (route !== 'fingers' && route !== 'all') throw new Exit(2, `--route-candidates must be fingers or all, got ${route}`)
    jobWaitMs = windowS * 1000
    job = async c => {
      const report = await collect(c.client, c.peer, { windowS, outDir: o.out, routeCandidates: route, perPeerTimeoutMs: Math.min(3_000, c.left()) })
      if (report.reachable === 0) throw new ChordError(ErrorCode.UNREACHABLE, 'no peer answered both scrapes')
      if (c.json) print(JSON.stringify(report, null, 2))
      else print([...formatSummary(report), `wrote ${report.files.join(', ')} to ${o.out}`].join('\n'))
      return 0
    }
  })

/** The value on stdin; one byte over the limit refuses it, the rest left unread. */
async function valueFromStdin (): Promise<Uint8Array> {
  let r
  try {
    r = await readBounded(process.stdin, MAX_VALUE_BYTES)
  } catch (err) { throw new Exit(2, `cannot read -: ${(err as Error).message}`) }
  if (r.kind === 'over') throw new Exit(2, `value on stdin exceeds the ${MAX_VALUE_BYTES}-byte limit`)
  return r.bytes
}

function keyBytes (key: string): Uint8Array {
  const k = enc.encode(key)
  if (k.length > MAX_KEY_BYTES) throw new Exit(2, `key of ${k.length} bytes exceeds the ${MAX_KEY_BYTES}-byte limit`)
  return k
}

function summary (res: ClientResult): { owner: string, ownerRing: string, ownerAddrs: string[], hops: number, path: string[], lookupMs: number, attempts: number } {
  const owner = fromWire(res.owner, { allowExplicitIds: true })
  return { owner: owner.peerId, ownerRing: idToHex(owner.id), ownerAddrs: [...owner.addrs], hops: res.hops, path: pathIds(res), lookupMs: round(res.lookupUs / 1000), attempts: res.attempts }
}

const distinctFingers = (p: PeerView): number => p.distinctFingers.length
const round = (ms: number): number => Math.round(ms * 1000) / 1000
const print = (s: string): void => { process.stdout.write(s + '\n') }

/** A multiaddr, with a well-formed /p2p/ id if it has one. */
function checkPeer (addr: string): void {
  try { multiaddr(addr) } catch (err) { throw new Exit(2, `bad --peer multiaddr ${JSON.stringify(addr)}: ${(err as Error).message}`) }
  const { peerId } = splitP2p(addr)
  if (peerId != null) {
    try { peerIdFromString(peerId) } catch { throw new Exit(2, `bad peer id in --peer: ${JSON.stringify(peerId)}`) }
  }
}

function exitCodeOf (err: unknown): number {
  if (err instanceof Exit) return err.code
  const code = codeOf(err)
  return code === ErrorCode.TOO_LARGE || code === ErrorCode.BAD_REQUEST ? 2 : 3
}

function messageOf (err: unknown): string {
  const msg = (err instanceof Error ? err.message : String(err)).split('\n')[0]
  return err instanceof ChordError ? `${err.code}: ${msg}` : msg
}

/** Settles when `p` does or after `ms`, whichever comes first; the timer does not hold the process. */
async function within<T> (p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<never>((_resolve, reject) => { timer = setTimeout(() => { reject(new TimeoutError(`${what}: no answer within ${ms} ms`)) }, ms) })
  try { return await Promise.race([p, late]) } finally { clearTimeout(timer) }
}

async function main (): Promise<number> {
  let o: { peer?: string, timeoutMs: string, iterative?: boolean, fingersOnly?: boolean, json?: boolean }
  try {
    program.parse()
    o = program.opts()
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2
    throw err
  }
  const timeoutMs = Number(o.timeoutMs)
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) throw new Exit(2, `--timeout-ms must be a positive integer, got ${o.timeoutMs}`)
  if (o.peer == null || o.peer === '') throw new Exit(2, 'no peer: pass --peer <multiaddr> or set CHORD_PEER')
  checkPeer(o.peer)
  if (job == null) throw new Exit(2, 'no command given (try --help)')
  const run = job
  const boundMs = timeoutMs + jobWaitMs
  const deadline = Date.now() + boundMs
  const left = (): number => Math.max(1, deadline - Date.now())
  let client: ChordClient | undefined
  const work = async (): Promise<number> => {
    client = await ChordClient.create({ timeoutMs })
    const peer = await client.target(o.peer!).catch((err: unknown) => {
      if (err instanceof ChordError) throw err
      // libp2p's own dial/handshake timeouts arrive as e.g. EncryptionFailedError "...aborted due to timeout".
      const timedOut = codeOf(err) === ErrorCode.TIMEOUT || /timeout|timed out/i.test(messageOf(err))
      throw new ChordError(timedOut ? ErrorCode.TIMEOUT : ErrorCode.UNREACHABLE, `cannot dial ${o.peer!}: ${messageOf(err)}`)
    })
    return await run({ client, peer, json: o.json === true, op: { iterative: o.iterative === true, fingersOnly: o.fingersOnly === true }, left })
  }
  try {
    if (readInput != null) await within(readInput(), left(), 'reading stdin')
    return await within(work(), left(), o.peer)
  } finally {
    // stop() waits for dials still in flight; past the deadline give it only a moment.
    const c = client as ChordClient | undefined
    if (c != null) await within(c.stop(), Math.max(250, deadline - Date.now()), 'stopping the client').catch(() => {})
  }
}

main().then(code => { process.exitCode = code }, err => {
  process.stderr.write(`chordctl: ${messageOf(err)}\n`)
  process.exitCode = exitCodeOf(err)
}).finally(() => {
  // Exit once stdout has drained: libp2p may leave handles (timers, sockets) behind.
  process.stdout.write('', () => process.exit())
})
