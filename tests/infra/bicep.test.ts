/**
 * infra/main.bicep and infra/main.parameters.json, checked without the Bicep CLI (not installable here): a structural
 * check of the whole file by ./bicep-checker, then what the deployment must contain, resource by resource. When the
 * devDependencies tree-sitter and tree-sitter-bicep are installed, the Bicep grammar parses the file as well.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { loadConfig } from '../../bot/config';
import {
  allowedValues,
  checkBicep,
  Declaration,
  literalDefault,
  objectKeys,
  propertyTokens,
  text,
  Token,
} from './bicep-checker';

const root = path.resolve(__dirname, '../..');
const bicepPath = path.join(root, 'infra', 'main.bicep');
const source = readFileSync(bicepPath, 'utf8');
const bicep = checkBicep(source);
const decls = bicep.declarations;
const params = new Map(decls.filter((d) => d.keyword === 'param').map((d) => [d.name, d]));
const outputs = new Map(decls.filter((d) => d.keyword === 'output').map((d) => [d.name, d]));
const symbols = new Map(decls.filter((d) => d.keyword !== 'output').map((d) => [d.name, d]));
const resources = decls.filter((d) => d.keyword === 'resource');

function resourcesOfType(type: string): Declaration[] {
  return resources.filter((r) => r.type!.split('@')[0].toLowerCase() === type.toLowerCase());
}
function theResource(type: string): Declaration {
  const found = resourcesOfType(type);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0];
}
/** A property's value as text, e.g. prop(site, 'properties', 'httpsOnly') === 'true'. */
function prop(r: Declaration, ...propertyPath: string[]): string {
  return text(propertyTokens(r.value, propertyPath));
}
const bare = (tokens: Token[] | undefined) => (tokens ?? []).filter((t) => t.type !== 'newline');

describe('the Bicep checker', () => {
  // Each broken file must be caught: a checker that passes everything would prove nothing about main.bicep.
  it.each([
    ['an unclosed brace', "resource r 'Microsoft.Web/sites@2024-04-01' = {\n  name: 'x'\n", /never closed/],
    ['a mismatched bracket', "var a = [\n  1\n}\n", /closes \[/],
    ['a string not closed', "var a = 'abc\n", /not closed/],
    ['an undeclared identifier', "var a = b.properties.x\noutput o string = a\n", /b is not declared/],
    ['an undeclared identifier inside ${}', "var a = 'x${nope}y'\noutput o string = a\n", /nope is not declared/],
    ['an unknown function', "var a = toupper('x')\noutput o string = a\n", /unknown function toupper/],
    ['a param without a type', "param a = 'x'\noutput o string = a\n", /should be "<name> <type>"/],
    ['an unknown type', "param a text\noutput o string = a\n", /unknown type text/],
    ['a resource type without API version', "resource r 'Microsoft.Web/sites' = {\n  name: 'x'\n}\n", /is not 'Namespace/],
    ['a malformed API version', "resource r 'Microsoft.Web/sites@2024-13-01' = {\n  name: 'x'\n}\n", /is not 'Namespace/],
    ['a resource without "="', "resource r 'Microsoft.Web/sites@2024-04-01' {\n  name: 'x'\n}\n", /body should be|before "="/],
    ['a password param that is not secure', "param adminPassword string\noutput o string = 'x${length(adminPassword)}'\n", /not @secure/],
    ['a secure param with a default', "@secure()\nparam adminPassword string = 'hunter2'\nvar a = adminPassword\noutput o int = length(a)\n", /has a default/],
    ['a secure param in an output', "@secure()\nparam adminPassword string\noutput o string = adminPassword\n", /contains the secure param/],
    ['a literal password in a resource', "resource r 'Microsoft.DBforPostgreSQL/flexibleServers@2024-08-01' = {\n  name: 'x'\n  properties: {\n    administratorLoginPassword: 'hunter2'\n  }\n}\n", /literal string/],
    ['a literal Key Vault secret', "resource s 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {\n  name: 'v/s'\n  properties: {\n    value: 'hunter2'\n  }\n}\n", /literal value/],
    ['an unused param', "param a string\n", /never used/],
    ['a duplicate name', "param a string\nvar a = 1\noutput o int = a\n", /declared twice/],
    ['a var in dependsOn', "var a = 1\nresource r 'Microsoft.Web/sites@2024-04-01' = {\n  name: 'x'\n  properties: {\n    n: a\n  }\n  dependsOn: [\n    a\n  ]\n}\n", /not a resource or module/],
    ['an unknown decorator', "@secret()\nparam a string\noutput o int = length(a)\n", /unknown decorator/],
    ['a stray statement', "paramx a string\n", /unexpected top-level statement/],
  ])('finds %s', (_what, src, expected) => {
    expect(checkBicep(src).errors.join('\n')).toMatch(expected);
  });

  it('accepts correct Bicep: decorators, conditions, interpolated keys, loops, escapes', () => {
    const ok = [
      "@description('It\\'s a name')",
      '@allowed([',
      "  'a'",
      "  'b'",
      '])',
      "param name string = 'a'",
      "var ids = [for i in range(0, 2): '${name}-${i}']",
      "resource r 'Microsoft.Web/sites@2024-04-01' = if (name == 'a') {",
      '  name: name',
      '  identity: {',
      "    '${ids[0]}': {}",
      '  }',
      '  properties: {',
      "    enabled: empty(name) ? false : contains(ids, 'a-0')",
      '  }',
      '}',
      'output host string = r.properties.defaultHostName',
    ].join('\n');
    expect(checkBicep(ok).errors).toEqual([]);
  });
});

describe('infra/main.bicep', () => {
  it('is well-formed: balanced, declarations in shape, every identifier declared and used, secrets handled', () => {
    expect(bicep.errors).toEqual([]);
    expect(resources.length).toBeGreaterThan(5);
  });

  it('describes every parameter', () => {
    const undescribed = [...params.values()].filter((p) => !p.decorators.has('description')).map((p) => p.name);
    expect(undescribed).toEqual([]);
  });

  it('gives every allowed-list parameter a default from its list', () => {
    for (const p of params.values()) {
      const allowed = allowedValues(p);
      const def = literalDefault(p);
      if (allowed && def !== undefined) expect({ param: p.name, ok: allowed.includes(def as string | number) }).toEqual({ param: p.name, ok: true });
    }
  });

  it('keeps the secrets secure: the app password and the database password, with no defaults to leak', () => {
    for (const name of ['msaAppPassword', 'postgresAdminPassword']) {
      expect(params.get(name)?.decorators.has('secure')).toBe(true);
    }
    // The database password has no default at all: a deployment cannot forget it.
    expect(params.get('postgresAdminPassword')?.value).toEqual([]);
  });

  it('registers an Azure Bot (kind azurebot, F0/S1, SingleTenant or UserAssignedMSI) calling the web app', () => {
    const bot = theResource('Microsoft.BotService/botServices');
    expect(prop(bot, 'kind')).toBe("'azurebot'");
    expect(prop(bot, 'location')).toBe("'global'");
    const skuParam = params.get(prop(bot, 'sku', 'name'))!;
    expect(allowedValues(skuParam)).toEqual(['F0', 'S1']);
    const typeParam = params.get(prop(bot, 'properties', 'msaAppType'))!;
    expect(allowedValues(typeParam)).toEqual(['SingleTenant', 'UserAssignedMSI']);
    expect(literalDefault(typeParam)).toBe('SingleTenant');
    for (const p of ['msaAppId', 'msaAppTenantId', 'msaAppMSIResourceId', 'displayName']) expect(prop(bot, 'properties', p)).not.toBe('');
    // With UserAssignedMSI the bot is the identity the template creates: its resource id and client id.
    expect(prop(bot, 'properties', 'msaAppMSIResourceId')).toMatch(/isMsi \? appIdentity \. id : null/);
    expect(text(symbols.get('botAppId')?.value)).toMatch(/appIdentity \. properties \. clientId : msaAppId/);
    expect(prop(bot, 'properties', 'endpoint')).toMatch(/^'https:\/\/\$\{…\}\/api\/messages' site \. properties \. defaultHostName$/);
  });

  it('enables the Microsoft Teams channel on that bot', () => {
    const channel = theResource('Microsoft.BotService/botServices/channels');
    expect(prop(channel, 'parent')).toBe('bot');
    expect(prop(channel, 'name')).toBe("'MsTeamsChannel'");
    expect(prop(channel, 'properties', 'channelName')).toBe("'MsTeamsChannel'");
    expect(prop(channel, 'properties', 'properties', 'isEnabled')).toBe('true');
  });

  it('creates the user-assigned identity, attaches it to the web app and lets it read the Key Vault secrets', () => {
    theResource('Microsoft.ManagedIdentity/userAssignedIdentities');
    const site = theResource('Microsoft.Web/sites');
    expect(prop(site, 'identity', 'type')).toBe("'UserAssigned'");
    expect(prop(site, 'identity', 'userAssignedIdentities')).toMatch(/appIdentity \. id/);
    expect(prop(site, 'properties', 'keyVaultReferenceIdentity')).toBe('appIdentity . id');
    const vault = theResource('Microsoft.KeyVault/vaults');
    const policies = prop(vault, 'properties', 'accessPolicies');
    expect(policies).toMatch(/objectId : appIdentity \. properties \. principalId/);
    // Read secrets, nothing more.
    expect(text(propertyTokens(vault.value, ['properties', 'accessPolicies']))).toMatch(/secrets : \[ 'get' \]/);
    expect(policies).not.toMatch(/keys|certificates|'set'|'list'|'delete'/);
  });

  it('runs a Linux App Service plan and web app: Node LTS, always on, https only, health check /healthz', () => {
    const plan = theResource('Microsoft.Web/serverfarms');
    expect(prop(plan, 'kind')).toBe("'linux'");
    expect(prop(plan, 'properties', 'reserved')).toBe('true');
    const site = theResource('Microsoft.Web/sites');
    expect(prop(site, 'kind')).toBe("'app,linux'");
    expect(prop(site, 'properties', 'serverFarmId')).toBe('plan . id');
    expect(prop(site, 'properties', 'httpsOnly')).toBe('true');
    expect(prop(site, 'properties', 'siteConfig', 'alwaysOn')).toBe('true');
    expect(prop(site, 'properties', 'siteConfig', 'healthCheckPath')).toBe("'/healthz'");
    const fx = params.get(prop(site, 'properties', 'siteConfig', 'linuxFxVersion'))!;
    for (const v of allowedValues(fx)!) expect(v).toMatch(/^NODE\|(\d+)-lts$/);
    // The package says which Node.js it needs; every runtime offered must satisfy it.
    const minimum = Number(/>=\s*(\d+)/.exec(require('../../package.json').engines.node)![1]);
    for (const v of allowedValues(fx)!) expect(Number(/\d+/.exec(String(v))![0])).toBeGreaterThanOrEqual(minimum);
  });

  it('starts the compiled bot (package.json main) rather than npm start, which would build again at every start', () => {
    const site = theResource('Microsoft.Web/sites');
    const command = prop(site, 'properties', 'siteConfig', 'appCommandLine');
    const main: string = require('../../package.json').main;
    expect(command).toMatch(new RegExp(`^'node( --[\\w=-]+)* ${main.replace(/\./g, '\\.')}'$`));
  });

  describe('app settings', () => {
    // Looked up inside each test, so that a file the checker rejects fails the tests with its reason, not the suite.
    const config = () => theResource('Microsoft.Web/sites/config');
    const appSettings = () => objectKeys(propertyTokens(config().value, ['properties']) ?? [], symbols);
    const documented = new Set(
      readFileSync(path.join(root, '.env.example'), 'utf8')
        .split('\n')
        .map((l) => /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(l)?.[1])
        .filter((x): x is string => Boolean(x)),
    );

    it('are the app settings of the web app', () => {
      expect(prop(config(), 'parent')).toBe('site');
      expect(prop(config(), 'name')).toBe("'appsettings'");
    });

    it('carry the bot settings and App Service build settings', () => {
      for (const name of [
        'MicrosoftAppId',
        'MicrosoftAppType',
        'MicrosoftAppTenantId',
        'MicrosoftAppPassword',
        'DATABASE_URL',
        'PUBLIC_URL',
        'PORT',
        'LOG_LEVEL',
        'SCM_DO_BUILD_DURING_DEPLOYMENT',
      ]) {
        expect(appSettings()).toContain(name);
      }
    });

    it('name only variables the bot reads (.env.example) or App Service itself does', () => {
      const unknown = [...appSettings()].filter((s) => !documented.has(s) && !/^(SCM|WEBSITES?)_/.test(s));
      expect(unknown).toEqual([]);
    });

    it('give MicrosoftAppPassword only without a managed identity, and secrets only as Key Vault references', () => {
      const holder = [...symbols.values()].find((d) => d.keyword === 'var' && objectKeys(d.value, symbols).has('MicrosoftAppPassword'))!;
      expect(text(holder.value)).toMatch(/^isMsi \? \{ \} : \{/);
      for (const name of ['MicrosoftAppPassword', 'DATABASE_URL']) {
        expect(settingValue(name)).toMatch(/^'@Microsoft\.KeyVault\(VaultName=\$\{…\};SecretName=\$\{…\}\)'/);
      }
    });

    it('make a configuration the bot accepts, listening on App Service\'s port on all interfaces', () => {
      const env: Record<string, string> = {};
      for (const name of appSettings()) env[name] = sampleValue(name);
      const parsed = loadConfig(env);
      expect(parsed.localMode).toBe(false);
      expect(parsed.host).toBe('0.0.0.0');
      expect(String(parsed.PORT)).toBe(sampleValue('WEBSITES_PORT'));
      expect(parsed.PUBLIC_URL).toMatch(/^https:\/\//);
      expect(parsed.DATABASE_URL).toMatch(/^postgresql:\/\//);
    });
  });

  describe('PostgreSQL', () => {
    const server = () => theResource('Microsoft.DBforPostgreSQL/flexibleServers');

    it('is a flexible server, version 16, Burstable B1ms by default, with storage', () => {
      expect(prop(server(), 'properties', 'version')).toBe("'16'");
      expect(literalDefault(params.get(prop(server(), 'sku', 'name'))!)).toBe('Standard_B1ms');
      expect(literalDefault(params.get(prop(server(), 'sku', 'tier'))!)).toBe('Burstable');
      expect(prop(server(), 'properties', 'storage', 'storageSizeGB')).not.toBe('');
      expect(prop(server(), 'properties', 'administratorLoginPassword')).toBe('postgresAdminPassword');
    });

    it('holds the database planeringsboten, lets Azure services in and requires TLS', () => {
      const db = theResource('Microsoft.DBforPostgreSQL/flexibleServers/databases');
      expect(prop(db, 'parent')).toBe('postgres');
      expect(literalDefault(symbols.get(prop(db, 'name'))!)).toBe('planeringsboten');
      const rule = theResource('Microsoft.DBforPostgreSQL/flexibleServers/firewallRules');
      expect(prop(rule, 'properties', 'startIpAddress')).toBe("'0.0.0.0'");
      expect(prop(rule, 'properties', 'endIpAddress')).toBe("'0.0.0.0'");
      const tls = resourcesOfType('Microsoft.DBforPostgreSQL/flexibleServers/configurations').find((c) => prop(c, 'name') === "'require_secure_transport'");
      expect(tls && prop(tls, 'properties', 'value')).toMatch(/^'on'$/i);
    });

    it('reaches the bot as DATABASE_URL from a Key Vault secret: TLS verified, password URL-encoded', () => {
      const secret = resourcesOfType('Microsoft.KeyVault/vaults/secrets').find((s) => /database/i.test(prop(s, 'name')) || /database/i.test(text(symbols.get(prop(s, 'name'))?.value)))!;
      const value = bare(propertyTokens(secret.value, ['properties', 'value']));
      expect(value[0].type).toBe('string');
      expect(text(value)).toMatch(/uriComponent \( postgresAdminPassword \)/);
      expect(text(value)).toMatch(/uriComponent \( postgresAdminLogin \)/);
      // Fill the ${…} holes as ARM would, with a password full of URL specials, and read it back as pg does.
      const password = 'p@ss:w/rd?#%&=+ é';
      const holes = ['planeringsboten', encodeURIComponent(password), 'pb.postgres.database.azure.com', 'planeringsboten'];
      const url = value[0].value.replace(/\$\{…\}/g, () => holes.shift()!);
      expect(holes).toEqual([]);
      // The bot hands DATABASE_URL to pg's Pool; a Client parses it the same way, without connecting.
      type Parameters = { user: string; password: string; host: string; port: number; database: string; ssl: unknown };
      const parsed = (new Client({ connectionString: url }) as unknown as { connectionParameters: Parameters }).connectionParameters;
      expect(parsed).toMatchObject({ user: 'planeringsboten', host: 'pb.postgres.database.azure.com', port: 5432, database: 'planeringsboten' });
      expect(parsed.password).toBe(password);
      expect(parsed.ssl).toBeTruthy();
      expect(url).toMatch(/[?&]sslmode=(require|verify-full)(&|$)/);
    });
  });

  it('outputs the bot endpoint and the web app host name, and no secret', () => {
    expect(text(outputs.get('botEndpoint')?.value)).toMatch(/\/api\/messages'/);
    expect(text(outputs.get('webAppHostName')?.value)).toBe('site . properties . defaultHostName');
    for (const o of outputs.values()) expect(text(o.value)).not.toMatch(/Password|secret|listKeys/i);
  });
});

describe('infra/main.parameters.json', () => {
  const file = JSON.parse(readFileSync(path.join(root, 'infra', 'main.parameters.json'), 'utf8'));
  const given: Record<string, { value?: unknown; reference?: unknown }> = file.parameters;

  it('is a deployment parameters file', () => {
    expect(file.$schema).toMatch(/deploymentParameters\.json#$/);
    expect(file.contentVersion).toBe('1.0.0.0');
  });

  it('names only parameters of main.bicep, with values from their allowed lists', () => {
    for (const [name, entry] of Object.entries(given)) {
      const p = params.get(name);
      expect({ name, declared: Boolean(p) }).toEqual({ name, declared: true });
      const allowed = allowedValues(p!);
      if (allowed) expect({ name, allowed: allowed.includes(entry.value as string) }).toEqual({ name, allowed: true });
      if (p!.type === 'int') expect(typeof entry.value).toBe('number');
      if (p!.type === 'string') expect(typeof entry.value).toBe('string');
    }
  });

  it('holds no secrets: secure parameters are left to the command line', () => {
    for (const p of params.values()) {
      if (p.decorators.has('secure')) expect({ name: p.name, inFile: p.name in given }).toEqual({ name: p.name, inFile: false });
    }
  });

  it('leaves only secure parameters (given at deploy time) without a value', () => {
    const missing = [...params.values()].filter((p) => p.value.length === 0 && !(p.name in given) && !p.decorators.has('secure'));
    expect(missing.map((p) => p.name)).toEqual([]);
  });

  it('has placeholders, not somebody\'s real ids', () => {
    const guid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
    expect(JSON.stringify(file)).not.toMatch(guid);
  });
});

// The Bicep grammar for tree-sitter installs from the npm registry with prebuilt binaries. When the project has it
// (devDependencies tree-sitter and tree-sitter-bicep), main.bicep must parse without a single error node.
const grammar = (() => {
  try {
    return { Parser: require('tree-sitter'), Bicep: require('tree-sitter-bicep') };
  } catch {
    return undefined;
  }
})();

(grammar ? it : it.skip)('parses with the Bicep grammar (tree-sitter-bicep)', () => {
  const parser = new grammar!.Parser();
  parser.setLanguage(grammar!.Bicep);
  const tree = parser.parse(source);
  const problems: string[] = [];
  const walk = (n: { type: string; isMissing: boolean; startPosition: { row: number }; children: unknown[] }) => {
    if (n.type === 'ERROR' || n.isMissing) problems.push(`line ${n.startPosition.row + 1}: ${n.isMissing ? 'missing' : 'syntax error'}`);
    n.children.forEach((c) => walk(c as typeof n));
  };
  walk(tree.rootNode);
  expect(problems).toEqual([]);
});

/** The value of an app setting as text, looked up through the vars the settings are built from. */
function settingValue(name: string): string {
  for (const d of symbols.values()) {
    if (d.keyword !== 'var') continue;
    const found = findKey(d.value, name);
    if (found !== undefined) return found;
  }
  return '';
}

function findKey(tokens: Token[], name: string): string | undefined {
  const k = tokens.findIndex((t, i) => t.value === name && tokens[i + 1]?.value === ':' && (tokens[i - 1]?.type === 'newline' || tokens[i - 1]?.value === '{'));
  if (k < 0) return undefined;
  const end = tokens.findIndex((t, i) => i > k && t.type === 'newline');
  return text(tokens.slice(k + 2, end < 0 ? undefined : end));
}

/** What a setting holds once deployed with the default parameters (secrets and ids replaced by samples). */
function sampleValue(name: string): string {
  const samples: Record<string, string> = {
    MicrosoftAppId: '11111111-2222-3333-4444-555555555555',
    MicrosoftAppTenantId: '66666666-7777-8888-9999-000000000000',
    MicrosoftAppPassword: 'a client secret',
    DATABASE_URL: 'postgresql://planeringsboten:pw@pb.postgres.database.azure.com:5432/planeringsboten?sslmode=verify-full',
    PUBLIC_URL: 'https://planeringsboten-abc.azurewebsites.net',
  };
  if (name in samples) return samples[name];
  const value = settingValue(name);
  const literal = /^'([^']*)'$/.exec(value);
  if (literal) return literal[1];
  const ref = symbols.get(value);
  const def = ref && literalDefault(ref);
  if (def === undefined) throw new Error(`cannot tell the value of ${name}: ${value}`);
  return String(def);
}
