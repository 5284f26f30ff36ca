// A replica's side of a key's copies: replica writes, repair pushes and handoffs (REPLICA_PUT,
// REPAIR_PUT), a coordinator's read (REPLICA_GET) and anti-entropy's pulls (REPLICA_FETCH).
import { BadRequestError } from '../../protocol/errors.js'
import { HANDOFF_BATCH_BYTES } from '../../protocol/constants.js'
import type { ApplyResult, Key, Keys, MaybeRecord, Records } from '../../protocol/chord.js'
import type { RequestContext } from '../rpc/server.js'
import type { RecordIntake } from './recordIntake.js'
import type { RecordStore } from './store/recordStore.js'
import { checkKey, recordFromWire, recordToWire } from './store/records.js'

export interface ReplicaInit {
  store: RecordStore
  /** Every record from another peer passes here before the store. */
  intake: RecordIntake
}

const MAX_FETCH_KEYS = 512

export class Replica {
  readonly #i: ReplicaInit

  constructor (init: ReplicaInit) { this.#i = init }

  /** A replica write, repair push or handoff: keep what our view of the ring explains and is newer, durably, then answer. */
  readonly handleReplicaPut = async (req: Records, ctx: RequestContext): Promise<ApplyResult> => {
    const recs = req.records.map(recordFromWire)
    const admitted = this.#i.intake.admit(recs, ctx.remotePeer, 'pushed')
    // A single refused record (a replica write) is answered with why; a batch with counts.
    if (recs.length === 1 && admitted.firstRefusal != null) throw admitted.firstRefusal
    const out = this.#i.store.apply(admitted.records)
    return {
      applied: out.applied,
      held: out.held,
      superseded: out.superseded.map(m => ({ key: m.key as Uint8Array<ArrayBuffer>, ts: m.version.ts, writer: m.version.writer as Uint8Array<ArrayBuffer>, deleted: m.deleted })),
      refused: admitted.refused
    }
  }

  readonly handleReplicaGet = async (req: Key): Promise<MaybeRecord> => {
    const r = this.#i.store.get(checkKey(req.key))
    return { record: r == null ? undefined : recordToWire(r) }
  }

  readonly handleReplicaFetch = async (req: Keys): Promise<Records> => {
    if (req.keys.length > MAX_FETCH_KEYS) throw new BadRequestError(`at most ${MAX_FETCH_KEYS} keys per fetch`)
    const out: Records = { records: [] }
    let bytes = 0
    for (const k of req.keys) {
      const r = this.#i.store.get(checkKey(k))
      if (r == null) continue
      bytes += r.key.length + r.value.length
      if (bytes > HANDOFF_BATCH_BYTES * 2 && out.records.length > 0) break // the requester asks again for the rest
      out.records.push(recordToWire(r))
    }
    return out
  }
}
