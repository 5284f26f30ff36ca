// The kinds of value an option takes (daemon/host/options.ts): how one is read from a flag or a
// CHORD_* variable (a string) or from code (a typed value), checked, and shown in --help and README.
import { multiaddr } from '@multiformats/multiaddr'

export class ConfigError extends Error {
  override name = 'ConfigError'
  readonly code = 'CONFIG'
}

export interface Kind<T> {
  /**
   * The value `raw` stands for, or undefined when it means "not set" (an empty path or list).
   * Throws a ConfigError naming the option by `name`, its flag without the dashes.
   */
  parse (name: string, raw: unknown): T | undefined
  /** A value as --help and README show it. */
  show (value: T): string
  /** Values a choice accepts, listed in --help. */
  readonly choices?: readonly string[]
  /** Several values: the flag repeats, and a CHORD_* variable separates them with commas. */
  readonly repeatable?: boolean
  /** README shows values as code (addresses), not as words or numbers. */
  readonly literal?: boolean
}

const number = (v: unknown): unknown => typeof v === 'string' ? Number(v) : v

/** An integer in [min, max]; a string is read with Number(). */
export function int ({ min = 1, max = 86_400_000 }: { min?: number, max?: number } = {}): Kind<number> {
  return {
    parse (name, raw) {
      const n = number(raw)
      if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) throw new ConfigError(`${name} must be an integer in [${min}, ${max}], got ${String(raw)}`)
      return n
    },
    show: String
  }
}

/** A finite number >= 0 (a unit price). */
export const nonNegative: Kind<number> = {
  parse (name, raw) {
    const n = number(raw)
    if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) throw new ConfigError(`${name} must be a number >= 0, got ${String(raw)}`)
    return n
  },
  show: String
}

/** One of a few words. */
export function choice<T extends string> (values: readonly T[]): Kind<T> {
  return {
    parse: (name, raw) => oneOf(name, values, raw),
    show: String,
    choices: values
  }
}

function oneOf<T extends string> (name: string, values: readonly T[], raw: unknown): T {
  if (!values.includes(raw as T)) throw new ConfigError(`${name} must be one of ${values.join(', ')}, got "${String(raw)}"`)
  return raw as T
}

/** A boolean written on or off (`--choking on`). */
export const onOff: Kind<boolean> = {
  parse: (name, raw) => typeof raw === 'boolean' ? raw : oneOf(name, ['on', 'off'], raw) === 'on',
  show: v => v ? 'on' : 'off',
  choices: ['on', 'off']
}

/** A flag without a value (`--allow-explicit-ids`); its variable takes true, false, 1 or 0, nothing else. */
export const switchFlag: Kind<boolean> = {
  parse: (name, raw) => typeof raw === 'boolean' ? raw : ['true', '1'].includes(oneOf(name, ['true', 'false', '1', '0'], raw)),
  show: v => v ? 'on' : 'off'
}

/** Multiaddrs, normalised; commas separate several in one value; none given means unset. */
export const multiaddrs: Kind<readonly string[]> = {
  parse (name, raw) {
    const given = [raw].flat().flatMap(s => String(s).split(',')).map(s => s.trim()).filter(s => s !== '')
    return given.length === 0 ? undefined : given.map(a => checkAddr(name, a))
  },
  show: v => v.join(', '),
  repeatable: true,
  literal: true
}

function checkAddr (name: string, a: string): string {
  try {
    return multiaddr(a).toString()
  } catch (err) {
    throw new ConfigError(`${name}: "${a}" is not a multiaddr (${(err as Error).message})`)
  }
}

/** host:port, port 0-65535; "off" (or null from code) for none. */
export const hostPortOrOff: Kind<string | null> = {
  parse (name, raw) {
    if (raw === null || raw === 'off') return null
    const m = typeof raw === 'string' ? /^([^\s]+):(\d{1,5})$/.exec(raw) : null
    if (m == null || Number(m[2]) > 65535) throw new ConfigError(`${name} must be host:port (port 0-65535) or "off", got "${String(raw)}"`)
    return raw as string
  },
  show: v => v ?? 'off',
  literal: true
}

/** Up to `digits` hex digits; empty means unset. */
export function hex (digits: number): Kind<string> {
  return {
    parse (name, raw) {
      if (raw === '') return undefined
      if (typeof raw !== 'string' || !new RegExp(`^[0-9a-fA-F]{1,${digits}}$`).test(raw)) throw new ConfigError(`${name} must be 1 to ${digits} hex digits, got "${String(raw)}"`)
      return raw
    },
    show: String
  }
}

/** A file-system path; empty means unset. */
export const path: Kind<string> = {
  parse (name, raw) {
    if (typeof raw !== 'string') throw new ConfigError(`${name} must be a path, got ${String(raw)}`)
    return raw === '' ? undefined : raw
  },
  show: String,
  literal: true
}
