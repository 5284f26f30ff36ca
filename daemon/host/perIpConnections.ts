// Counts inbound connections per remote IP, in handshake and open, so that one address
// cannot hold all of a peer's handshake slots or connections. Pure: libp2pNode.ts feeds it
// from the connection gater (a new socket, its upgrade, its close); tests feed it by hand.
// libp2p's own checks (connection-manager acceptIncomingConnection: a global pending cap and
// a per-IP rate) run before the gater; this adds the per-IP caps they lack.

export interface PerIpLimits {
  /** Handshakes in progress from one IP. */
  maxPendingPerIp: number
  /** Inbound connections from one IP, in handshake or open. */
  maxConnectionsPerIp: number
}

/** Why a connection was refused. */
export type Refusal = 'pending-per-ip' | 'connections-per-ip'

/**
 * One admitted connection. `upgraded()` and `closed()` may be called in any order and any
 * number of times: each count is taken back exactly once.
 */
export interface Ticket {
  readonly ip: string
  /** The handshake finished: the connection no longer counts as pending, still as open. */
  upgraded: () => void
  /** The socket closed, at whatever stage. */
  closed: () => void
}

export class PerIpConnections {
  readonly #pending = new Map<string, number>()
  readonly #total = new Map<string, number>()

  constructor (readonly limits: PerIpLimits) {}

  /** A new inbound connection from `ip` starts its handshake: a ticket, or why it is refused. */
  admit (ip: string): Ticket | Refusal {
    const pending = this.#pending.get(ip) ?? 0
    const total = this.#total.get(ip) ?? 0
    if (total >= this.limits.maxConnectionsPerIp) return 'connections-per-ip'
    if (pending >= this.limits.maxPendingPerIp) return 'pending-per-ip'
    this.#pending.set(ip, pending + 1)
    this.#total.set(ip, total + 1)
    let stage: 'pending' | 'open' | 'closed' = 'pending'
    return {
      ip,
      upgraded: () => {
        if (stage !== 'pending') return
        stage = 'open'
        dec(this.#pending, ip)
      },
      closed: () => {
        if (stage === 'closed') return
        if (stage === 'pending') dec(this.#pending, ip)
        stage = 'closed'
        dec(this.#total, ip)
      }
    }
  }

  /** Handshakes in progress from `ip`. */
  pending (ip: string): number { return this.#pending.get(ip) ?? 0 }
  /** Inbound connections from `ip`, pending or open. */
  connections (ip: string): number { return this.#total.get(ip) ?? 0 }
  /** Addresses with at least one connection counted (entries are dropped at zero, so this stays bounded). */
  get addresses (): number { return this.#total.size }
}

function dec (m: Map<string, number>, ip: string): void {
  const n = (m.get(ip) ?? 0) - 1
  if (n <= 0) m.delete(ip); else m.set(ip, n)
}
