/**
 * A pure function remembered for the keys it was asked about, up to `maxEntries` of them (then
 * it starts over): for small key sets asked about on every entry, such as rule param names or
 * the files a fleet's stack traces name.
 */
export function boundedMemo<V>(compute: (key: string) => V, maxEntries: number): (key: string) => V {
  const memo = new Map<string, V>();
  return (key) => {
    let value = memo.get(key);
    if (value === undefined) {
      if (memo.size >= maxEntries) memo.clear();
      memo.set(key, (value = compute(key)));
    }
    return value;
  };
}
