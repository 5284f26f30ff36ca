// When were the free-riders shut out? (tools/lib/chokingExperiment.ts shutOutAfterS)
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { shutOutAfterS } from '../../tools/lib/chokingExperiment.js'

const contrib = new Array<number>(12).fill(2)

describe('shutOutAfterS', () => {
  test('the first second from which every 3 s window is at most 10% of the contributors', () => {
    // windows from t: sums of free over [t, t+3) against 0.6 (10% of 6)
    const free = [2, 1.5, 0.8, 0.3, 0.2, 0.1, 0.1, 0, 0.2, 0, 0, 0]
    // t=3: 0.3+0.2+0.1 = 0.6 (not above 0.6); t=2: 0.8+0.3+0.2 > 0.6
    assert.equal(shutOutAfterS(free, contrib), 3)
  })

  test('a late burst past the bound moves the answer after it', () => {
    const free = [2, 0, 0, 0, 0, 0, 0.7, 0, 0, 0, 0, 0]
    assert.equal(shutOutAfterS(free, contrib), 7)
  })

  test('never shut out, or shut out from the start', () => {
    assert.equal(shutOutAfterS(contrib, contrib), null)
    assert.equal(shutOutAfterS(new Array<number>(12).fill(0), contrib), 0)
    assert.equal(shutOutAfterS([0, 0], [1, 1]), null, 'shorter than a window')
  })

  test('the window and the share are parameters', () => {
    const free = [1, 1, 0.1, 0.1, 0.1, 0.1]
    assert.equal(shutOutAfterS(free, [1, 1, 1, 1, 1, 1], 1, 0.1), 2)
    assert.equal(shutOutAfterS(free, [1, 1, 1, 1, 1, 1], 1, 0.05), null)
  })
})
