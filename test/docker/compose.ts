// Drive docker and the compose project of docker-compose.yml from tests: every command
// bounded in time (killed past it), output captured for failure messages.
import { spawn, spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { PeerView } from '../../protocol/peerState.js'

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url))

export interface Run { code: number | null, stdout: string, stderr: string, ms: number }

/** Run `cmd args` in the repository root; resolves (never rejects) when it exits or is killed at `timeoutMs`. */
export async function run (cmd: string, args: string[], opts: { timeoutMs: number, env?: NodeJS.ProcessEnv }): Promise<Run> {
  const started = Date.now()
  return await new Promise(resolve => {
    const p = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    p.stdout.on('data', (b: Buffer) => { stdout += b.toString() })
    p.stderr.on('data', (b: Buffer) => { stderr += b.toString() })
    const timer = setTimeout(() => { stderr += `\n(killed after ${opts.timeoutMs} ms)`; p.kill('SIGKILL') }, opts.timeoutMs)
    p.on('error', err => { stderr += String(err) })
    p.on('close', code => { clearTimeout(timer); resolve({ code, stdout, stderr, ms: Date.now() - started }) })
  })
}

/**
 * The image's base: $BASE_IMAGE, else node:22-bookworm-slim if present, else the local one that
 * tools/base-image.sh builds (.ci/run makes it when there is no registry).
 */
export async function baseImage (): Promise<string> {
  if (process.env.BASE_IMAGE != null && process.env.BASE_IMAGE !== '') return process.env.BASE_IMAGE
  for (const image of ['node:22-bookworm-slim', 'chordmeter-base:bookworm-node22']) {
    if ((await run('docker', ['image', 'inspect', image], { timeoutMs: 30_000 })).code === 0) return image
  }
  throw new Error('no base image: no node:22-bookworm-slim here; build one with `sudo tools/base-image.sh`')
}

/** `docker-compose` (1.29) when installed, else the `docker compose` plugin. */
export function composeCommand (): string[] {
  if (spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0) return ['docker-compose']
  return ['docker', 'compose']
}

export const tail = (r: Run, lines = 30): string => `exit ${r.code}\n${(r.stdout + '\n' + r.stderr).trim().split('\n').slice(-lines).join('\n')}`

/** The JSON objects printed one per line (other lines skipped). */
export function jsonLines (text: string): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = []
  for (const l of text.split('\n')) {
    if (!l.startsWith('{')) continue
    try { out.push(JSON.parse(l)) } catch {}
  }
  return out
}

export interface RingWalk { peers: PeerView[], closed: boolean, size: number }

/**
 * `chordctl ring --json` run inside `container`, starting at `peer`, killed after `timeoutMs`;
 * on failure, why (the walk's last lines), for the caller's message.
 */
export async function ringFrom (container: string, peer: string, timeoutMs = 40_000): Promise<RingWalk | { failed: string }> {
  const r = await run('docker', ['exec', container, 'chordctl', '--peer', peer, '--timeout-ms', '20000', '--json', 'ring'], { timeoutMs })
  if (r.code !== 0) return { failed: tail(r, 3).replace(/\n/g, ' | ') }
  try { return JSON.parse(r.stdout) } catch { return { failed: `not JSON: ${r.stdout.slice(0, 200)}` } }
}

export class Project {
  readonly #cmd = composeCommand()
  constructor (readonly name: string, readonly env: NodeJS.ProcessEnv) {}

  async compose (args: string[], timeoutMs: number, env: NodeJS.ProcessEnv = {}): Promise<Run> {
    return await run(this.#cmd[0], [...this.#cmd.slice(1), '-p', this.name, ...args], { timeoutMs, env: { ...this.env, ...env } })
  }

  /** Container ids of a service (running or not). */
  async containers (service: string): Promise<string[]> {
    const r = await this.compose(['ps', '-q', service], 30_000)
    return r.stdout.split('\n').map(s => s.trim()).filter(s => s !== '')
  }

  /** The peer id a container's chordd printed in its ready line (the last one: restarts print again). */
  async peerIdOf (container: string): Promise<string | undefined> {
    const r = await run('docker', ['logs', container], { timeoutMs: 30_000 })
    const ready = jsonLines(r.stdout + '\n' + r.stderr).filter(j => j.event === 'ready')
    return ready.at(-1)?.peerId as string | undefined
  }

  /** The ring walked from inside `container` from its own chordd (ringFrom). */
  async ring (container: string): Promise<RingWalk | { failed: string }> {
    return await ringFrom(container, '/ip4/127.0.0.1/tcp/4001')
  }
}
