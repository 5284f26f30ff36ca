// Bounded concurrency for tools that talk to many peers at once.

/** Run `fn` over `items` with at most `limit` calls in flight; results in input order. */
export async function mapLimit<T, R> (items: readonly T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++
      out[i] = await fn(items[i], i)
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker))
  return out
}

/** `fn(0 .. n-1)` with at most `limit` calls in flight. */
export async function forEachLimit (n: number, limit: number, fn: (i: number) => Promise<void>): Promise<void> {
  await mapLimit(Array.from({ length: n }, (_, i) => i), limit, async i => { await fn(i) })
}
