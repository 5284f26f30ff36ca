// chordctl end to end: the compiled CLI run as a child process against an in-process 4-peer ring.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFile, spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { MAX_VALUE_BYTES } from '../../protocol/constants.js'
import { ChordError, ErrorCode } from '../../protocol/errors.js'
import { createTestnet, type Testnet } from '../../tools/testnet.js'

const CLI = fileURLToPath(new URL('../../tools/chordctl.js', import.meta.url))
const T = { timeout: 60_000 }

interface Run { code: number, stdout: string, stderr: string, ms: number }

let net: Testnet
let dir: string

/** Run chordctl with `args`; never rejects on a non-zero exit. */
async function chordctl (args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const started = Date.now()
  return await new Promise(resolve => {
    execFile(process.execPath, [CLI, ...args], { env: { ...process.env, CHORD_PEER: '', ...env }, maxBuffer: 8 * 1024 * 1024, timeout: 30_000 }, (err, stdout, stderr) => {
      const code = err == null ? 0 : typeof err.code === 'number' ? err.code : -1
      resolve({ code, stdout, stderr, ms: Date.now() - started })
    })
  })
}

/** chordctl --peer <peer i> ... */
async function at (i: number, ...args: string[]): Promise<Run> {
  return await chordctl(['--peer', net.peers[i].info.listen[0], ...args])
}

/**
 * chordctl --peer <peer i> ... with stdin a pipe fed by `feed` (which writes and ends it when
 * it likes); never rejects on a non-zero exit, killed after 30 s.
 */
async function withStdin (i: number, args: string[], feed: (stdin: NodeJS.WritableStream) => void): Promise<Run> {
  const started = Date.now()
  const child = spawn(process.execPath, [CLI, '--peer', net.peers[i].info.listen[0], ...args], { env: { ...process.env, CHORD_PEER: '' }, stdio: ['pipe', 'pipe', 'pipe'] })
  child.stdin.on('error', () => {}) // chordctl may close stdin early (an oversized value): EPIPE here is expected
  const out: Buffer[] = []
  const err: Buffer[] = []
  child.stdout.on('data', (d: Buffer) => out.push(d))
  child.stderr.on('data', (d: Buffer) => err.push(d))
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000)
  feed(child.stdin)
  const code = await new Promise<number>(resolve => child.on('close', c => { resolve(c ?? -1) }))
  clearTimeout(timer)
  return { code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString(), ms: Date.now() - started }
}

function oneErrorLine (r: Run): void {
  assert.match(r.stderr, /^chordctl: [^\n]+\n$/, `stderr should be one "chordctl: ..." line, got ${JSON.stringify(r.stderr)}`)
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'chordctl-test-'))
  net = await createTestnet({ peers: 4, procs: 0, peerConfig: { stabilizeMs: 100, fixFingersMs: 100, checkPredecessorMs: 200 } })
  const c = await net.waitIdeal({ timeoutMs: 30_000, fingers: true })
  assert.ok(c.fingersIdeal, 'ring did not converge')
}, { timeout: 60_000 })

after(async () => {
  await net?.stop()
  if (dir != null) rmSync(dir, { recursive: true, force: true })
})

test('put through one peer, get through another', T, async () => {
  const put = await at(0, 'put', 'greeting', 'hello, ring')
  assert.equal(put.code, 0, put.stderr)
  assert.match(put.stdout, /^put ok owner=\S+ ring=[0-9a-f]{8} hops=\d+ lookup_ms=[\d.]+/)
  const get = await at(2, 'get', 'greeting')
  assert.equal(get.code, 0, get.stderr)
  assert.equal(get.stdout, 'hello, ring')
  const json = await at(3, '--json', 'get', 'greeting')
  assert.equal(json.code, 0, json.stderr)
  const doc = JSON.parse(json.stdout)
  assert.equal(doc.found, true)
  assert.equal(doc.value, 'hello, ring')
  assert.ok(net.peers.some(p => p.info.peerId === doc.owner))
})

test('get of a missing key exits 1', T, async () => {
  const r = await at(1, 'get', 'no-such-key')
  assert.equal(r.code, 1)
  assert.equal(r.stdout, '')
  oneErrorLine(r)
  assert.match(r.stderr, /not found/)
})

test('del exits 0, then get and del exit 1', T, async () => {
  assert.equal((await at(0, 'put', 'doomed', 'x')).code, 0)
  const del = await at(1, 'del', 'doomed')
  assert.equal(del.code, 0, del.stderr)
  assert.equal((await at(2, 'get', 'doomed')).code, 1)
  assert.equal((await at(3, 'del', 'doomed')).code, 1)
})

test('lookup names an owner that is a testnet peer', T, async () => {
  const ids = new Set(net.peers.map(p => p.info.peerId))
  const r = await at(0, '--json', 'lookup', 'some-key')
  assert.equal(r.code, 0, r.stderr)
  const doc = JSON.parse(r.stdout)
  assert.ok(ids.has(doc.owner), `owner ${doc.owner} is not a testnet peer`)
  assert.equal(typeof doc.hops, 'number')
  assert.ok(doc.path.every((p: string) => ids.has(p)))
  // The human form and --target-hex: the owner of a peer's own ring id is that peer.
  const self = net.peers[2].info
  const raw = await at(1, 'lookup', '--target-hex', self.ringId)
  assert.equal(raw.code, 0, raw.stderr)
  assert.match(raw.stdout, new RegExp(`^owner +${self.peerId}$`, 'm'))
  assert.match(raw.stdout, /^hops +\d+$/m)
})

test('ring --json lists the 4 peers, closed, each with a successor list', T, async () => {
  const r = await at(0, 'ring', '--json')
  assert.equal(r.code, 0, r.stderr)
  const doc = JSON.parse(r.stdout)
  assert.equal(doc.closed, true)
  assert.equal(doc.size, 4)
  assert.deepEqual(doc.unreachable, [])
  assert.deepEqual(new Set(doc.peers.map((p: { peerId: string }) => p.peerId)), new Set(net.peers.map(p => p.info.peerId)))
  for (const p of doc.peers) {
    assert.ok(Array.isArray(p.successors) && p.successors.length >= 3, `${p.peerId} has ${p.successors.length} successors`)
    assert.notEqual(p.predecessor, null)
  }
  const human = await at(1, 'ring')
  assert.equal(human.code, 0, human.stderr)
  const lines = human.stdout.trim().split('\n')
  assert.equal(lines.length, 5)
  assert.match(lines[4], /^4 peers, ring closed$/)
})

test('stats prints the one peer', T, async () => {
  const r = await at(3, 'stats', '--json')
  assert.equal(r.code, 0, r.stderr)
  assert.equal(JSON.parse(r.stdout).peerId, net.peers[3].info.peerId)
  const human = await at(3, 'stats')
  assert.equal(human.code, 0, human.stderr)
  assert.match(human.stdout, new RegExp(`^peer +${net.peers[3].info.peerId}$`, 'm'))
})

test('CHORD_PEER stands in for --peer', T, async () => {
  const r = await chordctl(['get', 'greeting'], { CHORD_PEER: net.peers[1].info.listen[0] })
  assert.equal(r.code, 0, r.stderr)
  assert.equal(r.stdout, 'hello, ring')
})

test('usage errors exit 2', T, async () => {
  const noPeer = await chordctl(['get', 'x'])
  assert.equal(noPeer.code, 2)
  oneErrorLine(noPeer)
  const unknown = await at(0, 'frobnicate')
  assert.equal(unknown.code, 2)
  assert.match(unknown.stderr, /^chordctl: unknown command 'frobnicate'/)
  assert.equal((await at(0, 'put', 'only-a-key')).code, 2)
  assert.equal((await at(0, '--bogus-flag', 'get', 'x')).code, 2)
  assert.equal((await at(0, '--timeout-ms', 'soon', 'get', 'x')).code, 2)
  assert.equal((await at(0, 'lookup', '--target-hex', 'xyz')).code, 2)
  assert.equal((await chordctl(['--peer', 'not-a-multiaddr', 'get', 'x'])).code, 2)
  // The peer refuses an empty key as BAD_REQUEST: a usage error too.
  const empty = await at(0, 'get', '')
  assert.equal(empty.code, 2)
  assert.match(empty.stderr, /BAD_REQUEST/)
  assert.equal((await chordctl(['--help'])).code, 0)
})

test('a value of exactly 1 MiB round-trips; 1 MiB + 1 exits 2', T, async () => {
  const max = Buffer.alloc(MAX_VALUE_BYTES, 'v')
  writeFileSync(join(dir, 'max'), max)
  const put = await at(0, 'put', 'big', '--value-file', join(dir, 'max'))
  assert.equal(put.code, 0, put.stderr)
  const get = await at(1, 'get', 'big')
  assert.equal(get.code, 0, get.stderr)
  assert.equal(get.stdout.length, MAX_VALUE_BYTES)
  assert.ok(Buffer.from(get.stdout).equals(max))

  writeFileSync(join(dir, 'over'), Buffer.alloc(MAX_VALUE_BYTES + 1, 'v'))
  const over = await at(0, 'put', 'too-big', '--value-file', join(dir, 'over'))
  assert.equal(over.code, 2)
  oneErrorLine(over)
  assert.match(over.stderr, /exceeds the 1048576-byte limit/)
  // chordctl refuses it before sending; the peer agrees (TOO_LARGE, which chordctl maps to 2).
  await assert.rejects(net.client.put(net.peers[0].target, Buffer.from('too-big'), Buffer.alloc(MAX_VALUE_BYTES + 1)),
    (err: unknown) => err instanceof ChordError && err.code === ErrorCode.TOO_LARGE)
  assert.equal((await at(1, 'get', 'too-big')).code, 1)
})

test('a peer on a closed port exits 3 within --timeout-ms', T, async () => {
  const closed = `/ip4/127.0.0.1/tcp/1/p2p/${net.peers[0].info.peerId}`
  const r = await chordctl(['--peer', closed, '--timeout-ms', '2000', 'get', 'x'])
  assert.equal(r.code, 3)
  oneErrorLine(r)
  assert.ok(r.ms < 2_000 + 5_000, `took ${r.ms} ms`) // the bound plus node's start-up
  const noId = await chordctl(['--peer', '/ip4/127.0.0.1/tcp/1', '--timeout-ms', '2000', 'ring'])
  assert.equal(noId.code, 3)
  oneErrorLine(noId)
})

test('a peer that stopped answering exits 3 with a timeout', T, async () => {
  // Listening, but nothing speaks libp2p there: the Noise handshake never completes.
  const { createServer } = await import('node:net')
  const server = createServer(() => {})
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  try {
    const port = (server.address() as { port: number }).port
    const r = await chordctl(['--peer', `/ip4/127.0.0.1/tcp/${port}/p2p/${net.peers[0].info.peerId}`, '--timeout-ms', '1500', 'get', 'x'])
    assert.equal(r.code, 3)
    oneErrorLine(r)
    assert.ok(r.ms < 1_500 + 5_000, `took ${r.ms} ms`)
  } finally {
    server.close()
  }
})

test('put --value-file - waits for stdin data that arrives late', T, async () => {
  // Part of the value comes at 300 ms, the rest and the end at 1.5 s: well after chordctl
  // (about 0.5 s to start here) first looks at its stdin and finds the pipe not yet ended.
  const put = await withStdin(0, ['put', 'late-stdin', '--value-file', '-'], stdin => {
    setTimeout(() => { stdin.write('arrived ') }, 300)
    setTimeout(() => { stdin.end('late') }, 1_500)
  })
  assert.equal(put.code, 0, put.stderr)
  const get = await at(2, 'get', 'late-stdin')
  assert.equal(get.code, 0, get.stderr)
  assert.equal(get.stdout, 'arrived late')
})

test('put --value-file - refuses a stdin value over 1 MiB with exit 2, without reading it all', T, async t => {
  // 8 MiB offered; chordctl stops reading past the limit, so the writer sees stdin close early.
  let written = 0
  const put = await withStdin(0, ['put', 'big-stdin', '--value-file', '-'], stdin => {
    const chunk = Buffer.alloc(64 * 1024, 'v')
    const more = (): void => {
      while (written < 8 * MAX_VALUE_BYTES) {
        written += chunk.length
        if (!stdin.write(chunk)) { stdin.once('drain', more); return }
      }
      stdin.end()
    }
    more()
  })
  assert.equal(put.code, 2)
  oneErrorLine(put)
  assert.match(put.stderr, /exceeds the 1048576-byte limit/)
  assert.ok(written < 8 * MAX_VALUE_BYTES, `chordctl stopped reading (${written} bytes written)`)
  t.diagnostic(`${written} of ${8 * MAX_VALUE_BYTES} bytes offered before chordctl closed its stdin`)
  assert.equal((await at(1, 'get', 'big-stdin')).code, 1)
})

test('put --value-file - with stdin that never ends exits 3 within --timeout-ms', T, async () => {
  const put = await withStdin(0, ['--timeout-ms', '1500', 'put', 'never-ends', '--value-file', '-'], stdin => { stdin.write('partial') })
  assert.equal(put.code, 3)
  oneErrorLine(put)
  assert.match(put.stderr, /stdin/)
  assert.ok(put.ms < 1_500 + 5_000, `took ${put.ms} ms`) // the bound plus node's start-up
})
