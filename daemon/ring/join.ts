// Creating a ring and joining one (Stoica et al. 2001 fig. 6; Zave 2017: join copies the
// successor list of the member it joins at).
import type { Logger } from 'pino'
import { ErrorCode } from '../../protocol/chord.js'
import { ChordError } from '../../protocol/errors.js'
import { describe, peerIdBytes, splitP2p, type VerifyOptions } from '../../protocol/peerInfo.js'
import { hashToId } from '../../protocol/ring.js'
import type { RpcTarget } from '../rpc/client.js'
import type { Membership } from './membership.js'
import type { Neighbours } from './neighbours.js'
import type { RingState } from './ringState.js'

export interface JoinInit {
  ring: RingState
  neighbours: Neighbours
  membership: Membership
  verify: VerifyOptions
  log: Logger
  /** Budget of the successor(n + 1) lookup through a bootstrap peer, ms. */
  lookupTimeoutMs: number
  /** Learn the peer id behind a bootstrap multiaddr that does not name one. */
  identify: (addr: string, signal: AbortSignal) => Promise<string>
}

export class Join {
  readonly #i: JoinInit

  constructor (init: JoinInit) {
    this.#i = init
  }

  /** Start a new ring: successor = self, no predecessor (Stoica et al. fig. 6 create). */
  create (): void {
    this.#i.membership.joined = true
    this.#i.membership.stable()
    this.#i.log.info({ event: 'create' }, 'started a new ring')
  }

  /**
   * Join through one of `bootstrap`: find successor(n + 1) — the first peer after us,
   * never ourselves even if the ring still lists a previous run of us — and copy its
   * successor list (Zave: join copies the list of the member it joins at).
   */
  async join (bootstrap: readonly string[], signal: AbortSignal): Promise<void> {
    const { ring, neighbours, membership } = this.#i
    membership.bootstrap = bootstrap
    const errors: string[] = []
    for (const addr of bootstrap) {
      try {
        const { addr: bare, peerId: named } = splitP2p(addr)
        const peerId = named ?? await this.#i.identify(addr, signal)
        if (peerId === ring.self.peerId) throw new Error('bootstrap address is this peer')
        const entry: RpcTarget = { peerId, addrs: [bare] }
        // Remembered like any member, so partition healing can ask it again (memberMemory.ts).
        if (!this.#i.verify.allowExplicitIds) ring.memory.saw({ peerId, id: hashToId(peerIdBytes(peerId)), addrs: [bare] }, ring.self.peerId, { anchor: true })
        let succ = await neighbours.successorVia(entry, this.#i.lookupTimeoutMs, signal)
        if (succ.peerId === ring.self.peerId) succ = (await neighbours.neighborsOf(entry, signal)).self
        const nb = await neighbours.settleAt(succ, 'join', signal)
        membership.joined = true
        this.#i.log.info({ event: 'join', via: addr, successor: describe(nb.self) }, 'joined the ring')
        return
      } catch (err) {
        if (signal.aborted) throw err
        errors.push(`${addr}: ${(err as Error).message}`)
      }
    }
    throw new ChordError(ErrorCode.UNREACHABLE, `could not join through any bootstrap peer (${errors.join('; ')})`)
  }
}
