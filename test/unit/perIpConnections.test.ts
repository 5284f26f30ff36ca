import { test, describe } from 'node:test'
import assert from 'node:assert/strict'
import { PerIpConnections, type Ticket } from '../../daemon/host/perIpConnections.js'

const ticket = (t: Ticket | string): Ticket => {
  assert.equal(typeof t, 'object', `refused: ${String(t)}`)
  return t as Ticket
}

describe('PerIpConnections', () => {
  test('at most maxPendingPerIp handshakes from one IP; other IPs are not affected', () => {
    const c = new PerIpConnections({ maxPendingPerIp: 4, maxConnectionsPerIp: 100 })
    for (let i = 0; i < 4; i++) ticket(c.admit('10.0.0.1'))
    assert.equal(c.admit('10.0.0.1'), 'pending-per-ip')
    assert.equal(c.pending('10.0.0.1'), 4, 'a refusal takes no slot')
    ticket(c.admit('10.0.0.2'))
    assert.equal(c.pending('10.0.0.2'), 1)
  })

  test('an upgrade frees the handshake slot but the connection still counts', () => {
    const c = new PerIpConnections({ maxPendingPerIp: 1, maxConnectionsPerIp: 2 })
    const a = ticket(c.admit('ip'))
    assert.equal(c.admit('ip'), 'pending-per-ip')
    a.upgraded()
    assert.equal(c.pending('ip'), 0)
    assert.equal(c.connections('ip'), 1)
    const b = ticket(c.admit('ip'))
    b.upgraded()
    assert.equal(c.admit('ip'), 'connections-per-ip', 'two open connections fill the per-IP cap')
    a.closed()
    assert.equal(c.connections('ip'), 1)
    ticket(c.admit('ip'))
  })

  test('a close during the handshake frees both counts', () => {
    const c = new PerIpConnections({ maxPendingPerIp: 2, maxConnectionsPerIp: 2 })
    const a = ticket(c.admit('ip'))
    a.closed()
    assert.equal(c.pending('ip'), 0)
    assert.equal(c.connections('ip'), 0)
    assert.equal(c.addresses, 0, 'no entry is kept for an address with nothing counted')
  })

  test('upgraded and closed are idempotent and order-free: each count is taken back once', () => {
    const c = new PerIpConnections({ maxPendingPerIp: 8, maxConnectionsPerIp: 8 })
    const keep = ticket(c.admit('ip'))
    const a = ticket(c.admit('ip'))
    a.upgraded(); a.upgraded(); a.closed(); a.closed(); a.upgraded()
    const b = ticket(c.admit('ip'))
    b.closed(); b.upgraded(); b.closed()
    assert.equal(c.pending('ip'), 1, 'only `keep` is still in its handshake')
    assert.equal(c.connections('ip'), 1)
    keep.upgraded()
    keep.closed()
    assert.equal(c.connections('ip'), 0)
    assert.equal(c.pending('ip'), 0)
  })

  test('a flood of admissions and closes from one IP leaves the counts where they belong', () => {
    const c = new PerIpConnections({ maxPendingPerIp: 4, maxConnectionsPerIp: 16 })
    const open: Ticket[] = []
    let refused = 0
    for (let i = 0; i < 10_000; i++) {
      const t = c.admit('flood')
      if (typeof t === 'string') { refused++; const old = open.shift(); old?.closed(); continue }
      if (i % 3 === 0) t.upgraded()
      open.push(t)
      assert.ok(c.pending('flood') <= 4)
      assert.ok(c.connections('flood') <= 16)
    }
    assert.ok(refused > 0)
    for (const t of open) t.closed()
    assert.equal(c.connections('flood'), 0)
    assert.equal(c.pending('flood'), 0)
  })
})
