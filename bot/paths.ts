import { existsSync } from 'node:fs';
import path from 'node:path';

/** The folder holding package.json: the same from compiled `dist/bot` and from `bot/` under ts-jest. */
function findProjectRoot(start: string): string {
  let dir = start;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`package.json not found above ${start}`);
    dir = parent;
  }
  return dir;
}

export const projectRoot = findProjectRoot(__dirname);
export const cardsDir = path.join(projectRoot, 'cards');
export const knowledgeDir = path.join(projectRoot, 'knowledge');
export const migrationsDir = path.join(projectRoot, 'bot', 'store', 'migrations');
