// Ring maintenance after Zave's corrected Chord ("Reasoning about identifier spaces:
// how to make Chord correct", IEEE TSE 2017): join, stabilize, rectify (notify),
// check predecessor, fix fingers, and the graceful leave of Stoica et al. (2003) 4.4.
// One role per file; this facade wires them over the state they share (membership.ts)
// and is what the peer calls and serves.
import type { Logger } from 'pino'
import type { Neighbors, Pong } from '../../protocol/chord.js'
import type { PeerRef, VerifyOptions } from '../../protocol/peerInfo.js'
import type { RpcClient } from '../rpc/client.js'
import { fixFingers, type FixFingersInit } from './fixFingers.js'
import { Healing } from './healing.js'
import { Join } from './join.js'
import { Leave } from './leave.js'
import type { Router } from './lookups.js'
import { Membership } from './membership.js'
import { Neighbours } from './neighbours.js'
import { PredecessorWatch } from './predecessorWatch.js'
import type { RingState } from './ringState.js'
import { Stabilize } from './stabilize.js'
import type { Suspects } from './suspects.js'

export interface MaintenanceInit {
  ring: RingState
  rpc: RpcClient
  router: Router
  verify: VerifyOptions
  log: Logger
  rpcTimeoutMs: number
  lookupTimeoutMs: number
  /** Learn the peer id behind a bootstrap multiaddr that does not name one. */
  identify: (addr: string, signal: AbortSignal) => Promise<string>
  /** Called when a new predecessor is adopted, so keys it now owns can move to it. */
  onPredecessorChanged: (pred: PeerRef) => void
  /** Peers that stopped answering (routing skips them until they answer again). */
  suspects: Suspects
  /** Period of check-predecessor, ms: a predecessor heard within it is alive without a ping. */
  checkPredecessorMs: number
}

export class Maintenance {
  readonly #membership = new Membership()
  readonly #join: Join
  readonly #stabilize: Stabilize
  readonly #predecessor: PredecessorWatch
  readonly #healing: Healing
  readonly #leave: Leave
  readonly #fingers: FixFingersInit

  constructor (init: MaintenanceInit) {
    const { ring, rpc, verify, log } = init
    const membership = this.#membership
    const neighbours = new Neighbours({ ring, rpc, verify, rpcTimeoutMs: init.rpcTimeoutMs })
    this.#join = new Join({ ring, neighbours, membership, verify, log, lookupTimeoutMs: init.lookupTimeoutMs, identify: init.identify })
    this.#stabilize = new Stabilize({ ring, rpc, neighbours, membership, join: this.#join, suspects: init.suspects, log, lookupTimeoutMs: init.lookupTimeoutMs })
    this.#predecessor = new PredecessorWatch({
      ring, rpc, verify, suspects: init.suspects, rpcTimeoutMs: init.rpcTimeoutMs, checkPredecessorMs: init.checkPredecessorMs, onPredecessorChanged: init.onPredecessorChanged
    })
    this.#healing = new Healing({ ring, neighbours, membership, log, rpcTimeoutMs: init.rpcTimeoutMs })
    this.#leave = new Leave({ ring, rpc, membership, verify, log, rpcTimeoutMs: init.rpcTimeoutMs })
    this.#fingers = { ring, router: init.router, membership, lookupTimeoutMs: init.lookupTimeoutMs }
    this.handleNotify = this.#predecessor.handleNotify
    this.handleLeaving = this.#leave.handleLeaving
    this.handleGetNeighbors = async (): Promise<Neighbors> => ring.neighbors()
    this.handlePing = async (): Promise<Pong> => ({ self: ring.neighbors().self })
  }

  /** Set once join (or creation) succeeded; stabilize has something to do. */
  get joined (): boolean { return this.#membership.joined }
  /** Time of the last stabilize round that reached a live successor. */
  get lastStableAt (): number { return this.#membership.lastStableAt }

  /** NOTIFY: Zave's rectify (predecessorWatch.ts). */
  readonly handleNotify: PredecessorWatch['handleNotify']
  /** LEAVING from a neighbour (leave.ts). */
  readonly handleLeaving: Leave['handleLeaving']
  readonly handleGetNeighbors: () => Promise<Neighbors>
  readonly handlePing: () => Promise<Pong>

  /** Start a new ring (join.ts). */
  create (): void { this.#join.create() }

  /** Join through one of `bootstrap` (join.ts). */
  async join (bootstrap: readonly string[], signal: AbortSignal): Promise<void> { await this.#join.join(bootstrap, signal) }

  /** One stabilize round (stabilize.ts). */
  async stabilize (signal?: AbortSignal): Promise<void> { await this.#stabilize.stabilize(signal) }

  /** Forget a predecessor that does not answer (predecessorWatch.ts). */
  async checkPredecessor (periodMs: number, signal?: AbortSignal): Promise<void> { await this.#predecessor.check(periodMs, signal) }

  /** Partition healing through at most `limit` remembered members (healing.ts). Returns the merges made. */
  async heal (limit: number, signal?: AbortSignal): Promise<number> { return await this.#healing.heal(limit, signal) }

  /** One fix-fingers step (fixFingers.ts): at most one lookup. */
  async fixFingers (signal?: AbortSignal): Promise<number> { return await fixFingers(this.#fingers, signal) }

  /** Graceful leave (leave.ts): tell the successor, hand off keys, tell the predecessor. */
  async leave (handOff: (to: PeerRef, signal: AbortSignal) => Promise<number>, signal: AbortSignal): Promise<void> {
    await this.#leave.leave(handOff, signal)
  }
}
