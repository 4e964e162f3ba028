import { execSync } from 'node:child_process';
import { Client } from 'pg';

/**
 * Finds out once whether the PostgreSQL tests can run. Locally they are skipped with the reason
 * printed; under CI=true (where .ci/run starts a server) a missing server fails the run.
 */
export default async function globalSetup(): Promise<void> {
  // Tests that run the bot as its own process (kill -9, restarts) run the compiled code.
  execSync('npm run --silent build', { cwd: `${__dirname}/..`, stdio: ['ignore', 'ignore', 'inherit'] });

  const url = process.env.DATABASE_URL;
  let reason: string | undefined;
  if (!url) reason = 'DATABASE_URL is not set';
  else {
    const client = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
    } catch (err) {
      reason = `PostgreSQL at DATABASE_URL is not reachable (${(err as Error).message})`;
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  if (reason && process.env.CI === 'true') throw new Error(`CI=true needs PostgreSQL for the storage tests: ${reason}`);
  if (reason) console.warn(`\n[tests] Skipping the PostgreSQL tests: ${reason}. PGlite tests still run.\n`);
  process.env.PB_TEST_POSTGRES = reason ? '' : url;
}
