import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import addFormats from 'ajv-formats';
import JSZip from 'jszip';
import { PNG } from 'pngjs';

/** `npm run package` (scripts/package-app.mjs): the Teams app package, checked as Teams would. */

const ROOT = join(__dirname, '..', '..');
const SCRIPT = join(ROOT, 'scripts', 'package-app.mjs');
const MANIFEST_DIR = join(ROOT, 'manifest');
const DEFAULT_ZIP = join(ROOT, 'build', 'appPackage.zip');
const BOT_ID = '3f2b8c1e-7a4d-4e6f-9b0a-5c1d2e3f4a5b';
const BOT_DOMAIN = 'bot.example.org';
const SWEDISH_COMMANDS = [
  'hjälp', 'begrepp', 'status', 'projekt', 'källor', 'tidsfrister', 'prenumerera', 'avsluta prenumeration',
  'skicka sammanfattning', 'ny tidsfrist', 'ny viljeriktning', 'utkast', 'ny workshop', 'obesvarade',
];
// What every scope's menu must offer: the commands issue 7 names, and a way out of a subscription wherever one can
// be made. Personal chat also has drafts and workshops (a person may decide alone, or try them out).
const REQUIRED_IN_EVERY_SCOPE = [
  'hjälp', 'begrepp', 'status', 'tidsfrister', 'prenumerera', 'avsluta prenumeration', 'ny viljeriktning', 'ny workshop',
];

// The variables the script reads: a developer's shell must not change what the tests see.
const SCRIPT_VARS = ['BOT_ID', 'MicrosoftAppId', 'TEAMS_APP_ID', 'BOT_DOMAIN', 'PUBLIC_URL', 'DEVELOPER_NAME', 'WEBSITE_URL', 'PRIVACY_URL', 'TERMS_URL'];
const baseEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !SCRIPT_VARS.includes(k)));

/** Runs the script like `npm run package`; asynchronous so that the refusal tests can run side by side. */
function runScript(args: string[] = [], env: Record<string, string> = { BOT_ID, BOT_DOMAIN }) {
  return new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [SCRIPT, ...args], { cwd: ROOT, env: { ...baseEnv, ...env } }, (err, stdout, stderr) => {
      resolve({ status: err ? Number(err.code ?? -1) : 0, stdout, stderr });
    });
  });
}

const tmp = mkdtempSync(join(tmpdir(), 'pb-manifest-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A copy of manifest/ in the temp dir, changed by `edit`, for the script's --manifest-dir. */
let copies = 0;
function manifestCopy(edit: (dir: string) => void): string {
  const dir = join(tmp, `manifest-${++copies}`);
  cpSync(MANIFEST_DIR, dir, { recursive: true });
  edit(dir);
  return dir;
}
function editJson(file: string, edit: (json: any) => void) {
  const json = JSON.parse(readFileSync(file, 'utf8'));
  edit(json);
  writeFileSync(file, JSON.stringify(json));
}

/** Validates with the bundled official schema of the manifest's version (draft-04, hence ajv-draft-04). */
function schemaErrors(json: any, schemaName: string, manifestVersion: string) {
  const appManifest = require.resolve('@microsoft/app-manifest/package.json');
  const AjvDraft04 = createRequire(appManifest)('ajv-draft-04');
  const ajv = new (AjvDraft04.default ?? AjvDraft04)({ allErrors: true, strictTypes: false, unicodeRegExp: false });
  addFormats(ajv);
  const schemaFile = join(dirname(appManifest), 'build', 'json-schemas', 'teams', `v${manifestVersion}`, schemaName);
  const validate = ajv.compile(JSON.parse(readFileSync(schemaFile, 'utf8')));
  return validate(json) ? [] : validate.errors;
}

async function readZip(file: string) {
  const zip = await JSZip.loadAsync(readFileSync(file));
  const text = async (name: string) => zip.file(name)!.async('string');
  return { names: Object.keys(zip.files).sort(), text, manifest: JSON.parse(await text('manifest.json')), zip };
}

describe('npm run package', () => {
  // The test writes build/appPackage.zip like `npm run package`; keep a package the developer built with real ids.
  const backup = `${DEFAULT_ZIP}.bak`;
  beforeAll(() => existsSync(DEFAULT_ZIP) && renameSync(DEFAULT_ZIP, backup));
  afterAll(() => (existsSync(backup) ? renameSync(backup, DEFAULT_ZIP) : rmSync(DEFAULT_ZIP, { force: true })));

  let pkg: Awaited<ReturnType<typeof readZip>>;
  beforeAll(async () => {
    const run = await runScript();
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('appPackage.zip');
    pkg = await readZip(DEFAULT_ZIP);
  });

  it('zips exactly the manifest, its English strings and the two icons', () => {
    expect(pkg.names).toEqual(['color.png', 'en-US.json', 'manifest.json', 'outline.png']);
  });

  it('fills every placeholder from the environment and package.json', async () => {
    for (const name of pkg.names.filter((n) => n.endsWith('.json'))) expect(await pkg.text(name)).not.toContain('${{');
    const { manifest } = pkg;
    expect(manifest.bots[0].botId).toBe(BOT_ID);
    expect(manifest.validDomains).toEqual([BOT_DOMAIN]);
    expect(manifest.version).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
    expect(manifest.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(manifest.id).not.toBe(BOT_ID);
  });

  it('is valid against the official schemas bundled in @microsoft/app-manifest', async () => {
    const { manifest } = pkg;
    expect(schemaErrors(manifest, 'MicrosoftTeams.schema.json', manifest.manifestVersion)).toEqual([]);
    const english = JSON.parse(await pkg.text('en-US.json'));
    expect(schemaErrors(english, 'MicrosoftTeams.Localization.schema.json', manifest.manifestVersion)).toEqual([]);
    expect(manifest.localizationInfo).toMatchObject({ defaultLanguageTag: 'sv-SE', additionalLanguages: [{ languageTag: 'en-US', file: 'en-US.json' }] });
  });

  it('offers the bot in personal chat, teams and group chats with Swedish command lists', () => {
    const bot = pkg.manifest.bots[0];
    expect([...bot.scopes].sort()).toEqual(['groupChat', 'personal', 'team']);
    expect(bot).toMatchObject({ supportsFiles: false, isNotificationOnly: false });
    for (const scope of bot.scopes) {
      const lists = bot.commandLists.filter((l: any) => l.scopes.includes(scope));
      expect(lists).toHaveLength(1);
      const titles: string[] = lists[0].commands.map((c: any) => c.title);
      expect(titles.length).toBeLessThanOrEqual(10);
      expect(new Set(titles).size).toBe(titles.length);
      for (const title of titles) expect(SWEDISH_COMMANDS).toContain(title);
      const missing = REQUIRED_IN_EVERY_SCOPE.filter((title) => !titles.includes(title));
      expect({ scope, missing }).toEqual({ scope, missing: [] });
    }
  });

  it('describes every command in English too, each the same wherever its Swedish description is the same', async () => {
    // en-US.json translates by index: a list reordered in manifest.json alone would pair commands with wrong texts.
    const english = JSON.parse(await pkg.text('en-US.json'));
    const translations = new Map<string, Set<string>>();
    pkg.manifest.bots[0].commandLists.forEach((list: any, i: number) =>
      list.commands.forEach((command: any, j: number) => {
        const en = english[`bots[0].commandLists[${i}].commands[${j}].description`];
        expect({ command: command.title, scope: list.scopes[0], en: typeof en }).toEqual({ command: command.title, scope: list.scopes[0], en: 'string' });
        translations.set(command.description, (translations.get(command.description) ?? new Set()).add(en));
      }),
    );
    const ambiguous = [...translations].filter(([, en]) => en.size > 1).map(([sv, en]) => `${sv} → ${[...en].join(' | ')}`);
    expect(ambiguous).toEqual([]);
  });

  it('has a 192×192 colour icon and a 32×32 white-on-transparent outline icon', async () => {
    const color = PNG.sync.read(await pkg.zip.file('color.png')!.async('nodebuffer'));
    const outline = PNG.sync.read(await pkg.zip.file('outline.png')!.async('nodebuffer'));
    expect([color.width, color.height, outline.width, outline.height]).toEqual([192, 192, 32, 32]);
    const d = outline.data;
    for (let i = 0; i < d.length; i += 4) if (d[i + 3]) expect([d[i], d[i + 1], d[i + 2]]).toEqual([255, 255, 255]);
  });

  it('gives the same bot the same app id, and uses TEAMS_APP_ID when set', async () => {
    const again = join(tmp, 'again.zip');
    const given = join(tmp, 'given-app-id.zip');
    const appId = '0b9a8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d';
    const runs = await Promise.all([runScript(['--out', again]), runScript(['--out', given], { BOT_ID, BOT_DOMAIN, TEAMS_APP_ID: appId })]);
    expect(runs.map((r) => r.status)).toEqual([0, 0]);
    expect((await readZip(again)).manifest.id).toBe(pkg.manifest.id);
    expect((await readZip(given)).manifest.id).toBe(appId);
  });
});

describe('npm run package refuses a broken package', () => {
  /** Runs the script on a broken copy; it must fail, name the problem and write no zip. */
  async function expectRefused(dir: string, ...mentions: string[]) {
    const out = `${dir}.zip`;
    const run = await runScript(['--manifest-dir', dir, '--out', out]);
    expect(run.status).toBe(1);
    for (const text of mentions) expect(run.stderr).toContain(text);
    expect(existsSync(out)).toBe(false);
  }

  // Concurrent: each works on its own copy and output path, and each is mostly waiting for node to start.
  it.concurrent('a manifest without a required field and with too many commands, listing both', async () => {
    const dir = manifestCopy((dir) =>
      editJson(join(dir, 'manifest.json'), (m) => {
        delete m.description;
        m.bots[0].commandLists[0].commands.push({ title: 'skicka sammanfattning' });
      }),
    );
    await expectRefused(dir, "required property 'description'", 'commandLists[0] (personal) har 11 kommandon');
  });

  it.concurrent('icons of the wrong size, or not white on transparent', async () => {
    const dir = manifestCopy((dir) => {
      writeFileSync(join(dir, 'color.png'), PNG.sync.write(new PNG({ width: 64, height: 64 })));
      const outline = PNG.sync.read(readFileSync(join(dir, 'outline.png')));
      outline.data.set([14, 124, 123, 255], 0);
      writeFileSync(join(dir, 'outline.png'), PNG.sync.write(outline));
    });
    await expectRefused(dir, 'color.png: är 64×64, ska vara 192×192', 'outline.png: 1 pixlar');
  });

  it.concurrent('no bot id in the environment', async () => {
    const run = await runScript(['--out', join(tmp, 'no-bot.zip')], { BOT_DOMAIN });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('BOT_ID');
    expect(existsSync(join(tmp, 'no-bot.zip'))).toBe(false);
  });
});
