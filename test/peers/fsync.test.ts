// A write is committed before it is acknowledged, seen from outside a real chordd: the
// store's own SQLite connection reports WAL with synchronous=FULL (so a commit is fsync'd),
// and a peer killed with SIGKILL the moment each put is acked comes back from its data dir
// with every key acked so far. One peer keeping one copy (r = 1, w = 1): each ack rests on
// that one disk. SIGKILL leaves the page cache intact, so it catches an ack sent before the
// commit; only the PRAGMAs speak for the fsync itself (what a power cut would need).
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { splitP2p } from '../../protocol/peerInfo.js'
import type { RpcTarget } from '../../daemon/rpc/client.js'
import { ChordClient } from '../../tools/lib/client.js'
import { killAll, startChordd, type Daemon } from '../helpers/chordd.js'

const ROUNDS = 20
const FLAGS = ['--replicas', '1', '--write-quorum', '1', '--http', 'off', '--log-level', 'warn']
const enc = new TextEncoder()
const dec = new TextDecoder()
const targetOf = (d: Daemon): RpcTarget => ({ peerId: d.info.peerId, addrs: [splitP2p(d.info.listen[0]).addr] })

describe('chordd: a put is on disk before its ack', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chordmeter-fsync-'))
  let client: ChordClient
  let daemon: Daemon
  const start = async (): Promise<Daemon> => await startChordd(['--data-dir', join(dir, 'p0'), '--listen', '/ip4/127.0.4.1/tcp/0', ...FLAGS])

  before(async () => {
    client = await ChordClient.create({ timeoutMs: 10_000 })
    daemon = await start()
  })
  after(async () => {
    await client?.stop()
    await killAll()
    rmSync(dir, { recursive: true, force: true })
  })

  test('GET_STATS: the running store is in WAL mode with synchronous=FULL', { timeout: 30_000 }, async () => {
    const stats = await client.stats(targetOf(daemon))
    assert.deepEqual(stats.store.durability, { journalMode: 'wal', synchronous: 2 })
  })

  test(`SIGKILL the moment each of ${ROUNDS} puts is acked: every acked key is back after each restart`, { timeout: 180_000 }, async t => {
    const acked: string[] = []
    const started = Date.now()
    for (let i = 0; i < ROUNDS; i++) {
      const key = `acked-${i}`
      const res = await client.put(targetOf(daemon), enc.encode(key), enc.encode(`value ${i}`))
      daemon.proc.kill('SIGKILL') // nothing awaited between the ack and the kill
      assert.equal(res.replicas, 1, 'acknowledged by the one peer')
      acked.push(key)
      assert.equal(await daemon.exited, null, 'killed, not exited on its own')
      daemon = await start()
      const lost: string[] = []
      for (const [j, k] of acked.entries()) {
        const r = await client.get(targetOf(daemon), enc.encode(k))
        if (!r.found || dec.decode(r.value) !== `value ${j}`) lost.push(k)
      }
      assert.deepEqual(lost, [], `after kill ${i + 1}, ${lost.length} of ${acked.length} acked keys are gone`)
    }
    t.diagnostic(`${ROUNDS} put / SIGKILL / restart rounds in ${Date.now() - started} ms, ${acked.length} acked keys all read back`)
  })
})
