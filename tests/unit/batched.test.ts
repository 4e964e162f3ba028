import { batched } from '../../bot/store/batched';

/** A query function whose calls wait until the test lets them finish. */
function controlledQuery() {
  const batches: number[][] = [];
  const finish: Array<(fail?: Error) => void> = [];
  const run = (keys: readonly number[]) =>
    new Promise<number[]>((resolve, reject) => {
      batches.push([...keys]);
      finish.push((fail) => (fail ? reject(fail) : resolve(keys.map((k) => k * 10))));
    });
  return { batches, finish, run };
}

/** Lets the event loop go round a few times: a batch is sent in the turn after its first call. */
const settle = async () => {
  for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
};

describe('batched queries', () => {
  test('calls made while a query runs go together in the next one, each with its own result', async () => {
    const q = controlledQuery();
    const load = batched(q.run);
    const first = [load(1), load(2)];
    await settle();
    expect(q.batches).toEqual([[1, 2]]);
    const later = [load(3), load(4)];
    await settle();
    const last = load(5);
    await settle();
    expect(q.batches).toHaveLength(1); // the first is still running
    q.finish[0]();
    expect(await Promise.all(first)).toEqual([10, 20]);
    await settle();
    expect(q.batches).toEqual([[1, 2], [3, 4, 5]]);
    q.finish[1]();
    expect(await Promise.all([...later, last])).toEqual([30, 40, 50]);
  });

  test('when none runs, a call waits for the event loop round (the turns that arrived with it), or with gatherRound off goes at once', async () => {
    const inRound = controlledQuery();
    const atOnce = controlledQuery();
    const loadInRound = batched(inRound.run);
    const loadAtOnce = batched(atOnce.run, { gatherRound: false });
    void loadInRound(1);
    void loadAtOnce(1);
    await Promise.resolve();
    await Promise.resolve();
    expect(atOnce.batches).toEqual([[1]]);
    expect(inRound.batches).toEqual([]);
    // A call made later in the same round, after the first one's promise work, joins it.
    void loadInRound(2);
    await settle();
    expect(inRound.batches).toEqual([[1, 2]]);
  });

  test('a failed query fails its own callers only, and the next one runs', async () => {
    const q = controlledQuery();
    const load = batched(q.run);
    const failing = load(1);
    await settle();
    const next = load(2);
    q.finish[0](new Error('database away'));
    await expect(failing).rejects.toThrow('database away');
    await settle();
    q.finish[1]();
    expect(await next).toBe(20);
  });
});
