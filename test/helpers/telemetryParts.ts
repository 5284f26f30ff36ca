// Telemetry parts of a peer without sockets: a ring of three (self, successor, predecessor),
// meters with one served forwarding request, and fixed store, clock and fault counters.
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { pino } from 'pino'
import { Choker } from '../../daemon/choking/choker.js'
import { CostMeters } from '../../daemon/meters/costMeters.js'
import type { TelemetryParts } from '../../daemon/meters/telemetry.js'
import { RingState } from '../../daemon/ring/ringState.js'
import type { PeerRef } from '../../protocol/peerInfo.js'
import { hashToId } from '../../protocol/ring.js'
import { peerIdBytes } from '../../protocol/peerInfo.js'

const log = pino({ level: 'silent' })

export async function member (port: number): Promise<PeerRef> {
  const peerId = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()
  return { peerId, id: hashToId(peerIdBytes(peerId)), addrs: [`/ip4/127.0.0.1/tcp/${port}`] }
}

export async function parts (): Promise<{ parts: TelemetryParts, self: PeerRef, succ: PeerRef, pred: PeerRef }> {
  const [self, succ, pred] = await Promise.all([member(1), member(2), member(3)])
  const ring = new RingState(self, 4, log)
  ring.adoptSuccessors(succ, [pred], 'test')
  ring.setPredecessor(pred, 'test')
  const meters = new CostMeters()
  meters.recordServed({ tag: 'forwarding', peerId: succ.peerId, bytesIn: 10, bytesOut: 20, micros: 5, failed: false })
  const choker = new Choker({ enabled: true, rechokeMs: 1000, unchokeSlots: 4, optimisticSlots: 1, optimisticEvery: 3, capacity: 10, windowMs: 5000, behavior: 'contributor' }, log)
  return {
    self,
    succ,
    pred,
    parts: {
      ring,
      meters,
      choker,
      store: { size: 7, bytes: 700, durability: () => ({ journalMode: 'wal', synchronous: 2 }) },
      skew: { status: () => ({ offsetMs: 3, peers: 2, disagreeing: 0, healthy: true }) },
      suspects: { list: () => [{ peerId: 'x', reason: 'silent', forMs: 10 }], size: 1 },
      intake: { accepted: 5, notHolder: 1, clockSkew: 0 },
      config: { successors: 4, replicas: 3, writeQuorum: 2, prices: { service: 1, forwarding: 2, maintenance: 1, access: 1 } },
      startedAt: 1_000,
      ready: () => true,
      http: () => '127.0.0.1:9000',
      refusedNotMember: () => 3,
      maintenance: () => ({ mode: 'adaptive' as const, periodsMs: { stabilize: 1200, 'check-predecessor': 1000, 'fix-fingers': 1000, repair: 5000 } })
    }
  }
}

