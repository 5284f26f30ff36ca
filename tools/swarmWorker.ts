// A process that hosts several peers for the swarm tool and the tests, driven over IPC
// by tools/testnet.ts. It exits when its parent goes away, so no peer outlives a run.
import '../daemon/host/quietWarnings.js'
import { pino } from 'pino'
import { resolveConfig, type PeerConfigInput } from '../daemon/host/config.js'
import { ChordPeer } from '../daemon/host/peer.js'
import { LoadMeter } from './lib/machineLoad.js'

export type WorkerCommand =
  | { op: 'start', reqId: number, config: PeerConfigInput }
  | { op: 'stop', reqId: number, peerId: string, leave: boolean }
  | { op: 'shutdown', reqId: number }
  /** This process's load since the previous 'load' (or its start): a ProcessLoad. */
  | { op: 'load', reqId: number }
  /** Every hosted peer's ring pointers, read in process (the testnet's ring check). */
  | { op: 'ring', reqId: number }

export type WorkerReply = { reqId: number, ok: true, result?: unknown } | { reqId: number, ok: false, error: string }

const peers = new Map<string, ChordPeer>()
const log = pino({ level: process.env.CHORD_LOG_LEVEL ?? 'warn' })
const load = new LoadMeter()

function reply (r: WorkerReply): void {
  process.send?.(r)
}

async function handle (cmd: WorkerCommand): Promise<unknown> {
  switch (cmd.op) {
    case 'start': {
      const peer = new ChordPeer(resolveConfig(cmd.config), log)
      await peer.start()
      peers.set(peer.self.peerId, peer)
      return peer.info()
    }
    case 'stop': {
      const peer = peers.get(cmd.peerId)
      if (peer == null) throw new Error(`no peer ${cmd.peerId} here`)
      peers.delete(cmd.peerId)
      await peer.stop({ leave: cmd.leave })
      return null
    }
    case 'load':
      return load.mark(peers.size)
    case 'ring':
      return [...peers.values()].map(p => p.ringDigest())
    case 'shutdown':
      await stopAll()
      setImmediate(() => process.exit(0))
      return null
  }
}

async function stopAll (): Promise<void> {
  const all = [...peers.values()]
  peers.clear()
  await Promise.allSettled(all.map(async p => { await p.stop({ leave: false }) }))
}

process.on('message', (cmd: WorkerCommand) => {
  handle(cmd).then(
    result => { reply({ reqId: cmd.reqId, ok: true, result }) },
    err => { reply({ reqId: cmd.reqId, ok: false, error: (err as Error).message }) }
  )
})
process.on('disconnect', () => { void stopAll().finally(() => process.exit(0)) })
process.on('SIGTERM', () => { void stopAll().finally(() => process.exit(0)) })
process.on('SIGINT', () => {}) // the parent decides; it will disconnect or send shutdown
