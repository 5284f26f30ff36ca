// What a LEAVING may change (daemon/ring/leavingHints.ts, Stoica et al. 2003 sec. 4.4): only
// pointers our own view can check are taken from the leaver.
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import type { PeerRef } from '../../protocol/peerInfo.js'
import { RING_SIZE } from '../../protocol/ring.js'
import { plausiblePredecessor, successorsFit } from '../../daemon/ring/leavingHints.js'

const at = (id: bigint, name = `p${id}`): PeerRef => ({ peerId: name, id, addrs: [] })

describe('plausiblePredecessor: the predecessor a leaving predecessor names', () => {
  const self = at(1000n)
  const leaver = at(900n)
  const behind = at(700n)

  test('the one our list has behind the leaver is adopted', () => {
    assert.equal(plausiblePredecessor({ self, leaver, named: behind, behind }), true)
  })

  test('one between that one and the leaver (a peer we have not met yet) is adopted', () => {
    for (const id of [701n, 800n, 899n]) assert.equal(plausiblePredecessor({ self, leaver, named: at(id), behind }), true, `named ${id}`)
  })

  test('one outside (behind, leaver) is not: a leaver cannot pull our predecessor elsewhere', () => {
    for (const id of [600n, 699n, 900n, 950n]) assert.equal(plausiblePredecessor({ self, leaver, named: at(id), behind }), false, `named ${id}`)
  })

  test('nothing is adopted without a list to check it against, when nothing is named, or when it names us', () => {
    assert.equal(plausiblePredecessor({ self, leaver, named: at(800n), behind: undefined }), false)
    assert.equal(plausiblePredecessor({ self, leaver, named: undefined, behind }), false)
    assert.equal(plausiblePredecessor({ self, leaver, named: self, behind: self }), false)
  })

  test('the interval wraps at 2^160', () => {
    const wrapLeaver = at(5n)
    const wrapBehind = at(RING_SIZE - 5n)
    assert.equal(plausiblePredecessor({ self, leaver: wrapLeaver, named: at(0n), behind: wrapBehind }), true)
    assert.equal(plausiblePredecessor({ self, leaver: wrapLeaver, named: at(RING_SIZE - 6n), behind: wrapBehind }), false)
  })
})

describe('successorsFit: the successor list a leaving successor hands us', () => {
  const leaver = at(200n)
  const next = at(300n)

  test('fits when its first is the one after the leaver in our list, or lies between them', () => {
    assert.equal(successorsFit({ leaver, next, first: next }), true)
    for (const id of [201n, 250n, 299n]) assert.equal(successorsFit({ leaver, next, first: at(id) }), true, `first ${id}`)
  })

  test('does not fit when its first lies past the one after the leaver, or before the leaver', () => {
    for (const id of [301n, 5000n, 100n, 200n]) assert.equal(successorsFit({ leaver, next, first: at(id) }), false, `first ${id}`)
  })

  test('with nobody after the leaver in our list any first fits; an empty list never does', () => {
    assert.equal(successorsFit({ leaver, next: undefined, first: at(5n) }), true)
    assert.equal(successorsFit({ leaver, next, first: undefined }), false)
    assert.equal(successorsFit({ leaver, next: undefined, first: undefined }), false)
  })
})
