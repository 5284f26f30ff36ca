// The per-IP caps of daemon/host/libp2pNode.ts on real sockets: idle TCP connections from one address
// hold at most maxPendingHandshakesPerIp handshakes and are dropped at the handshake timeout; the
// counts go back to zero; a peer on one specific loopback address is seen coming from it.
import assert from 'node:assert/strict'
import { connect, type Socket } from 'node:net'
import { after, before, describe, test } from 'node:test'
import { generateKeyPair } from '@libp2p/crypto/keys'
import type { Libp2p } from '@libp2p/interface'
import { multiaddr } from '@multiformats/multiaddr'
import { createNode, loopbackSource } from '../../daemon/host/libp2pNode.js'
import { PerIpConnections } from '../../daemon/host/perIpConnections.js'

const VICTIM = '127.0.6.1'
const FLOOD = '127.0.6.9'
const LIMITS = { connRatePerIp: 100, maxPendingHandshakes: 16, maxPendingHandshakesPerIp: 4, handshakeTimeoutMs: 1_000, maxConnections: 100, maxConnectionsPerIp: 8 }

async function until (what: string, cond: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!cond()) {
    if (Date.now() > deadline) assert.fail(`${what}: not within ${timeoutMs} ms`)
    await new Promise(resolve => setTimeout(resolve, 25))
  }
}

describe('per-IP connection caps on real sockets', () => {
  const counts = new PerIpConnections({ maxPendingPerIp: LIMITS.maxPendingHandshakesPerIp, maxConnectionsPerIp: LIMITS.maxConnectionsPerIp })
  let victim: Libp2p
  const nodes: Libp2p[] = []
  const victims: Libp2p[] = []
  const sockets: Socket[] = []
  const node = async (opts: { listen?: string[], dialFrom?: string }): Promise<Libp2p> => {
    const n = await createNode({ privateKey: await generateKeyPair('Ed25519'), listen: opts.listen ?? [], dialFrom: opts.dialFrom })
    nodes.push(n)
    return n
  }

  before(async () => {
    victim = await createNode({ privateKey: await generateKeyPair('Ed25519'), listen: [`/ip4/${VICTIM}/tcp/0`], limits: LIMITS, perIp: counts })
  })
  after(async () => {
    for (const s of sockets) s.destroy()
    await Promise.allSettled(nodes.map(async n => { await n.stop() }))
    await Promise.allSettled([victim, ...victims].map(async n => { await n?.stop() }))
  })

  test('idle connections from one address hold at most 4 handshakes and are dropped at the handshake timeout', { timeout: 30_000 }, async () => {
    const port = Number(victim.getMultiaddrs()[0].toString().split('/')[4])
    let closed = 0
    let peak = 0
    const sample = setInterval(() => { peak = Math.max(peak, counts.pending(FLOOD)) }, 5)
    for (let i = 0; i < 20; i++) {
      const s = connect({ host: VICTIM, port, localAddress: FLOOD })
      s.on('error', () => {})
      s.on('close', () => { closed++ })
      sockets.push(s)
    }
    await until('4 handshakes pending', () => counts.pending(FLOOD) === 4)
    // Another address is not affected: it connects while the flood's 4 are pending.
    const other = await node({ dialFrom: '127.0.6.2' })
    await other.dial(victim.getMultiaddrs()[0], { signal: AbortSignal.timeout(5_000) })
    // The dialer is done a moment before the victim's side of the upgrade.
    await until('upgraded: counted as open, no longer pending', () => counts.connections('127.0.6.2') === 1 && counts.pending('127.0.6.2') === 0)
    await until('every idle connection closed by the victim', () => closed === 20, 5_000 + LIMITS.handshakeTimeoutMs)
    clearInterval(sample)
    assert.equal(peak, 4, 'never more than 4 pending from one address')
    assert.equal(counts.pending(FLOOD), 0)
    assert.equal(counts.connections(FLOOD), 0)
    await other.stop()
    await until('the closed connection is no longer counted', () => counts.connections('127.0.6.2') === 0)
  })

  test('at most maxConnectionsPerIp open connections from one address, whatever the identities', { timeout: 30_000 }, async () => {
    const two = new PerIpConnections({ maxPendingPerIp: 4, maxConnectionsPerIp: 2 })
    const v = await createNode({ privateKey: await generateKeyPair('Ed25519'), listen: ['/ip4/127.0.6.7/tcp/0'], limits: { ...LIMITS, maxConnectionsPerIp: 2 }, perIp: two })
    victims.push(v)
    const from = '127.0.6.3'
    const a = await node({ dialFrom: from })
    const b = await node({ dialFrom: from })
    const c = await node({ dialFrom: from })
    await a.dial(v.getMultiaddrs()[0], { signal: AbortSignal.timeout(5_000) })
    await b.dial(v.getMultiaddrs()[0], { signal: AbortSignal.timeout(5_000) })
    await until('two connections counted', () => two.connections(from) === 2)
    await assert.rejects(c.dial(v.getMultiaddrs()[0], { signal: AbortSignal.timeout(5_000) }))
    await a.stop()
    await until('a slot is free again', () => two.connections(from) === 1)
    await c.dial(v.getMultiaddrs()[0], { signal: AbortSignal.timeout(5_000) })
    await until('two connections counted again', () => two.connections(from) === 2)
  })

  test('a node listening on one specific loopback address dials from it; a wildcard or several addresses leave the choice to the kernel', { timeout: 30_000 }, async () => {
    assert.equal(loopbackSource(['/ip4/127.0.6.5/tcp/0']), '127.0.6.5')
    assert.equal(loopbackSource(['/ip4/0.0.0.0/tcp/4001']), undefined)
    assert.equal(loopbackSource(['/ip4/10.0.0.5/tcp/4001']), undefined)
    assert.equal(loopbackSource(['/ip4/127.0.6.5/tcp/0', '/ip4/127.0.6.6/tcp/0']), undefined)
    assert.equal(loopbackSource([]), undefined)
    const packed = await node({ listen: ['/ip4/127.0.6.5/tcp/0'] })
    const conn = await packed.dial(multiaddr(victim.getMultiaddrs()[0].toString()), { signal: AbortSignal.timeout(5_000) })
    assert.ok(conn.remoteAddr.toString().startsWith(`/ip4/${VICTIM}/`))
    await until('the victim counts it under 127.0.6.5', () => counts.connections('127.0.6.5') === 1)
  })
})
