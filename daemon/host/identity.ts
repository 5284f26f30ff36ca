// A peer's identity is its Ed25519 key, kept in the data dir (mode 0600) so that a
// restarted peer comes back with the same peer id and therefore the same ring position.
import { mkdir, open, readFile, rename } from 'node:fs/promises'
import { join } from 'node:path'
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'

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
