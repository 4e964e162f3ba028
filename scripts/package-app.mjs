// `npm run package`: builds the Teams app package (build/appPackage.zip) from manifest/.
//
//   node scripts/package-app.mjs [--manifest-dir DIR] [--out FILE]
//
// Fills the ${{NAME}} placeholders from the environment, validates the result offline against the
// JSON schemas bundled in @microsoft/app-manifest, checks the icons and the command lists, and zips
// manifest.json, its language files and the icons. Any problem: all of them listed, exit 1, no zip.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Ajv from 'ajv';
import Ajv2019 from 'ajv/dist/2019.js';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import JSZip from 'jszip';
import { PNG } from 'pngjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { values: args } = parseArgs({ options: { 'manifest-dir': { type: 'string' }, out: { type: 'string' } } });
const manifestDir = resolve(args['manifest-dir'] ?? join(ROOT, 'manifest'));
const outFile = resolve(args.out ?? join(ROOT, 'build', 'appPackage.zip'));

// Teams accepts more in the schema (12), but documents and shows at most 10 commands per list.
const MAX_COMMANDS = 10;
const ICON_SIZES = { color: 192, outline: 32 };
// Fixed namespace for deriving TEAMS_APP_ID from the bot id (UUID v5), so one bot always gets one app id.
const APP_ID_NAMESPACE = 'e97e78d9-4366-49d7-816e-842023a062c2';
const GUID = /^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$/i;
const PLACEHOLDER = /\$\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

// The official schemas ship inside @microsoft/app-manifest; so does ajv-draft-04 (its dependency, not ours),
// so both are looked up from that package, wherever npm placed it.
const APP_MANIFEST_PKG = createRequire(import.meta.url).resolve('@microsoft/app-manifest/package.json');
const appManifestRequire = createRequire(APP_MANIFEST_PKG);
const SCHEMA_DIR = join(dirname(APP_MANIFEST_PKG), 'build', 'json-schemas', 'teams');

const problems = [];
const defaulted = new Set();
const unresolved = new Set();
const validators = new Map();

/** Where each placeholder's value comes from, when the environment has no variable of that name. */
const FALLBACKS = {
  BOT_ID: () => env('MicrosoftAppId'),
  TEAMS_APP_ID: () => {
    const botId = value('BOT_ID');
    return botId && GUID.test(botId) ? uuidV5(botId.toLowerCase(), APP_ID_NAMESPACE) : undefined;
  },
  // PUBLIC_URL is where people's browsers reach the bot (.env.example): its host is the bot's host.
  BOT_DOMAIN: () => (env('PUBLIC_URL') ? hostOf(env('PUBLIC_URL')) : undefined),
};
/** Placeholders for the publisher: fine for a test tenant, to be set for a real one (see manifest/README.md). */
const DEFAULTS = {
  DEVELOPER_NAME: 'Planeringsboten',
  WEBSITE_URL: 'https://example.invalid/planeringsboten',
  PRIVACY_URL: 'https://example.invalid/planeringsboten/integritet',
  TERMS_URL: 'https://example.invalid/planeringsboten/villkor',
};
const HINTS = {
  BOT_ID: 'sätt BOT_ID (eller MicrosoftAppId) till Azure Bot-registreringens Microsoft App ID',
  TEAMS_APP_ID: 'sätt TEAMS_APP_ID, eller BOT_ID så räknas den fram ur den',
  BOT_DOMAIN: 'sätt BOT_DOMAIN till botens publika värdnamn, t.ex. bot.example.org (eller PUBLIC_URL)',
};

const manifest = readJson('manifest.json');
if (!manifest) fail();
const languageFiles = [manifest.localizationInfo?.defaultLanguageFile, ...(manifest.localizationInfo?.additionalLanguages ?? []).map((l) => l.file)].filter(Boolean);
const languages = Object.fromEntries(languageFiles.map((file) => [file, readJson(file)]));
if (problems.length) fail();

const filled = fill(manifest);
const filledLanguages = Object.fromEntries(Object.entries(languages).map(([file, json]) => [file, fill(json)]));
checkValues();
checkVersion(filled);
const schemas = schemaFiles(filled);
if (schemas) {
  validate('manifest.json', filled, schemas.manifest);
  for (const [file, json] of Object.entries(filledLanguages)) {
    if (schemas.localization) validate(file, json, schemas.localization);
    checkLocalizedCommands(file, json, filled);
  }
}
checkCommandLists(filled);
const icons = checkIcons(filled);
for (const [file, json] of Object.entries({ 'manifest.json': filled, ...filledLanguages })) {
  if (JSON.stringify(json).replace(PLACEHOLDER, '').includes('${{')) problems.push(`${file}: en platshållare \${{…}} är felskriven (namnet får bara ha A–Z, 0–9 och _)`);
}
if (problems.length) fail();

const zip = new JSZip();
zip.file('manifest.json', `${JSON.stringify(filled, null, 2)}\n`);
for (const [file, json] of Object.entries(filledLanguages)) zip.file(file, `${JSON.stringify(json, null, 2)}\n`);
for (const file of icons) zip.file(file, readFileSync(join(manifestDir, file)));
mkdirSync(dirname(outFile), { recursive: true });
writeFileSync(outFile, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));

const bot = filled.bots?.[0]?.botId;
console.log(`Skrev ${shown(outFile)} (Teams-manifest ${filled.manifestVersion}, version ${filled.version}, bot ${bot}, app ${filled.id}): ${Object.keys(zip.files).join(', ')}.`);
if (defaulted.size) console.log(`Obs: standardvärden för ${[...defaulted].join(', ')}; sätt dem för en riktig tenant (se manifest/README.md).`);

// --- helpers

function env(name) {
  const v = process.env[name]?.trim();
  return v ? v : undefined;
}

/** A placeholder's value: the environment first, then a fallback, then a default (remembered, to say so). */
function value(name) {
  if (name === 'APP_VERSION') return packageVersion();
  const v = env(name) ?? FALLBACKS[name]?.();
  if (v !== undefined) return v;
  if (name in DEFAULTS) {
    defaulted.add(name);
    return DEFAULTS[name];
  }
  return undefined;
}

/** The app's version is the code's version, so a package always says which build it talks to. */
function packageVersion() {
  return JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
}

/** Replaces placeholders inside every string; works on parsed JSON so values need no escaping. */
function fill(json) {
  if (typeof json === 'string') {
    return json.replace(PLACEHOLDER, (whole, name) => {
      const v = value(name);
      if (v !== undefined) return v;
      if (!unresolved.has(name)) problems.push(`\${{${name}}} har inget värde: ${HINTS[name] ?? `sätt miljövariabeln ${name}`}`);
      unresolved.add(name);
      return whole;
    });
  }
  if (Array.isArray(json)) return json.map(fill);
  if (json && typeof json === 'object') return Object.fromEntries(Object.entries(json).map(([k, v]) => [k, fill(v)]));
  return json;
}

/** Clearer messages than the schema's pattern errors for the values people set by hand. */
function checkValues() {
  for (const name of ['BOT_ID', 'TEAMS_APP_ID']) {
    const v = value(name);
    if (v && !GUID.test(v)) problems.push(`${name} ska vara ett GUID, t.ex. 00000000-0000-0000-0000-000000000000 (fick "${v}")`);
  }
  const domain = value('BOT_DOMAIN');
  if (domain && !/^[A-Za-z0-9.*-]+(:\d+)?$/.test(domain)) {
    problems.push(`BOT_DOMAIN ska vara ett värdnamn utan schema och sökväg, t.ex. bot.example.org (fick "${domain}")`);
  }
}

function checkVersion(json) {
  // Teams refuses versions with pre-release or build parts although the schema allows them.
  if (!/^\d+\.\d+\.\d+$/.test(json.version ?? '')) problems.push(`version "${json.version}" (från package.json) ska vara major.minor.patch, t.ex. 1.0.0`);
}

/** The bundled schemas for the manifest's manifestVersion: the version Teams itself goes by. */
function schemaFiles(json) {
  const version = json.manifestVersion === 'devPreview' ? 'DevPreview' : json.manifestVersion;
  const dir = join(SCHEMA_DIR, `v${version}`);
  if (!version || !existsSync(join(dir, 'MicrosoftTeams.schema.json'))) {
    problems.push(`manifest.json: manifestVersion "${json.manifestVersion}" har inget schema i @microsoft/app-manifest (${relative(ROOT, SCHEMA_DIR)})`);
    return undefined;
  }
  if (json.$schema && !json.$schema.includes(`/v${version}/`)) problems.push(`manifest.json: $schema (${json.$schema}) är inte för manifestVersion ${json.manifestVersion}`);
  const localization = join(dir, 'MicrosoftTeams.Localization.schema.json');
  return { manifest: join(dir, 'MicrosoftTeams.schema.json'), localization: existsSync(localization) ? localization : undefined };
}

function validate(file, json, schemaFile) {
  if (!validators.has(schemaFile)) validators.set(schemaFile, compile(JSON.parse(readFileSync(schemaFile, 'utf8'))));
  const check = validators.get(schemaFile);
  if (check(json)) return;
  for (const e of check.errors) {
    // A placeholder without a value is reported already; its pattern error would only repeat it.
    if (String(valueAt(json, e.instancePath)).includes('${{')) continue;
    const detail = e.params?.additionalProperty ?? e.params?.allowedValues?.join(', ');
    problems.push(`${file}: ${e.instancePath || '/'} ${e.message}${detail ? ` (${detail})` : ''}`);
  }
}

/** The Ajv class for the schema's draft. The Teams schemas are draft-04, which Ajv 8 has only as a plugin. */
function compile(schema) {
  const draft = schema.$schema ?? '';
  const Class = draft.includes('draft-04') ? appManifestRequire('ajv-draft-04') : draft.includes('2020-12') ? Ajv2020 : draft.includes('2019-09') ? Ajv2019 : Ajv;
  // strictTypes off: Ajv would print warnings about Microsoft's schemas (keywords without a type), not our manifest.
  // unicodeRegExp off: some of their patterns (an unescaped "]") are only valid without the u flag.
  const ajv = new (Class.default ?? Class)({ allErrors: true, strictTypes: false, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

/** The value at a JSON pointer such as /bots/0/botId. */
function valueAt(json, pointer) {
  return pointer
    .split('/')
    .slice(1)
    .reduce((v, key) => v?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], json);
}

function checkCommandLists(json) {
  for (const [b, bot] of (json.bots ?? []).entries()) {
    for (const [i, list] of (bot.commandLists ?? []).entries()) {
      const n = list.commands?.length ?? 0;
      if (n > MAX_COMMANDS) problems.push(`manifest.json: bots[${b}].commandLists[${i}] (${list.scopes?.join(', ')}) har ${n} kommandon; Teams visar högst ${MAX_COMMANDS}`);
    }
  }
}

/** Translations point at commands by index, so a reordered or shortened list would silently mislabel them. */
function checkLocalizedCommands(file, json, manifestJson) {
  for (const key of Object.keys(json)) {
    const m = key.match(/^bots\[(\d+)\]\.commandLists\[(\d+)\]\.commands\[(\d+)\]\./);
    if (m && !manifestJson.bots?.[m[1]]?.commandLists?.[m[2]]?.commands?.[m[3]]) problems.push(`${file}: "${key}" pekar på ett kommando som inte finns i manifest.json`);
  }
}

/** Teams refuses icons of the wrong size, and shows the outline icon as a white mask in the app bar. */
function checkIcons(json) {
  const files = [];
  for (const [kind, size] of Object.entries(ICON_SIZES)) {
    const file = json.icons?.[kind];
    if (!file) continue; // the schema reports the missing icon
    files.push(file);
    let png;
    try {
      png = PNG.sync.read(readFileSync(join(manifestDir, file)));
    } catch (err) {
      problems.push(`${file}: ${err.code === 'ENOENT' ? `finns inte i ${manifestDir}` : `kan inte läsas som PNG (${err.message})`}`);
      continue;
    }
    if (png.width !== size || png.height !== size) problems.push(`${file}: är ${png.width}×${png.height}, ska vara ${size}×${size}`);
    if (kind === 'outline') {
      const d = png.data;
      let bad = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i + 3] !== 0 && (d[i] !== 255 || d[i + 1] !== 255 || d[i + 2] !== 255)) bad++;
      if (bad) problems.push(`${file}: ${bad} pixlar är varken vita eller helt genomskinliga (konturikonen ska vara vit på genomskinligt)`);
    }
  }
  return files;
}

function readJson(file) {
  const path = join(manifestDir, file);
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    problems.push(`${file}: ${err.code === 'ENOENT' ? `finns inte i ${manifestDir}` : err.message}`);
    return undefined;
  }
}

function hostOf(url) {
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}

/** RFC 4122 name-based UUID (version 5, SHA-1). */
function uuidV5(name, namespace) {
  const hash = createHash('sha1').update(Buffer.from(namespace.replace(/-/g, ''), 'hex')).update(name).digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A path relative to where the command was run, unless that is outside it. */
function shown(path) {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') ? rel : path;
}

function fail() {
  console.error(`Kunde inte bygga Teams-paketet från ${shown(manifestDir)}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  process.exit(1);
}
