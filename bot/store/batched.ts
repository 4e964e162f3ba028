import DataLoader from 'dataloader';

/**
 * Gathers the single-row queries that turns running at the same moment make (one per turn, on
 * every turn) into one query per turn of the event loop: under load a statement then serves many
 * turns, which matters most for the embedded database, where every statement costs the process
 * itself. Nothing is cached: every call reaches the database.
 */
export function batched<K, V>(run: (keys: readonly K[]) => Promise<V[]>): (key: K) => Promise<V> {
  const loader = new DataLoader<K, V>((keys) => run(keys), { cache: false, batchScheduleFn: (send) => setImmediate(send) });
  return (key) => loader.load(key);
}
