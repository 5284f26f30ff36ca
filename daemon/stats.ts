// The shape of a peer's telemetry document (GET /stats, GET_STATS): what collectors read.
import type { Counts, CostTerm, PeerShare, Prices, Tag } from './meters.js'
import type { ChokingStats } from './choking/choker.js'
import type { SkewStatus } from './storage/clockSkew.js'
import type { IntakeCounters } from './recordIntake.js'

export interface PeerSummaryJson { peerId: string, ringId: string }

export interface PeerStats {
  peerId: string
  ringId: string
  listen: string[]
  http: string | null
  ready: boolean
  uptimeMs: number
  /** Wall clock of the peer when the document was made, ms. */
  at: number
  ring: {
    predecessor: PeerSummaryJson | null
    successors: PeerSummaryJson[]
    fingers: Array<{ start: number } & PeerSummaryJson>
    distinctFingers: number
    /** Distinct peers in fingers + successor list + predecessor. */
    routingState: number
  }
  store: {
    records: number
    bytes: number
    /** The store's own SQLite connection: journal mode ('wal') and synchronous (2 = FULL). */
    durability: { journalMode: string, synchronous: number }
  }
  /** What this peer knows of faults around it (README "Faults and guarantees"). */
  faults?: {
    /** Its clock against its neighbours' (storage/clockSkew.ts); unhealthy: it mints no versions. */
    clock: SkewStatus
    /** Peers that stopped answering and are routed around (at most 16 listed). */
    suspects: Array<{ peerId: string, reason: 'silent' | 'wrong', forMs: number }>
    suspectCount: number
    /** Ring members remembered for partition healing. */
    remembered: number
    /** Length of the predecessor list (how far back replica writes are explained). */
    predecessors: number
    /** Records from other peers taken and refused, by reason (recordIntake.ts). */
    refusedRecords: IntakeCounters
    /** Ring RPCs refused with NOT_MEMBER while this peer had not joined (memberOnly.ts). */
    refusedNotMember: number
  }
  config: { successors: number, replicas: number, writeQuorum: number }
  meters: {
    enabled: boolean
    served: Record<Tag, Counts>
    sent: Record<Tag, Counts>
    lookups: { ok: number, failed: number, retries: number, hops: number, micros: number, hopHistogram: number[], latencyHistogram: number[] }
    prices: Prices
    costs: Record<CostTerm | 'total', number>
    topPeers: PeerShare[]
  }
  /** Choking (docs/choking.md): the state of the gate and what each remote gave. */
  choking?: ChokingStats
}
