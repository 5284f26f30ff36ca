// Every record that comes from another peer passes here before it reaches the store:
// replica writes, repair pushes and handoffs, anti-entropy pulls, and replicas' answers to a
// read. A record is taken only if its version fits the store and is not too far ahead of
// this peer's clock (protocol/version.ts), and, for a write pushed to us, only if our own view
// of the ring explains it (holderRule.ts). Refusals are counted by reason and logged at most
// once per remote per minute, so a flood of forged records cannot flood the log.
import type { Logger } from 'pino'
import { ErrorCode } from '../../protocol/chord.js'
import { ChordError } from '../../protocol/errors.js'
import type { PeerRef } from '../../protocol/peerInfo.js'
import { hashToId } from '../../protocol/ring.js'
import { explains } from './holderRule.js'
import type { RingState } from '../ring/ringState.js'
import type { KeyRecord } from './store/recordStore.js'
import { ClockSkewError, type HybridClock } from './store/hybridClock.js'
import type { IntakeCounters } from '../../protocol/telemetry.js'

/** How a record reached us: pushed by the sender (checked against the ring) or an answer to our own request. */
export type IntakeKind = 'pushed' | 'answer'


export interface IntakeInit {
  ring: RingState
  clock: HybridClock
  log: Logger
  now?: () => number
}

export interface Admitted {
  records: KeyRecord[]
  refused: number
  /** Why the first refused record was refused (what a single-record write answers). */
  firstRefusal?: ChordError
}

/** At most one log line per remote per this long, ms. */
const LOG_EVERY_MS = 60_000
const LOG_REMOTES = 256

export class RecordIntake {
  readonly counters: IntakeCounters = { accepted: 0, notHolder: 0, clockSkew: 0 }
  readonly #i: IntakeInit
  readonly #lastLogged = new Map<string, number>()

  constructor (init: IntakeInit) { this.#i = init }

  /** The records from `senderPeerId` that may be applied here (their clocks observed); the rest refused. */
  admit (records: readonly KeyRecord[], senderPeerId: string, kind: IntakeKind): Admitted {
    const { ring, clock } = this.#i
    const out: Admitted = { records: [], refused: 0 }
    const sender = kind === 'pushed' ? this.#position(senderPeerId) : undefined
    const hood = kind === 'pushed' ? { self: ring.self, predecessors: ring.predecessors, successors: ring.successors.entries } : undefined
    for (const r of records) {
      let refusal: ChordError | undefined
      try {
        clock.check(r.version.ts)
      } catch (err) {
        refusal = err as ClockSkewError
        this.counters.clockSkew++
      }
      if (refusal == null && kind === 'pushed') {
        const verdict = sender == null ? { ok: false as const, why: 'the sender is not a ring member this peer knows' } : explains(hood!, sender, hashToId(r.key))
        if (!verdict.ok) {
          refusal = new ChordError(ErrorCode.NOT_HOLDER, verdict.why)
          this.counters.notHolder++
        }
      }
      if (refusal != null) {
        out.refused++
        out.firstRefusal ??= refusal
        continue
      }
      clock.observe(r.version.ts)
      out.records.push(r)
    }
    this.counters.accepted += out.records.length
    if (out.firstRefusal != null) this.#logRefusal(senderPeerId, kind, out)
    return out
  }

  /**
   * The sender as a ring member we know (lists, fingers, remembered members): a peer the ring
   * never named is no coordinator or holder of anything. A peer joining right before us is no
   * exception: its join notifies us first, so it is our predecessor before it writes to us.
   */
  #position (peerId: string): PeerRef | undefined {
    return this.#i.ring.known(peerId)
  }

  #logRefusal (remote: string, kind: IntakeKind, a: Admitted): void {
    const now = (this.#i.now ?? Date.now)()
    const last = this.#lastLogged.get(remote)
    if (last != null && now - last < LOG_EVERY_MS) return
    if (this.#lastLogged.size >= LOG_REMOTES) this.#lastLogged.delete(this.#lastLogged.keys().next().value!)
    this.#lastLogged.set(remote, now)
    this.#i.log.warn({ event: 'refused-records', remote: remote.slice(-6), kind, refused: a.refused, err: a.firstRefusal?.message }, 'refused records the ring does not explain (logged once a minute per remote)')
  }
}
