// Peer configuration: validated and frozen once at start-up. Precedence: flags > CHORD_* env > defaults.
// Each field's flag, variable, default, unit and bounds are in the option table (./options.ts).
import { ConfigError } from './optionKinds.js'
import { OPTION_KEYS, flagName, specOf, type OptionDefaults, type OptionKey } from './options.js'
import type { PeerConfig, PeerConfigInput } from './peerConfig.js'

export { ConfigError }
export type { PeerConfig, PeerConfigInput, ResourceLimits } from './peerConfig.js'

/** A config object seen as groups of fields, where key 'choking.rechokeMs' lives. */
type Fields = Record<string, unknown>

function read (from: Fields, key: OptionKey): unknown {
  const [group, field] = key.split('.')
  return field == null ? from[group] : (from[group] as Fields | undefined)?.[field]
}

function write (to: Fields, key: OptionKey, value: unknown): void {
  const [group, field] = key.split('.')
  if (field == null) to[group] = value
  else ((to[group] ??= {}) as Fields)[field] = value
}

/** Where the settings come from, strongest first: flags, then CHORD_* variables, then a program's own defaults. */
export interface ConfigSources {
  /** Values given on the command line, by flag name without dashes (commandLine.ts givenFlags). */
  flags?: Readonly<Record<string, unknown>>
  /** The environment; none read when absent (the swarm passes its peers' settings by flag only). */
  env?: Readonly<Record<string, string | undefined>>
  /** Defaults in place of the table's (tools/swarm.ts: faster maintenance). */
  defaults?: OptionDefaults
}

/** The config input that `sources` give, each value parsed and checked alone; resolveConfig checks the rest. */
export function inputFrom ({ flags = {}, env = {}, defaults = {} }: ConfigSources): PeerConfigInput {
  const input: Fields = {}
  for (const key of OPTION_KEYS) {
    const spec = specOf(key)
    const flag = flags[flagName(spec)]
    const fromEnv = flag === undefined ? env[spec.env] : undefined
    const raw = flag ?? fromEnv ?? defaults[key]
    if (raw === undefined) continue
    try {
      write(input, key, spec.kind.parse(flagName(spec), raw))
    } catch (err) {
      // Say where a bad value came from when it was not the flag itself.
      if (fromEnv !== undefined && err instanceof ConfigError) throw new ConfigError(`${err.message} (from ${spec.env})`)
      throw err
    }
  }
  return input as PeerConfigInput
}

/** The frozen config `input` asks for, defaults from the option table; a ConfigError names the flag of a bad value. */
export function resolveConfig (input: PeerConfigInput): PeerConfig {
  const cfg: Fields = {}
  for (const key of OPTION_KEYS) {
    const spec = specOf(key)
    const raw = read(input as Fields, key)
    const given = raw === undefined ? undefined : spec.kind.parse(flagName(spec), raw)
    write(cfg, key, given === undefined ? spec.default : given)
  }
  for (const [k, v] of Object.entries(cfg)) if (typeof v === 'object' && v !== null) cfg[k] = Object.freeze(Array.isArray(v) ? [...v] : v)
  checkRules(cfg as unknown as PeerConfig)
  return Object.freeze(cfg) as unknown as PeerConfig
}

/** The rules between settings, all in one place. */
function checkRules (cfg: PeerConfig): void {
  const { choking: c, limits: l } = cfg
  if (c.optimisticSlots > c.unchokeSlots) throw new ConfigError(`optimistic-slots (${c.optimisticSlots}) must be at most unchoke-slots (${c.unchokeSlots})`)
  if (c.windowMs < c.rechokeMs) throw new ConfigError('choke-window-ms must be at least rechoke-ms')
  if (l.maxPendingHandshakesPerIp > l.maxPendingHandshakes) throw new ConfigError(`max-pending-handshakes-per-ip (${l.maxPendingHandshakesPerIp}) must be at most max-pending-handshakes (${l.maxPendingHandshakes})`)
  if (l.maxConnectionsPerIp > l.maxConnections) throw new ConfigError(`max-connections-per-ip (${l.maxConnectionsPerIp}) must be at most max-connections (${l.maxConnections})`)
  if (l.maxBufferedBytesPerRemote > l.maxBufferedBytes) throw new ConfigError(`max-buffered-bytes-per-remote (${l.maxBufferedBytesPerRemote}) must be at most max-buffered-bytes (${l.maxBufferedBytes})`)
  if (cfg.idHex != null && !cfg.allowExplicitIds) throw new ConfigError('id-hex needs --allow-explicit-ids (and every peer of the ring must run with it)')
  if (cfg.replicas > cfg.successors + 1) throw new ConfigError(`replicas (${cfg.replicas}) must be at most successors + 1 (${cfg.successors + 1}): replicas live on the successor list`)
  if (cfg.writeQuorum > cfg.replicas) throw new ConfigError(`write-quorum (${cfg.writeQuorum}) must be at most replicas (${cfg.replicas})`)
  for (const [max, base, name] of [[cfg.stabilizeMaxMs, cfg.stabilizeMs, 'stabilize'], [cfg.fixFingersMaxMs, cfg.fixFingersMs, 'fix-fingers'], [cfg.repairMaxMs, cfg.repairMs, 'repair']] as const) {
    if (max != null && max < base) throw new ConfigError(`${name}-max-ms (${max}) must be at least ${name}-ms (${base})`)
  }
  if (cfg.lookupTimeoutMs < cfg.rpcTimeoutMs) throw new ConfigError('lookup-timeout-ms must be at least rpc-timeout-ms')
  // A write's failure is held back max-clock-skew-ms (writeFence.ts): a client operation must outlast it.
  if (cfg.maxClockSkewMs * 2 > cfg.lookupTimeoutMs) throw new ConfigError(`max-clock-skew-ms (${cfg.maxClockSkewMs}) must be at most half of lookup-timeout-ms (${cfg.lookupTimeoutMs})`)
}
