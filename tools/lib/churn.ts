// Churn for the swarm: one event every interval, cycling kill (a crash: no goodbye, the
// store stays on disk) -> restart of the killed peer from its data dir -> a new peer joins
// -> a peer leaves gracefully. One kill at a time, so no replica set loses two members at
// once to churn alone. The first peer is never touched.
import type { Testnet, TestPeer } from '../testnet.js'

export interface ChurnEvent { kind: 'kill' | 'restart' | 'join' | 'leave', peer: string, at: number }

export async function runChurn (net: Testnet, events: number, intervalMs: number, log: ChurnEvent[]): Promise<void> {
  let killed: TestPeer | undefined
  const pick = (): TestPeer | undefined => {
    const candidates = net.live().filter(p => p.index !== 0)
    return candidates[Math.floor(Math.random() * candidates.length)]
  }
  for (let i = 0; i < events; i++) {
    await new Promise(resolve => setTimeout(resolve, intervalMs))
    const step = i % 4
    if (step === 0) {
      const p = pick()
      if (p == null) continue
      await net.stopPeer(p, { leave: false })
      killed = p
      log.push({ kind: 'kill', peer: p.info.peerId, at: performance.now() })
    } else if (step === 1 && killed != null) {
      const p = await net.restartPeer(killed)
      killed = undefined
      log.push({ kind: 'restart', peer: p.info.peerId, at: performance.now() })
    } else if (step === 2) {
      const p = await net.addPeer()
      log.push({ kind: 'join', peer: p.info.peerId, at: performance.now() })
    } else if (step === 3) {
      const p = pick()
      if (p == null) continue
      await net.stopPeer(p, { leave: true })
      log.push({ kind: 'leave', peer: p.info.peerId, at: performance.now() })
    }
  }
  if (killed != null) {
    const p = await net.restartPeer(killed)
    log.push({ kind: 'restart', peer: p.info.peerId, at: performance.now() })
  }
}
