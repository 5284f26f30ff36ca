// How many answers a coordinator needs before it answers, and what the answers say (Dynamo
// section 4.5: a write is acknowledged at w copies, a read answered at r - w + 1, so that every
// read meets every acknowledged write). Pure: the replica RPCs are coordinator.ts's.
import type { ApplyResult } from '../../protocol/chord.js'
import { compareVersions, type Version } from '../../protocol/version.js'
import type { WalkAnswer } from './pastRefusals.js'
import type { Holder } from './standIn.js'

export interface WriteQuorumInput {
  /** Replicas that must hold a write before it is acknowledged (w). */
  writeQuorum: number
  /** Copies the coordinator places besides its own (standIn.ts copiesWanted). */
  want: number
  /** Successors the replica walk may ask. */
  candidates: number
}

/** Copies, ours included, a write waits for: w, or every member a ring smaller than w has. */
export function writeQuorumFor (o: WriteQuorumInput): number {
  return Math.min(o.writeQuorum, 1 + Math.min(o.want, o.candidates))
}

/** Replicas that hold the write at its version: they answered, superseded nothing and refused nothing. */
export function heldBy (answers: ReadonlyArray<WalkAnswer<ApplyResult>>): number {
  return answers.filter(a => a.error == null && a.value!.superseded.length === 0 && a.value!.refused === 0).length
}

/** The newest version a replica holds above the write's, if one does: the write lost to it. */
export function newestSuperseding (answers: ReadonlyArray<WalkAnswer<ApplyResult>>): Version | undefined {
  let best: Version | undefined
  for (const a of answers) {
    const s = a.value?.superseded[0]
    if (s != null && (best == null || compareVersions({ ts: s.ts, writer: s.writer }, best) > 0)) best = { ts: s.ts, writer: s.writer }
  }
  return best
}

/** Copies, ours included, a stand-in's read must reach: r - w + 1. */
export function readQuorum (replicas: number, writeQuorum: number): number {
  return replicas - writeQuorum + 1
}

export interface ReadOutcome {
  /** Copies of every key (r). */
  replicas: number
  /** Replicas that must hold a write before it is acknowledged (w). */
  writeQuorum: number
  /** Copies the read reached, ours included. */
  reached: number
  /** Whether any copy of the key was found. */
  found: boolean
}

/**
 * Why a read may not be answered (the coordinator answers ROUTE_CHOKED so the entry tries
 * another stand-in), or undefined when it may. The owner answers what it has; a stand-in only
 * at a read quorum; a spare (past the owner's r - 1 replicas) holds only what was written
 * through it lately: finding nothing there says nothing about the key.
 */
export function readRefusal (holder: Holder, o: ReadOutcome): string | undefined {
  if (holder.kind === 'owner') return undefined
  const quorum = readQuorum(o.replicas, o.writeQuorum)
  if (o.reached < quorum) return `stand-in read reached ${o.reached} replicas, a read quorum is ${quorum}`
  if (holder.kind === 'spare' && !o.found) return `stand-in ${holder.rank} is past the replica set and holds no copy`
  return undefined
}
