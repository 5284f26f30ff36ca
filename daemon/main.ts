#!/usr/bin/env node
// chordd: run one Chord peer. Flags > CHORD_* environment > defaults (daemon/host/options.ts).
import './host/quietWarnings.js'
import { Command } from 'commander'
import { pino } from 'pino'
import { addTableFlags, givenFlags } from './host/commandLine.js'
import { ConfigError, inputFrom, resolveConfig } from './host/config.js'
import { ChordPeer } from './host/peer.js'

const program = addTableFlags(new Command('chordd').description('a Chord peer on libp2p that meters what participating costs it')).exitOverride()

async function main (): Promise<void> {
  try {
    program.parse()
  } catch (err) {
    if ((err as { exitCode?: number }).exitCode === 0) process.exit(0)
    process.exit(2)
  }
  let config
  try {
    config = resolveConfig(inputFrom({ flags: givenFlags(program), env: process.env }))
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`chordd: ${err.message}\n`)
      process.exit(2)
    }
    throw err
  }
  const log = pino({ level: config.logLevel })
  const peer = new ChordPeer(config, log)
  let signals = 0
  const shutdown = (sig: string): void => {
    if (++signals > 1) { log.warn({ signal: sig }, 'second signal: exiting now'); process.exit(1) }
    log.info({ event: 'shutdown', signal: sig }, 'leaving the ring')
    // Bounded: leave-timeout plus time to close sockets.
    setTimeout(() => { log.error('stop took too long; exiting'); process.exit(1) }, config.leaveTimeoutMs + 5_000).unref()
    peer.stop({ leave: true }).then(() => process.exit(0), err => { log.error({ err }, 'stop failed'); process.exit(1) })
  }
  process.on('SIGTERM', () => { shutdown('SIGTERM') })
  process.on('SIGINT', () => { shutdown('SIGINT') })
  await peer.start()
}

main().catch(err => {
  process.stderr.write(`chordd: ${(err as Error).stack ?? String(err)}\n`)
  process.exit(1)
})
