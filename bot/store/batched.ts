import DataLoader from 'dataloader';

/**
 * Gathers the single-row queries that turns running at the same moment make (one per turn, on
 * every turn) into one query: under load a statement then serves many turns, which matters most
 * for the embedded database, where every statement costs the process itself about half a
 * millisecond whatever it does. One query of a kind is in flight at a time; the calls that come
 * while it runs go together in the next, as a database's group commit does, so the busier the
 * bot the more a statement serves. Nothing is cached: every call reaches the database.
 */
export function batched<K, V>(run: (keys: readonly K[]) => Promise<V[]>): (key: K) => Promise<V> {
  let running: Promise<unknown> = Promise.resolve();
  const loader = new DataLoader<K, V>(
    (keys) => {
      const results = run(keys);
      running = results.catch(() => undefined);
      return results;
    },
    { cache: false, batchScheduleFn: (send) => void running.then(() => setImmediate(send)) },
  );
  return (key) => loader.load(key);
}
