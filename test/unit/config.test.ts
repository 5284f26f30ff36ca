import { test, describe } from 'node:test'
import assert from 'node:assert/strict'
import { ConfigError, resolveConfig, type PeerConfigInput } from '../../daemon/host/config.js'
import { DEFAULTS } from '../../protocol/constants.js'

/** Expect resolveConfig(input) to throw a ConfigError whose message matches `message`. */
function rejects (input: unknown, message: RegExp): void {
  assert.throws(() => resolveConfig(input as PeerConfigInput), (err: unknown) => {
    assert.ok(err instanceof ConfigError, `not a ConfigError: ${String(err)}`)
    assert.equal(err.name, 'ConfigError')
    assert.equal(err.code, 'CONFIG')
    assert.match(err.message, message)
    return true
  })
}

describe('resolveConfig defaults', () => {
  test('empty input gives the documented defaults', () => {
    const cfg = resolveConfig({})
    assert.deepEqual(cfg.listen, ['/ip4/127.0.0.1/tcp/0'])
    assert.deepEqual(cfg.bootstrap, [])
    assert.equal(cfg.http, '127.0.0.1:0')
    assert.equal(cfg.dataDir, undefined)
    assert.equal(cfg.idHex, undefined)
    assert.equal(cfg.allowExplicitIds, false)
    assert.equal(cfg.successors, 8)
    assert.equal(cfg.stabilizeMs, DEFAULTS.stabilizeMs)
    assert.equal(cfg.fixFingersMs, DEFAULTS.fixFingersMs)
    assert.equal(cfg.checkPredecessorMs, DEFAULTS.checkPredecessorMs)
    assert.equal(cfg.rpcTimeoutMs, DEFAULTS.rpcTimeoutMs)
    assert.equal(cfg.lookupTimeoutMs, DEFAULTS.lookupTimeoutMs)
    assert.equal(cfg.leaveTimeoutMs, DEFAULTS.leaveTimeoutMs)
    assert.equal(cfg.maxStoreBytes, 256 * 1024 * 1024)
    assert.equal(cfg.logLevel, 'info')
  })

  test('an empty listen list falls back to the default; empty strings mean unset', () => {
    const cfg = resolveConfig({ listen: [], dataDir: '', idHex: '' })
    assert.deepEqual(cfg.listen, ['/ip4/127.0.0.1/tcp/0'])
    assert.equal(cfg.dataDir, undefined)
    assert.equal(cfg.idHex, undefined)
  })

  test('http "off" disables the server', () => {
    assert.equal(resolveConfig({ http: 'off' }).http, null)
    assert.equal(resolveConfig({ http: null }).http, null)
    assert.equal(resolveConfig({ http: 'localhost:8080' }).http, 'localhost:8080')
  })

  test('given values pass through; numeric strings (from env) are parsed', () => {
    const cfg = resolveConfig({
      listen: ['/ip4/0.0.0.0/tcp/4001', '/ip6/::1/tcp/4002'],
      bootstrap: ['/ip4/10.0.0.1/tcp/4001/p2p/12D3KooW9xL25GeGGzoobr3Xks1cbbwaEJuFcdSmREquD2zmujea'],
      successors: '16' as unknown as number,
      stabilizeMs: 250,
      idHex: 'ABCdef',
      allowExplicitIds: true,
      logLevel: 'silent'
    })
    assert.deepEqual(cfg.listen, ['/ip4/0.0.0.0/tcp/4001', '/ip6/::1/tcp/4002'])
    assert.equal(cfg.bootstrap.length, 1)
    assert.equal(cfg.successors, 16)
    assert.equal(cfg.stabilizeMs, 250)
    assert.equal(cfg.idHex, 'ABCdef')
    assert.equal(cfg.logLevel, 'silent')
  })

  test('the result is frozen, lists included, and does not alias the input', () => {
    const listen = ['/ip4/127.0.0.1/tcp/5000']
    const cfg = resolveConfig({ listen })
    assert.ok(Object.isFrozen(cfg))
    assert.ok(Object.isFrozen(cfg.listen))
    assert.ok(Object.isFrozen(cfg.bootstrap))
    assert.throws(() => { (cfg as { successors: number }).successors = 1 }, TypeError)
    assert.throws(() => { (cfg.listen as string[]).push('/ip4/1.1.1.1/tcp/1') }, TypeError)
    listen.push('/ip4/127.0.0.1/tcp/5001')
    assert.deepEqual(cfg.listen, ['/ip4/127.0.0.1/tcp/5000'])
  })
})

describe('resolveConfig rejects bad values with a clear ConfigError', () => {
  test('successors out of [1, 64]', () => {
    rejects({ successors: 0 }, /successors must be an integer in \[1, 64\], got 0/)
    rejects({ successors: 65 }, /successors/)
    rejects({ successors: 2.5 }, /successors/)
  })

  test('periods that are not integers >= 10 ms', () => {
    rejects({ stabilizeMs: 'abc' }, /stabilize-ms must be an integer in \[10, 86400000\], got abc/)
    rejects({ fixFingersMs: 5 }, /fix-fingers-ms/)
    rejects({ checkPredecessorMs: -1000 }, /check-predecessor-ms/)
    rejects({ leaveTimeoutMs: Number.NaN }, /leave-timeout-ms/)
    rejects({ rpcTimeoutMs: '' }, /rpc-timeout-ms/)
    rejects({ maxStoreBytes: 0 }, /max-store-bytes/)
  })

  test('bad multiaddr, naming the option and the value', () => {
    rejects({ listen: ['127.0.0.1:4001'] }, /listen: "127\.0\.0\.1:4001" is not a multiaddr/)
    rejects({ bootstrap: ['/ip4/999.0.0.1/tcp/1'] }, /bootstrap: "\/ip4\/999\.0\.0\.1\/tcp\/1" is not a multiaddr/)
  })

  test('bad http', () => {
    for (const http of ['localhost', '127.0.0.1:', ':8080', 'a b:80', '127.0.0.1:80x', '']) {
      rejects({ http }, /http must be host:port/)
    }
  })

  test('http port above 65535', () => {
    rejects({ http: '127.0.0.1:99999' }, /http/)
  })

  test('idHex needs allowExplicitIds, and must be 1 to 40 hex digits', () => {
    rejects({ idHex: 'ff' }, /id-hex needs --allow-explicit-ids/)
    rejects({ idHex: 'xyz', allowExplicitIds: true }, /id-hex must be 1 to 40 hex digits, got "xyz"/)
    rejects({ idHex: 'f'.repeat(41), allowExplicitIds: true }, /id-hex must be 1 to 40/)
    assert.equal(resolveConfig({ idHex: 'f'.repeat(40), allowExplicitIds: true }).idHex, 'f'.repeat(40))
  })

  test('bad log level', () => {
    rejects({ logLevel: 'verbose' }, /log-level must be one of fatal, error, warn, info, debug, trace, silent, got "verbose"/)
    rejects({ logLevel: 'INFO' }, /log-level/)
  })

  test('lookupTimeoutMs below rpcTimeoutMs', () => {
    rejects({ rpcTimeoutMs: 3000, lookupTimeoutMs: 2999 }, /lookup-timeout-ms must be at least rpc-timeout-ms/)
    rejects({ rpcTimeoutMs: 9000 }, /lookup-timeout-ms must be at least rpc-timeout-ms/)
    assert.equal(resolveConfig({ rpcTimeoutMs: 3000, lookupTimeoutMs: 3000 }).lookupTimeoutMs, 3000)
  })
})

describe('resolveConfig limits', () => {
  test('defaults are the documented DEFAULTS.limits', () => {
    const l = resolveConfig({}).limits
    assert.deepEqual({ ...l }, { ...DEFAULTS.limits })
    assert.equal(l.connRatePerIp, 5)
    assert.equal(l.maxPendingHandshakes, 16)
    assert.equal(l.maxPendingHandshakesPerIp, 4)
    assert.equal(l.handshakeTimeoutMs, 5000)
    assert.equal(l.frameTimeoutMs, 10_000)
    assert.equal(l.maxBufferedBytesPerRemote, 8 * 1024 * 1024)
    assert.equal(l.maxBufferedBytes, 64 * 1024 * 1024)
    assert.ok(Object.isFrozen(l))
  })

  test('given values pass through one by one, strings from env parsed', () => {
    const l = resolveConfig({ limits: { connRatePerIp: '50' as unknown as number, maxConnections: 1000 } }).limits
    assert.equal(l.connRatePerIp, 50)
    assert.equal(l.maxConnections, 1000)
    assert.equal(l.maxPendingHandshakes, DEFAULTS.limits.maxPendingHandshakes)
  })

  test('bad values are refused, naming the flag', () => {
    rejects({ limits: { connRatePerIp: 0 } }, /conn-rate-per-ip/)
    rejects({ limits: { handshakeTimeoutMs: 5 } }, /handshake-timeout-ms/)
    rejects({ limits: { frameTimeoutMs: 1.5 } }, /frame-timeout-ms/)
    rejects({ limits: { maxBufferedBytesPerRemote: 1024 } }, /max-buffered-bytes-per-remote/)
    rejects({ limits: { maxPendingHandshakesPerIp: 20 } }, /max-pending-handshakes-per-ip \(20\) must be at most max-pending-handshakes \(16\)/)
    rejects({ limits: { maxConnectionsPerIp: 400 } }, /max-connections-per-ip \(400\) must be at most max-connections \(300\)/)
    rejects({ limits: { maxBufferedBytesPerRemote: 128 << 20 } }, /max-buffered-bytes-per-remote .* must be at most max-buffered-bytes/)
  })
})
