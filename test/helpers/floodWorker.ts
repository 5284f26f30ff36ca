// A process that floods for test/peers/flood.test.ts, so the flood's own CPU is not the test
// client's event loop. Driven over IPC: one 'start' message, one 'stop' that answers with what
// happened; it exits when told to or when its parent goes away.
import '../../daemon/host/quietWarnings.js'
import { HalfFrameAttacker, IdleFlood, type IdleFloodOptions, type StreamEnd } from './flood.js'

export interface FloodPlan {
  idle: IdleFloodOptions
  /** The victim's multiaddr with /p2p/, for the libp2p attackers. */
  victim: string
  attackers: number
  streamsPerAttacker: number
  /** Pause before a refused stream is tried again, ms. */
  retryMs: number
}

export interface FloodReport {
  idle: IdleFlood['stats'] & { openAtEnd: number }
  ends: Record<StreamEnd, number>
  halfFrameBytesSent: number
}

export type FloodMessage = { op: 'started' } | { op: 'report', report: FloodReport } | { op: 'error', error: string }

let flood: IdleFlood | undefined
const attackers: HalfFrameAttacker[] = []

async function start (plan: FloodPlan): Promise<void> {
  // The libp2p attackers connect first: once the idle flood runs it spends the address's connections/s.
  for (let i = 0; i < plan.attackers; i++) {
    const a = new HalfFrameAttacker({ victim: plan.victim, from: plan.idle.from, streams: plan.streamsPerAttacker, retryMs: plan.retryMs })
    attackers.push(a)
    await a.connect(20_000)
    a.start()
  }
  flood = new IdleFlood(plan.idle)
  flood.start()
}

async function stop (): Promise<FloodReport> {
  const openAtEnd = flood?.open ?? 0
  await flood?.stop()
  await Promise.allSettled(attackers.map(async a => { await a.stop() }))
  const ends: Record<StreamEnd, number> = { TIMEOUT: 0, BUSY: 0, TOO_LARGE: 0, closed: 0, refused: 0 }
  for (const a of attackers) for (const k of Object.keys(ends) as StreamEnd[]) ends[k] += a.ends[k]
  return {
    idle: { ...(flood?.stats ?? { attempted: 0, connected: 0, closedByVictim: 0, maxLifetimeMs: 0, maxOpen: 0 }), openAtEnd },
    ends,
    halfFrameBytesSent: attackers.reduce((s, a) => s + a.halfFrameBytesSent, 0)
  }
}

const send = (m: FloodMessage): void => { process.send?.(m) }
process.on('message', (m: { op: 'start', plan: FloodPlan } | { op: 'stop' }) => {
  if (m.op === 'start') start(m.plan).then(() => { send({ op: 'started' }) }, err => { send({ op: 'error', error: (err as Error).message }) })
  else stop().then(report => { send({ op: 'report', report }); setImmediate(() => process.exit(0)) }, err => { send({ op: 'error', error: (err as Error).message }); process.exit(1) })
})
process.on('disconnect', () => { void stop().finally(() => process.exit(0)) })
