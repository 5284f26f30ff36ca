// Real chordd processes: a peer killed with SIGKILL is routed around and the ring heals;
// a restarted peer keeps its id; SIGTERM leaves gracefully, hands its keys over, exits 0.
// The ring keeps one copy per key (r = 1, w = 1): a key the leaver owned reads back only if
// the leaver handed it over, not because a replica happened to hold it.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { toString } from 'uint8arrays/to-string'
import { splitP2p } from '../../protocol/peerInfo.js'
import { hashToId } from '../../protocol/ring.js'
import { ChordClient } from '../../tools/lib/client.js'
import { checkRing, sortRing, successorOf } from '../../tools/lib/ringCheck.js'
import { killAll, startChordd, type Daemon } from '../helpers/chordd.js'

const ONE_COPY = ['--replicas', '1', '--write-quorum', '1']
const FAST = [...ONE_COPY, '--stabilize-ms', '100', '--fix-fingers-ms', '50', '--check-predecessor-ms', '200', '--rpc-timeout-ms', '500', '--lookup-timeout-ms', '4000', '--http', 'off', '--log-level', 'warn']
const enc = new TextEncoder()
const dec = new TextDecoder()

describe('chordd processes under crashes and restarts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chordmeter-crash-'))
  const daemons = new Map<string, Daemon>()
  let client: ChordClient

  const targetOf = (d: Daemon): { peerId: string, addrs: string[] } => ({ peerId: d.info.peerId, addrs: [splitP2p(d.info.listen[0]).addr] })
  const start = async (name: string, i: number, bootstrap?: Daemon): Promise<Daemon> => {
    const d = await startChordd(['--data-dir', join(dir, name), '--listen', `/ip4/127.0.1.${i}/tcp/0`, ...(bootstrap == null ? [] : ['--bootstrap', bootstrap.info.listen[0]]), ...FAST])
    daemons.set(name, d)
    return d
  }
  const waitIdeal = async (members: Daemon[], timeoutMs = 30_000): Promise<void> => {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const views = (await Promise.all(members.map(async m => await client.state(targetOf(m)).catch(() => undefined)))).filter(v => v != null)
      const c = checkRing(views, members.map(m => ({ peerId: m.info.peerId, ringId: m.info.ringId })), 8)
      if (c.fingersIdeal) return
      if (Date.now() > deadline) assert.fail(`ring not ideal: ${c.problems.join('; ')}`)
      await new Promise(resolve => setTimeout(resolve, 200))
    }
  }

  before(async () => {
    client = await ChordClient.create({ timeoutMs: 5_000 })
    const first = await start('p0', 1)
    await Promise.all([1, 2, 3, 4].map(async i => await start(`p${i}`, i + 1, first)))
    await waitIdeal([...daemons.values()])
  })
  after(async () => {
    await client?.stop()
    await killAll()
    rmSync(dir, { recursive: true, force: true })
  })

  test('the identity key is private to the peer (mode 0600)', () => {
    assert.equal(statSync(join(dir, 'p0', 'peer.key')).mode & 0o777, 0o600)
  })

  test('SIGKILL: lookups route around the dead peer and the ring heals', { timeout: 60_000 }, async () => {
    const victim = daemons.get('p2')!
    victim.proc.kill('SIGKILL')
    await victim.exited
    daemons.delete('p2')
    const live = [...daemons.values()]
    // Right away, before the ring has healed, lookups from every live peer still succeed.
    for (let i = 0; i < 40; i++) {
      const r = await client.lookup(targetOf(live[i % live.length]), { key: enc.encode(`probe-${i}`) })
      assert.ok(r.owner != null)
    }
    await waitIdeal(live)
    for (let i = 0; i < 40; i++) {
      const r = await client.lookup(targetOf(live[i % live.length]), { key: enc.encode(`probe-${i}`) })
      const owner = toString(r.owner!.peerId, 'base58btc')
      assert.ok(live.some(d => d.info.peerId === owner), `owner ${owner} is a live peer`)
    }
  })

  test('a restarted peer keeps its peer id and ring position and rejoins', { timeout: 60_000 }, async () => {
    const old = daemons.get('p3')!
    old.proc.kill('SIGKILL')
    await old.exited
    const again = await start('p3', 4, daemons.get('p0'))
    assert.equal(again.info.peerId, old.info.peerId)
    assert.equal(again.info.ringId, old.info.ringId)
    await waitIdeal([...daemons.values()])
  })

  test('SIGTERM: the peer leaves, hands its keys over and exits 0', { timeout: 60_000 }, async () => {
    const all = [...daemons.values()]
    const leaver = daemons.get('p4')!
    // Half the keys owned by the leaver, so the test cannot pass on keys it never held.
    const sorted = sortRing(all.map(d => ({ peerId: d.info.peerId, ringId: d.info.ringId })))
    const ownedByLeaver = (k: string): boolean => successorOf(sorted, hashToId(enc.encode(k))).peerId === leaver.info.peerId
    const keys: string[] = []
    for (let i = 0, mine = 0, others = 0; (mine < 30 || others < 30) && i < 1_000_000; i++) {
      const k = `k${i}`
      if (ownedByLeaver(k) ? mine++ < 30 : others++ < 30) keys.push(k)
    }
    for (const [i, k] of keys.entries()) await client.put(targetOf(all[i % all.length]), enc.encode(k), enc.encode(`v-${k}`))
    const held = (await client.state(targetOf(leaver))).keys
    assert.equal(held, 30, 'with one copy per key the leaver holds exactly the keys it owns')
    const t0 = Date.now()
    leaver.proc.kill('SIGTERM')
    assert.equal(await leaver.exited, 0)
    assert.ok(Date.now() - t0 < 10_000, 'left within the bound')
    daemons.delete('p4')
    const live = [...daemons.values()]
    await waitIdeal(live)
    const missing: string[] = []
    for (const [i, k] of keys.entries()) {
      const r = await client.get(targetOf(live[i % live.length]), enc.encode(k))
      if (!r.found) missing.push(k)
      else assert.equal(dec.decode(r.value), `v-${k}`)
    }
    assert.deepEqual(missing, [], `${missing.length} of ${keys.length} keys lost in the leave (the leaver held ${held})`)
  })
})
