// The shape of a peer's telemetry document (GET /stats, GET_STATS): what collectors read.
// Types (and the list of cost terms) shared by the daemon, which writes the document, and the tools, which read it;
// GET_STATE's decoded view, built from the same pieces, is in peerState.ts.

// Cost terms (Christin & Chuang 2004): what every meter counts under.

export type CostTerm = 'service' | 'forwarding' | 'maintenance' | 'access'
export const TERMS: readonly CostTerm[] = ['service', 'forwarding', 'maintenance', 'access']
/** Telemetry (GET_STATE, GET_STATS) is counted but is no cost of participating. */
export type Tag = CostTerm | 'telemetry'
/** Every tag a meter counts under: the cost terms, then telemetry. */
export const TAGS: readonly Tag[] = [...TERMS, 'telemetry']

export interface Counts {
  requests: number
  bytesIn: number
  bytesOut: number
  /** Handler time (served) or round-trip time (sent), microseconds. */
  micros: number
  errors: number
}

export interface PeerShare { peerId: string, requests: Record<CostTerm, number>, bytes: Record<CostTerm, number> }

/** Unit prices: cost of one request served/forwarded, one maintenance message, one hop of an own lookup. */
export interface Prices { service: number, forwarding: number, maintenance: number, access: number }

// Choking (docs/choking.md): what each remote gave, and the gate's counters.

export type Behavior = 'contributor' | 'freerider'

export interface Tally {
  /** Our service/forwarding/access requests it answered OK: what it did for us. */
  gave: number
  /** Our such requests it answered CHOKED: it would not work for us. */
  refusedUs: number
  /** Its service/forwarding requests to us, whatever we answered: it is interested. */
  asked: number
  /** Of those, served (unchoked or from spare capacity): what we did for it. */
  servedIt: number
  /** Of those, answered CHOKED. */
  chokedIt: number
}

export interface ChokingCounters {
  /** Remotes moved from choked to unchoked, and back, over all rounds. */
  unchokes: number
  chokes: number
  /** CHOKED replies we sent (a free-rider's refusals included), and got. */
  chokedSent: number
  chokedReceived: number
  servedUnchoked: number
  servedFromSpare: number
  /** Requests a free-rider refused (also in chokedSent). */
  refused: number
  rounds: number
  /** Probes sent to requesters we had no evidence about. */
  probes: number
}

export interface RemoteChoking extends Tally {
  peerId: string
  state: 'unchoked' | 'optimistic' | 'choked'
  /** Requests/s of spare capacity it may use until the next round. */
  spareRate: number
  /** Its weight in the spare-capacity share (0: refused us and gave nothing). */
  weight: number | null
}

export interface ChokingStats {
  enabled: boolean
  behavior: Behavior
  rechokeMs: number
  capacity: number
  round: number
  counters: ChokingCounters
  /** Interested remotes in the window, and how many of them gave us something. */
  interested: number
  interestedThatGave: number
  /** Most active remotes first (at most 64). */
  remotes: RemoteChoking[]
}

// Faults (README "Faults and guarantees").

export interface SkewStatus {
  /** Median of (our clock - theirs) over the sampled peers, ms; null with no samples. */
  offsetMs: number | null
  /** Peers with a recent sample, and how many of them disagree with us by more than maxSkewMs / 2. */
  peers: number
  disagreeing: number
  /** False when a strict majority disagree: this peer must not mint versions. */
  healthy: boolean
}

export interface IntakeCounters {
  accepted: number
  /** Refused: the sender or the key lies outside what our view of the ring explains. */
  notHolder: number
  /** Refused: a version too far ahead of our clock, or one that does not fit the store. */
  clockSkew: number
}

export interface PeerSummaryJson { peerId: string, ringId: string }

/** Runs of equal fingers: finger i for start <= i < next run's start. */
export type FingerRun<P extends PeerSummaryJson> = { start: number } & P

/** Who a peer is and where it listens: its ready line, and the head of its telemetry document. */
export interface PeerInfoLine {
  peerId: string
  ringId: string
  listen: string[]
  http: string | null
}

/** A peer's own (access) lookups: outcomes, hops and time (daemon/meters/costMeters.ts recordLookup). */
export interface LookupCounters {
  ok: number
  failed: number
  /** Attempts past the first, over all lookups. */
  retries: number
  /** Hops of the successful ones, summed; micros likewise. */
  hops: number
  micros: number
  /** Successful lookups by hop count (the last slot: daemon/meters/costMeters.ts MAX_HOPS_BUCKET hops or more). */
  hopHistogram: number[]
  /** Successful lookups by latency bucket (daemon/meters/costMeters.ts LATENCY_BUCKETS_MS; the last slot: slower). */
  latencyHistogram: number[]
}

/** The maintenance tasks whose period adapts (daemon/host/maintenanceSchedule.ts). */
export type AdaptiveTask = 'stabilize' | 'check-predecessor' | 'fix-fingers' | 'repair'

/** How often a peer's maintenance runs now: base periods in fixed mode, stretched while quiet in adaptive mode. */
export interface MaintenanceStatus { mode: 'adaptive' | 'fixed', periodsMs: Record<AdaptiveTask, number> }

export interface PeerStats extends PeerInfoLine {
  ready: boolean
  uptimeMs: number
  /** Wall clock of the peer when the document was made, ms. */
  at: number
  ring: {
    predecessor: PeerSummaryJson | null
    successors: PeerSummaryJson[]
    fingers: Array<FingerRun<PeerSummaryJson>>
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
    /** Its clock against its neighbours' (keys/store/clockSkew.ts); unhealthy: it mints no versions. */
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
  /** The maintenance periods now; absent before the peer's tasks start. */
  maintenance?: MaintenanceStatus
  meters: {
    enabled: boolean
    served: Record<Tag, Counts>
    sent: Record<Tag, Counts>
    lookups: LookupCounters
    prices: Prices
    costs: Record<CostTerm | 'total', number>
    topPeers: PeerShare[]
  }
  /** Choking (docs/choking.md): the state of the gate and what each remote gave. */
  choking?: ChokingStats
}
