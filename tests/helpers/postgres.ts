import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** The admin URL of the test server, or '' when the PostgreSQL tests are skipped (see global-setup). */
export const postgresUrl = process.env.PB_TEST_POSTGRES ?? '';
export const describeWithPostgres = postgresUrl ? describe : describe.skip;

/** A new, empty database on the test server, and a function that drops it. */
export async function freshPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `pb_test_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: postgresUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new Client({ connectionString: postgresUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
