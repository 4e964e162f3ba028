/**
 * infra/Dockerfile, read as Docker reads it (instructions, continuation lines, stages, ARG and ENV, COPY sources and
 * destinations), since no Docker engine runs here to build it. The tests follow the files: what the runtime stage
 * holds must be what the bot reads at run time (bot/paths.ts), and every source the build copies must exist and
 * not be excluded by a .dockerignore at the repository root (the build context).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../bot/config';

const root = path.resolve(__dirname, '../..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

interface Instruction {
  op: string;
  args: string;
  line: number;
}
interface Stage {
  name: string;
  image: string;
  instructions: Instruction[];
}

/** Instructions in order: comments dropped, lines ending in "\" joined. */
function instructions(src: string): Instruction[] {
  const out: Instruction[] = [];
  let pending: { text: string; line: number } | undefined;
  src.split('\n').forEach((raw, index) => {
    const trimmed = raw.trim();
    if (!pending && (trimmed === '' || trimmed.startsWith('#'))) return;
    if (pending && trimmed.startsWith('#')) return; // comment lines inside a continuation are skipped by Docker too
    const text = pending ? `${pending.text} ${trimmed}` : trimmed;
    const line = pending?.line ?? index + 1;
    if (text.endsWith('\\')) {
      pending = { text: text.slice(0, -1).trim(), line };
      return;
    }
    pending = undefined;
    const m = /^(\w+)\s+([\s\S]*)$/.exec(text);
    if (!m) throw new Error(`line ${line}: not an instruction: ${text}`);
    out.push({ op: m[1].toUpperCase(), args: m[2], line });
  });
  if (pending) throw new Error(`line ${pending.line}: continuation never ends`);
  return out;
}

/** Splits at FROM; ARGs before the first FROM are global and substituted into the FROM lines. */
function stages(all: Instruction[]): { globalArgs: Map<string, string>; stages: Stage[] } {
  const globalArgs = new Map<string, string>();
  const out: Stage[] = [];
  for (const ins of all) {
    if (ins.op === 'FROM') {
      const m = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(ins.args);
      if (!m) throw new Error(`line ${ins.line}: malformed FROM`);
      const image = m[1].replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a, b) => globalArgs.get(a ?? b) ?? '');
      out.push({ name: m[2] ?? String(out.length), image, instructions: [] });
    } else if (out.length === 0) {
      if (ins.op !== 'ARG') throw new Error(`line ${ins.line}: ${ins.op} before the first FROM`);
      const [name, value = ''] = ins.args.split('=');
      globalArgs.set(name.trim(), value.trim());
    } else out[out.length - 1].instructions.push(ins);
  }
  return { globalArgs, stages: out };
}

/** KEY=value pairs of ENV (the old "ENV KEY value" form too). */
function envOf(stage: Stage): Map<string, string> {
  const env = new Map<string, string>();
  for (const ins of stage.instructions.filter((i) => i.op === 'ENV')) {
    if (!ins.args.includes('=')) {
      const [k, ...v] = ins.args.split(/\s+/);
      env.set(k, v.join(' '));
      continue;
    }
    for (const m of ins.args.matchAll(/(\w+)=("[^"]*"|\S*)/g)) env.set(m[1], m[2].replace(/^"|"$/g, ''));
  }
  return env;
}

interface Copy {
  from?: string;
  sources: string[];
  dest: string;
  index: number;
}

/** COPY instructions with --from, sources, and the destination resolved against WORKDIR. */
function copies(stage: Stage): Copy[] {
  let workdir = '/';
  const out: Copy[] = [];
  stage.instructions.forEach((ins, index) => {
    if (ins.op === 'WORKDIR') workdir = path.posix.resolve(workdir, ins.args.trim());
    if (ins.op !== 'COPY' && ins.op !== 'ADD') return;
    const words = ins.args.trim().startsWith('[') ? (JSON.parse(ins.args) as string[]) : ins.args.trim().split(/\s+/);
    const flags = words.filter((w) => w.startsWith('--'));
    const paths = words.filter((w) => !w.startsWith('--'));
    const from = flags.find((f) => f.startsWith('--from='))?.slice('--from='.length);
    const dest = path.posix.resolve(workdir, paths[paths.length - 1]) + (paths[paths.length - 1].endsWith('/') ? '/' : '');
    out.push({ from, sources: paths.slice(0, -1), dest, index });
  });
  return out;
}

/** Where each copied source lands: a directory destination (or several sources) keeps the source's base name. */
function landed(c: Copy): string[] {
  const intoDir = c.dest.endsWith('/') || c.sources.length > 1;
  return c.sources.map((s) => (intoDir ? path.posix.join(c.dest, path.posix.basename(s)) : c.dest.replace(/\/$/, '')));
}

function workdirOf(stage: Stage): string {
  return stage.instructions.filter((i) => i.op === 'WORKDIR').reduce((dir, i) => path.posix.resolve(dir, i.args.trim()), '/');
}

/** Whether a root .dockerignore (Go filepath.Match patterns, "**", "!" exceptions; last match wins) excludes a path. */
function ignoredBy(patterns: string[], file: string): boolean {
  let ignored = false;
  for (const raw of patterns) {
    const negate = raw.startsWith('!');
    const pattern = path.posix.normalize((negate ? raw.slice(1) : raw).trim().replace(/^\/+/, '')).replace(/\/$/, '');
    const re = new RegExp(
      `^${pattern
        .split('**')
        .map((part) => part.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]'))
        .join('.*')}(/.*)?$`,
    );
    if (re.test(file)) ignored = !negate;
  }
  return ignored;
}

const dockerfile = readFileSync(path.join(root, 'infra', 'Dockerfile'), 'utf8');
const parsed = stages(instructions(dockerfile));
const all = parsed.stages;
const runtime = all[all.length - 1];
const build = all[0];
const runs = (stage: Stage) => stage.instructions.filter((i) => i.op === 'RUN').map((i) => i.args);
const indexOf = (stage: Stage, pred: (i: Instruction) => boolean) => stage.instructions.findIndex(pred);

describe('infra/Dockerfile', () => {
  it('has a build stage and a runtime stage, on Node.js images the package supports', () => {
    expect(all.length).toBeGreaterThanOrEqual(2);
    expect(new Set(all.map((s) => s.name)).size).toBe(all.length);
    const minimum = Number(/>=\s*(\d+)/.exec(pkg.engines.node)![1]);
    for (const s of all) {
      const m = /^node:(\d+)/.exec(s.image);
      expect({ stage: s.name, image: s.image, node: Boolean(m) }).toEqual({ stage: s.name, image: s.image, node: true });
      expect(Number(m![1])).toBeGreaterThanOrEqual(minimum);
    }
    expect(runtime.image).toMatch(/slim|alpine|distroless/);
  });

  it('builds with all dependencies: npm ci, then npm run build', () => {
    const ci = runs(build).findIndex((r) => /\bnpm ci\b/.test(r) && !/--omit=dev|--production/.test(r));
    const compile = runs(build).findIndex((r) => /\bnpm run build\b/.test(r));
    expect(ci).toBeGreaterThanOrEqual(0);
    expect(compile).toBeGreaterThan(ci);
  });

  it('installs only production dependencies in the runtime stage, and builds nothing there', () => {
    expect(runs(runtime).some((r) => /\bnpm ci\b.*--omit=dev/.test(r))).toBe(true);
    expect(runs(runtime).some((r) => /\bnpm (run build|install)\b|\btsc\b/.test(r))).toBe(false);
  });

  it('copies .npmrc (yes=true for a postinstall\'s npx) before every npm ci, with the lockfile', () => {
    for (const stage of all) {
      const ci = indexOf(stage, (i) => i.op === 'RUN' && /\bnpm ci\b/.test(i.args));
      if (ci < 0) continue;
      const before = copies(stage).filter((c) => c.index < ci && !c.from).flatMap((c) => c.sources.map((s) => path.posix.normalize(s)));
      expect({ stage: stage.name, before }).toEqual({ stage: stage.name, before: expect.arrayContaining(['.npmrc', 'package.json', 'package-lock.json']) });
    }
  });

  it('puts in the runtime image everything the bot reads at run time, beside package.json', () => {
    const workdir = workdirOf(runtime);
    const present = new Set(copies(runtime).flatMap(landed));
    // bot/paths.ts: the project root is the folder with package.json above dist/; it reads these from there.
    for (const p of ['package.json', 'package-lock.json', 'dist', 'knowledge', 'cards', 'bot/store/migrations']) {
      expect(present).toContain(path.posix.join(workdir, p));
    }
    // The compiled code comes from the build stage.
    const dist = copies(runtime).find((c) => landed(c).includes(path.posix.join(workdir, 'dist')))!;
    expect(dist.from).toBe(build.name);
    expect(dist.sources).toEqual([path.posix.join(workdirOf(build), 'dist')]);
  });

  it('copies from the build context only files that exist and that the root .dockerignore keeps', () => {
    const ignorePath = path.join(root, '.dockerignore');
    const patterns = existsSync(ignorePath)
      ? readFileSync(ignorePath, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'))
      : [];
    for (const stage of all) {
      for (const c of copies(stage).filter((x) => !x.from)) {
        for (const s of c.sources) {
          expect({ source: s, exists: existsSync(path.join(root, s)) }).toEqual({ source: s, exists: true });
          expect({ source: s, ignored: ignoredBy(patterns, path.posix.normalize(s)) }).toEqual({ source: s, ignored: false });
        }
      }
      // COPY --from names an earlier stage.
      for (const c of copies(stage).filter((x) => x.from)) {
        expect(all.slice(0, all.indexOf(stage)).map((s) => s.name)).toContain(c.from);
      }
    }
  });

  it('keeps what it copies with the .dockerignore infra/README.md proposes, and leaves secrets and builds out', () => {
    const readme = readFileSync(path.join(root, 'infra', 'README.md'), 'utf8');
    const block = /^#+ \.dockerignore\n[\s\S]*?```\n([\s\S]*?)```/m.exec(readme);
    expect(block).not.toBeNull();
    const patterns = block![1].split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
    for (const stage of all) {
      for (const c of copies(stage).filter((x) => !x.from)) {
        for (const s of c.sources) expect({ source: s, ignored: ignoredBy(patterns, path.posix.normalize(s)) }).toEqual({ source: s, ignored: false });
      }
    }
    for (const p of ['.env', '.env.local', 'node_modules', 'dist', 'data', '.git']) expect({ p, ignored: ignoredBy(patterns, p) }).toEqual({ p, ignored: true });
  });

  it('runs in production mode on port 3978, with its data in /data', () => {
    const env = envOf(runtime);
    expect(Object.fromEntries(env)).toMatchObject({ NODE_ENV: 'production', PORT: '3978', DATA_DIR: '/data' });
    const expose = runtime.instructions.filter((i) => i.op === 'EXPOSE').map((i) => i.args.trim());
    expect(expose).toContain(env.get('PORT'));
    const volume = runtime.instructions.find((i) => i.op === 'VOLUME')!;
    expect(volume.args).toMatch(/["\s[]\/data["\s\]]|^\/data$/);
    // The volume's folder belongs to the user the bot runs as, so PGlite can write there.
    const chown = indexOf(runtime, (i) => i.op === 'RUN' && /chown\s+(-R\s+)?node(:node)?\s+\/data\b/.test(i.args));
    expect(chown).toBeGreaterThanOrEqual(0);
    expect(chown).toBeLessThan(indexOf(runtime, (i) => i.op === 'VOLUME'));
  });

  it('sets no HOST: reachable from outside only with an app id, never unauthenticated', () => {
    const env = Object.fromEntries(envOf(runtime));
    expect(env).not.toHaveProperty('HOST');
    expect(runtime.instructions.filter((i) => i.op === 'ARG').map((i) => i.args.split('=')[0].trim())).not.toContain('HOST');
    // The bot as the image starts it: with an app id on every interface, without one (local mode) on loopback only.
    const credentials = { MicrosoftAppId: '11111111-2222-3333-4444-555555555555', MicrosoftAppPassword: 'a secret', MicrosoftAppTenantId: '66666666-7777-8888-9999-000000000000' };
    expect(loadConfig({ ...env, ...credentials }).host).toBe('0.0.0.0');
    const local = loadConfig(env);
    expect([local.localMode, local.host]).toEqual([true, '127.0.0.1']);
  });

  it('runs as the non-root node user', () => {
    const users = runtime.instructions.filter((i) => i.op === 'USER').map((i) => i.args.trim());
    expect(users[users.length - 1]).toBe('node');
    expect(indexOf(runtime, (i) => i.op === 'USER' && i.args.trim() === 'node')).toBeLessThan(indexOf(runtime, (i) => i.op === 'CMD'));
  });

  it('checks /healthz with node itself (no curl or wget in slim images)', () => {
    const check = runtime.instructions.find((i) => i.op === 'HEALTHCHECK')!;
    expect(check.args).toMatch(/\bCMD\s+node\b/);
    expect(check.args).toMatch(/\/healthz/);
    expect(check.args).not.toMatch(/\b(curl|wget)\b/);
    // The script after "node -e" is JavaScript that parses.
    const script = /node -e "(.*)"\s*$/.exec(check.args)![1];
    expect(() => new Function(script)).not.toThrow();
  });

  it('starts the compiled bot (package.json main) with node as PID 1, so SIGTERM reaches it', () => {
    const cmds = runtime.instructions.filter((i) => i.op === 'CMD');
    expect(cmds).toHaveLength(1);
    const argv = JSON.parse(cmds[0].args) as string[]; // exec form: no shell in between
    expect(argv[0]).toBe('node');
    expect(argv[argv.length - 1]).toBe(pkg.main);
    expect(runtime.instructions.some((i) => i.op === 'ENTRYPOINT')).toBe(false);
  });
});

describe('the Dockerfile reader', () => {
  it('joins continuation lines and resolves COPY destinations against WORKDIR', () => {
    const s = stages(instructions('ARG V=22\nFROM node:${V}-slim AS a\nWORKDIR /app\nRUN echo a \\\n  && echo b\nCOPY x y ./\nCOPY --from=a /app/d ./e\n'));
    expect(s.stages[0].image).toBe('node:22-slim');
    expect(runs(s.stages[0])).toEqual(['echo a && echo b']);
    expect(copies(s.stages[0]).flatMap(landed)).toEqual(['/app/x', '/app/y', '/app/e']);
  });

  it('applies .dockerignore patterns as Docker does: directories, globs, exceptions', () => {
    expect(ignoredBy(['node_modules'], 'node_modules/x/y.js')).toBe(true);
    expect(ignoredBy(['*.log'], 'a.log')).toBe(true);
    expect(ignoredBy(['*.log'], 'dir/a.log')).toBe(false);
    expect(ignoredBy(['**/*.log'], 'dir/a.log')).toBe(true);
    expect(ignoredBy(['.env*', '!.env.example'], '.env.example')).toBe(false);
    expect(ignoredBy(['.env*', '!.env.example'], '.env')).toBe(true);
    expect(ignoredBy(['dist'], 'distance')).toBe(false);
  });
});
