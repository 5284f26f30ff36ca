// What one request reports, without sockets: the meters' term and byte counts, the choking
// ledger's credit (none for maintenance), suspects cleared by any answer, clock samples.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { ErrorCode, MessageType } from '../../protocol/chord.js'
import { CostMeters } from '../../daemon/meters/costMeters.js'
import { requestHooks } from '../../daemon/meters/requestHooks.js'
import type { RequestRecord } from '../../daemon/rpc/client.js'

function setup (): { hooks: ReturnType<typeof requestHooks>, meters: CostMeters, answers: string[], cleared: string[], samples: string[] } {
  const meters = new CostMeters()
  const answers: string[] = []
  const cleared: string[] = []
  const samples: string[] = []
  const hooks = requestHooks({
    meters,
    choker: { noteAnswer: (peerId, answer) => { answers.push(`${peerId}:${answer}`) } },
    suspects: { clear: peerId => { cleared.push(peerId); return true }, size: 1 },
    skew: { sample: peerId => { samples.push(peerId) } }
  })
  return { hooks, meters, answers, cleared, samples }
}

const sent = (o: Partial<RequestRecord>): RequestRecord => ({ type: MessageType.FIND_SUCCESSOR, peerId: 'b', bytesOut: 10, bytesIn: 30, micros: 500, ...o })

describe('requestHooks', () => {
  test('a request sent is metered under its tag\'s term, bytes in and out where they belong', () => {
    const { hooks, meters } = setup()
    hooks.onRequest(sent({ tag: 'access' }))
    assert.deepEqual(meters.sent.access, { requests: 1, bytesIn: 30, bytesOut: 10, micros: 500, errors: 0 })
    hooks.onRequest(sent({ type: MessageType.PING, error: ErrorCode.TIMEOUT }))
    assert.deepEqual(meters.sent.maintenance, { requests: 1, bytesIn: 30, bytesOut: 10, micros: 500, errors: 1 })
  })

  test('a forwarded maintenance lookup is forwarding to the meters and earns its next hop no credit', () => {
    const { hooks, meters, answers } = setup()
    hooks.onRequest(sent({ tag: 'forwarded-maintenance' }))
    assert.equal(meters.sent.forwarding.requests, 1)
    assert.deepEqual(answers, [])
    hooks.onRequest(sent({ tag: 'forwarding' }))
    hooks.onRequest(sent({ tag: 'access', error: ErrorCode.CHOKED }))
    assert.deepEqual(answers, ['b:ok', 'b:choked'], 'a forwarded access lookup and our own are credited')
  })

  test('an own maintenance lookup and a probe earn no credit; an ungated request neither', () => {
    const { hooks, answers } = setup()
    hooks.onRequest(sent({ tag: 'maintenance' }))
    hooks.onRequest(sent({ type: MessageType.NEXT_HOP, tag: 'maintenance' }))
    hooks.onRequest(sent({ type: MessageType.REPLICA_PUT }))
    assert.deepEqual(answers, [])
  })

  test('an answer clears a suspect and gives a clock sample; no answer does neither', () => {
    const { hooks, cleared, samples } = setup()
    hooks.onRequest(sent({ error: ErrorCode.TIMEOUT }))
    assert.deepEqual([cleared, samples], [[], []])
    hooks.onRequest(sent({ answered: true, error: ErrorCode.BUSY, remoteWallMs: 1000n, sentAtMs: 990, receivedAtMs: 1010 }))
    assert.deepEqual([cleared, samples], [['b'], ['b']])
  })

  test('a request served is metered by its type (unknown: telemetry) and clears its sender', () => {
    const { hooks, meters, cleared } = setup()
    hooks.onServed({ type: MessageType.STORE_GET, peerId: 'c', bytesIn: 40, bytesOut: 90, micros: 70, error: ErrorCode.OK })
    assert.deepEqual(meters.served.service, { requests: 1, bytesIn: 40, bytesOut: 90, micros: 70, errors: 0 })
    hooks.onServed({ type: undefined, peerId: 'c', bytesIn: 5, bytesOut: 9, micros: 1, error: ErrorCode.UNKNOWN_TYPE })
    assert.equal(meters.served.telemetry.errors, 1)
    assert.deepEqual(cleared, ['c', 'c'])
  })
})
