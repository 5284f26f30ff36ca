#!/usr/bin/env node
// Print the choking experiment's table (docs/choking.md) from swarm reports:
//   node dist/tools/chokingTable.js reports/choking/*.json
import { readFileSync } from 'node:fs'
import { basename } from 'node:path'

import type { ClassResult as Cls } from './lib/chokingExperiment.js'
import type { ChokingConfig } from '../daemon/choking/choker.js'

/** The parts of a swarm report (tools/swarm.ts) the table reads. */
interface Report { peers: number, ring: { idealAfterWorkload: boolean }, choking: { config: Omit<ChokingConfig, 'behavior'>, freeriderPeers: number, ratePerPeer: number, contributors: Cls | null, freeriders: Cls | null } }

const files = process.argv.slice(2)
if (files.length === 0) { process.stderr.write('usage: chokingTable <swarm report.json>...\n'); process.exit(2) }
const cell = (c: Cls | null): string[] => c == null || c.peers === 0
  ? ['–', '–', '–', '–']
  : [String(c.okPerSec), `${c.ok}/${c.issued}`, `${c.choked} (${c.chokedByFreerider})`, String(c.failed)]
process.stdout.write('| run | peers | free-riders | choking | capacity/s | offered/s/peer | contributors okPerSec | ok/issued | choked (by a free-rider) | failed | free-riders okPerSec | ok/issued | choked | failed | free/contrib | contrib p50/p99 ms | ring ideal after |\n')
process.stdout.write('|' + '---|'.repeat(17) + '\n')
for (const f of files) {
  const r = JSON.parse(readFileSync(f, 'utf8')) as Report
  const ch = r.choking
  const c = ch.contributors
  const fr = ch.freeriders
  const ratio = c != null && fr != null && fr.peers > 0 && c.okPerSec > 0 ? (fr.okPerSec / c.okPerSec).toFixed(3) : '–'
  const [fOk, fIss, fCh, fFail] = cell(fr)
  process.stdout.write(`| ${basename(f, '.json')} | ${r.peers} | ${ch.freeriderPeers} | ${ch.config.enabled ? 'on' : 'off'} | ${ch.config.capacity} | ${ch.ratePerPeer} | ${cell(c).join(' | ')} | ${fOk} | ${fIss} | ${fCh.replace(/ \(.*\)/, '')} | ${fFail} | ${ratio} | ${c?.latencyMs.p50 ?? '–'}/${c?.latencyMs.p99 ?? '–'} | ${r.ring.idealAfterWorkload ? 'yes' : 'no'} |\n`)
}
