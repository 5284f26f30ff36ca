import { test, describe } from 'node:test'
import assert from 'node:assert/strict'
import { ByteBudget } from '../../daemon/rpc/byteBudget.js'

describe('ByteBudget', () => {
  test('each remote key has perRemote; a reservation that does not fit takes nothing', () => {
    const b = new ByteBudget({ perRemote: 100, total: 1000 })
    const a = b.account(['peer:a', 'ip:1'])
    assert.ok(a.tryReserve(60))
    assert.equal(a.tryReserve(41), false)
    assert.equal(a.held, 60)
    assert.equal(b.used('peer:a'), 60)
    assert.equal(b.used('ip:1'), 60)
    assert.ok(a.tryReserve(40))
    assert.equal(b.used(), 100)
  })

  test('new identities from one IP share that IP\'s allowance', () => {
    const b = new ByteBudget({ perRemote: 100, total: 1000 })
    const x = b.account(['peer:x', 'ip:9'])
    const y = b.account(['peer:y', 'ip:9'])
    const z = b.account(['peer:z', 'ip:8'])
    assert.ok(x.tryReserve(70))
    assert.equal(y.tryReserve(70), false, 'the IP has 30 left')
    assert.ok(y.tryReserve(30))
    assert.ok(z.tryReserve(100), 'another address is not affected')
  })

  test('the total bounds all remotes together', () => {
    const b = new ByteBudget({ perRemote: 100, total: 250 })
    const accounts = Array.from({ length: 4 }, (_, i) => b.account([`peer:${i}`]))
    assert.ok(accounts[0].tryReserve(100))
    assert.ok(accounts[1].tryReserve(100))
    assert.equal(accounts[2].tryReserve(100), false)
    assert.ok(accounts[2].tryReserve(50))
    assert.equal(b.used(), 250)
  })

  test('charge goes past the limits (an answer already made); later reservations then fail', () => {
    const b = new ByteBudget({ perRemote: 100, total: 1000 })
    const a = b.account(['peer:a'])
    a.charge(150)
    assert.equal(b.used('peer:a'), 150)
    assert.equal(a.tryReserve(1), false)
    a.release(150)
    assert.ok(a.tryReserve(1))
  })

  test('release never gives back more than the account holds; close gives back the rest once', () => {
    const b = new ByteBudget({ perRemote: 100, total: 1000 })
    const a = b.account(['peer:a'])
    const other = b.account(['peer:a'])
    assert.ok(other.tryReserve(30))
    assert.ok(a.tryReserve(20))
    a.release(500)
    assert.equal(b.used('peer:a'), 30, 'the other stream\'s 30 bytes stay charged')
    assert.ok(a.tryReserve(10))
    a.close()
    a.close()
    assert.equal(b.used('peer:a'), 30)
    assert.equal(a.tryReserve(1), false, 'a closed account takes nothing')
    a.charge(5)
    assert.equal(b.used(), 30)
    other.close()
    assert.equal(b.used(), 0)
    assert.equal(b.keys, 0, 'no entry is kept for a remote holding nothing')
  })
})
