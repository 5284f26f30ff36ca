// Protocol ids, wire limits and daemon defaults: the one place they are set.

/** libp2p protocol id of the Chord RPC stream (requests multiplexed by Frame.id). */
export const CHORD_PROTOCOL = '/chordmeter/chord/1.0.0'

/** Bits in a ring identifier: m = 160, SHA-1's output size, as in Stoica et al. (2001) section 4.1. */
export const ID_BITS = 160
/** Bytes in a ring identifier on the wire. */
export const ID_BYTES = ID_BITS / 8

/** Largest key a client may store, bytes. */
export const MAX_KEY_BYTES = 1024
/** Largest value a client may store, bytes (1 MiB). */
export const MAX_VALUE_BYTES = 1024 * 1024
/** Largest frame accepted on a stream, bytes: one max-size key/value plus envelope room. */
export const MAX_FRAME_BYTES = MAX_VALUE_BYTES + 64 * 1024
/** Most addresses accepted in one PeerInfo. */
export const MAX_ADDRS_PER_PEER = 8
/** Most peers accepted in any list on the wire (successor list, candidates, fingers). */
export const MAX_PEERS_PER_MESSAGE = 256
/** Most hops a lookup may take before it is refused as a routing loop (2m). */
export const MAX_HOPS = 2 * ID_BITS
/** Requests a peer handles concurrently on one inbound stream; more get BUSY. */
export const MAX_IN_FLIGHT_PER_STREAM = 256
/** Requests a peer keeps waiting on one outbound stream; more are refused locally. */
export const MAX_PENDING_PER_STREAM = 1024
/** Chord streams per connection and direction: a peer keeps one per remote (FACTS: libp2p resets past the limit), plus room while one is replaced. */
export const MAX_CHORD_STREAMS_PER_CONNECTION = 8
/** Yamux streams per connection, negotiated or not (yamux's default 1000 x its 256 KiB window each is 256 MiB). */
export const MAX_MUXED_STREAMS_PER_CONNECTION = 16
/** Bytes of key/value data in one REPLICA_PUT batch (a single larger record goes alone). */
export const HANDOFF_BATCH_BYTES = 256 * 1024
/** Bytes of record metadata in one SYNC_DIGESTS answer page: a quarter of MAX_FRAME_BYTES, like a handoff batch. */
export const SYNC_PAGE_BYTES = 256 * 1024
/** SYNC_DIGESTS pages asked of one replica in one round (4 MiB of metadata); the next round goes on. */
export const MAX_SYNC_PAGES = 16
/** Period of the event-loop stall clock, ms (daemon/rpc/deadline.ts): a tick later than this means a stall. */
export const STALL_TICK_MS = 100

export const DEFAULTS = Object.freeze({
  /** Successor-list length r (Stoica et al. section 5.3 suggests O(log N)). */
  successors: 8,
  /** Period of stabilize, ms. */
  stabilizeMs: 1000,
  /** Period of a fix-fingers pass, ms. */
  fixFingersMs: 1000,
  /** Period of check-predecessor, ms. */
  checkPredecessorMs: 1000,
  /** Deadline of one RPC to one peer, ms. */
  rpcTimeoutMs: 2000,
  /** Deadline of a whole lookup or client operation, ms. */
  lookupTimeoutMs: 8000,
  /** Time a graceful leave may take before the peer stops anyway, ms. */
  leaveTimeoutMs: 5000,
  /** Copies of every key (DHash: the owner and its next r-1 successors). */
  replicas: 3,
  /** Replicas that must hold a write durably before it is acknowledged. */
  writeQuorum: 2,
  /** Period of an anti-entropy round, ms. */
  repairMs: 5000,
  /** Lifetime of a tombstone, ms (1 day): a replica away longer may resurrect a deleted key. */
  tombstoneTtlMs: 24 * 60 * 60 * 1000,
  /** Byte limit of the key store (keys + values), bytes (256 MiB). */
  maxStoreBytes: 256 * 1024 * 1024,
  /**
   * Most a version may be ahead of a receiver's clock, ms; also how long a failed write is held
   * back before it is reported (daemon/keys/store/writeFence.ts). Hosts running NTP are within
   * milliseconds; CockroachDB's default bound is 500 ms, this leaves room for VMs and containers.
   */
  maxClockSkewMs: 1000,
  /** Period of the partition-healing check (Stoica et al. 2003 sec. IV-E), ms. */
  healMs: 10_000,
  /** pino level. */
  logLevel: 'info',
  /** What one remote address or peer can make this peer hold (README "RPC": limits). */
  limits: Object.freeze({
    /** Inbound connections accepted per second from one IP: libp2p's own default (INBOUND_CONNECTION_THRESHOLD). */
    connRatePerIp: 5,
    /** Handshakes in progress, all addresses: libp2p's 10 plus room, so 4 flooding addresses are needed to fill it. */
    maxPendingHandshakes: 16,
    /** Handshakes in progress from one IP: a quarter of the above, so one address cannot fill them. */
    maxPendingHandshakesPerIp: 4,
    /** A connection not through Noise + yamux by then is dropped, ms: half libp2p's INBOUND_UPGRADE_TIMEOUT (10 s). */
    handshakeTimeoutMs: 5_000,
    /** Open connections, all directions: libp2p's MAX_CONNECTIONS. */
    maxConnections: 300,
    /** Inbound connections (open or in handshake) from one IP: a NAT with a few peers, each connected twice. */
    maxConnectionsPerIp: 16,
    /** A partial frame not completed within this closes its stream, ms (a 1 MiB frame at 100 KiB/s). */
    frameTimeoutMs: 10_000,
    /** Bytes of partial frames plus requests in flight (and their answers until written) per remote peer, and per remote IP: 8 max frames. */
    maxBufferedBytesPerRemote: 8 * 1024 * 1024,
    /** The same for all remotes together: 8 remotes at their limit. */
    maxBufferedBytes: 64 * 1024 * 1024
  }),
  /** Tit-for-tat choking of service and forwarding (docs/choking.md). */
  choking: Object.freeze({
    enabled: true,
    /** BEP 3: rechoke every 10 s. */
    rechokeMs: 10_000,
    /** BEP 3: 4 upload slots, of which 1 optimistic, rotated every 3 rounds (30 s). */
    unchokeSlots: 4,
    optimisticSlots: 1,
    optimisticEvery: 3,
    /** Requests/s served for choked peers, all together; set it to what the host can spare. */
    capacity: 500,
    /** Contributions are summed over this window (mainline BitTorrent: a rolling 20 s rate). */
    windowMs: 20_000
  })
})
