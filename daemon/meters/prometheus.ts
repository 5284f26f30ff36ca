// /metrics in the Prometheus text format. One Registry per process, whatever the number of
// peers packed in it (FACTS: a shared *global* registry breaks several peers in one process, so
// this one is our own): its metrics read the peer being scraped, and scrapes take turns, so each
// peer's /metrics holds its own values under its own peer label, as when it had a registry of
// its own. Every value is read from the meters when scraped, so metering stays plain counters.
import { Counter, Gauge, Registry } from 'prom-client'
import type { Choker } from '../choking/choker.js'
import { shortId } from '../../protocol/ring.js'
import { TAGS } from '../../protocol/telemetry.js'
import type { TelemetryParts } from './telemetry.js'

/** The process's metrics; `scrape(parts)` is one peer's /metrics. */
export class ProcessMetrics {
  readonly #registry = new Registry()
  /** The peer being scraped; set only inside scrape(). */
  #parts: TelemetryParts | undefined
  /** The scrape before this one: scrapes take turns, since the metrics read #parts. */
  #turn: Promise<unknown> = Promise.resolve()

  constructor () {
    defineMetrics(this.#registry, () => {
      if (this.#parts == null) throw new Error('metrics are read only while a peer is scraped')
      return this.#parts
    })
  }

  /** One peer's metrics in the Prometheus text format, labelled with its short ring id. */
  async scrape (parts: TelemetryParts): Promise<string> {
    const run = async (): Promise<string> => {
      this.#parts = parts
      this.#registry.setDefaultLabels({ peer: shortId(parts.ring.self.id) })
      try { return await this.#registry.metrics() } finally { this.#parts = undefined }
    }
    const text = this.#turn.then(run, run)
    this.#turn = text.catch(() => {})
    return await text
  }
}

let shared: ProcessMetrics | undefined

/** The one ProcessMetrics of this process, made on first use. */
export function processMetrics (): ProcessMetrics {
  shared ??= new ProcessMetrics()
  return shared
}

/** The metrics, each reading the parts `current` returns when collected. */
function defineMetrics (registry: Registry, current: () => TelemetryParts): void {
  const counter = (name: string, help: string, labelNames: string[], fill: (c: Counter, p: TelemetryParts) => void): void => {
    // Counters read at scrape time: reset, then add the running total.
    new Counter({ name, help, labelNames, registers: [registry], collect () { this.reset(); fill(this, current()) } }) // eslint-disable-line no-new
  }
  const gauge = (name: string, help: string, read: (p: TelemetryParts) => number): void => {
    new Gauge({ name, help, registers: [registry], collect () { this.set(read(current())) } }) // eslint-disable-line no-new
  }
  counter('chord_requests_total', 'requests served or sent, by cost term', ['direction', 'term'], (c, { meters }) => {
    for (const t of TAGS) { c.inc({ direction: 'served', term: t }, meters.served[t].requests); c.inc({ direction: 'sent', term: t }, meters.sent[t].requests) }
  })
  counter('chord_bytes_total', 'frame bytes, by direction of the request, cost term and flow', ['direction', 'term', 'flow'], (c, { meters }) => {
    for (const t of TAGS) {
      for (const [d, m] of [['served', meters.served[t]], ['sent', meters.sent[t]]] as const) {
        c.inc({ direction: d, term: t, flow: 'in' }, m.bytesIn)
        c.inc({ direction: d, term: t, flow: 'out' }, m.bytesOut)
      }
    }
  })
  counter('chord_request_seconds_total', 'handler time (served) or round-trip time (sent)', ['direction', 'term'], (c, { meters }) => {
    for (const t of TAGS) { c.inc({ direction: 'served', term: t }, meters.served[t].micros / 1e6); c.inc({ direction: 'sent', term: t }, meters.sent[t].micros / 1e6) }
  })
  counter('chord_request_errors_total', 'requests that failed', ['direction', 'term'], (c, { meters }) => {
    for (const t of TAGS) { c.inc({ direction: 'served', term: t }, meters.served[t].errors); c.inc({ direction: 'sent', term: t }, meters.sent[t].errors) }
  })
  counter('chord_cost_total', 'priced cost terms S, R, M, A and total C (docs/cost-model.md)', ['term'], (c, p) => {
    const cost = p.meters.costs(p.config.prices)
    for (const [t, v] of Object.entries(cost)) c.inc({ term: t }, v)
  })
  counter('chord_lookups_total', 'own (access) lookups by outcome', ['outcome'], (c, { meters }) => {
    c.inc({ outcome: 'ok' }, meters.lookups.ok)
    c.inc({ outcome: 'failed' }, meters.lookups.failed)
    c.inc({ outcome: 'retry' }, meters.lookups.retries)
  })
  counter('chord_lookup_hops', 'own lookups by hop count (to the owner\'s predecessor)', ['hops'], (c, { meters }) => {
    meters.lookups.hopHistogram.forEach((n, h) => { if (n > 0) c.inc({ hops: String(h) }, n) })
  })
  gauge('chord_routing_state_peers', 'distinct peers in fingers + successor list + predecessor', p => p.ring.routingStateSize())
  gauge('chord_successors', 'successor-list entries', p => p.ring.successors.entries.length)
  gauge('chord_store_records', 'records held (tombstones included)', p => p.store.size)
  gauge('chord_store_bytes', 'bytes of keys and values held', p => p.store.bytes)
  gauge('chord_ready', '1 when joined and stable', p => p.ready() ? 1 : 0)
  // Faults (README "Faults and guarantees"): refused records, suspects, the clock against the neighbours'.
  counter('chord_records_refused_total', 'records from other peers refused, by reason (not explained by this peer\'s view of the ring, or too far ahead of its clock)', ['reason'], (c, p) => {
    c.inc({ reason: 'not_holder' }, p.intake.notHolder)
    c.inc({ reason: 'clock_skew' }, p.intake.clockSkew)
  })
  gauge('chord_suspects', 'peers routed around because they stopped answering or answered wrongly', p => p.suspects.size)
  gauge('chord_clock_offset_ms', 'this peer\'s clock minus its neighbours\' (median over the sampled peers), ms', p => p.skew.status().offsetMs ?? 0)
  gauge('chord_clock_in_bounds', '1 while this peer\'s clock agrees with its neighbours\' (it mints versions only then)', p => p.skew.status().healthy ? 1 : 0)
  chokingMetrics(registry, () => current().choker, counter)
}

type CounterOf = (name: string, help: string, labelNames: string[], fill: (c: Counter, p: TelemetryParts) => void) => void

/** Choking (docs/choking.md): state per remote, transitions, CHOKED replies, where service came from. */
function chokingMetrics (registry: Registry, choker: () => Choker, counter: CounterOf): void {
  const c = (): ReturnType<Choker['stats']>['counters'] => choker().counters
  counter('chord_choke_transitions_total', 'remotes unchoked or choked at a rechoke', ['to'], m => { m.inc({ to: 'unchoked' }, c().unchokes); m.inc({ to: 'choked' }, c().chokes) })
  counter('chord_choked_replies_total', 'CHOKED replies sent (refusals of a free-rider included) and received', ['direction'], m => { m.inc({ direction: 'sent' }, c().chokedSent); m.inc({ direction: 'received' }, c().chokedReceived) })
  counter('chord_gated_served_total', 'service and forwarding requests served, by why', ['from'], m => { m.inc({ from: 'unchoked' }, c().servedUnchoked); m.inc({ from: 'spare' }, c().servedFromSpare) })
  new Gauge({ // eslint-disable-line no-new
    name: 'chord_choke_unchoked',
    help: '1 if the remote is unchoked (regular or optimistic), 0 if choked; the most active remotes',
    labelNames: ['remote', 'slot'],
    registers: [registry],
    collect () {
      this.reset()
      for (const r of choker().stats().remotes) this.set({ remote: r.peerId, slot: r.state }, r.state === 'choked' ? 0 : 1)
    }
  })
}
