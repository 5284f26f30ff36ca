// What the RPC client and server report per request, and who hears it: the cost meters
// (under the term its tag gives, daemon/rpc/requestTag.ts), the choking ledger (what a
// remote's answer to our service request says of it, choking/gate.ts), the suspects (an
// answer, or a request, shows a peer is alive) and the clock-skew samples answers carry.
import { ErrorCode } from '../../protocol/chord.js'
import type { Choker } from '../choking/choker.js'
import { noteAnswer } from '../choking/gate.js'
import type { SkewMonitor } from '../keys/store/clockSkew.js'
import type { Suspects } from '../ring/suspects.js'
import type { RequestRecord } from '../rpc/client.js'
import { TERM_OF, tagOf, termOf } from '../rpc/requestTag.js'
import type { ServedRecord } from '../rpc/server.js'
import type { CostMeters } from './costMeters.js'

export interface RequestHooksInit {
  meters: CostMeters
  choker: Pick<Choker, 'noteAnswer'>
  suspects: Pick<Suspects, 'clear' | 'size'>
  skew: Pick<SkewMonitor, 'sample'>
}

export interface RequestHooks {
  /** RpcClient's onRequest: one request we sent, answered or not. */
  onRequest: (r: RequestRecord) => void
  /** RpcServer's onServed: one request we answered. */
  onServed: (r: ServedRecord) => void
}

export function requestHooks ({ meters, choker, suspects, skew }: RequestHooksInit): RequestHooks {
  return {
    onRequest: r => {
      meters.recordSent({ tag: termOf(tagOf(r)), peerId: r.peerId, bytesIn: r.bytesIn, bytesOut: r.bytesOut, micros: r.micros, failed: r.error != null })
      noteAnswer(choker, r)
      // Any answer (even an error it sent us) shows a suspect is alive again, and reads its clock.
      if (r.answered === true) {
        suspects.clear(r.peerId)
        if (r.remoteWallMs != null) skew.sample(r.peerId, r.remoteWallMs, r.sentAtMs!, r.receivedAtMs!)
      }
    },
    onServed: r => {
      meters.recordServed({ tag: r.type == null ? 'telemetry' : TERM_OF[r.type], peerId: r.peerId, bytesIn: r.bytesIn, bytesOut: r.bytesOut, micros: r.micros, failed: r.error !== ErrorCode.OK })
      // A suspect that sends us requests is running again (a stalled peer after SIGCONT).
      if (suspects.size > 0) suspects.clear(r.peerId)
    }
  }
}
