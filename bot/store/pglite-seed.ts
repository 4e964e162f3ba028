import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { projectRoot } from '../paths';

/**
 * A new PGlite database runs initdb inside WebAssembly: seconds of CPU, and a second PostgreSQL
 * instance beside the first that takes the process's memory to several hundred MB. `npm run build`
 * does that once into a seed folder (an empty, cleanly shut down cluster); a bot whose data folder is
 * new starts from a copy of it, as a file-level copy of a stopped cluster is a valid cluster. The seed
 * belongs to one PGlite version, whose catalog it holds, so its folder is named by that version.
 */
export const seedDir = path.join(projectRoot, 'dist', 'pglite-seed', pgliteVersion());

function pgliteVersion(): string {
  const entry = require.resolve('@electric-sql/pglite');
  const manifest = path.join(entry.slice(0, entry.lastIndexOf(`${path.sep}dist${path.sep}`)), 'package.json');
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

const isCluster = (dir: string) => existsSync(path.join(dir, 'PG_VERSION'));

/** Makes the seed if this PGlite version has none yet; true when it was made now. */
export async function buildSeed(): Promise<boolean> {
  if (isCluster(seedDir)) return false;
  mkdirSync(path.dirname(seedDir), { recursive: true });
  // Made beside its place and moved there whole: an interrupted build leaves no half-made seed.
  const making = mkdtempSync(`${seedDir}.making-`);
  try {
    const db = await PGlite.create(making);
    await db.close();
    rmSync(seedDir, { recursive: true, force: true });
    renameSync(making, seedDir);
  } finally {
    rmSync(making, { recursive: true, force: true });
  }
  return true;
}

/** Gives a new data folder a copy of the seed, when there is one; a folder that holds a cluster is left as it is. */
export function seedIfNew(dir: string): void {
  if (!isCluster(dir) && isCluster(seedDir)) cpSync(seedDir, dir, { recursive: true });
}
