// One classification of a request: the term it is metered under and whether choking treats it
// as maintenance both follow from its tag, or from its message type when it names none.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { MessageType } from '../../protocol/chord.js'
import { MESSAGES, type RpcType } from '../../protocol/messages.js'
import { isMaintenance, tagOf, termOf, TERM_OF } from '../../daemon/rpc/requestTag.js'

describe('request tags', () => {
  test('every message of the RPC table has a default term, and nothing else does', () => {
    assert.deepEqual(Object.keys(TERM_OF).sort(), Object.keys(MESSAGES).sort())
    assert.equal(Object.hasOwn(TERM_OF, MessageType.HANDOFF), false, 'retired: sent by no one')
  })

  test('a request without a tag is classified by its message type', () => {
    assert.equal(tagOf({ type: MessageType.NOTIFY }), 'maintenance')
    assert.equal(tagOf({ type: MessageType.FIND_SUCCESSOR }), 'forwarding')
    assert.equal(tagOf({ type: MessageType.FIND_SUCCESSOR, tag: 'access' }), 'access')
  })

  test('a forwarded maintenance lookup is forwarding to the meters and maintenance to choking', () => {
    assert.equal(termOf('forwarded-maintenance'), 'forwarding')
    assert.equal(isMaintenance('forwarded-maintenance'), true)
    assert.equal(termOf('maintenance'), 'maintenance')
    assert.equal(isMaintenance('maintenance'), true)
    for (const tag of ['service', 'forwarding', 'access', 'telemetry'] as const) {
      assert.equal(termOf(tag), tag)
      assert.equal(isMaintenance(tag), false, tag)
    }
  })

  test('no gated message type defaults to maintenance (an untagged service request earns credit)', () => {
    const gated: RpcType[] = [MessageType.FIND_SUCCESSOR, MessageType.NEXT_HOP, MessageType.STORE_PUT, MessageType.STORE_GET, MessageType.STORE_DELETE, MessageType.REPLICA_GET]
    for (const type of gated) assert.equal(isMaintenance(tagOf({ type })), false, type)
  })
})
