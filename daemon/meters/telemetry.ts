// What a peer reports about itself, built from its parts: the ready line (PeerInfoLine),
// GET_STATE (PeerState, chord.proto) and the telemetry document (PeerStats) that GET /stats
// and GET_STATS send and the collector reads (protocol/telemetry.ts). /metrics reads the
// same parts (prometheus.ts).
import type { PeerState } from '../../protocol/chord.js'
import type { PeerRef } from '../../protocol/peerInfo.js'
import { idToHex } from '../../protocol/ring.js'
import type { FingerRun, IntakeCounters, MaintenanceStatus, PeerInfoLine, PeerStats, PeerSummaryJson } from '../../protocol/telemetry.js'
import type { Choker } from '../choking/choker.js'
import type { PeerConfig } from '../host/config.js'
import type { SkewMonitor } from '../keys/store/clockSkew.js'
import type { RecordStore } from '../keys/store/recordStore.js'
import type { RingState } from '../ring/ringState.js'
import type { Suspects } from '../ring/suspects.js'
import type { CostMeters } from './costMeters.js'

/** The parts of a peer its telemetry is read from (read when asked: nothing here is a copy). */
export interface TelemetryParts {
  ring: RingState
  meters: CostMeters
  choker: Choker
  store: Pick<RecordStore, 'size' | 'bytes' | 'durability'>
  /** Its clock against its neighbours' (keys/store/clockSkew.ts). */
  skew: Pick<SkewMonitor, 'status'>
  suspects: Pick<Suspects, 'list' | 'size'>
  /** Records from other peers taken and refused (keys/recordIntake.ts). */
  intake: IntakeCounters
  config: Pick<PeerConfig, 'successors' | 'replicas' | 'writeQuorum' | 'prices'>
  /** When the peer was made, ms. */
  startedAt: number
  /** Joined and stable (ChordPeer.ready). */
  ready: () => boolean
  /** host:port of the HTTP server, or null without one. */
  http: () => string | null
  /** Ring RPCs refused with NOT_MEMBER so far (ring/memberOnly.ts). */
  refusedNotMember: () => number
  /** The maintenance periods now (host/tasks.ts); undefined before the tasks start. */
  maintenance: () => MaintenanceStatus | undefined
}

/** Suspects listed in the document at most (suspectCount has them all). */
const LISTED_SUSPECTS = 16
/** Remote peers listed by their share of the meters, at most. */
const TOP_PEERS = 16

export function peerInfo (p: TelemetryParts): PeerInfoLine {
  const self = p.ring.self
  return { peerId: self.peerId, ringId: idToHex(self.id), listen: self.addrs.map(a => `${a}/p2p/${self.peerId}`), http: p.http() }
}

/** GET_STATE's answer. */
export function peerState (p: TelemetryParts): PeerState {
  return p.ring.snapshot({ keys: p.store.size, storeBytes: p.store.bytes, ready: p.ready(), http: p.http() ?? '' })
}

/** A peer's ring pointers, as small as the telemetry document names them: what a ring check reads. */
export interface RingDigest extends PeerSummaryJson {
  predecessor: PeerSummaryJson | null
  successors: PeerSummaryJson[]
  fingers: Array<FingerRun<PeerSummaryJson>>
}

/** The digest, read in process (tools/testnet.ts asks packed peers for it instead of GET_STATE). */
export function ringDigest (p: Pick<TelemetryParts, 'ring'>): RingDigest {
  const ring = p.ring
  return {
    ...summary(ring.self),
    predecessor: ring.predecessor == null ? null : summary(ring.predecessor),
    successors: ring.successors.entries.map(summary),
    fingers: ring.fingers.runs().map(r => ({ start: r.start, ...summary(r.peer) }))
  }
}

/** The telemetry document: /stats, GET_STATS and the collector read this. */
export function peerStats (p: TelemetryParts, now = Date.now()): PeerStats {
  const { ring, meters: m, config } = p
  const { predecessor, successors, fingers } = ringDigest(p)
  return {
    ...peerInfo(p),
    ready: p.ready(),
    uptimeMs: now - p.startedAt,
    at: now,
    ring: {
      predecessor,
      successors,
      fingers,
      distinctFingers: ring.fingers.distinct().length,
      routingState: ring.routingStateSize()
    },
    store: { records: p.store.size, bytes: p.store.bytes, durability: p.store.durability() },
    faults: {
      clock: p.skew.status(),
      suspects: p.suspects.list().slice(0, LISTED_SUSPECTS),
      suspectCount: p.suspects.size,
      remembered: ring.memory.size,
      predecessors: ring.predecessors.length,
      refusedRecords: { ...p.intake },
      refusedNotMember: p.refusedNotMember()
    },
    config: { successors: config.successors, replicas: config.replicas, writeQuorum: config.writeQuorum },
    maintenance: p.maintenance(),
    meters: {
      enabled: m.enabled,
      served: m.served,
      sent: m.sent,
      lookups: m.lookups,
      prices: config.prices,
      costs: m.costs(config.prices),
      topPeers: m.topPeers(TOP_PEERS)
    },
    choking: p.choker.stats()
  }
}

/** The document as sent (GET_STATS, GET /stats): bigints as decimal strings. */
export function statsJson (stats: PeerStats): string {
  return JSON.stringify(stats, (_k, v: unknown) => typeof v === 'bigint' ? v.toString() : v)
}

function summary (p: PeerRef): PeerSummaryJson {
  return { peerId: p.peerId, ringId: idToHex(p.id) }
}
