import DataLoader from 'dataloader';

export interface BatchedOptions {
  /**
   * When no query of the kind runs, wait for the rest of the event loop's round before sending, so
   * that the turns that arrived together share it: for the statements every turn makes. Without it
   * the call goes at once, for the rarer statements a person waits on: under load the round is
   * several turns' work (5-10 ms), which their turns would wait on top of the statement.
   */
  gatherRound?: boolean;
}

/**
 * Gathers the single-row queries that turns running at the same moment make into one query: under
 * load a statement then serves many turns, which matters most for the embedded database, where
 * every statement costs the process itself about half a millisecond whatever it does. One query of
 * a kind is in flight at a time; the calls that come while it runs go together in the next, as a
 * database's group commit does, so the busier the bot the more a statement serves. Nothing is
 * cached: every call reaches the database.
 */
export function batched<K, V>(run: (keys: readonly K[]) => Promise<V[]>, { gatherRound = true }: BatchedOptions = {}): (key: K) => Promise<V> {
  let running: Promise<unknown> = Promise.resolve();
  const loader = new DataLoader<K, V>(
    (keys) => {
      const results = run(keys);
      running = results.catch(() => undefined);
      return results;
    },
    { cache: false, batchScheduleFn: (send) => void running.then(gatherRound ? () => setImmediate(send) : send) },
  );
  return (key) => loader.load(key);
}
