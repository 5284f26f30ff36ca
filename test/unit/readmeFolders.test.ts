// README's folder table ("What each folder holds") against the tree: every folder of the
// source tree (protocol/, model/, daemon/, tools/ and their subfolders, test/ and its
// subfolders) has a row, and every row names a folder that exists, so the map a newcomer
// reads first cannot drift from the code.
import assert from 'node:assert/strict'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { fileURLToPath } from 'node:url'

// Compiled to dist/test/unit/: the repository root is three folders up.
const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const SOURCE_ROOTS = ['protocol', 'model', 'daemon', 'tools', 'test']

/** The folder column of README's table, as written (`daemon/ring/`), in order. */
function foldersInReadme (readme: string): string[] {
  const section = readme.split(/^## /m).find(s => s.startsWith('What each folder holds'))
  assert.ok(section != null, 'README has no section "What each folder holds"')
  return [...section.matchAll(/^\| `([^`]+\/)` \|/gm)].map(m => m[1])
}

/** Every folder under the source roots (names ending in /), fixtures' contents excluded. */
function foldersInTree (): string[] {
  const out: string[] = []
  const walk = (rel: string): void => {
    out.push(`${rel}/`)
    if (rel === 'test/fixtures') return
    for (const name of readdirSync(join(ROOT, rel)).sort()) {
      if (statSync(join(ROOT, rel, name)).isDirectory()) walk(`${rel}/${name}`)
    }
  }
  for (const r of SOURCE_ROOTS) walk(r)
  return out
}

describe("README's folder table", () => {
  const listed = foldersInReadme(readFileSync(join(ROOT, 'README.md'), 'utf8'))

  test('lists every folder of protocol/, model/, daemon/, tools/ and test/', () => {
    const missing = foldersInTree().filter(f => !listed.includes(f))
    assert.deepEqual(missing, [], `folders without a row in README's table: ${missing.join(', ')}`)
  })

  test('lists only folders that exist, each once', () => {
    const gone = listed.filter(f => !statSync(join(ROOT, f), { throwIfNoEntry: false })?.isDirectory())
    assert.deepEqual(gone, [], `rows for folders that do not exist: ${gone.join(', ')}`)
    assert.equal(new Set(listed).size, listed.length, 'a folder has two rows')
  })

  test('reads the folder column of a table', () => {
    const md = '# x\n\n## What each folder holds\n\n| folder | what |\n|---|---|\n| `a/` | one |\n| `a/b/` | two |\n\n## Next\n\n| `c/` | not this table |\n'
    assert.deepEqual(foldersInReadme(md), ['a/', 'a/b/'])
  })
})
