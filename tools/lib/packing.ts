// How many worker processes a local swarm packs its peers into. A process costs a lot of its own
// before any peer (one libp2p node alone in a process measured ~92 MB RSS here), so a few well-filled
// processes keep RSS per peer down (README, "The machine's own load", has the swarm's resources
// lines at 2 and 8 processes).
// At most 8, so no event loop holds more than 128 peers at N = 1024.
export const PEERS_PER_PROCESS = 128
export const MAX_PROCESSES = 8

/** Worker processes for `peers` peers: one per PEERS_PER_PROCESS, from 1 to MAX_PROCESSES. */
export function defaultProcs (peers: number): number {
  return Math.max(1, Math.min(MAX_PROCESSES, Math.ceil(peers / PEERS_PER_PROCESS)))
}
