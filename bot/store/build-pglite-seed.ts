/** `npm run build`: the seed a new embedded database starts from (see pglite-seed.ts). */
import { buildSeed, seedDir } from './pglite-seed';

buildSeed().then(
  (made) => made && console.log(`pglite: seed cluster made in ${seedDir}`),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
