// Flooders for test/peers/flood.test.ts, loopback only: idle TCP connections from one source
// address, reopened as the victim closes them; and libp2p connections from that address whose
// chord streams send half a frame and stop. Every socket and node they make is closed by stop().
import { readFileSync } from 'node:fs'
import { connect, type Socket } from 'node:net'
import { generateKeyPair } from '@libp2p/crypto/keys'
import type { Libp2p, Stream } from '@libp2p/interface'
import { multiaddr } from '@multiformats/multiaddr'
import { CHORD_PROTOCOL, MAX_FRAME_BYTES } from '../../protocol/constants.js'
import { errorName } from '../../protocol/messages.js'
import { createNode } from '../../daemon/host/libp2pNode.js'
import { readFrames } from '../../daemon/rpc/streamIo.js'

/** Resident set of a process, bytes (/proc/<pid>/status VmRSS). */
export function rssBytes (pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  if (m == null) throw new Error(`no VmRSS for ${pid}`)
  return Number(m[1]) * 1024
}

/** CPU time a process has used, ms (/proc/<pid>/stat utime + stime, in clock ticks of 10 ms). */
export function cpuMs (pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ')
  // After the command: state is field 3, utime 14 and stime 15 (proc(5)), so indexes 11 and 12 here.
  return (Number(fields[11]) + Number(fields[12])) * 10
}

export interface IdleFloodOptions {
  host: string
  port: number
  /** Source address of every connection. */
  from: string
  /** Connections to keep open (or trying to be). */
  count: number
  /** Most connections (re)opened per second, so the flood costs the victim rather than this process's own loop. */
  reopenPerSecond: number
}

/** `count` idle TCP connections from one address; each one the victim closes is opened again. */
export class IdleFlood {
  readonly #o: IdleFloodOptions
  readonly #sockets = new Set<Socket>()
  #timer: NodeJS.Timeout | undefined
  #tokens = 0
  #running = false
  /** Connections attempted, established, closed by the victim, and the longest an established one lived, ms. */
  readonly stats = { attempted: 0, connected: 0, closedByVictim: 0, maxLifetimeMs: 0, maxOpen: 0 }

  constructor (opts: IdleFloodOptions) { this.#o = opts }

  get open (): number { return this.#sockets.size }

  start (): void {
    this.#running = true
    for (let i = 0; i < this.#o.count; i++) this.#openOne() // the first `count` at once, then reopened at the rate
    const tick = 10
    this.#timer = setInterval(() => {
      this.#tokens = Math.min(this.#tokens + this.#o.reopenPerSecond * tick / 1000, this.#o.reopenPerSecond)
      while (this.#running && this.#tokens >= 1 && this.#sockets.size < this.#o.count) {
        this.#tokens--
        this.#openOne()
      }
    }, tick)
  }

  #openOne (): void {
    this.stats.attempted++
    const s = connect({ host: this.#o.host, port: this.#o.port, localAddress: this.#o.from })
    this.#sockets.add(s)
    this.stats.maxOpen = Math.max(this.stats.maxOpen, this.#sockets.size)
    let connectedAt = 0
    s.on('connect', () => { connectedAt = performance.now(); this.stats.connected++ })
    s.on('error', () => {}) // ECONNRESET from the victim: expected
    s.on('close', () => {
      this.#sockets.delete(s)
      if (connectedAt > 0 && this.#running) {
        this.stats.closedByVictim++
        this.stats.maxLifetimeMs = Math.max(this.stats.maxLifetimeMs, performance.now() - connectedAt)
      }
    })
  }

  async stop (): Promise<void> {
    this.#running = false
    clearInterval(this.#timer)
    const all = [...this.#sockets]
    await Promise.all(all.map(async s => await new Promise<void>(resolve => {
      if (s.destroyed) { resolve(); return }
      s.once('close', () => { resolve() })
      s.destroy()
    })))
    this.#sockets.clear()
  }
}

export interface HalfFrameOptions {
  /** The victim's multiaddr with /p2p/. */
  victim: string
  /** Source address of its connections. */
  from: string
  /** Chord streams it tries to keep open on its connection, each holding half a frame. */
  streams: number
  /** Pause before reopening a stream the victim refused or closed as over budget, ms. */
  retryMs: number
}

/** Why each of its streams ended: the victim's error code (id-0 frame), or how it failed to open. */
export type StreamEnd = 'TIMEOUT' | 'BUSY' | 'TOO_LARGE' | 'closed' | 'refused'

/** One libp2p identity from `from`: streams that send a frame header and half its body, then nothing. */
export class HalfFrameAttacker {
  readonly #o: HalfFrameOptions
  #node: Libp2p | undefined
  #running = false
  readonly #loops: Array<Promise<void>> = []
  readonly #streams = new Set<Stream>()
  /** How its streams ended, by reason; bytes it got onto the wire in half frames. */
  readonly ends: Record<StreamEnd, number> = { TIMEOUT: 0, BUSY: 0, TOO_LARGE: 0, closed: 0, refused: 0 }
  halfFrameBytesSent = 0

  constructor (opts: HalfFrameOptions) { this.#o = opts }

  /** Open the libp2p connection, retrying until `deadlineMs` (the victim admits 5 connections/s per IP). */
  async connect (deadlineMs: number): Promise<void> {
    this.#node = await createNode({ privateKey: await generateKeyPair('Ed25519'), listen: [], dialFrom: this.#o.from })
    const until = Date.now() + deadlineMs
    for (;;) {
      try {
        await this.#node.dial(multiaddr(this.#o.victim), { signal: AbortSignal.timeout(3_000) })
        return
      } catch (err) {
        if (Date.now() > until) throw new Error(`attacker could not connect within ${deadlineMs} ms: ${(err as Error).message}`)
        await sleep(250)
      }
    }
  }

  start (): void {
    this.#running = true
    for (let i = 0; i < this.#o.streams; i++) this.#loops.push(this.#slot())
  }

  async #slot (): Promise<void> {
    // A frame just under the limit, of which half is sent: the victim holds that half until it gives up.
    const length = MAX_FRAME_BYTES - 16
    const header = Uint8Array.of(0x80 | (length & 0x7f), 0x80 | ((length >> 7) & 0x7f), length >> 14)
    const half = new Uint8Array(Math.floor(length / 2))
    while (this.#running) {
      let stream: Stream
      try {
        stream = await this.#node!.dialProtocol(multiaddr(this.#o.victim), CHORD_PROTOCOL, { signal: AbortSignal.timeout(3_000) })
      } catch {
        this.ends.refused++
        await sleep(this.#o.retryMs)
        continue
      }
      this.#streams.add(stream)
      let end: StreamEnd = 'closed'
      try {
        stream.send(header)
        stream.send(half)
        this.halfFrameBytesSent += half.length
        for await (const { frame } of readFrames(stream, 4 << 20)) {
          if (frame.id === 0) {
            const code = errorName(frame.error)
            if (code === 'TIMEOUT' || code === 'BUSY' || code === 'TOO_LARGE') end = code
          }
        }
      } catch {
        // reset by the victim (stream limit) or by stop()
      }
      this.#streams.delete(stream)
      if (this.#running) this.ends[end]++
      // A stream cut off by the deadline is replaced at once; one refused (stream limit, budget) after a
      // pause: retried in a spin it would be a bandwidth flood, which no per-address bound stops.
      await sleep(end === 'TIMEOUT' ? 100 : this.#o.retryMs)
    }
  }

  async stop (): Promise<void> {
    this.#running = false
    for (const s of this.#streams) s.abort(new Error('attack over'))
    await Promise.allSettled(this.#loops)
    await this.#node?.stop()
  }
}

async function sleep (ms: number): Promise<void> {
  await new Promise(resolve => setTimeout(resolve, ms))
}
