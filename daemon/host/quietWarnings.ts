// node:sqlite prints "ExperimentalWarning: SQLite is an experimental feature" on every start;
// it says nothing about this peer. Import this module first to drop that one warning and keep
// printing every other.
process.removeAllListeners('warning')
process.on('warning', (w: Error) => {
  if (w.name === 'ExperimentalWarning' && /SQLite/.test(w.message)) return
  process.stderr.write(`${w.name}: ${w.message}\n`)
})
