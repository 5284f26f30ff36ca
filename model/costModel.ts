// What the cost model predicts for Chord (docs/cost-model.md): expected hops, forwarding,
// routing state and service load per peer. Pure functions, no I/O. Every formula is derived
// or cited in docs/cost-model.md; `npm run build && node dist/tools/simulateHops.js` checks
// the random-id ones against simulated rings routed by the daemon's own routeStep.
import { DEFAULTS, ID_BITS } from '../protocol/constants.js'

// ---------------------------------------------------------------------------------------------
// Fully populated ring: N = 2^k peers at every id of a k-bit space, fingers only.
// ---------------------------------------------------------------------------------------------

/** Mean hops to the owner's predecessor on a full 2^k ring: E[popcount(d)] = k/2 (Stoica et al. 2001, Thm 2 and sec. 6; docs (a)). */
export function expectedHopsFullRing (k: number): number {
  checkCount('k', k)
  return k / 2
}

/** P(hops = h), h = 0..k, on a full 2^k ring: hops = popcount(d), d uniform, so Binomial(k, 1/2) (docs (a)). */
export function hopDistributionFullRing (k: number): number[] {
  checkCount('k', k)
  const pmf: number[] = []
  let c = 1 // C(k, h), exact as a double for k <= 1000 up to rounding
  for (let h = 0; h <= k; h++) {
    pmf.push(c / 2 ** k)
    c = c * (k - h) / (h + 1)
  }
  return pmf
}

/** Distinct fingers on a full 2^k ring: finger i is the peer 2^i ahead, k different peers (Stoica et al. 2001, sec. 4.3, table 1). */
export function distinctFingersFullRing (k: number): number {
  checkCount('k', k)
  return k
}

/** |fingers ∪ successor list ∪ {predecessor}| on a full 2^k ring, counted exactly (docs (c)). */
export function routingStateFullRing (k: number, successors: number): number {
  checkCount('k', k)
  checkCount('successors', successors)
  if (k > 52) throw new RangeError('routingStateFullRing counts offsets as doubles: k <= 52')
  const n = 2 ** k
  if (n === 1) return 0
  const r = Math.min(successors, n - 1)
  const peers = new Set<number>()
  for (let i = 0; i < k; i++) peers.add(2 ** i) // fingers: offsets 2^i
  // the successor list is offsets 1..r: count those not already fingers, without a loop over r
  const fingersInList = [...peers].filter(o => o <= r).length
  let size = peers.size + r - fingersInList
  if (n - 1 > r && !peers.has(n - 1)) size++ // the predecessor, offset n - 1
  return size
}

// ---------------------------------------------------------------------------------------------
// Random ids: N peers at independent uniform positions (SHA-1 of peer ids).
// ---------------------------------------------------------------------------------------------

export interface RouteOptions {
  /** Route over fingers (and the successor) only: the model's assumption, `--route-candidates fingers`. Default true. */
  fingersOnly?: boolean
  /** Successor-list length r, used when fingersOnly is false. Default DEFAULTS.successors. */
  successors?: number
}

/**
 * Expected hops from a uniformly placed peer to the predecessor of a uniform key, in the
 * Poisson-gap model (docs (a)): peers a Poisson process of rate 1 on a ring of length n;
 * h(y), the hops left at distance y from the predecessor, obeys h(y) = 1 + E[h(y')]; solved
 * on a grid of `stepsPerUnit` points per mean spacing. O(n * stepsPerUnit * r) time.
 * `successors` r <= 1 is finger routing (the successor is finger 0).
 */
export function poissonGapHops (n: number, successors = 1, stepsPerUnit = 32): number {
  if (!Number.isFinite(n) || n < 2) throw new RangeError(`poissonGapHops needs n >= 2, got ${n}`)
  checkCount('successors', successors)
  const r = Math.max(1, Math.floor(successors))
  const steps = Math.max(1, Math.floor(stepsPerUnit))
  const dt = 1 / steps
  const M = Math.ceil(n * steps)
  const width = M + 1
  // g[j][i] = E[h(x - Gamma_j); Gamma_j < x] at x = i*dt, Gamma_j ~ Gamma(j, 1): j = 1..r
  const g = new Float64Array((r + 1) * width)
  const decay = Math.exp(-dt)
  const gain = -Math.expm1(-dt)
  const phi = Math.log2(n) - Math.floor(Math.log2(n)) // finger offsets are 2^(z + phi) mean spacings
  const lnFact = [0] // ln k!, for the Poisson weights
  for (let k = 1; k < r; k++) lnFact.push(lnFact[k - 1] + Math.log(k))
  let integral = 0
  for (let i = 0; i < M; i++) {
    const y = (i + 0.5) * dt
    const a = 2 ** (Math.floor(Math.log2(y) - phi) + phi) // largest finger offset <= y
    // interpolation point x = y - a (< y, so already computed)
    const p = (y - a) * steps
    const i0 = Math.min(Math.floor(p), M - 1)
    const w = p - i0
    // Next hop: the max(r, K+1)-th peer ahead, K ~ Poisson(a) peers before the finger start.
    let h = 1
    let tail = 1
    if (r > 1) {
      const lnA = Math.log(a)
      for (let k = 0; k < r - 1; k++) {
        const pk = Math.exp(k * lnA - a - lnFact[k])
        const row = (r - k) * width + i0
        h += pk * (g[row] * (1 - w) + g[row + 1] * w)
        tail -= pk
      }
    }
    h += Math.max(0, tail) * (g[width + i0] * (1 - w) + g[width + i0 + 1] * w)
    g[width + i + 1] = g[width + i] * decay + gain * h
    for (let j = 2; j <= r; j++) {
      const src = (g[(j - 1) * width + i] + g[(j - 1) * width + i + 1]) / 2
      g[j * width + i + 1] = g[j * width + i] * decay + gain * src
    }
    integral += (g[width + i] + g[width + i + 1]) / 2 * dt
  }
  // start: key uniform on (0, n); its predecessor is one Exp(1) gap behind it: E[h] = mean of g_1
  return integral / n
}

const offsets = new Map<number, number>()

/** c_r = lim E[hops] - (1/2) log2 N of the Poisson-gap model, memoized (docs (a): -0.138 for fingers, -0.697 for r = 8). */
export function hopsOffset (successors = 1): number {
  checkCount('successors', successors)
  const r = Math.max(1, Math.floor(successors))
  let c = offsets.get(r)
  if (c == null) {
    const nRef = 2 ** Math.max(12, Math.ceil(Math.log2(64 * r)))
    // 32 grid points per spacing (16 past r = 16, to bound memory): within ~0.001 of the limit
    c = poissonGapHops(nRef, r, r > 16 ? 16 : 32) - Math.log2(nRef) / 2
    offsets.set(r, c)
  }
  return c
}

/** Successor-list length the router effectively uses: 1 (the successor) when routing over fingers only. */
function routeWidth (opts: RouteOptions = {}): number {
  if (opts.fingersOnly ?? true) return 1
  const r = opts.successors ?? DEFAULTS.successors
  checkCount('successors', r)
  return Math.max(1, Math.floor(r))
}

/**
 * Expected hops per lookup for n random ids (docs (a)): (1/2) log2 n + c_r, c_r from the
 * Poisson-gap model (hopsOffset); exactly 1 - 1/n when the successor list spans the ring.
 */
export function expectedHops (n: number, opts: RouteOptions = {}): number {
  checkPeers(n)
  if (n === 1) return 0
  const r = routeWidth(opts)
  const oneHop = 1 - 1 / n // every other peer is one hop away; the originator is the predecessor w.p. 1/n
  if (n - 1 <= r) return oneHop
  return Math.max(oneHop, Math.log2(n) / 2 + hopsOffset(r))
}

/** Expected distinct fingers (other than self) for n random ids: exact sum over finger starts (docs (c)). */
export function expectedDistinctFingers (n: number, bits = ID_BITS): number {
  return expectedFingersBeyond(n, 0, bits)
}

/**
 * Expected distinct fingers more than r peers ahead (not in an r-long successor list), n random
 * ids: finger i is new iff a peer lies in [2^(i-1), 2^i) and one in [2^i, 2^m) (docs (c)).
 */
export function expectedFingersBeyond (n: number, r: number, bits = ID_BITS): number {
  checkPeers(n)
  checkCount('r', r)
  checkCount('bits', bits)
  const others = n - 1
  if (others === 0) return 0
  let sum = r < 1 ? 1 : 0 // finger 0 is the successor, one peer ahead
  const rr = Math.max(1, Math.floor(r))
  for (let i = 1; i < bits; i++) {
    const u = 2 ** (i - bits) // finger start as a fraction of the ring
    // S = peers in (0, u) ~ Binomial(others, u): P_i = sum_{s=rr}^{others-1} P(S=s) (1 - 2^-s)
    let below = 0 // sum_{s<rr} P(S = s)
    let belowHalf = 0 // sum_{s<rr} P(S = s) 2^-s
    let logC = 0
    for (let s = 0; s < rr && s <= others; s++) {
      const p = Math.exp(logC + s * Math.log(u) + (others - s) * Math.log1p(-u))
      below += p
      belowHalf += p * 2 ** -s
      logC += Math.log(others - s) - Math.log(s + 1)
    }
    const all = u ** others // S = others: no peer at or past the start, the finger wraps to self
    const atLeast = 1 - below - all
    const atLeastHalf = Math.exp(others * Math.log1p(-u / 2)) - belowHalf - (u / 2) ** others
    sum += Math.max(0, atLeast - atLeastHalf)
  }
  return sum
}

/** Expected |fingers ∪ successor list ∪ {predecessor}| for n random ids and an r-long list (docs (c)). */
export function expectedRoutingState (n: number, successors: number = DEFAULTS.successors, bits = ID_BITS): number {
  checkPeers(n)
  checkCount('successors', successors)
  const others = n - 1
  if (others <= successors) return others
  // the predecessor is a finger iff a finger start falls between it and the peer before it
  let predIsFinger = 0
  for (let j = 1; j <= bits; j++) {
    const t = 2 ** (-j * others)
    if (t === 0) break
    predIsFinger += t
  }
  predIsFinger *= others
  return successors + expectedFingersBeyond(n, successors, bits) + (1 - Math.min(1, predIsFinger))
}

/** Forwarding requests (FIND_SUCCESSOR / NEXT_HOP received for another peer's lookup) per lookup = E[hops] (docs (b)). */
export function expectedForwardsPerLookup (n: number, opts: RouteOptions = {}): number {
  return expectedHops(n, opts)
}

/** Forwarding requests a peer receives when every peer issues `lookupsPerPeer` lookups: lookupsPerPeer * E[hops] (docs (b)). */
export function expectedForwardingPerPeer (n: number, lookupsPerPeer: number, opts: RouteOptions = {}): number {
  checkAmount('lookupsPerPeer', lookupsPerPeer)
  return lookupsPerPeer * expectedForwardsPerLookup(n, opts)
}

/** Hops of a peer's own lookups (access term A at unit price): lookupsPerPeer * E[hops] (docs (b)). */
export function expectedAccessPerPeer (n: number, lookupsPerPeer: number, opts: RouteOptions = {}): number {
  checkAmount('lookupsPerPeer', lookupsPerPeer)
  return lookupsPerPeer * expectedHops(n, opts)
}

/** Keys a peer holds with K uniform keys on min(r_rep, n) peers each: r_rep K / n (docs (d); Stoica et al. 2001, Thm 1). */
export function expectedKeysPerPeer (keys: number, n: number, replicas: number): number {
  checkAmount('keys', keys)
  checkPeers(n)
  checkCount('replicas', replicas)
  return Math.min(replicas, n) * keys / n
}

/** Service requests per peer when every peer issues opsPerPeer gets/puts, each served by min(r_rep, n) holders (docs (d)). */
export function expectedServicePerPeer (n: number, opsPerPeer: number, replicas: number): number {
  checkPeers(n)
  checkAmount('opsPerPeer', opsPerPeer)
  checkCount('replicas', replicas)
  return opsPerPeer * Math.min(replicas, n)
}

/** E[largest arc] / mean arc for n random ids = H_n ~ ln n + 0.577 (uniform spacings; docs (d)). */
export function expectedMaxArcRatio (n: number): number {
  checkPeers(n)
  let h = 0
  for (let k = n; k >= 1; k--) h += 1 / k
  return h
}

/** (measured - predicted) / predicted: signed relative error of a measurement against the model. */
export function relativeError (measured: number, predicted: number): number {
  if (predicted === 0) return measured === 0 ? 0 : (measured > 0 ? Infinity : -Infinity)
  return (measured - predicted) / predicted
}

export interface ModelOptions {
  /** Successor-list length r. */
  successors: number
  /** Copies of every key r_rep. */
  replicas: number
  /** Keys stored in the ring K. */
  keys: number
  /** Lookups each peer issues (any unit: a count, or a rate per second). */
  lookupsPerPeer: number
  /** Routing over fingers only (true) or fingers + successor list (false). */
  fingersOnly: boolean
  /** Gets/puts each peer issues (each costs one lookup); default lookupsPerPeer. */
  opsPerPeer?: number
}

export interface ChordModel {
  n: number
  route: 'fingers' | 'all'
  /** E[hops] for the chosen route. */
  hops: number
  /** E[hops] routing over fingers only, for comparison. */
  hopsFingersOnly: number
  /** The E[hops] formula in words. */
  hopsFormula: string
  forwardsPerLookup: number
  forwardingPerPeer: number
  accessPerPeer: number
  distinctFingers: number
  routingState: number
  keysPerPeer: number
  servicePerPeer: number
  maxArcRatio: number
}

/** Every prediction for an n-peer ring (docs/cost-model.md, table). */
export function modelFor (n: number, opts: ModelOptions): ChordModel {
  checkPeers(n)
  const route: RouteOptions = { fingersOnly: opts.fingersOnly, successors: opts.successors }
  const r = routeWidth(route)
  const hops = expectedHops(n, route)
  return {
    n,
    route: opts.fingersOnly ? 'fingers' : 'all',
    hops,
    hopsFingersOnly: expectedHops(n, { fingersOnly: true }),
    hopsFormula: n === 1
      ? '0 (alone)'
      : n - 1 <= r
        ? '1 - 1/N (every peer one hop away)'
        : `(1/2) log2 N ${hopsOffset(r) < 0 ? '-' : '+'} ${Math.abs(hopsOffset(r)).toFixed(3)} (Poisson-gap model, r = ${r})`,
    forwardsPerLookup: hops,
    forwardingPerPeer: expectedForwardingPerPeer(n, opts.lookupsPerPeer, route),
    accessPerPeer: expectedAccessPerPeer(n, opts.lookupsPerPeer, route),
    distinctFingers: expectedDistinctFingers(n),
    routingState: expectedRoutingState(n, opts.successors),
    keysPerPeer: expectedKeysPerPeer(opts.keys, n, opts.replicas),
    servicePerPeer: expectedServicePerPeer(n, opts.opsPerPeer ?? opts.lookupsPerPeer, opts.replicas),
    maxArcRatio: expectedMaxArcRatio(n)
  }
}

function checkPeers (n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`peer count must be an integer >= 1, got ${n}`)
}

function checkCount (name: string, v: number): void {
  if (!Number.isInteger(v) || v < 0) throw new RangeError(`${name} must be an integer >= 0, got ${v}`)
}

function checkAmount (name: string, v: number): void {
  if (!Number.isFinite(v) || v < 0) throw new RangeError(`${name} must be a finite number >= 0, got ${v}`)
}
