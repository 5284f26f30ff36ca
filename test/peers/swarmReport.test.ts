// npm run swarm end to end, small: the compiled tool run as a child process; its report carries
// the machine's own load over the workload, the peers' idle cost over a named quiet window,
// and its stderr a progress line every few seconds (stderr is a pipe here, not a terminal).
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import type { MachineLoad, PeerResources } from '../../tools/lib/machineLoad.js'

const SWARM = fileURLToPath(new URL('../../tools/swarm.js', import.meta.url))

test('swarm report: machine load, resources per peer, progress lines', { timeout: 240_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'chordmeter-swarm-report-'))
  try {
    const report = join(dir, 'swarm.json')
    // SIGTERM at the deadline: the swarm stops every peer it started and exits.
    const run = await new Promise<{ code: number, stdout: string, stderr: string }>(resolve => {
      execFile(process.execPath, [SWARM, '--peers', '8', '--keys', '40', '--quiet-s', '2', '--report', report], { maxBuffer: 16 * 1024 * 1024, timeout: 200_000 }, (err, stdout, stderr) => {
        resolve({ code: err == null ? 0 : typeof err.code === 'number' ? err.code : -1, stdout, stderr })
      })
    })
    assert.equal(run.code, 0, run.stdout + run.stderr)
    const r = JSON.parse(readFileSync(report, 'utf8')) as { peers: number, procs: number, saturated: boolean, machine: MachineLoad, resources: PeerResources }

    const m = r.machine
    assert.equal(m.cores, availableParallelism())
    assert.equal(m.processes.length, r.procs + 1, 'every worker process and the harness')
    assert.equal(m.processes.reduce((s, p) => s + p.peers, 0), 8)
    for (const p of m.processes) {
      assert.ok(p.windowMs > 0 && p.cpuMs > 0 && p.rssMb > 10, JSON.stringify(p))
      assert.ok(p.loopDelayMs.p50 > 0 && p.loopDelayMs.p50 <= p.loopDelayMs.p99 && p.loopDelayMs.p99 <= p.loopDelayMs.max, JSON.stringify(p))
    }
    assert.ok(m.cpuCores > 0 && m.cpuCores <= m.cores * 1.05, `cpu ${m.cpuCores}`)
    assert.ok(m.machineBusyShare > 0 && m.machineBusyShare <= 1, `machine ${m.machineBusyShare}`)
    assert.equal(m.ops, 80, '40 puts and 40 gets, no retries on a quiet ring')
    assert.ok(m.pastDeadline >= 0 && m.pastDeadline <= m.ops)
    assert.equal(m.saturated, m.reasons.length > 0)
    assert.equal(r.saturated, m.saturated)
    assert.match(run.stdout, new RegExp(`^machine +${m.saturated ? 'SATURATED' : 'not saturated'}: CPU `, 'm'))

    const res = r.resources
    assert.match(res.window, /^quiet window of 2 s, 0 s after the ring/)
    assert.ok(res.windowMs >= 2_000 && res.windowMs < 10_000, `window ${res.windowMs}`)
    assert.equal(res.peers, 8)
    assert.equal(res.saturated, res.reasons.length > 0)
    assert.ok(res.cpuMsPerPeerPerSec > 0 && res.cpuMsPerPeerPerSec < 1000, `cpu ${res.cpuMsPerPeerPerSec}`)
    assert.ok(res.rssMbPerPeer > 1 && res.rssMbPerPeer < 200, `rss ${res.rssMbPerPeer}`)
    assert.match(run.stdout, /^resources [\d.]+ ms CPU per peer per second, [\d.]+ MB RSS per peer/m)

    const lines = run.stderr.split('\n').filter(l => l.startsWith('swarm '))
    assert.ok(lines.length >= 1, run.stderr)
    assert.doesNotMatch(run.stderr, /\r/)
    for (const l of lines) assert.match(l, /^swarm \d+ s \| [^|]+ \| peers \d\/8( \| ring \d\/8 right(, ideal)?)?( \| (puts acked|reads intact) \d+\/\d+)?$/)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
