// Spawn real chordd processes for tests, read their ready line, and make sure none
// outlives the test run.
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import type { PeerInfoLine } from '../../protocol/telemetry.js'

// CHORD_TEST_CHORDD runs the tests against another build of chordd (e.g. to see a test fail without a fix).
const CHORDD = process.env.CHORD_TEST_CHORDD ?? fileURLToPath(new URL('../../daemon/main.js', import.meta.url))
const running = new Set<ChildProcess>()
process.on('exit', () => { for (const p of running) p.kill('SIGKILL') })

export interface Daemon {
  proc: ChildProcess
  info: PeerInfoLine
  /** Every stdout/stderr line so far, for failure messages. */
  lines: string[]
  exited: Promise<number | null>
}

export async function startChordd (args: string[], timeoutMs = 20_000): Promise<Daemon> {
  const d = spawnChordd(args)
  const timer = setTimeout(() => d.proc.kill('SIGKILL'), timeoutMs)
  try {
    return { proc: d.proc, info: await d.ready, lines: d.lines, exited: d.exited }
  } finally {
    clearTimeout(timer)
  }
}

/**
 * Start a chordd, tracked so killAll stops it. `ready` resolves with its ready line, or rejects
 * if it exits first; a peer that cannot join never prints one, and nobody need wait for it.
 */
export function spawnChordd (args: string[]): Omit<Daemon, 'info'> & { ready: Promise<PeerInfoLine> } {
  const proc = spawn(process.execPath, [CHORDD, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  running.add(proc)
  const lines: string[] = []
  const exited = once(proc, 'exit').then(([code]) => { running.delete(proc); return code as number | null })
  createInterface({ input: proc.stderr! }).on('line', l => lines.push(l))
  const ready = new Promise<PeerInfoLine>((resolve, reject) => {
    createInterface({ input: proc.stdout! }).on('line', l => {
      lines.push(l)
      try {
        const j = JSON.parse(l)
        if (j.event === 'ready') resolve({ peerId: j.peerId, ringId: j.ringId, listen: j.listen, http: j.http })
      } catch {}
    })
    void exited.then(code => { reject(new Error(`chordd exited with ${code} before ready:\n${lines.join('\n')}`)) })
  })
  ready.catch(() => {}) // not awaited by callers that expect no ready line
  return { proc, lines, exited, ready }
}

/** SIGKILL everything still running (for `after`). */
export async function killAll (): Promise<void> {
  const all = [...running]
  for (const p of all) p.kill('SIGKILL')
  await Promise.all(all.map(async p => { if (p.exitCode == null && p.signalCode == null) await once(p, 'exit') }))
}
