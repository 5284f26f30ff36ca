// Joining with retries: failed attempts are retried with a doubling, capped wait until one
// succeeds; stopping the peer ends the retries with the last attempt's error.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { pino, type Logger } from 'pino'
import { joinWithRetry } from '../../daemon/host/join.js'

const log = pino({ level: 'silent' })

describe('joinWithRetry', () => {
  test('retries until an attempt succeeds, waiting longer each time up to the cap', async () => {
    const at: number[] = []
    const said: number[] = []
    let n = 0
    await joinWithRetry({
      join: async () => { at.push(performance.now()); if (++n < 4) throw new Error('no bootstrap peer answers') },
      signal: new AbortController().signal,
      log: { warn: (o: { retryMs: number }) => { said.push(o.retryMs) } } as unknown as Logger,
      firstDelayMs: 20,
      maxDelayMs: 40
    })
    assert.equal(n, 4)
    assert.deepEqual(said, [20, 40, 40], 'doubling, capped')
    const waits = at.slice(1).map((t, i) => t - at[i])
    assert.ok(waits.every((w, i) => w >= said[i] - 1), `waited ${waits.map(Math.round).join(', ')} ms`)
  })

  test('an abort ends the wait and the retries, with the attempt\'s error', async () => {
    const stop = new AbortController()
    let n = 0
    const joining = joinWithRetry({
      join: async signal => { n++; throw new Error(signal.aborted ? 'aborted' : 'unreachable') },
      signal: stop.signal,
      log,
      firstDelayMs: 60_000
    })
    await new Promise(resolve => setTimeout(resolve, 20))
    const t0 = performance.now()
    stop.abort()
    await assert.rejects(joining, /aborted/)
    assert.equal(n, 2, 'the first attempt, and the one after the wait the abort ended')
    assert.ok(performance.now() - t0 < 1000, 'no minute-long wait')
  })
})
