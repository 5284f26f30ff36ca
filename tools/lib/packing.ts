// How many worker processes a local swarm packs its peers into. Each process costs ~100 MB of
// its own before any peer (node, V8, the modules; 99 MB measured), a peer ~3.2 MB more (64 peers
// in one process after a 30 s settle), so a few well-filled processes keep RSS per peer down
// (README, "The machine's own load", has the swarm's resources lines at 2 and 8 processes).
// At most 8, so no event loop holds more than 128 peers at N = 1024.
export const PEERS_PER_PROCESS = 128
export const MAX_PROCESSES = 8

/** Worker processes for `peers` peers: one per PEERS_PER_PROCESS, from 1 to MAX_PROCESSES. */
export function defaultProcs (peers: number): number {
  return Math.max(1, Math.min(MAX_PROCESSES, Math.ceil(peers / PEERS_PER_PROCESS)))
}
