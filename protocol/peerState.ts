// GET_STATE decoded: the view of a peer's ring pointers that the tools read (ring walks,
// chordctl, the testnet's checks). The wire message is PeerState (chord.proto); its pieces
// are the telemetry document's (telemetry.ts), with addresses, since a walk dials them.
import type { PeerState } from './chord.js'
import { fromWire, type PeerRef } from './peerInfo.js'
import { idToHex } from './ring.js'
import type { FingerRun, PeerSummaryJson } from './telemetry.js'

/** A peer as the telemetry document names it, with where to reach it. */
export interface PeerSummary extends PeerSummaryJson { addrs: string[] }

/** GET_STATE decoded for people and JSON: ids as hex, peers as {peerId, ringId, addrs}. */
export interface PeerView extends PeerSummary {
  predecessor: PeerSummary | null
  successors: PeerSummary[]
  fingers: Array<FingerRun<PeerSummary>>
  /** The distinct peers among the fingers, the peer itself left out. */
  distinctFingers: PeerSummary[]
  keys: number
  storeBytes: number
  ready: boolean
  http: string
}

function summary (p: PeerRef): PeerSummary {
  return { peerId: p.peerId, ringId: idToHex(p.id), addrs: [...p.addrs] }
}

/** Decoding for display trusts the ids as sent: a ring walk may be of an explicit-id ring. */
const LENIENT = { allowExplicitIds: true }

export function viewOf (s: PeerState): PeerView {
  const self = fromWire(s.self, LENIENT)
  const fingers = s.fingers.map(f => ({ start: f.start, ...summary(fromWire(f.peer, LENIENT)) }))
  const distinct = [...new Map(fingers.filter(f => f.peerId !== self.peerId).map(f => [f.peerId, { peerId: f.peerId, ringId: f.ringId, addrs: f.addrs }])).values()]
  return {
    ...summary(self),
    predecessor: s.predecessor == null ? null : summary(fromWire(s.predecessor, LENIENT)),
    successors: s.successors.map(p => summary(fromWire(p, LENIENT))),
    fingers,
    distinctFingers: distinct,
    keys: Number(s.keys),
    storeBytes: Number(s.storeBytes),
    ready: s.ready,
    http: s.http
  }
}
