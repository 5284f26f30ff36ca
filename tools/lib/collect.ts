// The collector: walk the ring, scrape every peer's telemetry document twice `windowS`
// seconds apart, and write report.json, peers.csv and SVG charts to `outDir`
// (the math is in ./report.ts, the drawing in ./svg.ts).
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { RpcTarget } from '../../daemon/rpc/client.js'
import type { PeerStats } from '../../protocol/telemetry.js'
import type { ChordClient } from './client.js'
import { COST_KEYS, buildReport, peersCsv, type Report, type RouteCandidates } from './report.js'
import { round } from './stats.js'
import { PALETTE, barChart, xyChart } from './svg.js'
import { mapLimit } from './concurrency.js'
import { TERMS } from '../../protocol/telemetry.js'

export interface CollectOptions {
  /** Seconds between the two scrapes. */
  windowS: number
  outDir: string
  /** How the measured lookups routed: over fingers only or fingers + successor list (default 'all'). */
  routeCandidates?: RouteCandidates
  /** Scrapes in flight at once (default 16). */
  concurrency?: number
  /** Deadline of one GET_STATE / GET_STATS, ms (default 3000). */
  perPeerTimeoutMs?: number
}

type Scrape = { ok: true, stats: PeerStats } | { ok: false, error: string }

export async function collect (client: ChordClient, start: RpcTarget, opts: CollectOptions): Promise<Report> {
  if (!Number.isFinite(opts.windowS) || opts.windowS < 0) throw new RangeError(`windowS must be a number >= 0, got ${opts.windowS}`)
  const perPeerMs = opts.perPeerTimeoutMs ?? 3_000
  const walk = await client.walkRing(start, { timeoutMs: perPeerMs })
  const targets = walk.peers.map(p => ({ peerId: p.peerId, ringId: p.ringId, target: { peerId: p.peerId, addrs: p.addrs } }))
  const scrape = async (): Promise<Scrape[]> => await mapLimit(targets, opts.concurrency ?? 16, async t => {
    try {
      return { ok: true, stats: await client.stats(t.target, perPeerMs) }
    } catch (err) {
      return { ok: false, error: (err as Error).message.split('\n')[0] }
    }
  })
  const first = await scrape()
  await new Promise(resolve => setTimeout(resolve, opts.windowS * 1000))
  const second = await scrape()
  const report = buildReport({
    start: start.addrs.length > 0 ? `${start.addrs[0]}/p2p/${start.peerId}` : start.peerId,
    windowS: opts.windowS,
    routeCandidates: opts.routeCandidates ?? 'all',
    ring: { size: walk.peers.length, closed: walk.closed },
    scrapes: targets.map((t, i) => {
      const a = first[i]
      const b = second[i]
      return {
        peerId: t.peerId,
        ringId: t.ringId,
        first: a.ok ? a.stats : undefined,
        second: b.ok ? b.stats : undefined,
        error: !a.ok ? `first scrape: ${a.error}` : !b.ok ? `second scrape: ${b.error}` : undefined
      }
    })
  })
  await writeOutputs(report, opts.outDir)
  return report
}

/** Chart files by name: cost-by-position-<term>.svg, hops.svg, distribution.svg. */
export function charts (r: Report): Record<string, string> {
  const out: Record<string, string> = {}
  const names: Record<string, string> = { service: 'S (service)', forwarding: 'R (forwarding)', maintenance: 'M (maintenance)', access: 'A (access)' }
  TERMS.forEach((term, i) => {
    const pts = r.peers.map(p => [p.position, p.costs[term]] as [number, number])
    const m = r.distribution.costs[term].mean
    out[`cost-by-position-${term}.svg`] = xyChart({
      title: `Cost ${names[term]} per peer by ring position`,
      subtitle: `N = ${r.ring.size} peers, priced totals at the second scrape; Gini ${round(r.distribution.costs[term].gini, 3)}, max/mean ${round(r.distribution.costs[term].maxOverMean, 2)}`,
      xLabel: 'ring position (ring id / 2^160)',
      yLabel: `${term} cost`,
      xDomain: [0, 1],
      series: [
        { name: `${term} cost of one peer`, points: pts, mode: 'points', color: PALETTE[i] },
        ...(Number.isFinite(m) ? [{ name: `mean over peers (${round(m, 1)})`, points: [[0, m], [1, m]] as Array<[number, number]>, mode: 'line' as const, color: '#7f7f7f' }] : [])
      ]
    })
  })
  const model = r.model
  const len = Math.max(r.hops.histogram.length, ...(model?.hops.models.map(d => d.pmf.length) ?? [0]))
  const measured = r.hops.histogram.map(v => r.hops.lookups === 0 ? 0 : v / r.hops.lookups)
  out['hops.svg'] = barChart({
    title: 'Hops per own lookup: measured vs model',
    subtitle: `N = ${r.ring.size}, ${r.hops.lookups} lookups, measured mean ${round(r.hops.mean, 3)}` +
      (model != null ? `, model mean ${round(model.hops.predicted, 3)} (route ${model.routeCandidates})` : ''),
    xLabel: 'hops',
    yLabel: 'fraction of lookups',
    categories: Array.from({ length: len }, (_, h) => String(h)),
    series: [
      { name: `measured (${r.hops.lookups} lookups, all peers)`, values: pad(measured, len) },
      ...(model?.hops.models.map(d => ({ name: d.name, values: pad(d.pmf, len) })) ?? [])
    ]
  })
  const d = r.distribution.costs
  out['distribution.svg'] = barChart({
    title: 'Cost per peer by term: mean, p50, p99, max',
    subtitle: `N = ${r.reachable} peers, priced totals; Gini under each term (0 = every peer pays the same)`,
    xLabel: 'cost term',
    yLabel: 'cost per peer',
    categories: COST_KEYS.map(k => `${k}\nGini ${round(d[k].gini, 3)}`),
    series: (['mean', 'p50', 'p99', 'max'] as const).map(s => ({ name: s, values: COST_KEYS.map(k => d[k][s]) }))
  })
  return out
}

const pad = (v: number[], n: number): number[] => [...v, ...new Array<number>(Math.max(0, n - v.length)).fill(0)]

export async function writeOutputs (r: Report, outDir: string): Promise<void> {
  await mkdir(outDir, { recursive: true })
  const files: Record<string, string> = { 'peers.csv': peersCsv(r.peers), ...charts(r) }
  r.files = ['report.json', ...Object.keys(files)]
  for (const [name, body] of Object.entries(files)) await writeFile(join(outDir, name), body)
  await writeFile(join(outDir, 'report.json'), JSON.stringify(r, null, 2) + '\n')
}
