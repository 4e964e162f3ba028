import { openDatabase } from '../../bot/store/database';
import { tempDir } from '../helpers/bot';

// Under load the event loop has taken up many requests before it gets to PGlite's replies; the
// service settles the arrived ones as each activity comes in (bot/store/database.ts, settleArrived).

test('a statement whose reply has arrived is settled by settleArrived, without the event loop going round', async () => {
  const db = await openDatabase({ DATA_DIR: tempDir() });
  try {
    let rows: unknown;
    void db.query('SELECT 1 AS one').then((r) => (rows = r));
    // Busy, as the main thread is under load: the database thread answers meanwhile.
    const until = Date.now() + 500;
    while (Date.now() < until);
    db.settleArrived!();
    for (let i = 0; i < 5; i++) await null; // promise callbacks only: no timers, no I/O, no port messages
    expect(rows).toEqual([{ one: 1 }]);
  } finally {
    await db.close();
  }
});
