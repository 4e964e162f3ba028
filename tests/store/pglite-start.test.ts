import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../../bot/store/database';
import { migrate } from '../../bot/store/migrate';
import { seedDir } from '../../bot/store/pglite-seed';
import { tempDir } from '../helpers/bot';

// The test run's `npm run build` (global setup) makes the seed, as it does for `npm start`.
test('the build leaves a seed cluster for the installed PGlite version', () => {
  const manifest = path.join(__dirname, '..', '..', 'node_modules', '@electric-sql', 'pglite', 'package.json');
  const version = JSON.parse(readFileSync(manifest, 'utf8')).version;
  expect(path.basename(seedDir)).toBe(version);
  expect(existsSync(path.join(seedDir, 'PG_VERSION'))).toBe(true);
});

test('a new data folder starts from a copy of the seed, with small shared buffers, and keeps its data', async () => {
  const DATA_DIR = tempDir();
  const db = await openDatabase({ DATA_DIR });
  try {
    expect(existsSync(path.join(DATA_DIR, 'pglite', 'PG_VERSION'))).toBe(true);
    expect(await db.query('SHOW shared_buffers')).toEqual([{ shared_buffers: '16MB' }]);
    await migrate(db);
    await db.query("INSERT INTO greeted_conversations (conversation_id) VALUES ('kept')");
  } finally {
    await db.close();
  }
  // A folder that holds a cluster is never seeded again: its data stays.
  writeFileSync(path.join(DATA_DIR, 'pglite', 'marker'), 'ours');
  const again = await openDatabase({ DATA_DIR });
  try {
    expect(await again.query('SELECT conversation_id FROM greeted_conversations')).toEqual([{ conversation_id: 'kept' }]);
    expect(readFileSync(path.join(DATA_DIR, 'pglite', 'marker'), 'utf8')).toBe('ours');
  } finally {
    await again.close();
  }
});
