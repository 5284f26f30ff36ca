import { test, describe } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { Command } from 'commander'
import { addTableFlags, givenFlags } from '../../daemon/host/commandLine.js'
import { ConfigError, inputFrom, resolveConfig, type ConfigSources } from '../../daemon/host/config.js'
import { path } from '../../daemon/host/optionKinds.js'
import { OPTION_KEYS, flagName, formatValue, specOf } from '../../daemon/host/options.js'
import { optionsTable, readmeOptionsTable, withOptionsTable } from '../../tools/lib/optionsMarkdown.js'

// dist/test/unit/options.test.js -> the repository's README.md
const README = new URL('../../../README.md', import.meta.url)
const specs = OPTION_KEYS.map(key => ({ key, spec: specOf(key), name: flagName(specOf(key)) }))

/** The config `sources` resolve to. */
const configFrom = (sources: ConfigSources): ReturnType<typeof resolveConfig> => resolveConfig(inputFrom(sources))

/** Expect `run` to throw a ConfigError whose message matches `message`. */
function rejects (run: () => unknown, message: RegExp): void {
  assert.throws(run, (err: unknown) => {
    assert.ok(err instanceof ConfigError, `not a ConfigError: ${String(err)}`)
    assert.match(err.message, message)
    return true
  })
}

/** chordd's flags (all of the table's) given `argv`. */
function parsedFlags (argv: string[]): Record<string, unknown> {
  const program = addTableFlags(new Command('chordd')).exitOverride()
  program.parse(argv, { from: 'user' })
  return givenFlags(program)
}

describe('README', () => {
  test('its flag table is the one the option table makes (else run npm run docs:options)', () => {
    assert.equal(readmeOptionsTable(readFileSync(README, 'utf8')), optionsTable())
  })

  test('writing the table back leaves README as it is', () => {
    const readme = readFileSync(README, 'utf8')
    assert.equal(withOptionsTable(readme, readmeOptionsTable(readme)), readme)
  })

  test('the table has one row per option, each naming its flag and variable', () => {
    const rows = optionsTable().split('\n').slice(2)
    assert.equal(rows.length, specs.length)
    specs.forEach(({ spec }, i) => {
      assert.ok(rows[i].startsWith(`| \`${spec.flag.replace(/\|/g, '\\|')}\``), rows[i])
      assert.ok(rows[i].includes(`| \`${spec.env}\` |`), rows[i])
    })
  })
})

describe('the option table', () => {
  test('every entry has a flag, a CHORD_* variable named after it, and help', () => {
    for (const { spec, name } of specs) {
      assert.match(spec.flag, /^--[a-z][a-z0-9-]*( <[^>]+>)?$/, spec.flag)
      assert.equal(spec.env, `CHORD_${name.toUpperCase().replace(/-/g, '_')}`)
      assert.ok(spec.help.length > 0, name)
    }
  })

  test('flag and variable names are unique', () => {
    assert.equal(new Set(specs.map(s => s.name)).size, specs.length)
    assert.equal(new Set(specs.map(s => s.spec.env)).size, specs.length)
  })

  test('a flag without a value placeholder is a switch, and only a switch', () => {
    for (const { spec } of specs) assert.equal(!spec.flag.includes('<'), typeof spec.default === 'boolean' && spec.kind.choices == null, spec.flag)
  })

  test('it covers every field of the config, once', () => {
    const cfg = resolveConfig({}) as unknown as Record<string, unknown>
    const fields = Object.entries(cfg).flatMap(([k, v]) => typeof v === 'object' && v !== null && !Array.isArray(v) ? Object.keys(v).map(f => `${k}.${f}`) : [k])
    assert.deepEqual([...fields].sort(), [...OPTION_KEYS].sort())
  })

  test('a "none" text only where there is no default', () => {
    for (const { spec } of specs) if (spec.none != null) assert.equal(formatValue(spec, spec.default), undefined, spec.flag)
  })

  test('defaults are shown with their unit', () => {
    const show = (key: typeof OPTION_KEYS[number]): string | undefined => formatValue(specOf(key), specOf(key).default)
    assert.equal(show('stabilizeMs'), '1000 ms')
    assert.equal(show('tombstoneTtlMs'), '86400000 ms = 1 day')
    assert.equal(show('maxStoreBytes'), '268435456 bytes = 256 MiB')
    assert.equal(show('choking.capacity'), '500 req/s')
    assert.equal(show('choking.enabled'), 'on')
    assert.equal(show('allowExplicitIds'), 'off')
    assert.equal(show('listen'), '/ip4/127.0.0.1/tcp/0')
    assert.equal(show('bootstrap'), undefined)
    assert.equal(show('dataDir'), undefined)
  })
})

describe('flags and CHORD_* variables', () => {
  test('a variable sets what its flag sets; strings are parsed', () => {
    const cfg = configFrom({ env: { CHORD_STABILIZE_MS: '250', CHORD_CHOKING: 'off', CHORD_PRICE_ACCESS: '2.5', CHORD_CONN_RATE_PER_IP: '50', CHORD_LOG_LEVEL: 'silent' } })
    assert.equal(cfg.stabilizeMs, 250)
    assert.equal(cfg.choking.enabled, false)
    assert.equal(cfg.prices.access, 2.5)
    assert.equal(cfg.limits.connRatePerIp, 50)
    assert.equal(cfg.logLevel, 'silent')
    assert.deepEqual(configFrom({ flags: parsedFlags(['--stabilize-ms', '250', '--choking', 'off', '--price-access', '2.5']) }).prices, cfg.prices)
  })

  test('a flag wins over its variable, a variable over a program\'s defaults, those over the table\'s', () => {
    const env = { CHORD_STABILIZE_MS: '400', CHORD_REPAIR_MS: '700' }
    const defaults = { stabilizeMs: 500, repairMs: 900, fixFingersMs: 600 }
    const cfg = configFrom({ flags: parsedFlags(['--stabilize-ms', '300']), env, defaults })
    assert.equal(cfg.stabilizeMs, 300)
    assert.equal(cfg.repairMs, 700)
    assert.equal(cfg.fixFingersMs, 600)
    assert.equal(cfg.checkPredecessorMs, specOf('checkPredecessorMs').default)
  })

  test('without env, no variable is read', () => {
    assert.equal(configFrom({ flags: {} }).stabilizeMs, specOf('stabilizeMs').default)
  })

  test('lists: a flag repeats, a variable separates with commas; an empty one is unset', () => {
    const a = '/ip4/127.0.0.1/tcp/4001'
    const b = '/ip4/127.0.0.1/tcp/4002'
    assert.deepEqual(configFrom({ flags: parsedFlags(['--listen', a, '--listen', b]) }).listen, [a, b])
    assert.deepEqual(configFrom({ env: { CHORD_BOOTSTRAP: `${a}, ${b}` } }).bootstrap, [a, b])
    assert.deepEqual(configFrom({ flags: parsedFlags(['--listen', a]), env: { CHORD_LISTEN: b } }).listen, [a])
    assert.deepEqual(configFrom({ env: { CHORD_LISTEN: '' } }).listen, specOf('listen').default)
    assert.equal(configFrom({ env: { CHORD_DATA_DIR: '' } }).dataDir, undefined)
  })

  test('a switch: the flag turns it on; its variable takes true, false, 1 or 0 and nothing else', () => {
    assert.equal(configFrom({ flags: parsedFlags(['--allow-explicit-ids']) }).allowExplicitIds, true)
    assert.equal(configFrom({ flags: parsedFlags([]) }).allowExplicitIds, false)
    for (const [v, want] of [['true', true], ['1', true], ['false', false], ['0', false]] as const) {
      assert.equal(configFrom({ env: { CHORD_ALLOW_EXPLICIT_IDS: v } }).allowExplicitIds, want, v)
    }
    for (const v of ['yes', 'on', '', 'TRUE']) {
      rejects(() => inputFrom({ env: { CHORD_ALLOW_EXPLICIT_IDS: v } }), /^allow-explicit-ids must be one of true, false, 1, 0, got ".*" \(from CHORD_ALLOW_EXPLICIT_IDS\)$/)
    }
  })

  test('an invalid value gives a ConfigError naming the flag, from the flag or from the variable', () => {
    const bad = 'not valid!'
    for (const { spec, name } of specs) {
      if (spec.kind === path) continue // any string is a path
      // A switch takes no value on the command line, only in its variable.
      if (spec.flag.includes('<')) rejects(() => inputFrom({ flags: parsedFlags([`--${name}`, bad]) }), new RegExp(`^${name}\\b`))
      rejects(() => inputFrom({ env: { [spec.env]: bad } }), new RegExp(`^${name}\\b.*\\(from ${spec.env}\\)$`))
    }
  })

  test('a value bad only beside another is refused by resolveConfig, naming both flags', () => {
    rejects(() => configFrom({ env: { CHORD_WRITE_QUORUM: '4' } }), /write-quorum \(4\) must be at most replicas \(3\)/)
    rejects(() => configFrom({ flags: parsedFlags(['--optimistic-slots', '5']) }), /optimistic-slots \(5\) must be at most unchoke-slots \(4\)/)
    rejects(() => configFrom({ flags: parsedFlags(['--id-hex', 'ab']) }), /id-hex needs --allow-explicit-ids/)
  })
})

describe('--help', () => {
  const help = (): string => addTableFlags(new Command('chordd')).helpInformation()

  test('lists every option but the hidden ones, with its variable', () => {
    const text = help()
    for (const { spec, name } of specs) {
      assert.equal(text.includes(`--${name}`), spec.hidden !== true, name)
      if (spec.hidden !== true) assert.ok(text.includes(`env: ${spec.env}`), name)
    }
    assert.ok(specs.some(s => s.spec.hidden === true))
  })

  test('shows a program\'s own defaults in place of the table\'s, and no variables when told', () => {
    const text = addTableFlags(new Command('swarm'), { keys: ['stabilizeMs', 'successors'], env: false, defaults: { stabilizeMs: 500 } }).helpInformation()
    assert.match(text, /--stabilize-ms <ms> +stabilize period \(default: 500 ms\)/)
    assert.match(text, /--successors <r> +successor-list length \(default: 8\)/)
    assert.ok(!text.includes('--repair-ms'))
    assert.ok(!text.includes('env:'))
  })
})
