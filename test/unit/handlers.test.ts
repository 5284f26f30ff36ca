// The handler table without sockets: one handler per message type of the RPC table, a fault
// test's overrides over the honest ones, and no ring RPC answered before the peer has joined.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { handlerTable, type HandlerTableInit } from '../../daemon/host/handlers.js'
import type { Handler, RequestContext } from '../../daemon/rpc/server.js'
import { MessageType } from '../../protocol/chord.js'
import { ChordError, ErrorCode } from '../../protocol/errors.js'
import { MESSAGES, type RpcType } from '../../protocol/messages.js'

/** A part whose every handler answers with its own name. */
const named = (who: string, extra: Record<string, unknown> = {}): never =>
  new Proxy(extra, { get: (t, k) => k in t ? t[k as string] : async () => `${who}.${String(k)}` }) as never

function table (o: Partial<HandlerTableInit> = {}): { call: (type: RpcType) => Promise<unknown>, member: { joined: boolean }, refused: () => number } {
  const member = { joined: false }
  let refused = 0
  const handlers = handlerTable({
    rpc: named('rpc'),
    ring: named('ring'),
    maintenance: named('maintenance', member),
    router: named('router'),
    keys: named('keys'),
    antiEntropy: named('antiEntropy'),
    hints: named('hints'),
    telemetry: named('telemetry'),
    onRefusedNotMember: () => { refused++ },
    ...o
  })
  const ctx: RequestContext = { remotePeer: 'r', remoteAddr: '/ip4/127.0.0.1/tcp/1', signal: new AbortController().signal, deadlineMs: 1000 }
  const call = async (type: RpcType): Promise<unknown> => await (handlers[type] as Handler<RpcType>)({} as never, ctx)
  assert.deepEqual(Object.keys(handlers).sort(), Object.keys(MESSAGES).sort(), 'every message type has its handler')
  return { call, member, refused: () => refused }
}

describe('handlerTable', () => {
  test('each message type goes to its part\'s handler once the peer has joined', async () => {
    const { call, member } = table()
    member.joined = true
    assert.equal(await call(MessageType.NOTIFY), 'maintenance.handleNotify')
    assert.equal(await call(MessageType.FIND_SUCCESSOR), 'router.handleFindSuccessor')
    assert.equal(await call(MessageType.REPAIR_PUT), 'keys.handleReplicaPut', 'repair pushes are replica writes')
    assert.equal(await call(MessageType.SYNC_DIGESTS), 'antiEntropy.handleSyncDigests')
    assert.equal(await call(MessageType.CLIENT_GET), 'keys.handleClientGet')
  })

  test('before it has joined, ring RPCs are refused with NOT_MEMBER and counted; pings and replica reads are served', async () => {
    const { call, member, refused } = table()
    await assert.rejects(call(MessageType.FIND_SUCCESSOR), (err: unknown) => err instanceof ChordError && err.code === ErrorCode.NOT_MEMBER)
    await assert.rejects(call(MessageType.CLIENT_PUT), (err: unknown) => err instanceof ChordError && err.code === ErrorCode.NOT_MEMBER)
    assert.equal(refused(), 2)
    assert.equal(await call(MessageType.PING), 'maintenance.handlePing')
    assert.equal(await call(MessageType.REPLICA_GET), 'keys.handleReplicaGet')
    member.joined = true
    assert.equal(await call(MessageType.FIND_SUCCESSOR), 'router.handleFindSuccessor')
  })

  test('overrides replace honest handlers, see them, and are member-only too', async () => {
    const { call, member } = table({
      overrides: ({ handlers }) => ({ [MessageType.NEXT_HOP]: async (req, ctx) => `lying ${String(await handlers[MessageType.NEXT_HOP]!(req, ctx))}` as never })
    })
    await assert.rejects(call(MessageType.NEXT_HOP), (err: unknown) => err instanceof ChordError && err.code === ErrorCode.NOT_MEMBER)
    member.joined = true
    assert.equal(await call(MessageType.NEXT_HOP), 'lying router.handleNextHop')
    assert.equal(await call(MessageType.FIND_SUCCESSOR), 'router.handleFindSuccessor')
  })
})
