// A free-rider's refusal is a CHOKED answer told apart by its message only (the wire has no
// other field for it): one function makes it, one recognises it, after a trip over the wire.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { ChordError, ErrorCode, freeriderRefusal, isChoked, isFreeriderRefusal } from '../../protocol/errors.js'

describe('free-rider refusals', () => {
  test('recognised as sent, and as the requester rebuilds it from the reply frame', () => {
    const sent = freeriderRefusal()
    assert.equal(isChoked(sent), true)
    assert.equal(isFreeriderRefusal(sent), true)
    const received = new ChordError(sent.code, sent.message, { remote: true })
    assert.equal(isFreeriderRefusal(received), true)
  })

  test('choking by a contributor, another code, or any other error is not one', () => {
    assert.equal(isFreeriderRefusal(new ChordError(ErrorCode.CHOKED, 'choked: spare capacity for choked peers is spent')), false)
    assert.equal(isFreeriderRefusal(new ChordError(ErrorCode.TIMEOUT, freeriderRefusal().message)), false)
    assert.equal(isFreeriderRefusal(new Error(freeriderRefusal().message)), false)
    assert.equal(isFreeriderRefusal(undefined), false)
  })
})
