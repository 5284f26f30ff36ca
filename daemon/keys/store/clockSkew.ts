// How far this peer's clock is from the clocks of the peers it talks to, from the wall-clock
// reading every answer frame carries (Cristian's method: the remote read its clock somewhere
// between our send and our receive, so offset = midpoint - remote, uncertain by half the
// round trip; a neighbour disagrees only when even the uncertainty cannot explain the gap).
// A peer whose clock disagrees with a strict majority of the neighbours it has sampled by
// more than half the allowed skew mints no versions: CockroachDB's RemoteClockMonitor makes
// the same call (a node out of bounds with a majority of its peers stops serving), and the
// guarantee of README "Faults and guarantees" rests on every minting clock being in bounds.
// Pure: no sockets, the clock is passed in.
import type { SkewStatus } from '../../../protocol/telemetry.js'


export interface SkewMonitorOptions {
  /** --max-clock-skew-ms: a neighbour more than half of it away disagrees with us. */
  maxSkewMs: number
  /** The local wall clock, ms (the same one versions are minted from). */
  now: () => number
  /** Peers remembered (the oldest sample goes). Default 16. */
  maxPeers?: number
  /** A sample older than this no longer counts, ms. Default 60 s. */
  ttlMs?: number
}

export class SkewMonitor {
  readonly #samples = new Map<string, { offsetMs: number, uncertaintyMs: number, at: number }>()
  readonly #o: Required<SkewMonitorOptions>

  constructor (o: SkewMonitorOptions) {
    this.#o = { maxPeers: 16, ttlMs: 60_000, ...o }
  }

  /** `peerId` read `remoteWallMs` on its clock while we waited from `sentAt` to `receivedAt` (our clock). */
  sample (peerId: string, remoteWallMs: number | bigint, sentAt: number, receivedAt: number): void {
    const remote = Number(remoteWallMs)
    if (!Number.isFinite(remote) || remote <= 0 || receivedAt < sentAt) return // a peer that sends none
    this.#samples.delete(peerId)
    if (this.#samples.size >= this.#o.maxPeers) this.#samples.delete(this.#samples.keys().next().value!)
    this.#samples.set(peerId, { offsetMs: (sentAt + receivedAt) / 2 - remote, uncertaintyMs: (receivedAt - sentAt) / 2, at: receivedAt })
  }

  forget (peerId: string): void { this.#samples.delete(peerId) }

  status (): SkewStatus {
    const cutoff = this.#o.now() - this.#o.ttlMs
    const offsets: number[] = []
    let disagreeing = 0
    for (const [id, s] of this.#samples) {
      if (s.at < cutoff) { this.#samples.delete(id); continue }
      offsets.push(s.offsetMs)
      if (Math.abs(s.offsetMs) - s.uncertaintyMs > this.#o.maxSkewMs / 2) disagreeing++
    }
    if (offsets.length === 0) return { offsetMs: null, peers: 0, disagreeing: 0, healthy: true }
    offsets.sort((a, b) => a - b)
    const mid = offsets.length >> 1
    const median = offsets.length % 2 === 1 ? offsets[mid] : (offsets[mid - 1] + offsets[mid]) / 2
    return { offsetMs: Math.round(median), peers: offsets.length, disagreeing, healthy: disagreeing * 2 <= offsets.length }
  }
}
