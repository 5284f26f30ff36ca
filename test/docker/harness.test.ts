// npm run test:docker: the compose harness of docker-compose.yml on a real Docker engine
// (issue 6). Each step is bounded; the project is torn down (`down -v`) even when one fails,
// and after a failed step the later ones are skipped (they build on its state).
import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test, type TestContext } from 'node:test'
import { checkRing } from '../../tools/lib/ringCheck.js'
import { Project, ROOT, baseImage, jsonLines, run, tail } from './compose.js'

const SUCCESSORS = 8 // protocol/constants.ts DEFAULTS.successors
const JOIN = '/dns4/bootstrap/tcp/4001'
const sleep = async (ms: number): Promise<void> => { await new Promise(resolve => setTimeout(resolve, ms)) }

describe('docker-compose harness', { concurrency: 1 }, () => {
  let project: Project
  let reports: string
  let bootstrap: string
  let failed = false
  /** Skip a step after a failed one; mark failure when this one throws. */
  const step = (name: string, timeoutMs: number, fn: (t: TestContext) => Promise<void>): void => {
    test(name, { timeout: timeoutMs }, async t => {
      if (failed) { t.skip('an earlier step failed'); return }
      try { await fn(t) } catch (err) { failed = true; throw err }
    })
  }

  /** Poll the ring from the bootstrap container until it is closed, of `size` peers and ideal. */
  async function idealRing (size: number, withinMs: number, fingers = false): Promise<Exclude<Awaited<ReturnType<Project['ring']>>, { failed: string }>> {
    const deadline = Date.now() + withinMs
    let last = 'no answer'
    for (;;) {
      const ring = await project.ring(bootstrap)
      if ('failed' in ring) last = `the walk failed: ${ring.failed}`
      else {
        const c = checkRing(ring.peers, ring.peers, SUCCESSORS)
        if (ring.closed && ring.size === size && (fingers ? c.fingersIdeal : c.ideal)) return ring
        last = `${ring.size} peers, ${ring.closed ? 'closed' : 'open'}: ${c.problems.slice(0, 3).join('; ')}`
      }
      if (Date.now() > deadline) assert.fail(`ring not ideal at ${size} peers within ${withinMs} ms (${last})`)
      await sleep(3_000)
    }
  }

  /** chordload verify in a workload container: every acknowledged key reads back with 3 copies. */
  async function verifyKeys (ringSize: number): Promise<Record<string, unknown>> {
    const r = await project.compose(['run', '--rm', '-T', '--no-deps', 'workload', '--peer', JOIN, '--ring-size', String(ringSize), '--wait-s', '60',
      'verify', '--acked', '/reports/workload.json', '--within-s', '120'], 240_000)
    const res = jsonLines(r.stdout).find(j => j.event === 'verify')
    if (r.code !== 0) {
      // Say what the ring looked like, so a failure here can be told from a slow repair.
      const ring = await project.ring(bootstrap)
      const seen = 'failed' in ring ? `no ring walk (${ring.failed})` : `${ring.size} peers, ${ring.closed ? 'closed' : 'open'}: ${checkRing(ring.peers, ring.peers, SUCCESSORS).problems.slice(0, 5).join('; ')}`
      assert.fail(`verify: exit ${r.code}; ring ${seen}\n${tail(r)}`)
    }
    assert.ok(res != null)
    assert.equal(res.lost, 0)
    assert.equal(res.underReplicated, 0)
    return res
  }

  /** Container id of each peer id, over the peer service's containers. */
  async function containerOfPeer (): Promise<Map<string, string>> {
    const out = new Map<string, string>()
    for (const c of await project.containers('peer')) {
      const id = await project.peerIdOf(c)
      if (id != null) out.set(id, c)
    }
    return out
  }

  before(async () => {
    reports = await mkdtemp(join(tmpdir(), 'chord-reports-'))
    project = new Project(`chordtest${process.pid}`, {
      BASE_IMAGE: await baseImage(),
      CHORD_IMAGE: 'chordmeter:test',
      CHORD_REPORTS: reports,
      CHORD_PEERS: '15',
      CHORD_RING_SIZE: '16',
      CHORD_KEYS: '2000',
      // npm run exports the registry npm is configured with; the image's build stage uses it too.
      NPM_REGISTRY: process.env.npm_config_registry ?? ''
    })
  })

  after(async () => {
    const r = await project.compose(['down', '-v', '--remove-orphans', '-t', '20'], 180_000)
    if (r.code !== 0) process.stderr.write(`down -v failed: ${tail(r)}\n`)
    await rm(reports, { recursive: true, force: true })
  })

  step('0. the compose file passes docker-compose config and docker stack config', 120_000, async t => {
    const c = await project.compose(['config', '-q'], 60_000)
    assert.equal(c.code, 0, tail(c))
    // `docker stack config` came after the 20.10 CLI (which prints the stack usage instead).
    if (!/^\s+config\s/m.test((await run('docker', ['stack', '--help'], { timeoutMs: 30_000 })).stdout)) {
      t.diagnostic('this docker CLI has no `docker stack config`: stack schema not checked')
      return
    }
    const s = await run('docker', ['stack', 'config', '-c', 'docker-compose.yml'], { timeoutMs: 60_000 })
    assert.equal(s.code, 0, tail(s))
    assert.match(s.stdout, /replicas: 16/)
  })

  step('1. build the image, up bootstrap + 15 peers: the ring becomes ideal', 1_500_000, async t => {
    const b = await project.compose(['build'], 900_000)
    assert.equal(b.code, 0, `build: ${tail(b)}`)
    t.diagnostic(`image built in ${Math.round(b.ms / 1000)} s`)
    const up = await project.compose(['up', '-d', 'bootstrap', 'peer'], 180_000)
    assert.equal(up.code, 0, `up: ${tail(up)}`)
    assert.equal((await project.containers('peer')).length, 15)
    bootstrap = (await project.containers('bootstrap'))[0]
    const started = Date.now()
    await idealRing(16, 300_000, true)
    t.diagnostic(`ring of 16 ideal, fingers included, ${Math.round((Date.now() - started) / 1000)} s after up`)
  })

  step("1b. the image's own HEALTHCHECK (docker run, no compose): healthy once the ring is made, unhealthy while a peer cannot join", 300_000, async t => {
    // The check must not fork node: ~175 ms of CPU a check, against ~2 ms for bash (docker-compose.yml).
    const check = JSON.parse((await run('docker', ['image', 'inspect', '-f', '{{json .Config.Healthcheck.Test}}', 'chordmeter:test'], { timeoutMs: 30_000 })).stdout) as string[]
    assert.deepEqual(check.slice(0, 3), ['CMD', 'bash', '-c'], `the image's health check: ${JSON.stringify(check)}`)
    // A lone peer creates its ring and is ready (/readyz 200); one whose only bootstrap address
    // refuses never joins (503). No network: nothing here dials out of its container.
    const ready = await run('docker', ['run', '-d', '--network', 'none', 'chordmeter:test'], { timeoutMs: 60_000 })
    const stuck = await run('docker', ['run', '-d', '--network', 'none', 'chordmeter:test', '--bootstrap', '/ip4/127.0.0.1/tcp/1'], { timeoutMs: 60_000 })
    const ids = [ready, stuck].map(r => r.stdout.trim()).filter(id => /^[0-9a-f]{64}$/.test(id))
    try {
      assert.equal(ids.length, 2, `docker run: ${tail(ready)}\n${tail(stuck)}`)
      const health = async (id: string): Promise<{ Status: string, Log?: Array<{ ExitCode: number, Output: string }> }> =>
        JSON.parse((await run('docker', ['inspect', '-f', '{{json .State.Health}}', id], { timeoutMs: 30_000 })).stdout)
      // start period 20 s, then 3 failures 5 s apart (Dockerfile HEALTHCHECK): unhealthy within ~40 s.
      const deadline = Date.now() + 180_000
      let seen: string[] = []
      for (;;) {
        const [a, b] = await Promise.all(ids.map(health))
        seen = [a.Status, b.Status]
        if (a.Status === 'healthy' && b.Status === 'unhealthy') {
          t.diagnostic(`lone peer healthy; unjoined peer unhealthy (its check: ${JSON.stringify(b.Log?.at(-1)?.ExitCode)})`)
          break
        }
        assert.notEqual(a.Status, 'unhealthy', `the lone peer's check failed: ${JSON.stringify(a.Log?.slice(-2))}`)
        assert.notEqual(b.Status, 'healthy', 'a peer that never joined reported healthy')
        if (Date.now() > deadline) assert.fail(`health after 180 s: ${seen.join(', ')}`)
        await sleep(2_000)
      }
    } finally {
      if (ids.length > 0) await run('docker', ['rm', '-f', '-v', ...ids], { timeoutMs: 60_000 })
    }
  })

  step('2. the workload puts 2000 keys and reads them back; the report lists 16 peers with S, R, M > 0', 600_000, async t => {
    const up = await project.compose(['up', '-d', 'workload', 'collector'], 120_000)
    assert.equal(up.code, 0, `up: ${tail(up)}`)
    const [collector] = await project.containers('collector')
    const waited = await run('docker', ['wait', collector], { timeoutMs: 420_000 })
    assert.equal(waited.stdout.trim(), '0', `collector: ${tail(await project.compose(['logs', '--no-color', 'collector', 'workload'], 30_000))}`)
    const [workload] = await project.containers('workload')
    assert.equal((await run('docker', ['wait', workload], { timeoutMs: 30_000 })).stdout.trim(), '0', 'workload exit code')
    const w = JSON.parse(await readFile(join(reports, 'workload.json'), 'utf8'))
    assert.equal(w.ring, 16)
    assert.equal(w.putsAcked, 2000)
    assert.equal(w.getsOk, 2000)
    assert.equal(w.lost, 0)
    const report = JSON.parse(await readFile(join(reports, 'report.json'), 'utf8'))
    assert.equal(report.ring.size, 16)
    assert.equal(report.peers.length, 16)
    for (const p of report.peers) {
      for (const term of ['service', 'forwarding', 'maintenance']) assert.ok(p.costs[term] > 0, `${p.ringId.slice(0, 8)}: ${term} cost ${p.costs[term]}`)
    }
    assert.ok(report.model != null && Number.isFinite(report.model.hops.predicted), 'the report carries the cost-model comparison')
    for (const f of ['peers.csv', 'hops.svg', 'distribution.svg']) assert.ok(report.files.includes(f), f)
    t.diagnostic(`puts ${w.putMs} ms, gets ${w.getMs} ms; measured mean hops ${report.model.hops.measuredMean}, model ${report.model.hops.predicted}`)
  })

  step('3. docker kill two non-adjacent peers: the ring heals, every key readable, replicas restored', 600_000, async t => {
    await verifyKeys(16)
    const ring = await idealRing(16, 60_000)
    const byPeer = await containerOfPeer()
    // Walk order is ring order from the bootstrap (index 0): 2 and 5 are peers, not adjacent.
    const victims = [ring.peers[2], ring.peers[5]].map(p => byPeer.get(p.peerId))
    assert.ok(victims.every(v => v != null), 'victims are peer-service containers')
    for (const v of victims) assert.equal((await run('docker', ['kill', v!], { timeoutMs: 30_000 })).code, 0)
    const started = Date.now()
    await idealRing(14, 180_000)
    t.diagnostic(`ring of 14 ideal ${Math.round((Date.now() - started) / 1000)} s after the kills`)
    await verifyKeys(14)
  })

  step('4. docker restart one peer: same peer id and ring position, its keys intact', 360_000, async () => {
    const ring = await idealRing(14, 60_000)
    const before = ring.peers[8]
    const container = (await containerOfPeer()).get(before.peerId)
    assert.ok(container != null)
    const r = await run('docker', ['restart', container, '-t', '15'], { timeoutMs: 60_000 })
    assert.equal(r.code, 0, tail(r))
    assert.ok(r.ms < 15_000 + 10_000, `restart took ${r.ms} ms: the stop must end within stop_grace_period`)
    const logs = await run('docker', ['logs', container], { timeoutMs: 30_000 })
    assert.ok(jsonLines(logs.stdout).some(j => j.event === 'leave'), 'the stopped peer left the ring gracefully')
    assert.equal(await project.peerIdOf(container), before.peerId, 'same identity from the data volume')
    const after = await idealRing(14, 180_000)
    const back = after.peers.find(p => p.peerId === before.peerId)
    assert.ok(back != null)
    assert.equal(back.ringId, before.ringId)
    assert.equal(after.peers.findIndex(p => p.peerId === before.peerId), 8, 'same place in the ring')
    assert.ok(back.keys >= before.keys, `keys ${before.keys} before, ${back.keys} after`)
    await verifyKeys(14)
  })

  step('5. --scale peer=23: new peers join, keys move to their new owners, nothing lost', 600_000, async t => {
    const old = new Set(await project.containers('peer'))
    const up = await project.compose(['up', '-d', '--no-recreate', '--scale', 'peer=23', 'bootstrap', 'peer'], 300_000)
    assert.equal(up.code, 0, `up: ${tail(up)}`)
    const running = []
    for (const c of await project.containers('peer')) {
      if ((await run('docker', ['inspect', '-f', '{{.State.Running}}', c], { timeoutMs: 30_000 })).stdout.trim() === 'true') running.push(c)
    }
    assert.equal(running.length, 23)
    const fresh = running.filter(c => !old.has(c))
    t.diagnostic(`${fresh.length} new containers, ${running.length} peers running`)
    await idealRing(24, 300_000)
    await verifyKeys(24)
    const ring = await idealRing(24, 60_000)
    const ids = new Map<string, string>()
    for (const c of fresh) ids.set((await project.peerIdOf(c))!, c)
    const newPeers = ring.peers.filter(p => ids.has(p.peerId))
    assert.equal(newPeers.length, fresh.length)
    for (const p of newPeers) assert.ok(p.keys > 0, `new peer ${p.ringId.slice(0, 8)} holds keys (${p.keys})`)
  })

  step('6. garbage bytes and malformed protobuf from inside the network: the peers keep serving', 300_000, async () => {
    const probe = await project.compose(['run', '--rm', '-T', '--no-deps', '-v', `${join(ROOT, 'dist/test/docker')}:/app/dist/test/docker:ro`,
      '--entrypoint', 'node', 'workload', '/app/dist/test/docker/probe.js', 'peer', '4001'], 120_000)
    const res = jsonLines(probe.stdout).find(j => j.event === 'probe')
    assert.equal(probe.code, 0, `probe: ${tail(probe)}`)
    assert.equal(res?.ok, true)
    await idealRing(24, 120_000)
    for (const c of [bootstrap, ...await project.containers('peer')]) {
      const s = await run('docker', ['inspect', '-f', '{{.State.Status}} {{.RestartCount}}', c], { timeoutMs: 30_000 })
      if (s.stdout.startsWith('exited')) continue // the two killed in step 3, if compose left them down
      assert.equal(s.stdout.trim(), 'running 0', `${c.slice(0, 12)} kept running`)
    }
  })
})
