// Commander flags made from the option table (./options.ts): chordd's, and the peer settings
// tools/swarm.ts passes through to every peer. Commander only reads the command line here;
// CHORD_* variables and defaults are applied by inputFrom and resolveConfig (./config.ts).
import { Option, type Command } from 'commander'
import { OPTION_KEYS, formatValue, specOf, type OptionDefaults, type OptionKey, type OptionSpec } from './options.js'

export interface TableFlagsInit {
  /** The table entries to offer. Default: all, in table order. */
  keys?: readonly OptionKey[]
  /** Name each option's CHORD_* variable in --help (chordd reads them, the swarm does not). Default true. */
  env?: boolean
  /** Defaults in place of the table's, as --help shows them; give inputFrom the same. */
  defaults?: OptionDefaults
}

const collect = (v: string, prev: string[] = []): string[] => [...prev, v]

/** Adds a flag to `program` for each table entry in `init.keys`. */
export function addTableFlags (program: Command, init: TableFlagsInit = {}): Command {
  for (const key of init.keys ?? OPTION_KEYS) {
    const spec = specOf(key)
    const option = new Option(spec.flag, helpLine(spec, { env: init.env ?? true, value: init.defaults?.[key] ?? spec.default }))
    if (spec.kind.repeatable === true) option.argParser(collect)
    if (spec.hidden === true) option.hideHelp()
    program.addOption(option)
  }
  return program
}

/** What --help says of an option: `help`, then (repeatable; choices; default; env) as commander's own help would. */
export function helpLine (spec: OptionSpec<unknown>, { env, value }: { env: boolean, value: unknown }): string {
  const shown = formatValue(spec, value)
  const extra = [
    ...(spec.kind.repeatable === true ? ['repeatable'] : []),
    ...(spec.kind.choices == null ? [] : [`choices: ${spec.kind.choices.join(', ')}`]),
    ...(shown == null ? [] : [`default: ${shown}`]),
    ...(env ? [`env: ${spec.env}`] : [])
  ]
  return extra.length === 0 ? spec.help : `${spec.help} (${extra.join('; ')})`
}

/** The values given on `program`'s command line, by flag name without dashes ('stabilize-ms'). */
export function givenFlags (program: Command): Record<string, unknown> {
  return Object.fromEntries(program.options.map(o => [o.name(), program.getOptionValue(o.attributeName())]))
}
