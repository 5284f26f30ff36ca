// README's table of chordd's options, made from the option table (daemon/host/options.ts):
// `npm run docs:options` writes it between the markers, test/unit/options.test.ts checks it is there.
import { OPTION_KEYS, formatValue, specOf, type OptionSpec } from '../../daemon/host/options.js'

export const BEGIN_MARKER = '<!-- options:begin -->'
export const END_MARKER = '<!-- options:end -->'

const cell = (s: string): string => s.replace(/\|/g, '\\|')
const code = (s: string): string => `\`${s}\``

function row (spec: OptionSpec<unknown>): string {
  const shown = formatValue(spec, spec.default)
  const value = shown == null ? `none${spec.none == null ? '' : `: ${spec.none}`}` : spec.kind.literal === true ? code(shown) : shown
  const flag = code(spec.flag) + (spec.kind.repeatable === true ? ' (repeatable)' : '')
  // Choices the placeholder does not show (`<level>`, unlike `<on|off>`) are listed.
  const choices = spec.kind.choices == null || spec.flag.includes('|') ? '' : `; one of ${spec.kind.choices.map(code).join(', ')}`
  const meaning = (spec.readme ?? spec.help) + choices + (spec.hidden === true ? ' (hidden from `--help`)' : '')
  return `| ${[flag, code(spec.env), value, meaning].map(cell).join(' | ')} |`
}

/** The markdown table: flag, env, default, meaning; one row per option, in table order. */
export function optionsTable (): string {
  return ['| flag | env | default | meaning |', '|---|---|---|---|', ...OPTION_KEYS.map(k => row(specOf(k)))].join('\n')
}

function markers (readme: string): { from: number, to: number } {
  const from = readme.indexOf(BEGIN_MARKER)
  const to = readme.indexOf(END_MARKER)
  if (from < 0 || to < from) throw new Error(`README has no ${BEGIN_MARKER} ... ${END_MARKER} section`)
  return { from: from + BEGIN_MARKER.length, to }
}

/** What README holds between the markers, without the line breaks next to them. */
export function readmeOptionsTable (readme: string): string {
  const { from, to } = markers(readme)
  return readme.slice(from, to).replace(/^\n/, '').replace(/\n$/, '')
}

/** README with `table` between the markers. */
export function withOptionsTable (readme: string, table: string): string {
  const { from, to } = markers(readme)
  return `${readme.slice(0, from)}\n${table}\n${readme.slice(to)}`
}
