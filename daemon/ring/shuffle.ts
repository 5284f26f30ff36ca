// Fisher–Yates shuffle in place (Knuth, TAOCP vol. 2, Algorithm P), with the random source
// injectable so that choices built on it are deterministic under a seeded source in tests.
export function shuffle<T> (xs: T[], random: () => number = Math.random): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [xs[i], xs[j]] = [xs[j], xs[i]]
  }
  return xs
}
