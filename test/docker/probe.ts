// Bad input from inside the compose network (run in a container of the project by
// harness.test.ts): garbage bytes to a peer's TCP port, then malformed protobuf on a chord
// stream; the peer must answer with errors and keep serving. Prints one JSON line; exit 0 ok.
//   node dist/test/docker/probe.js <host> [port]
import '../../daemon/host/quietWarnings.js'
import { lookup } from 'node:dns/promises'
import { connect } from 'node:net'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { multiaddr } from '@multiformats/multiaddr'
import { CHORD_PROTOCOL } from '../../protocol/constants.js'
import { ErrorCode, Frame, MessageType } from '../../protocol/chord.js'
import { errorName, typeNumber } from '../../protocol/messages.js'
import { encodeFrame } from '../../protocol/framing.js'
import { createNode } from '../../daemon/host/libp2pNode.js'
import { readFrames } from '../../daemon/rpc/streamIo.js'
import { ChordClient } from '../../tools/lib/client.js'

const [host = 'peer', port = '4001'] = process.argv.slice(2)
const enc = new TextEncoder()
const framed = encodeFrame

async function garbage (ip: string): Promise<number> {
  let sent = 0
  for (const junk of [Buffer.alloc(4096, 0xff), Buffer.from('GET / HTTP/1.1\r\n\r\n'), Buffer.from('/multistream/1.0.0\n')]) {
    await new Promise<void>(resolve => {
      const s = connect(Number(port), ip, () => { s.write(junk); sent++ })
      s.on('error', () => { resolve() })
      s.on('close', () => { resolve() })
      setTimeout(() => { s.destroy(); resolve() }, 2_000)
    })
  }
  return sent
}

async function main (): Promise<void> {
  const { address: ip } = await lookup(host, 4)
  const addr = `/ip4/${ip}/tcp/${port}`
  const garbageSent = await garbage(ip)
  // A peer admits 5 new connections a second from one address (--conn-rate-per-ip): let the garbage ones age out.
  await new Promise(resolve => setTimeout(resolve, 1_100))

  const raw = await createNode({ privateKey: await generateKeyPair('Ed25519'), listen: [] })
  const replies: string[] = []
  try {
    const stream = await raw.dialProtocol(multiaddr(addr), CHORD_PROTOCOL, { signal: AbortSignal.timeout(10_000) })
    const it = readFrames(stream, 4 << 20)[Symbol.asyncIterator]()
    const next = async (): Promise<string> => { const r = await it.next(); return r.done === true ? 'closed' : errorName(r.value.frame.error) }
    // A NOTIFY whose body is not a protobuf message, then a PING on the same stream.
    stream.send(framed(Frame.encode({ id: 1, type: typeNumber(MessageType.NOTIFY), body: Uint8Array.from([0x0a, 0xff, 0xff, 0xff, 0x0f]), deadlineMs: 1000 })))
    replies.push(await next())
    stream.send(framed(Frame.encode({ id: 2, type: typeNumber(MessageType.PING), body: new Uint8Array(), deadlineMs: 1000 })))
    replies.push(await next())
    // Bytes that are not a Frame at all: an error reply, then the stream closes.
    stream.send(framed(Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff])))
    replies.push(await next())
  } finally {
    await raw.stop()
  }

  const client = await ChordClient.create()
  let serves = false
  try {
    const target = await client.target(addr)
    await client.put(target, enc.encode('probe-after-bad-input'), enc.encode('ok'))
    const got = await client.get(target, enc.encode('probe-after-bad-input'))
    serves = got.found && new TextDecoder().decode(got.value) === 'ok'
  } finally {
    await client.stop()
  }
  const want = [ErrorCode.BAD_REQUEST, ErrorCode.OK, ErrorCode.BAD_REQUEST]
  const ok = garbageSent === 3 && want.every((w, i) => replies[i] === w) && serves
  process.stdout.write(JSON.stringify({ event: 'probe', addr, garbageSent, replies, serves, ok }) + '\n')
  process.exitCode = ok ? 0 : 1
}

main().catch(err => {
  process.stdout.write(JSON.stringify({ event: 'probe', ok: false, error: (err as Error).message }) + '\n')
  process.exitCode = 1
}).finally(() => { setTimeout(() => { process.exit() }, 100) })
