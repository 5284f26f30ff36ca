// Read repair (DHash; Dynamo section 4.7): a coordinator's read asks the key's replicas, answers
// with the newest record among theirs and its own, and writes it back to every replica that
// answered with an older copy or none. Pure: the RPCs are coordinator.ts's.
import type { PeerRef } from '../../protocol/peerInfo.js'
import { compareVersions } from '../../protocol/version.js'
import type { KeyRecord } from './store/recordStore.js'

/** One replica's answer to a read. */
export interface ReplicaAnswer {
  peer: PeerRef
  /** Its copy, when it had one that passed the intake (recordIntake.ts). */
  record?: KeyRecord
  /** It answered (with a copy or without); false when it refused or failed. */
  ok: boolean
}

/** The newest of our own copy and the replicas' (ours on a tie). */
export function newestOf (local: KeyRecord | undefined, answers: readonly ReplicaAnswer[]): KeyRecord | undefined {
  let newest = local
  for (const a of answers) if (a.record != null && (newest == null || compareVersions(a.record.version, newest.version) > 0)) newest = a.record
  return newest
}

/** The replicas that answered with a copy older than `newest`, or none: they get it pushed (REPAIR_PUT). */
export function staleOf (answers: readonly ReplicaAnswer[], newest: KeyRecord): ReplicaAnswer[] {
  return answers.filter(a => a.ok && (a.record == null || compareVersions(a.record.version, newest.version) < 0))
}

/** Whether our own copy is older than `newest`, or missing: we store it too. */
export function localIsStale (local: KeyRecord | undefined, newest: KeyRecord): boolean {
  return local == null || compareVersions(newest.version, local.version) > 0
}
