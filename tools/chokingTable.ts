#!/usr/bin/env node
// Print the choking experiment's table (docs/choking.md) from swarm reports, then the mean of
// the runs of each setting and what contributors keep against the all-contributor runs:
//   node dist/tools/chokingTable.js reports/choking/*.json
import { readFileSync } from 'node:fs'
import { basename } from 'node:path'

import { shutOutAfterS, type ClassResult as Cls } from './lib/chokingExperiment.js'
import type { ChokingConfig } from '../daemon/choking/choker.js'

/** The parts of a swarm report (tools/swarm.ts) the table reads. */
interface Report { peers: number, ring: { idealAfterWorkload: boolean }, choking: { config: Omit<ChokingConfig, 'behavior'>, freeriderPeers: number, ratePerPeer: number, contributors: Cls | null, freeriders: Cls | null } }

const files = process.argv.slice(2)
if (files.length === 0) { process.stderr.write('usage: chokingTable <swarm report.json>...\n'); process.exit(2) }
const cell = (c: Cls | null): string[] => c == null || c.peers === 0
  ? ['–', '–', '–', '–']
  : [String(c.okPerSec), `${c.ok}/${c.issued}`, `${c.choked} (${c.chokedByFreerider})`, String(c.failed)]
const hasFree = (r: Report): boolean => r.choking.freeriders != null && r.choking.freeriders.peers > 0
const ratioOf = (r: Report): number | null => hasFree(r) && (r.choking.contributors?.okPerSec ?? 0) > 0 ? r.choking.freeriders!.okPerSec / r.choking.contributors!.okPerSec : null
const setting = (r: Report): string => `${r.peers} peers, ${r.choking.freeriderPeers} free-riders, choking ${r.choking.config.enabled ? 'on' : 'off'}, capacity ${r.choking.config.capacity}/s`
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length
const f3 = (x: number): string => x.toFixed(3)

const runs = files.map(f => ({ name: basename(f, '.json'), r: JSON.parse(readFileSync(f, 'utf8')) as Report }))
process.stdout.write('| run | peers | free-riders | choking | capacity/s | offered/s/peer | contributors okPerSec | ok/issued | choked (by a free-rider) | failed | free-riders okPerSec | ok/issued | choked | failed | free/contrib | shut out from s | contrib p50/p99 ms | ring ideal after |\n')
process.stdout.write('|' + '---|'.repeat(18) + '\n')
for (const { name, r } of runs) {
  const ch = r.choking
  const c = ch.contributors
  const fr = ch.freeriders
  const ratio = ratioOf(r)
  const shutOut = hasFree(r) && c != null ? shutOutAfterS(fr!.okPerSecOverTime, c.okPerSecOverTime) ?? 'never' : '–'
  const [fOk, fIss, fCh, fFail] = cell(fr)
  process.stdout.write(`| ${name} | ${r.peers} | ${ch.freeriderPeers} | ${ch.config.enabled ? 'on' : 'off'} | ${ch.config.capacity} | ${ch.ratePerPeer} | ${cell(c).join(' | ')} | ${fOk} | ${fIss} | ${fCh.replace(/ \(.*\)/, '')} | ${fFail} | ${ratio == null ? '–' : f3(ratio)} | ${shutOut} | ${c?.latencyMs.p50 ?? '–'}/${c?.latencyMs.p99 ?? '–'} | ${r.ring.idealAfterWorkload ? 'yes' : 'no'} |\n`)
}

// Runs of one setting, averaged: one run moves several percent with where the free-riders land.
const groups = new Map<string, Report[]>()
for (const { r } of runs) groups.set(setting(r), [...(groups.get(setting(r)) ?? []), r])
process.stdout.write('\n| setting | runs | contributors okPerSec mean (min–max) | free/contrib mean (max) | contributors keep, of the all-contributor mean |\n|---|---|---|---|---|\n')
for (const [name, rs] of groups) {
  const ok = rs.map(r => r.choking.contributors?.okPerSec ?? 0)
  const ratios = rs.map(ratioOf).filter((x): x is number => x != null)
  const base = groups.get(setting({ ...rs[0], choking: { ...rs[0].choking, freeriderPeers: 0 } }))
  const keep = rs[0].choking.freeriderPeers > 0 && base != null ? `${(100 * mean(ok) / mean(base.map(r => r.choking.contributors?.okPerSec ?? 0))).toFixed(1)} %` : '–'
  process.stdout.write(`| ${name} | ${rs.length} | ${f3(mean(ok))} (${f3(Math.min(...ok))}–${f3(Math.max(...ok))}) | ${ratios.length === 0 ? '–' : `${f3(mean(ratios))} (${f3(Math.max(...ratios))})`} | ${keep} |\n`)
}
