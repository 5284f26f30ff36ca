// What participating costs this peer, after Christin & Chuang ("On the cost of participating
// in a peer-to-peer network", 2004): service S, forwarding R, maintenance M, access A.
// Plain counters, no sockets: the RPC layer reports every request served and sent, tagged
// with the term it belongs to (daemon/rpc/requestTag.ts says which).
import type { CostTerm, Counts, LookupCounters, PeerShare, Prices, Tag } from '../../protocol/telemetry.js'

/** One request served or sent, as the meters count it. */
export interface MeteredRequest {
  /** The cost term it is counted under. */
  tag: Tag
  /** The remote peer (for its share of what this peer exchanged). */
  peerId: string
  /** Frame bytes received and sent for it. */
  bytesIn: number
  bytesOut: number
  /** Handler time (served) or round-trip time (sent), microseconds. */
  micros: number
  failed: boolean
}

const zero = (): Counts => ({ requests: 0, bytesIn: 0, bytesOut: 0, micros: 0, errors: 0 })

export const DEFAULT_PRICES: Prices = Object.freeze({ service: 1, forwarding: 1, maintenance: 1, access: 1 })

/** Hop counts above this land in the last histogram slot. */
export const MAX_HOPS_BUCKET = 32
/** Latency histogram bucket upper bounds, ms (Prometheus-style, cumulative in /metrics). */
export const LATENCY_BUCKETS_MS = [0.25, 0.5, 1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000]

/** What `recordLookup` is told: a failed lookup has no hops or latency. */
export type MeteredLookup = { ok: true, hops: number, micros: number, attempts?: number } | { ok: false, attempts?: number }

export class CostMeters {
  /** Off: every record call returns at once (the benchmark's baseline). */
  enabled = true
  readonly served: Record<Tag, Counts> = { service: zero(), forwarding: zero(), maintenance: zero(), access: zero(), telemetry: zero() }
  readonly sent: Record<Tag, Counts> = { service: zero(), forwarding: zero(), maintenance: zero(), access: zero(), telemetry: zero() }
  readonly lookups: LookupCounters = { ok: 0, failed: 0, retries: 0, hops: 0, micros: 0, hopHistogram: new Array<number>(MAX_HOPS_BUCKET + 1).fill(0), latencyHistogram: new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0) }
  readonly #peers = new Map<string, PeerShare>()

  /** @param maxPeers remote peers tracked one by one; past it the smallest share is dropped. */
  constructor (readonly maxPeers = 256) {}

  recordServed (r: MeteredRequest): void {
    this.#record(this.served, r)
  }

  recordSent (r: MeteredRequest): void {
    this.#record(this.sent, r)
  }

  #record (into: Record<Tag, Counts>, r: MeteredRequest): void {
    if (!this.enabled) return
    const c = into[r.tag]
    c.requests++
    c.bytesIn += r.bytesIn
    c.bytesOut += r.bytesOut
    c.micros += r.micros
    if (r.failed) c.errors++
    if (r.tag !== 'telemetry') this.#share(r.peerId, r.tag, r.bytesIn + r.bytesOut)
  }

  /** One of this peer's own (access) lookups: found its owner after `attempts`, or failed. */
  recordLookup (r: MeteredLookup): void {
    if (!this.enabled) return
    const l = this.lookups
    l.retries += Math.max(0, (r.attempts ?? 1) - 1)
    if (!r.ok) { l.failed++; return }
    const { hops, micros } = r
    l.ok++
    l.hops += hops
    l.micros += micros
    l.hopHistogram[Math.min(hops, MAX_HOPS_BUCKET)]++
    const ms = micros / 1000
    let b = LATENCY_BUCKETS_MS.findIndex(x => ms <= x)
    if (b < 0) b = LATENCY_BUCKETS_MS.length
    l.latencyHistogram[b]++
  }

  #share (peerId: string, term: CostTerm, bytes: number): void {
    let s = this.#peers.get(peerId)
    if (s == null) {
      if (this.#peers.size >= this.maxPeers) this.#evictSmallest()
      s = { peerId, requests: { service: 0, forwarding: 0, maintenance: 0, access: 0 }, bytes: { service: 0, forwarding: 0, maintenance: 0, access: 0 } }
      this.#peers.set(peerId, s)
    }
    s.requests[term]++
    s.bytes[term] += bytes
  }

  #evictSmallest (): void {
    let min: PeerShare | undefined
    for (const s of this.#peers.values()) if (min == null || volume(s) < volume(min)) min = s
    if (min != null) this.#peers.delete(min.peerId)
  }

  /** The k remote peers with the most bytes exchanged, all terms together. */
  topPeers (k: number): PeerShare[] {
    return [...this.#peers.values()].sort((a, b) => volume(b) - volume(a)).slice(0, k)
  }

  /**
   * Cost terms under unit prices (docs/cost-model.md): S = requests served for keys held,
   * R = lookups forwarded for others, M = maintenance messages sent and received,
   * A = hops of own lookups; C = S + R + M + A.
   */
  costs (prices: Prices = DEFAULT_PRICES): Record<CostTerm | 'total', number> {
    const S = prices.service * this.served.service.requests
    const R = prices.forwarding * this.served.forwarding.requests
    const M = prices.maintenance * (this.served.maintenance.requests + this.sent.maintenance.requests)
    const A = prices.access * this.lookups.hops
    return { service: S, forwarding: R, maintenance: M, access: A, total: S + R + M + A }
  }
}

function volume (s: PeerShare): number {
  return s.bytes.service + s.bytes.forwarding + s.bytes.maintenance + s.bytes.access
}
