#!/usr/bin/env node
// npm run docs:options: README's table of chordd's options, from daemon/host/options.ts.
// With --write it replaces the table in README.md (between its markers); without, it prints it.
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { optionsTable, withOptionsTable } from './lib/optionsMarkdown.js'

// dist/tools/optionsTable.js -> the repository's README.md
const README = fileURLToPath(new URL('../../README.md', import.meta.url))

const table = optionsTable()
if (process.argv.includes('--write')) {
  const before = readFileSync(README, 'utf8')
  const after = withOptionsTable(before, table)
  writeFileSync(README, after)
  process.stdout.write(after === before ? 'README.md: options table already current\n' : 'README.md: options table rewritten\n')
} else {
  process.stdout.write(table + '\n')
}
