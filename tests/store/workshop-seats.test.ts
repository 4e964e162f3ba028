import type { Database } from '../../bot/store/database';
import { migrate, readMigrations } from '../../bot/store/migrate';
import { WorkshopStore } from '../../bot/workshops/workshop-store';
import { backends } from '../helpers/backends';

const person = (key: string) => ({ aadObjectId: `aad-${key}`, teamsId: `29:${key}`, name: key });
const form = (capacity: number) => ({ title: 'Workshop', startsAt: new Date(Date.now() + 30 * 86_400_000), place: 'Östersund', capacity });

describe.each(backends)('seats taken on $name', (backend) => {
  let db: Database;
  let cleanup: () => Promise<void>;
  let store: WorkshopStore;
  let forms = 0;

  beforeAll(async () => {
    ({ db, cleanup } = await backend.open());
    // Registrations made before the seats were counted on the workshop's row: the migration counts them.
    await migrate(db, readMigrations().filter((m) => m.id < '011'));
    store = new WorkshopStore(db);
    const { workshop } = await store.create('before-011', 'conversation', person('organiser'), form(2));
    for (const key of ['a', 'b', 'c']) await store.register(workshop.id, person(key), 'Region', 'plats');
    await migrate(db);
  });
  afterAll(async () => {
    await db.close();
    await cleanup();
  });

  /** The seats a card shows, and what the registrations say. */
  async function seats(id: number) {
    const shown = (await store.viewOf(id, undefined, 60))?.state.taken;
    const [{ count }] = await db.query<{ count: string }>("SELECT count(*) FROM registrations WHERE workshop_id = $1 AND status = 'registered'", [id]);
    return { shown, registered: Number(count) };
  }

  const publish = async (capacity: number) => (await store.create(`form-${++forms}`, 'conversation', person('organiser'), form(capacity))).workshop.id;

  test('registrations made before the count was kept are counted', async () => {
    const [{ id }] = await db.query<{ id: string }>("SELECT id FROM workshops WHERE form_id = 'before-011'");
    expect(await seats(Number(id))).toEqual({ shown: 2, registered: 2 });
  });

  test('registering, queueing, cancelling and promotion keep the count right', async () => {
    const id = await publish(2);
    for (const key of ['a', 'b', 'c', 'd']) await store.register(id, person(key), 'Region', 'plats');
    expect(await seats(id)).toEqual({ shown: 2, registered: 2 });
    await store.cancel(id, 'aad-c'); // from the queue
    expect(await seats(id)).toEqual({ shown: 2, registered: 2 });
    // d takes the freed seat.
    expect(await store.cancel(id, 'aad-a')).toMatchObject({ kind: 'cancelled', promoted: expect.objectContaining({ status: 'registered' }) });
    expect(await seats(id)).toEqual({ shown: 2, registered: 2 });
    await store.cancel(id, 'aad-b'); // no one waits
    expect(await seats(id)).toEqual({ shown: 1, registered: 1 });
    expect((await store.register(id, person('a'), 'Region', 'plats')).kind).toBe('registered');
    expect((await store.register(id, person('a'), 'Region', 'plats')).already).toBe(true);
    expect(await seats(id)).toEqual({ shown: 2, registered: 2 });
  });

  test('a freed seat counts the seats again, so a count left wrong during an upgrade is mended', async () => {
    const id = await publish(3);
    for (const key of ['a', 'b', 'c']) await store.register(id, person(key), 'Region', 'plats');
    // An instance older than the count cancelled b: its registration changed, the count did not.
    await db.query("UPDATE registrations SET status = 'cancelled' WHERE workshop_id = $1 AND person_aad = 'aad-b'", [id]);
    expect(await seats(id)).toEqual({ shown: 3, registered: 2 });
    await store.cancel(id, 'aad-c');
    expect(await seats(id)).toEqual({ shown: 1, registered: 1 });
  });

  test('many at once: the count is the capacity, never more', async () => {
    const id = await publish(5);
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.register(id, person(`p${i}`), 'Region', 'digitalt')));
    expect(await seats(id)).toEqual({ shown: 5, registered: 5 });
    await Promise.all(Array.from({ length: 8 }, (_, i) => store.cancel(id, `aad-p${i}`)));
    expect(await seats(id)).toEqual({ shown: 5, registered: 5 });
  });
});
