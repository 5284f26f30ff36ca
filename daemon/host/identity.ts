// A peer's identity is its Ed25519 key, kept in the data dir (mode 0600) so that a
// restarted peer comes back with the same peer id and therefore the same ring position;
// startPeerNode starts the node that key names and says where the peer sits on the ring.
import { mkdir, open, readFile, rename } from 'node:fs/promises'
import { join } from 'node:path'
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import type { Libp2p, PrivateKey } from '@libp2p/interface'
import { peerIdBytes, type PeerRef } from '../../protocol/peerInfo.js'
import { hashToId, hexToId } from '../../protocol/ring.js'
import type { PeerConfig } from './config.js'
import { announceAddrs, createNode } from './libp2pNode.js'

export const KEY_FILE = 'peer.key'

export async function loadOrCreateKey (dataDir: string): Promise<{ key: PrivateKey, created: boolean }> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 })
  const path = join(dataDir, KEY_FILE)
  try {
    return { key: privateKeyFromProtobuf(await readFile(path)), created: false }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`cannot read identity ${path}: ${(err as Error).message}`)
  }
  const key = await generateKeyPair('Ed25519')
  // Write, fsync, then rename: a crash leaves either no key or a whole one.
  const tmp = `${path}.${process.pid}.tmp`
  const fh = await open(tmp, 'w', 0o600)
  try {
    await fh.writeFile(privateKeyToProtobuf(key))
    await fh.sync()
  } finally {
    await fh.close()
  }
  await rename(tmp, path)
  return { key, created: true }
}

/**
 * A peer's node and its place on the ring: its key (kept in dataDir, or a new one), its libp2p
 * node listening, and who it is to others: the peer id, the ring id (SHA-1 of the peer id, or an
 * explicit one) and the addresses it announces.
 */
export async function startPeerNode (o: Pick<PeerConfig, 'dataDir' | 'listen' | 'limits' | 'idHex'>): Promise<{ libp2p: Libp2p, self: PeerRef }> {
  const privateKey = o.dataDir == null ? await generateKeyPair('Ed25519') : (await loadOrCreateKey(o.dataDir)).key
  const libp2p = await createNode({ privateKey, listen: o.listen, limits: o.limits })
  const peerId = libp2p.peerId.toString()
  const id = o.idHex != null ? hexToId(o.idHex) : hashToId(peerIdBytes(peerId))
  const addrs = announceAddrs(libp2p.getMultiaddrs()).map(a => a.decapsulateCode(421).toString())
  return { libp2p, self: { peerId, id, addrs } }
}
