// A sloppy quorum (DeCandia et al., "Dynamo", SOSP 2007, section 4.6): the replicas of a key
// are the first peers of the successor list that do not refuse. A replica write or read goes
// to the first `want` successors at once; every CHOKED refusal (a free-rider, or a peer
// choking us past its spare capacity) sends it on to the next successor not asked yet, so
// keys with refusing holders keep their quorums (docs/choking.md). Other failures are not
// walked past: a dead peer is the ring's business (stabilize, repair), not this request's.
import { isChoked } from '../../protocol/errors.js'
import type { PeerRef } from '../../protocol/peerInfo.js'

/** Successors a replica write or read may walk to past the ones it wants, when those refuse. */
export const WALK_SPARES = 2

/**
 * The replica walk's candidates, in ring order: the `want` first successors other than `self`
 * and WALK_SPARES more, enough to pass two refusing holders without a refusal storm amplifying
 * an overload (every walked step is one more gated request somewhere).
 */
export function walkCandidates (successors: readonly PeerRef[], self: string, want: number): PeerRef[] {
  return successors.filter(p => p.peerId !== self).slice(0, want + WALK_SPARES)
}

export interface WalkAnswer<T> {
  peer: PeerRef
  /** The answer, when the peer gave one. */
  value?: T
  /** It answered CHOKED (or ROUTE_CHOKED): it refused, and the next successor was asked. */
  refused: boolean
  error?: Error
}

export interface Walk<T> {
  /** Resolves once `enough` says so or nothing is in flight; the walk may go on in the background. */
  settled: Promise<Array<WalkAnswer<T>>>
  /** Resolves when every request started has ended (for who wants all the answers). */
  done: Promise<Array<WalkAnswer<T>>>
}

/**
 * Ask the first `want` of `peers`, walking past refusals to the next ones (each peer at most
 * once, so at most `peers.length` requests).
 * @param enough called after each answer with the answers so far; true settles the walk early.
 */
export function walkPastRefusals<T> (peers: readonly PeerRef[], want: number, send: (peer: PeerRef) => Promise<T>, enough: (answers: ReadonlyArray<WalkAnswer<T>>) => boolean = () => false): Walk<T> {
  const answers: Array<WalkAnswer<T>> = []
  let next = 0
  let inFlight = 0
  let settle!: (a: Array<WalkAnswer<T>>) => void
  let finish!: (a: Array<WalkAnswer<T>>) => void
  const settled = new Promise<Array<WalkAnswer<T>>>(resolve => { settle = resolve })
  const done = new Promise<Array<WalkAnswer<T>>>(resolve => { finish = resolve })
  const start = (): void => {
    const peer = peers[next++]
    inFlight++
    send(peer).then(value => { answers.push({ peer, value, refused: false }) }, (err: Error) => {
      const refused = isChoked(err)
      answers.push({ peer, refused, error: err })
      if (refused && next < peers.length) start()
    }).finally(() => {
      inFlight--
      if (inFlight === 0) { settle([...answers]); finish([...answers]) } else if (enough(answers)) settle([...answers])
    })
  }
  const first = Math.min(want, peers.length)
  for (let i = 0; i < first; i++) start()
  if (first === 0) { settle([]); finish([]) }
  return { settled, done }
}
