// Ring maintenance after Zave's corrected Chord ("Reasoning about identifier spaces:
// how to make Chord correct", IEEE TSE 2017): join, stabilize, rectify (notify),
// check predecessor, fix fingers, and the graceful leave of Stoica et al. (2003) 4.
import type { Logger } from 'pino'
import { ErrorCode, MessageType, type Empty, type Leaving, type Notify, type NotifyResult, type Neighbors, type PeerInfo, type Pong } from '../../protocol/chord.js'
import { MAX_PEERS_PER_MESSAGE } from '../../protocol/constants.js'
import { BadRequestError, ChordError, isPeerFailure } from '../../protocol/errors.js'
import { describe, fromWire, peerIdBytes, splitP2p, toWire, type PeerRef, type VerifyOptions } from '../../protocol/peerInfo.js'
import { hashToId, idToBytes, inOpen, mod } from '../../protocol/ring.js'
import type { Router } from './lookups.js'
import type { RpcClient, RpcTarget } from '../rpc/client.js'
import type { RequestContext } from '../rpc/server.js'
import type { RingState } from './ringState.js'
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

/** The predecessor list is resent to the successor at least this often, ms, even unchanged. */
const PREDECESSORS_REFRESH_MS = 30_000

/** A peer's GET_NEIGHBORS answer, verified. */
interface Neighborhood { self: PeerRef, predecessor?: PeerRef, successors: PeerRef[] }

export class Maintenance {
  readonly #ring: RingState
  readonly #rpc: RpcClient
  readonly #router: Router
  readonly #verify: VerifyOptions
  readonly #log: Logger
  readonly #init: MaintenanceInit
  /** Set once join (or creation) succeeded; stabilize has something to do. */
  joined = false
  /** Time of the last stabilize round that reached a live successor. */
  lastStableAt = 0
  /** Time the predecessor last notified us. */
  #predecessorHeardAt = 0
  /** The addresses join used, for a rejoin when every other peer we know has failed. */
  #bootstrap: readonly string[] = []
  /** What we last told our successor of our predecessor list: its version, to whom, when. */
  #predsSent = { version: -1, to: '', at: 0 }
  /** One liveness ping of the predecessor at a time, however many notifies ask for it. */
  #predPing: Promise<boolean> | undefined

  constructor (init: MaintenanceInit) {
    this.#init = init
    this.#ring = init.ring
    this.#rpc = init.rpc
    this.#router = init.router
    this.#verify = init.verify
    this.#log = init.log
  }

  /** Start a new ring: successor = self, no predecessor (Stoica et al. fig. 6 create). */
  create (): void {
    this.joined = true
    this.lastStableAt = Date.now()
    this.#log.info({ event: 'create' }, 'started a new ring')
  }

  /**
   * Join through one of `bootstrap`: find successor(n + 1) — the first peer after us,
   * never ourselves even if the ring still lists a previous run of us — and copy its
   * successor list (Zave: join copies the list of the member it joins at).
   */
  async join (bootstrap: readonly string[], signal: AbortSignal): Promise<void> {
    this.#bootstrap = bootstrap
    const errors: string[] = []
    for (const addr of bootstrap) {
      try {
        const { addr: bare, peerId: named } = splitP2p(addr)
        const peerId = named ?? await this.#init.identify(addr, signal)
        if (peerId === this.#ring.self.peerId) throw new Error('bootstrap address is this peer')
        const entry: RpcTarget = { peerId, addrs: [bare] }
        // Remembered like any member, so partition healing can ask it again (memberMemory.ts).
        if (!this.#verify.allowExplicitIds) this.#ring.memory.saw({ peerId, id: hashToId(peerIdBytes(peerId)), addrs: [bare] }, this.#ring.self.peerId, { anchor: true })
        const found = await this.#rpc.request(entry, MessageType.FIND_SUCCESSOR, { target: idToBytes(mod(this.#ring.self.id + 1n)), hops: 1, fingersOnly: false, maintenance: true }, { timeoutMs: this.#init.lookupTimeoutMs, signal, tag: 'maintenance' })
        let succ = fromWire(found.owner, this.#verify)
        if (succ.peerId === this.#ring.self.peerId) succ = (await this.#neighborsOf(entry, signal)).self
        const nb = await this.#walkBack(await this.#notify(succ, signal), signal)
        this.#ring.adoptSuccessors(nb.self, nb.successors, 'join')
        this.joined = true
        this.#log.info({ event: 'join', via: addr, successor: describe(nb.self) }, 'joined the ring')
        return
      } catch (err) {
        if (signal.aborted) throw err
        errors.push(`${addr}: ${(err as Error).message}`)
      }
    }
    throw new ChordError(ErrorCode.UNREACHABLE, `could not join through any bootstrap peer (${errors.join('; ')})`)
  }

  async #neighborsOf (peer: RpcTarget, signal?: AbortSignal): Promise<Neighborhood> {
    return this.#verifyNeighbors(peer, await this.#rpc.request(peer, MessageType.GET_NEIGHBORS, {}, { timeoutMs: this.#init.rpcTimeoutMs, signal }))
  }

  /**
   * Notify `peer` that we may be its predecessor; its answer carries its pointers after
   * rectify, which is what stabilize reads, so stabilize + notify is one round trip.
   */
  async #notify (peer: RpcTarget, signal?: AbortSignal): Promise<Neighborhood> {
    const predecessors = this.#predecessorsFor(peer.peerId, Date.now())
    const res = await this.#rpc.request(peer, MessageType.NOTIFY, { self: toWire(this.#ring.self), predecessors }, { timeoutMs: this.#init.rpcTimeoutMs, signal })
      .catch(err => { this.#predsSent.to = ''; throw err })
    // A refused notify dropped the list with it: send it again with the next one.
    if (!res.accepted) this.#predsSent.to = ''
    return this.#verifyNeighbors(peer, res.neighbors)
  }

  /**
   * Our predecessor list, for the peer we notify: it is that peer's list one further back
   * (holderRule.ts needs it). Sent when it changed or the successor did, and every 30 s;
   * again with the next notify when this one failed or was refused.
   */
  #predecessorsFor (peerId: string, now: number): PeerInfo[] {
    const ring = this.#ring
    const s = this.#predsSent
    if (s.version === ring.predecessorsVersion && s.to === peerId && now - s.at < PREDECESSORS_REFRESH_MS) return []
    this.#predsSent = { version: ring.predecessorsVersion, to: peerId, at: now }
    return ring.predecessors.map(toWire)
  }

  #verifyNeighbors (peer: RpcTarget, nb: Neighbors | undefined): Neighborhood {
    if (nb == null) throw new BadRequestError('answer carries no neighbors')
    if (nb.successors.length > MAX_PEERS_PER_MESSAGE) throw new BadRequestError('successor list too long')
    const self = fromWire(nb.self, this.#verify)
    if (self.peerId !== peer.peerId) throw new ChordError(ErrorCode.ID_MISMATCH, `asked ${peer.peerId.slice(-6)}, answered by ${self.peerId.slice(-6)}`)
    return {
      self,
      predecessor: nb.predecessor == null ? undefined : fromWire(nb.predecessor, this.#verify),
      successors: nb.successors.map(s => fromWire(s, this.#verify))
    }
  }

  /**
   * While the candidate successor's predecessor lies between us and it, that peer is a
   * closer successor: move to it. Stoica et al.'s stabilize takes one such step a round;
   * taking up to r steps at once lets a burst of joins settle in one round instead of
   * one round per joiner. Each step is the same check, so the result is the same.
   */
  async #walkBack (start: Neighborhood, signal?: AbortSignal): Promise<Neighborhood> {
    const self = this.#ring.self
    let cur = start
    for (let step = 0; step < this.#ring.successors.length; step++) {
      const x = cur.predecessor
      if (x == null || x.peerId === self.peerId || !inOpen(x.id, self.id, cur.self.id)) break
      const nx = await this.#notify(x, signal).catch(() => undefined)
      if (nx == null) break
      cur = nx
    }
    return cur
  }

  /**
   * Zave's stabilize: ask the first live successor for its predecessor and list; a
   * dead successor is dropped and the next one tried. If succ's predecessor lies
   * between us, it becomes our successor. Then notify the successor.
   */
  async stabilize (signal?: AbortSignal): Promise<void> {
    if (!this.joined) return
    const self = this.#ring.self
    if (this.#ring.alone()) {
      // A ring of one learns of a second member only through notify (Stoica et al. fig. 7).
      const pred = this.#ring.predecessor
      if (pred != null) {
        const nb = await this.#notify(pred, signal).catch(() => undefined)
        if (nb != null) this.#ring.adoptSuccessors(nb.self, nb.successors, 'stabilize: second member')
      }
      this.lastStableAt = Date.now()
      return
    }
    for (;;) {
      const succ = this.#ring.successor()
      if (succ.peerId === self.peerId) return
      let nb
      try {
        nb = await this.#notify(succ, signal)
      } catch (err) {
        if (signal?.aborted === true || !isPeerFailure(err)) throw err
        this.#rpc.forget(succ.peerId, { disconnect: true })
        this.#init.suspects.suspect(succ)
        if (this.#ring.successors.entries.length <= 1) {
          // Out of successors: find our place again through any other peer we know.
          await this.#rejoin(succ, signal)
          return
        }
        this.#ring.markDead(succ.peerId, `stabilize: ${(err as Error).message}`)
        continue
      }
      const adopted = await this.#walkBack(nb, signal)
      this.#ring.adoptSuccessors(adopted.self, adopted.successors, 'stabilize')
      this.lastStableAt = Date.now()
      return
    }
  }

  /**
   * Every successor failed: ask each other peer we know (fingers, predecessor, the
   * bootstrap peers) for successor(n + 1), as at join. The failed successor stays until a
   * replacement is found, so a peer under load never talks itself into a ring of one.
   */
  async #rejoin (failed: PeerRef, signal?: AbortSignal): Promise<void> {
    const self = this.#ring.self
    const known = [...this.#ring.fingers.distinct(), ...(this.#ring.predecessor == null ? [] : [this.#ring.predecessor])]
      .filter(p => p.peerId !== failed.peerId && p.peerId !== self.peerId)
    for (const via of known) {
      try {
        const found = await this.#rpc.request(via, MessageType.FIND_SUCCESSOR, { target: idToBytes(mod(self.id + 1n)), hops: 1, fingersOnly: false, maintenance: true }, { timeoutMs: this.#init.lookupTimeoutMs, signal, tag: 'maintenance' })
        const succ = fromWire(found.owner, this.#verify)
        if (succ.peerId === self.peerId || succ.peerId === failed.peerId) continue
        const nb = await this.#walkBack(await this.#notify(succ, signal), signal)
        this.#ring.adoptSuccessors(nb.self, nb.successors, 'rejoin')
        this.lastStableAt = Date.now()
        this.#log.info({ event: 'rejoin', via: describe(via), successor: describe(nb.self) }, 'successors failed; found our place again')
        return
      } catch (err) {
        if (signal?.aborted === true) throw err
      }
    }
    if (this.#bootstrap.length > 0) {
      await this.join(this.#bootstrap, signal ?? new AbortController().signal)
      return
    }
    throw new ChordError(ErrorCode.UNREACHABLE, `successor ${describe(failed)} failed and no other peer answered`)
  }

  /**
   * Zave's rectify: adopt the notifier if we have no predecessor, it lies between, or the old
   * one is dead. "Dead" is decided by at most one ping in flight, and none while the
   * predecessor was heard from lately, so notifies from anyone cannot make us ping for them.
   */
  readonly handleNotify = async (req: Notify, ctx: RequestContext): Promise<NotifyResult> => {
    const p = fromWire(req.self, this.#verify)
    if (p.peerId !== ctx.remotePeer) throw new ChordError(ErrorCode.ID_MISMATCH, 'notify must come from the peer it names')
    const answer = (accepted: boolean): NotifyResult => ({ accepted, neighbors: this.#ring.neighbors() })
    if (p.peerId === this.#ring.self.peerId) return answer(false)
    const pred = this.#ring.predecessor
    let accept = pred == null || pred.peerId === p.peerId || inOpen(p.id, pred.id, this.#ring.self.id)
    if (!accept && pred != null) accept = !(await this.#predecessorAlive(pred, Math.min(this.#init.rpcTimeoutMs, ctx.deadlineMs / 2), ctx.signal))
    if (!accept) return answer(false)
    const changed = pred?.peerId !== p.peerId
    this.#ring.setPredecessor(p, 'notify')
    this.#predecessorHeardAt = Date.now()
    if (req.predecessors.length > MAX_PEERS_PER_MESSAGE) throw new BadRequestError('predecessor list too long')
    if (req.predecessors.length > 0) this.#ring.adoptPredecessors(p, req.predecessors.map(q => fromWire(q, this.#verify)))
    if (changed) this.#init.onPredecessorChanged(p)
    return answer(true)
  }

  /** Is our predecessor alive? Heard from within a check period: yes; otherwise one shared ping decides. */
  async #predecessorAlive (pred: PeerRef, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    if (Date.now() - this.#predecessorHeardAt < this.#init.checkPredecessorMs) return true
    this.#predPing ??= this.#alive(pred, Math.max(1, timeoutMs), signal).finally(() => { this.#predPing = undefined })
    const alive = await this.#predPing
    if (alive && this.#ring.predecessor?.peerId === pred.peerId) this.#predecessorHeardAt = Date.now()
    return alive
  }

  readonly handleGetNeighbors = async (): Promise<Neighbors> => this.#ring.neighbors()

  readonly handlePing = async (): Promise<Pong> => ({ self: this.#ring.neighbors().self })

  /**
   * LEAVING from a neighbour (Stoica et al. 2003 sec. 4.4, voluntary departure). What it says
   * is a hint checked against our own view: a predecessor it names is adopted only if it is
   * the one our predecessor list has behind the leaver, a successor only if it lies where our
   * list says the next one is; otherwise we just drop the leaver and let stabilize and the
   * next notify rebuild the pointers. A neighbour that says it leaves but stays loses its
   * place for about one stabilize round, and can inject no pointers.
   */
  readonly handleLeaving = async (req: Leaving, ctx: RequestContext): Promise<Empty> => {
    const leaver = fromWire(req.self, this.#verify)
    if (leaver.peerId !== ctx.remotePeer) throw new ChordError(ErrorCode.ID_MISMATCH, 'leaving must come from the peer it names')
    if (req.successors.length > MAX_PEERS_PER_MESSAGE) throw new BadRequestError('successor list too long')
    const ring = this.#ring
    if (ring.predecessor?.peerId === leaver.peerId) {
      const named = req.predecessor == null ? undefined : fromWire(req.predecessor, this.#verify)
      const behind = ring.predecessors[1]
      const plausible = named != null && named.peerId !== ring.self.peerId && (behind == null ? false : named.peerId === behind.peerId || inOpen(named.id, behind.id, leaver.id))
      ring.setPredecessor(plausible ? named : undefined, plausible ? 'predecessor left' : 'predecessor left (named no predecessor we can check)')
    }
    if (ring.successors.has(leaver.peerId)) {
      const theirs = req.successors.map(s => fromWire(s, this.#verify)).filter(s => s.peerId !== leaver.peerId && s.peerId !== ring.self.peerId)
      const entries = ring.successors.entries
      const at = entries.findIndex(p => p.peerId === leaver.peerId)
      const next = entries[at + 1]
      // Their first successor must be the one after them in our list, or lie between them and it (a peer we have not met yet).
      const fits = theirs.length > 0 && (next == null || theirs[0].peerId === next.peerId || inOpen(theirs[0].id, leaver.id, next.id))
      if (at === 0 && fits) {
        ring.markDead(leaver.peerId, 'successor left', { leftGracefully: true })
        ring.adoptSuccessors(theirs[0], theirs.slice(1), 'successor left')
      } else {
        ring.markDead(leaver.peerId, 'successor-list member left', { leftGracefully: entries.length > 1 })
      }
    }
    ring.fingers.remove(leaver.peerId)
    this.#rpc.forget(leaver.peerId)
    return {}
  }

  async #alive (peer: PeerRef, timeoutMs = this.#init.rpcTimeoutMs, signal?: AbortSignal): Promise<boolean> {
    try {
      await this.#rpc.request(peer, MessageType.PING, {}, { timeoutMs, signal })
      return true
    } catch (err) {
      return !isPeerFailure(err)
    }
  }

  /**
   * Stoica et al. fig. 7 check_predecessor: forget a predecessor that does not answer.
   * A notify from it within the last period already proved it alive: no ping then.
   */
  async checkPredecessor (periodMs: number, signal?: AbortSignal): Promise<void> {
    const pred = this.#ring.predecessor
    if (pred == null) return
    if (Date.now() - this.#predecessorHeardAt < periodMs) return
    if (!(await this.#predecessorAlive(pred, this.#init.rpcTimeoutMs, signal))) {
      this.#ring.markDead(pred.peerId, 'predecessor did not answer')
      this.#rpc.forget(pred.peerId, { disconnect: true })
      this.#init.suspects.suspect(pred)
    }
  }

  /**
   * Partition healing (Stoica et al. 2003, section IV-E): ask members the ring lost (found
   * dead) and no longer talks to, and the bootstrap peers, for successor(n + 1) in their ring. An answer
   * between us and our successor means another ring holds peers that belong here: adopt it as
   * successor, as a join would, and stabilize zips the two rings into one. At most `limit`
   * members a round, each bounded by one RPC timeout; one that does not answer backs off.
   */
  async heal (limit: number, signal?: AbortSignal): Promise<number> {
    if (!this.joined) return 0
    const ring = this.#ring
    const self = ring.self
    // Suspects count too: after a partition the other side is exactly that.
    const due = ring.memory.candidates(id => id === self.peerId || ring.inView(id), limit)
    let merged = 0
    for (const via of due) {
      let found: PeerRef
      try {
        const res = await this.#rpc.request(via, MessageType.FIND_SUCCESSOR, { target: idToBytes(mod(self.id + 1n)), hops: 1, fingersOnly: false, maintenance: true }, { timeoutMs: this.#init.rpcTimeoutMs, signal, tag: 'maintenance' })
        found = fromWire(res.owner, this.#verify)
        ring.memory.answered(via.peerId)
      } catch (err) {
        if (signal?.aborted === true) throw err
        ring.memory.failed(via.peerId)
        continue
      }
      const succ = ring.successor()
      if (found.peerId === self.peerId || found.peerId === succ.peerId) continue
      if (!ring.alone() && !inOpen(found.id, self.id, succ.id)) continue
      try {
        const nb = await this.#walkBack(await this.#notify(found, signal), signal)
        ring.adoptSuccessors(nb.self, nb.successors, 'merge')
        merged++
        this.#log.info({ event: 'merge', via: describe(via), successor: describe(nb.self) }, 'a remembered member\'s ring has a closer successor: merging rings')
      } catch (err) {
        if (signal?.aborted === true) throw err
      }
    }
    return merged
  }

  /** One fix-fingers step (see FingerTable.refreshStep): at most one lookup. */
  async fixFingers (signal?: AbortSignal): Promise<number> {
    if (!this.joined || this.#ring.alone()) return 0
    return await this.#ring.fingers.refreshStep(this.#ring.successor(), async target => {
      const out = await this.#router.lookup(target, { timeoutMs: this.#init.lookupTimeoutMs, signal, tag: 'maintenance' })
      this.#ring.memory.saw(out.owner, this.#ring.self.peerId)
      return out.owner
    })
  }

  /**
   * Graceful leave: the successor first adopts our predecessor (so it owns our keys
   * before they arrive), `handOff` moves the keys, then the predecessor splices in our
   * successor list. Each step is bounded by the signal; a failed step is logged, not fatal.
   */
  async leave (handOff: (to: PeerRef, signal: AbortSignal) => Promise<number>, signal: AbortSignal): Promise<void> {
    if (!this.joined || this.#ring.alone()) return
    const self = this.#ring.self
    const succ = this.#ring.successor()
    const pred = this.#ring.predecessor
    const msg: Leaving = { self: toWire(self), predecessor: pred == null ? undefined : toWire(pred), successors: this.#ring.successors.entries.map(toWire) }
    const step = async (what: string, fn: () => Promise<unknown>): Promise<void> => {
      try { await fn() } catch (err) { this.#log.warn({ err: (err as Error).message }, `leave: ${what} failed`) }
    }
    await step('tell successor', async () => await this.#rpc.request(succ, MessageType.LEAVING, msg, { timeoutMs: this.#init.rpcTimeoutMs, signal }))
    let moved = 0
    await step('hand off keys', async () => { moved = await handOff(succ, signal) })
    // In a ring of two the successor is the predecessor and already has the message.
    if (pred != null && pred.peerId !== succ.peerId) {
      await step('tell predecessor', async () => await this.#rpc.request(pred, MessageType.LEAVING, msg, { timeoutMs: this.#init.rpcTimeoutMs, signal }))
    }
    this.#log.info({ event: 'leave', successor: describe(succ), keysMoved: moved }, 'left the ring')
  }
}
