// Drive a `docker stack deploy` of docker-compose.yml on a single-node Docker Swarm from tests:
// the swarm's state, the stack's services and task containers, DNS of tasks as a container of
// the stack sees it. Every command bounded (test/docker/compose.ts run).
import { run, tail } from '../docker/compose.js'

export type SwarmState = 'manager' | 'worker' | 'inactive' | 'other'

/** This engine's place in a swarm: a manager can deploy stacks. */
export async function swarmState (): Promise<SwarmState> {
  const r = await run('docker', ['info', '--format', '{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}'], { timeoutMs: 30_000 })
  const [state, control] = r.stdout.trim().split(' ')
  if (state === 'inactive') return 'inactive'
  if (state !== 'active') return 'other'
  return control === 'true' ? 'manager' : 'worker'
}

/** Throw with the command's last lines unless it exited 0. */
async function must (args: string[], timeoutMs: number, env?: NodeJS.ProcessEnv): Promise<string> {
  const r = await run('docker', args, { timeoutMs, env })
  if (r.code !== 0) throw new Error(`docker ${args.slice(0, 3).join(' ')}: ${tail(r)}`)
  return r.stdout
}

export class Stack {
  constructor (readonly name: string) {}

  /** `docker stack deploy` of `files` (later ones override), with `env` for the file's variables. */
  async deploy (files: string[], env: NodeJS.ProcessEnv): Promise<void> {
    // --resolve-image never: the image is local (no registry); the tasks name it by id, so the
    // node does not try to pull it either.
    await must(['stack', 'deploy', '--resolve-image', 'never', ...files.flatMap(f => ['-c', f]), this.name], 120_000, env)
  }

  async scale (replicas: Record<string, number>): Promise<void> {
    await must(['service', 'scale', '--detach', ...Object.entries(replicas).map(([s, n]) => `${this.name}_${s}=${n}`)], 60_000)
  }

  /** Ids of the service's containers on this node: running ones, or all with `all`. */
  async containers (service: string, all = false): Promise<string[]> {
    const out = await must(['ps', ...(all ? ['-a'] : []), '-q', '--no-trunc', '--filter', `label=com.docker.swarm.service.name=${this.name}_${service}`], 30_000)
    return out.split('\n').map(s => s.trim()).filter(s => s !== '')
  }

  /** The IPv4 addresses `name` resolves to inside `container` (Swarm's DNS: `tasks.<service>` lists its tasks). */
  async resolve (container: string, name: string): Promise<string[]> {
    const r = await run('docker', ['exec', container, 'getent', 'ahostsv4', name], { timeoutMs: 30_000 })
    return [...new Set(r.stdout.split('\n').map(l => l.split(/\s+/)[0]).filter(ip => /^\d+\.\d+\.\d+\.\d+$/.test(ip)))]
  }

  /** `docker stack rm`, then wait until its containers and its network are gone. */
  async remove (withinMs: number): Promise<void> {
    await must(['stack', 'rm', this.name], 60_000)
    const deadline = Date.now() + withinMs
    for (;;) {
      const left = (await run('docker', ['ps', '-aq', '--filter', `label=com.docker.stack.namespace=${this.name}`], { timeoutMs: 30_000 })).stdout.trim()
      const nets = (await run('docker', ['network', 'ls', '-q', '--filter', `label=com.docker.stack.namespace=${this.name}`], { timeoutMs: 30_000 })).stdout.trim()
      if (left === '' && nets === '') return
      if (Date.now() > deadline) throw new Error(`stack ${this.name} not gone within ${withinMs} ms: containers ${left.split('\n').length}, networks ${nets === '' ? 0 : nets.split('\n').length}`)
      await new Promise(resolve => setTimeout(resolve, 2_000))
    }
  }
}
