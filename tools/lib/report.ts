// The collector's report, computed from two scrapes of every peer's telemetry document:
// per-peer rows, exact totals, per-term distributions (mean, p50, p99, max/mean, Gini),
// the merged hop histogram and the cost model's predictions beside the measurements.
// Pure functions: no I/O (tools/lib/collect.ts scrapes and writes the files).
import { expectedHops, hopDistributionFullRing, modelFor, relativeError } from '../../model/costModel.js'
import { ID_BITS } from '../../protocol/constants.js'
import { mean, percentile, round } from './stats.js'
import { type CostTerm, type Counts, type LookupCounters, type PeerStats, type Tag, TAGS, TERMS } from '../../protocol/telemetry.js'

export const COUNT_FIELDS = ['requests', 'bytesIn', 'bytesOut', 'micros', 'errors'] as const
export type CostKey = CostTerm | 'total'
export const COST_KEYS: readonly CostKey[] = [...TERMS, 'total']
export type RouteCandidates = 'fingers' | 'all'

type ByTag = Record<Tag, Counts>

export interface PeerRow {
  peerId: string
  ringId: string
  /** Ring id as a fraction of the ring, [0, 1). */
  position: number
  /** Seconds between the two scrapes, by the peer's own clock (the rates' denominator). */
  windowS: number
  /** Counters at the second scrape (since the peer started). */
  served: ByTag
  sent: ByTag
  /** Priced cost terms at the second scrape. */
  costs: Record<CostKey, number>
  /** (second - first) / windowS. */
  rates: { served: ByTag, sent: ByTag, costs: Record<CostKey, number>, lookups: number }
  routingState: number
  distinctFingers: number
  successors: number
  keys: number
  storeBytes: number
  lookups: LookupCounters & { meanHops: number }
  ready: boolean
}

export interface Totals {
  peers: number
  served: ByTag
  sent: ByTag
  costs: Record<CostKey, number>
  lookups: LookupCounters
  routingState: number
  distinctFingers: number
  keys: number
  storeBytes: number
  /** Sums of the per-peer rates, per second. */
  rates: { served: ByTag, sent: ByTag, costs: Record<CostKey, number>, lookups: number }
}

export interface Distribution { n: number, mean: number, p50: number, p99: number, max: number, maxOverMean: number, gini: number }

export interface HopModelDistribution { name: string, kind: 'exact-binomial' | 'binomial-approximation', mean: number, pmf: number[] }

export interface ModelComparison {
  n: number
  routeCandidates: RouteCandidates
  successors: number
  replicas: number
  hopsFormula: string
  hops: {
    measuredMean: number
    lookups: number
    predicted: number
    relativeError: number
    /** routeCandidates 'all' only: the model's fingers-only E[hops], and what the successor list saved. */
    predictedFingersOnly?: number
    savedBySuccessors?: number
    /** Measured fraction of lookups per hop count, and the model distributions drawn beside it. */
    measuredPmf: number[]
    models: HopModelDistribution[]
  }
  distinctFingers: { measuredMean: number, predicted: number, relativeError: number }
  routingState: { measuredMean: number, predicted: number, relativeError: number }
  forwarding: {
    definition: string
    servedTotal: number
    accessLookups: number
    accessHops: number
    /** accessHops / accessLookups: forwarding requests per own lookup, what the model predicts. */
    perLookupMeasured: number
    perLookupPredicted: number
    relativeError: number
    /** servedTotal / accessLookups: includes maintenance lookups' forwarding; an upper bound, not compared. */
    servedPerAccessLookup: number
    /** Share of served forwarding not explained by access lookups' hops (maintenance, joins, failed attempts). */
    maintenanceShare: number
    perPeerMeasured: Distribution
    /** modelFor(n).forwardingPerPeer with the measured own lookups per peer (access-caused only). */
    perPeerPredicted: number
  }
}

export interface Report {
  at: string
  start: string
  windowS: number
  ring: { size: number, closed: boolean }
  reachable: number
  unreachable: Array<{ peerId: string, ringId: string, error: string }>
  peers: PeerRow[]
  totals: Totals
  /** Over peers, per cost term: priced totals at the second scrape, and rates over the window. */
  distribution: { costs: Record<CostKey, Distribution>, rates: Record<CostKey, Distribution> }
  hops: { histogram: number[], lookups: number, mean: number }
  model: ModelComparison | null
  files: string[]
}

// ----------------------------------------------------------------------------------------------
// Small pure helpers
// ----------------------------------------------------------------------------------------------

/**
 * Gini coefficient of non-negative values: sum_i sum_j |x_i - x_j| / (2 n^2 mean).
 * 0 when all are equal (or all zero); (n-1)/n when one value holds everything.
 */
export function gini (values: readonly number[]): number {
  const n = values.length
  if (n === 0) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  let sum = 0
  let weighted = 0
  for (let i = 0; i < n; i++) {
    sum += sorted[i]
    weighted += (2 * (i + 1) - n - 1) * sorted[i] // sum_{i<j} (x_j - x_i) over sorted values, folded
  }
  if (sum === 0) return 0
  return weighted / (n * sum)
}

export function distribution (values: readonly number[]): Distribution {
  const m = mean(values)
  const max = values.length === 0 ? NaN : Math.max(...values)
  return {
    n: values.length,
    mean: m,
    p50: percentile(values, 50),
    p99: percentile(values, 99),
    max,
    maxOverMean: m === 0 ? (max === 0 ? 1 : Infinity) : max / m,
    gini: gini(values)
  }
}

/** One CSV field (RFC 4180): quoted when it holds a comma, quote, CR/LF or edge spaces; quotes doubled. */
export function csvField (v: string | number | boolean | null | undefined): string {
  if (v == null) return ''
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : ''
  const s = String(v)
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

export function toCsv (rows: ReadonlyArray<ReadonlyArray<string | number | boolean | null | undefined>>): string {
  return rows.map(r => r.map(csvField).join(',')).join('\n') + '\n'
}

/** A 40-hex-digit ring id as a fraction of the ring, [0, 1). */
export function ringPosition (ringIdHex: string): number {
  const id = BigInt('0x' + ringIdHex)
  return Number(id >> BigInt(ID_BITS - 53)) / 2 ** 53
}

/** Binomial(m, p) probabilities for 0..m. */
export function binomialPmf (m: number, p: number): number[] {
  const out: number[] = []
  const q = Math.min(1, Math.max(0, p))
  let logC = 0
  for (let k = 0; k <= m; k++) {
    const v = q === 0 ? (k === 0 ? 1 : 0) : q === 1 ? (k === m ? 1 : 0) : Math.exp(logC + k * Math.log(q) + (m - k) * Math.log1p(-q))
    out.push(v)
    logC += Math.log(m - k) - Math.log(k + 1)
  }
  return out
}

export function isPowerOfTwo (n: number): boolean {
  return Number.isInteger(n) && n >= 1 && (n & (n - 1)) === 0
}

/** Element-wise sum of histograms of possibly different lengths. */
export function mergeHistograms (hists: ReadonlyArray<readonly number[]>): number[] {
  const out: number[] = []
  for (const h of hists) h.forEach((v, i) => { out[i] = (out[i] ?? 0) + v })
  return out
}

/** Drop trailing zero buckets (keeps at least one). */
export function trimZeros (h: readonly number[]): number[] {
  let end = h.length
  while (end > 1 && h[end - 1] === 0) end--
  return h.slice(0, end)
}

const zero = (): Counts => ({ requests: 0, bytesIn: 0, bytesOut: 0, micros: 0, errors: 0 })
const zeroTags = (): ByTag => ({ service: zero(), forwarding: zero(), maintenance: zero(), access: zero(), telemetry: zero() })
const zeroCosts = (): Record<CostKey, number> => ({ service: 0, forwarding: 0, maintenance: 0, access: 0, total: 0 })

function tagsOf (m: Partial<Record<Tag, Partial<Counts>>> | undefined): ByTag {
  const out = zeroTags()
  for (const t of TAGS) for (const k of COUNT_FIELDS) out[t][k] = m?.[t]?.[k] ?? 0
  return out
}

function rateTags (a: ByTag, b: ByTag, s: number): ByTag {
  const out = zeroTags()
  for (const t of TAGS) for (const k of COUNT_FIELDS) out[t][k] = (b[t][k] - a[t][k]) / s
  return out
}

function addTags (into: ByTag, x: ByTag): void {
  for (const t of TAGS) for (const k of COUNT_FIELDS) into[t][k] += x[t][k]
}

function costsOf (c: Partial<Record<CostKey, number>> | undefined): Record<CostKey, number> {
  const out = zeroCosts()
  for (const k of COST_KEYS) out[k] = c?.[k] ?? 0
  return out
}

// ----------------------------------------------------------------------------------------------
// Rows, totals, the report
// ----------------------------------------------------------------------------------------------

/** One peer's row from its two scrapes; `windowS` is the fallback when the clocks say nothing. */
export function peerRow (first: PeerStats, second: PeerStats, windowS: number): PeerRow {
  const measured = (second.at - first.at) / 1000
  const w = Number.isFinite(measured) && measured > 0 ? measured : windowS
  const served = tagsOf(second.meters.served)
  const sent = tagsOf(second.meters.sent)
  const costs = costsOf(second.meters.costs)
  const costs1 = costsOf(first.meters.costs)
  const rateCosts = zeroCosts()
  for (const k of COST_KEYS) rateCosts[k] = (costs[k] - costs1[k]) / w
  const l = second.meters.lookups
  const lookups: PeerRow['lookups'] = {
    ok: l.ok, failed: l.failed, retries: l.retries, hops: l.hops, micros: l.micros,
    hopHistogram: [...l.hopHistogram], latencyHistogram: [...l.latencyHistogram],
    meanHops: l.ok === 0 ? NaN : l.hops / l.ok
  }
  return {
    peerId: second.peerId,
    ringId: second.ringId,
    position: ringPosition(second.ringId),
    windowS: w,
    served,
    sent,
    costs,
    rates: {
      served: rateTags(tagsOf(first.meters.served), served, w),
      sent: rateTags(tagsOf(first.meters.sent), sent, w),
      costs: rateCosts,
      lookups: (l.ok - first.meters.lookups.ok) / w
    },
    routingState: second.ring.routingState,
    distinctFingers: second.ring.distinctFingers,
    successors: second.ring.successors.length,
    keys: second.store.records,
    storeBytes: second.store.bytes,
    lookups,
    ready: second.ready
  }
}

/** Sums over the peers of every counter: exact, the rows hold integers. */
export function totalsOf (rows: readonly PeerRow[]): Totals {
  const t: Totals = {
    peers: rows.length,
    served: zeroTags(),
    sent: zeroTags(),
    costs: zeroCosts(),
    lookups: { ok: 0, failed: 0, retries: 0, hops: 0, micros: 0, hopHistogram: [], latencyHistogram: [] },
    routingState: 0,
    distinctFingers: 0,
    keys: 0,
    storeBytes: 0,
    rates: { served: zeroTags(), sent: zeroTags(), costs: zeroCosts(), lookups: 0 }
  }
  for (const r of rows) {
    addTags(t.served, r.served)
    addTags(t.sent, r.sent)
    addTags(t.rates.served, r.rates.served)
    addTags(t.rates.sent, r.rates.sent)
    for (const k of COST_KEYS) { t.costs[k] += r.costs[k]; t.rates.costs[k] += r.rates.costs[k] }
    t.rates.lookups += r.rates.lookups
    for (const k of ['ok', 'failed', 'retries', 'hops', 'micros'] as const) t.lookups[k] += r.lookups[k]
    t.routingState += r.routingState
    t.distinctFingers += r.distinctFingers
    t.keys += r.keys
    t.storeBytes += r.storeBytes
  }
  t.lookups.hopHistogram = mergeHistograms(rows.map(r => r.lookups.hopHistogram))
  t.lookups.latencyHistogram = mergeHistograms(rows.map(r => r.lookups.latencyHistogram))
  return t
}

export interface ReportInput {
  start: string
  windowS: number
  routeCandidates: RouteCandidates
  ring: { size: number, closed: boolean }
  /** Every peer of the walk with its two scrapes; a peer without both is unreachable. */
  scrapes: Array<{ peerId: string, ringId: string, first?: PeerStats, second?: PeerStats, error?: string }>
  at?: Date
}

export function buildReport (input: ReportInput): Report {
  const rows: PeerRow[] = []
  const unreachable: Report['unreachable'] = []
  for (const s of input.scrapes) {
    if (s.first != null && s.second != null) rows.push(peerRow(s.first, s.second, input.windowS))
    else unreachable.push({ peerId: s.peerId, ringId: s.ringId, error: s.error ?? 'no answer' })
  }
  rows.sort((a, b) => a.ringId < b.ringId ? -1 : a.ringId > b.ringId ? 1 : 0)
  const totals = totalsOf(rows)
  const dist = (pick: (r: PeerRow, k: CostKey) => number): Record<CostKey, Distribution> => {
    const out = {} as Record<CostKey, Distribution>
    for (const k of COST_KEYS) out[k] = distribution(rows.map(r => pick(r, k)))
    return out
  }
  const histogram = trimZeros(totals.lookups.hopHistogram)
  const cfg = input.scrapes.find(s => s.second != null)?.second?.config
  return {
    at: (input.at ?? new Date()).toISOString(),
    start: input.start,
    windowS: input.windowS,
    ring: input.ring,
    reachable: rows.length,
    unreachable,
    peers: rows,
    totals,
    distribution: { costs: dist((r, k) => r.costs[k]), rates: dist((r, k) => r.rates.costs[k]) },
    hops: { histogram, lookups: totals.lookups.ok, mean: totals.lookups.ok === 0 ? NaN : totals.lookups.hops / totals.lookups.ok },
    model: rows.length === 0 || cfg == null
      ? null
      : compareWithModel(rows, totals, { n: input.ring.size, routeCandidates: input.routeCandidates, successors: cfg.successors, replicas: cfg.replicas }),
    files: []
  }
}

/**
 * The model's predictions for the measured N beside the measured values (model/costModel.ts).
 *
 * Forwarding, what is comparable: every hop of a lookup is one forwarding request
 * (FIND_SUCCESSOR recursive, NEXT_HOP iterative) served by some peer, so the model's
 * forwarding per lookup is E[hops]. The peers' served forwarding counters also count the
 * forwarding caused by maintenance lookups (fix-fingers, anti-entropy, joins), which no
 * lookup counter records. So the measured R per lookup is defined as
 *   (sum over peers of own access lookups' hops) / (sum of own access lookups that succeeded)
 * = the forwarding requests the access lookups caused, per lookup; the raw
 *   (sum of served FIND_SUCCESSOR + NEXT_HOP requests) / (sum of access lookups)
 * is reported beside it as an upper bound, with the share maintenance explains, and R per
 * peer is reported as measured (its distribution over peers). The hop histogram and the
 * per-lookup hop mean are the primary comparison.
 */
export function compareWithModel (rows: readonly PeerRow[], totals: Totals, o: { n: number, routeCandidates: RouteCandidates, successors: number, replicas: number }): ModelComparison {
  const n = Math.max(1, o.n)
  const fingersOnly = o.routeCandidates === 'fingers'
  const lookups = totals.lookups.ok
  const keys = Math.round(totals.keys / Math.max(1, Math.min(o.replicas, n)))
  const model = modelFor(n, { successors: o.successors, replicas: o.replicas, keys, lookupsPerPeer: lookups / n, fingersOnly })
  const measuredMean = lookups === 0 ? NaN : totals.lookups.hops / lookups
  const hist = trimZeros(totals.lookups.hopHistogram)
  const measuredPmf = hist.map(v => lookups === 0 ? 0 : v / lookups)
  const models: HopModelDistribution[] = []
  const k = Math.log2(n)
  if (isPowerOfTwo(n) && n > 1 && fingersOnly) {
    models.push({ name: `model: Binomial(log2 N = ${k}, 1/2), exact for a full 2^${k} ring`, kind: 'exact-binomial', mean: k / 2, pmf: hopDistributionFullRing(k) })
  } else {
    const m = Math.max(1, Math.ceil(Math.log2(Math.max(2, n))), Math.ceil(model.hops))
    models.push({ name: `model: binomial approx. (${m} trials), mean = expectedHops(N) = ${round(model.hops, 2)}`, kind: 'binomial-approximation', mean: model.hops, pmf: binomialPmf(m, model.hops / m) })
    if (isPowerOfTwo(n) && n > 1) {
      models.push({ name: `fingers only, full 2^${k} ring: exact Binomial(${k}, 1/2)`, kind: 'exact-binomial', mean: k / 2, pmf: hopDistributionFullRing(k) })
    }
  }
  const forwardingServed = rows.map(r => r.served.forwarding.requests)
  const servedTotal = totals.served.forwarding.requests
  const accessHops = totals.lookups.hops
  const meanOf = (f: (r: PeerRow) => number): number => mean(rows.map(f))
  const df = meanOf(r => r.distinctFingers)
  const rs = meanOf(r => r.routingState)
  return {
    n,
    routeCandidates: o.routeCandidates,
    successors: o.successors,
    replicas: o.replicas,
    hopsFormula: model.hopsFormula,
    hops: {
      measuredMean,
      lookups,
      predicted: model.hops,
      relativeError: relativeError(measuredMean, model.hops),
      ...(fingersOnly ? {} : { predictedFingersOnly: model.hopsFingersOnly, savedBySuccessors: model.hopsFingersOnly - measuredMean }),
      measuredPmf,
      models
    },
    distinctFingers: { measuredMean: df, predicted: model.distinctFingers, relativeError: relativeError(df, model.distinctFingers) },
    routingState: { measuredMean: rs, predicted: model.routingState, relativeError: relativeError(rs, model.routingState) },
    forwarding: {
      definition: 'perLookupMeasured = sum of own access lookups\' hops / access lookups (each hop is one FIND_SUCCESSOR or NEXT_HOP served); servedPerAccessLookup = all served forwarding requests / access lookups, maintenance lookups included',
      servedTotal,
      accessLookups: lookups,
      accessHops,
      perLookupMeasured: measuredMean,
      perLookupPredicted: model.forwardsPerLookup,
      relativeError: relativeError(measuredMean, model.forwardsPerLookup),
      servedPerAccessLookup: lookups === 0 ? NaN : servedTotal / lookups,
      maintenanceShare: servedTotal === 0 ? 0 : Math.max(0, 1 - accessHops / servedTotal),
      perPeerMeasured: distribution(forwardingServed),
      perPeerPredicted: expectedHops(n, { fingersOnly, successors: o.successors }) * lookups / n
    }
  }
}

// ----------------------------------------------------------------------------------------------
// Output: peers.csv and the terminal summary
// ----------------------------------------------------------------------------------------------

const FIELDS4 = ['requests', 'bytesIn', 'bytesOut', 'micros'] as const

export function peersCsv (rows: readonly PeerRow[]): string {
  const header: string[] = ['peer_id', 'ring_id', 'position']
  for (const dir of ['served', 'sent'] as const) for (const t of TERMS) for (const f of FIELDS4) header.push(`${dir}_${t}_${f}`)
  for (const k of COST_KEYS) header.push(`cost_${k}`)
  for (const k of COST_KEYS) header.push(`rate_cost_${k}_per_s`)
  for (const dir of ['served', 'sent'] as const) for (const t of TERMS) for (const f of FIELDS4) header.push(`rate_${dir}_${t}_${f}_per_s`)
  header.push('window_s', 'routing_state', 'distinct_fingers', 'keys', 'store_bytes', 'lookups_ok', 'lookups_failed', 'mean_hops')
  const out: Array<Array<string | number>> = [header]
  for (const r of rows) {
    const line: Array<string | number> = [r.peerId, r.ringId, round(r.position, 6)]
    for (const dir of ['served', 'sent'] as const) for (const t of TERMS) for (const f of FIELDS4) line.push(r[dir][t][f])
    for (const k of COST_KEYS) line.push(r.costs[k])
    for (const k of COST_KEYS) line.push(round(r.rates.costs[k], 4))
    for (const dir of ['served', 'sent'] as const) for (const t of TERMS) for (const f of FIELDS4) line.push(round(r.rates[dir][t][f], 4))
    line.push(round(r.windowS, 3), r.routingState, r.distinctFingers, r.keys, r.storeBytes, r.lookups.ok, r.lookups.failed, round(r.lookups.meanHops, 3))
    out.push(line)
  }
  return toCsv(out)
}

const LETTER: Record<CostTerm, string> = { service: 'S', forwarding: 'R', maintenance: 'M', access: 'A' }
const pct = (e: number): string => !Number.isFinite(e) ? 'n/a' : `${e >= 0 ? '+' : ''}${(e * 100).toFixed(1)}%`
const num = (x: number, d = 2): string => !Number.isFinite(x) ? '-' : String(round(x, d))

/** The terminal summary: one line per peer, the totals, then the model comparison. */
export function formatSummary (r: Report): string[] {
  const cols = ['ring id', 'S', 'R', 'M', 'A', 'total', 'state', 'keys']
  const w = [10, 9, 9, 9, 9, 10, 6, 6]
  const line = (cells: Array<string | number>): string => cells.map((c, i) => i === 0 ? String(c).padEnd(w[i]) : String(c).padStart(w[i])).join(' ')
  const out = [line(cols)]
  for (const p of r.peers) out.push(line([p.ringId.slice(0, 8), p.costs.service, p.costs.forwarding, p.costs.maintenance, p.costs.access, p.costs.total, p.routingState, p.keys]))
  const t = r.totals
  out.push(line(['total', t.costs.service, t.costs.forwarding, t.costs.maintenance, t.costs.access, t.costs.total, t.routingState, t.keys]))
  out.push(`${r.reachable} of ${r.ring.size} peers scraped (ring ${r.ring.closed ? 'closed' : 'NOT closed'}), window ${r.windowS} s` +
    (r.unreachable.length > 0 ? `; unreachable: ${r.unreachable.map(u => u.ringId.slice(0, 8)).join(' ')}` : ''))
  const g = COST_KEYS.map(k => `${k} ${num(r.distribution.costs[k].gini, 3)}`).join(', ')
  out.push(`Gini over peers: ${g}`)
  const rt = COST_KEYS.map(k => `${k === 'total' ? 'total' : LETTER[k]} ${num(t.rates.costs[k], 1)}`).join(' ')
  out.push(`cost rates over the window, all peers, per s: ${rt}`)
  const m = r.model
  if (m == null) { out.push('model: no data'); return out }
  out.push(`model (N = ${m.n}, route ${m.routeCandidates}, r = ${m.successors}; E[hops] = ${m.hopsFormula}):`)
  out.push(`  mean hops          measured ${num(m.hops.measuredMean, 3)} over ${m.hops.lookups} lookups, model ${num(m.hops.predicted, 3)}, error ${pct(m.hops.relativeError)}`)
  if (m.hops.predictedFingersOnly != null) {
    out.push(`  fingers-only hops  model ${num(m.hops.predictedFingersOnly, 3)}; the successor list saved ${num(m.hops.savedBySuccessors ?? NaN, 3)} hops per lookup`)
  }
  out.push(`  distinct fingers   measured ${num(m.distinctFingers.measuredMean)}, model ${num(m.distinctFingers.predicted)}, error ${pct(m.distinctFingers.relativeError)}`)
  out.push(`  routing state      measured ${num(m.routingState.measuredMean)}, model ${num(m.routingState.predicted)}, error ${pct(m.routingState.relativeError)}`)
  out.push(`  forwards/lookup    measured ${num(m.forwarding.perLookupMeasured, 3)} (access hops / lookups), model ${num(m.forwarding.perLookupPredicted, 3)}, error ${pct(m.forwarding.relativeError)}`)
  out.push(`  served R/lookup    ${num(m.forwarding.servedPerAccessLookup, 3)} incl. maintenance lookups (${(m.forwarding.maintenanceShare * 100).toFixed(0)}% of R not from access lookups); R per peer mean ${num(m.forwarding.perPeerMeasured.mean, 1)}, p99 ${num(m.forwarding.perPeerMeasured.p99, 1)}`)
  return out
}
