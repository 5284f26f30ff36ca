// A real network partition between two groups of loopback addresses on this machine:
// iptables DROP rules on INPUT in both directions (peers listen on, and dial from, their own
// 127.x.y.z address, so the kernel sees each group as its own hosts). Traffic from other
// loopback addresses (the test's client on 127.0.0.1) passes. Every rule carries a comment
// naming this process, and is removed when the partition heals, when the test ends, and
// when the process exits, also on a failure.
import { execFileSync } from 'node:child_process'

const TAG = `chordmeter-test-${process.pid}`
const live = new Set<string>()

/** iptables is there and we may use it (root); a reason otherwise. */
export function iptablesUnavailable (): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root for iptables'
  try {
    execFileSync('iptables', ['-w', '-L', 'INPUT', '-n'], { stdio: 'ignore' })
    return undefined
  } catch (err) {
    return `iptables does not work here: ${(err as Error).message}`
  }
}

function rule (action: '-I' | '-D', from: string, to: string): void {
  execFileSync('iptables', ['-w', action, 'INPUT', '-s', from, '-d', to, '-m', 'comment', '--comment', TAG, '-j', 'DROP'], { stdio: 'ignore' })
}

export class Partition {
  #on = false
  constructor (readonly a: string, readonly b: string) {}

  /** Drop every packet between the two address groups (CIDR), both ways. */
  split (): void {
    if (this.#on) return
    rule('-I', this.a, this.b)
    rule('-I', this.b, this.a)
    this.#on = true
    live.add(`${this.a} ${this.b}`)
  }

  heal (): void {
    if (!this.#on) return
    for (const [from, to] of [[this.a, this.b], [this.b, this.a]]) {
      try { rule('-D', from, to) } catch {} // already gone
    }
    this.#on = false
    live.delete(`${this.a} ${this.b}`)
  }
}

/** Remove whatever rules of this process are left. */
export function healAll (): void {
  for (const pair of [...live]) {
    const [a, b] = pair.split(' ')
    for (const [from, to] of [[a, b], [b, a]]) { try { rule('-D', from, to) } catch {} }
    live.delete(pair)
  }
}

process.on('exit', healAll)
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => { healAll(); process.exit(1) })
