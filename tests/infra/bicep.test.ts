/**
 * infra/main.bicep and infra/main.parameters.json, checked without the Bicep CLI (not installable here): the Bicep
 * grammar (tree-sitter-bicep) parses the file, ./bicep-checker checks its structure, ./bicep-eval runs its parameter
 * checks and computes the app settings as a deployment would, and the tests check what each resource must contain.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { loadConfig } from '../../bot/config';
import Parser from 'tree-sitter';
import Bicep from 'tree-sitter-bicep';
import { bicepEvaluator, DeploymentFailure } from './bicep-eval';
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
const parametersFile = JSON.parse(readFileSync(path.join(root, 'infra', 'main.parameters.json'), 'utf8'));
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

// One deployment's context: ids and what Azure would report of the resources the expressions read.
const TENANT_ID = '66666666-7777-8888-9999-000000000000';
const APP_ID = '11111111-2222-3333-4444-555555555555';
const MSI_CLIENT_ID = '99999999-8888-7777-6666-555555555555';
const HOST_NAME = 'planeringsboten-abcdefghijklm.azurewebsites.net';
/** A deployment with these parameters (a SingleTenant bot with a valid app id unless they say otherwise). */
function deployment(given: Record<string, unknown> = {}) {
  return bicepEvaluator(bicep, {
    params: { msaAppId: APP_ID, postgresAdminPassword: 'a password', msaAppPassword: 'a client secret', ...given },
    resources: {
      appIdentity: { id: '/subscriptions/0/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id', properties: { clientId: MSI_CLIENT_ID } },
      site: { properties: { defaultHostName: HOST_NAME } },
      vault: { name: 'planeringsbotenkvabcdefg' },
      postgres: { properties: { fullyQualifiedDomainName: 'pb.postgres.database.azure.com' } },
    },
    functions: {
      resourceGroup: () => ({ id: '/subscriptions/0/resourceGroups/rg-planeringsboten', location: 'swedencentral' }),
      tenant: () => ({ tenantId: TENANT_ID }),
      subscription: () => ({ tenantId: TENANT_ID }),
      // ARM's uniqueString is 13 lowercase letters and digits.
      uniqueString: () => 'abcdefghijklm',
    },
  });
}
/** What a deployment refuses with, or undefined when it goes ahead. */
function refusal(evaluate: () => unknown): string | undefined {
  try {
    evaluate();
    return undefined;
  } catch (err) {
    if (err instanceof DeploymentFailure) return err.message;
    throw err;
  }
}

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

describe('the Bicep evaluator', () => {
  const value = (src: string, name: string, params: Record<string, unknown> = {}) => bicepEvaluator(checkBicep(src), { params }).value(name);

  it('evaluates params, vars, interpolation, loops and the functions the checks use', () => {
    const src = "param p string = 'ab'\nvar chars = [for i in range(0, 2): substring('xyz', i, 1)]\nvar v = '${toUpper(p)}-${join(split('axbyc', chars), '')}-${length(p) * 2}'\n";
    expect(value(src, 'v')).toBe('AB-abc-4');
    expect(value(src, 'v', { p: 'q' })).toBe('Q-abc-2');
  });

  it('evaluates only the branch a ternary chooses, and both sides of && as ARM does', () => {
    const src = "param n int\nvar t = n > 1 ? 'big' : fail('too small')\nvar a = n > 1 && fail('both sides')\n";
    expect(value(src, 't', { n: 2 })).toBe('big');
    expect(() => value(src, 't', { n: 1 })).toThrow(new DeploymentFailure('too small'));
    expect(() => value(src, 'a', { n: 0 })).toThrow(new DeploymentFailure('both sides'));
  });

  it('refuses what it does not know rather than guessing', () => {
    expect(() => value("var v = dateTimeAdd('2026-01-01', 'P1D')\n", 'v')).toThrow(/does not know the function dateTimeAdd/);
    expect(() => value("resource r 'Microsoft.Web/sites@2024-04-01' = {\n  name: 'x'\n}\nvar v = r.id\n", 'v')).toThrow(/r has no value here/);
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
    const appId = (given: Record<string, unknown>) => deployment(given).expression(propertyTokens(bot.value, ['properties', 'msaAppId'])!);
    expect(appId({ msaAppType: 'UserAssignedMSI', msaAppId: '' })).toBe(MSI_CLIENT_ID);
    expect(appId({ msaAppType: 'SingleTenant' })).toBe(APP_ID);
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
    /** The app settings a deployment with these parameters gives the web app. */
    const deployed = (given: Record<string, unknown> = {}) =>
      deployment(given).expression(propertyTokens(config().value, ['properties'])!) as Record<string, unknown>;
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

    it('carry the bot settings, the ones a redeploy would otherwise reset, and App Service build settings', () => {
      for (const name of [
        'MicrosoftAppId',
        'MicrosoftAppType',
        'MicrosoftAppTenantId',
        'MicrosoftAppPassword',
        'DATABASE_URL',
        'PUBLIC_URL',
        'PORT',
        'LOG_LEVEL',
        'ALLOWED_TENANTS',
        'EDITORS',
        'RATE_LIMIT_PER_MINUTE',
        'RETENTION_DAYS',
        'SCM_DO_BUILD_DURING_DEPLOYMENT',
      ]) {
        expect(appSettings()).toContain(name);
      }
    });

    it('name only variables the bot reads (.env.example) or App Service itself does', () => {
      const unknown = [...appSettings()].filter((s) => !documented.has(s) && !/^(SCM|WEBSITES?)_/.test(s));
      expect(unknown).toEqual([]);
    });

    it('leave HOST unset: the bot binds every interface itself only when it has an app id', () => {
      expect(appSettings()).not.toContain('HOST');
    });

    it('are all strings, as App Service requires', () => {
      for (const [name, value] of Object.entries(deployed())) expect({ name, type: typeof value }).toEqual({ name, type: 'string' });
    });

    it('give MicrosoftAppPassword only without a managed identity, and secrets only as Key Vault references', () => {
      expect(deployed({ msaAppType: 'UserAssignedMSI', msaAppId: '' })).not.toHaveProperty('MicrosoftAppPassword');
      const settings = deployed();
      for (const [name, secret] of [['MicrosoftAppPassword', 'microsoft-app-password'], ['DATABASE_URL', 'database-url']]) {
        expect(settings[name]).toBe(`@Microsoft.KeyVault(VaultName=planeringsbotenkvabcdefg;SecretName=${secret})`);
      }
    });

    it('make a configuration the bot accepts: authenticated, on App Service\'s port on all interfaces, own tenant only', () => {
      const settings = deployed() as Record<string, string>;
      // App Service resolves the Key Vault references before the bot starts.
      const env = { ...settings, MicrosoftAppPassword: 'a client secret', DATABASE_URL: 'postgresql://planeringsboten:pw@pb.postgres.database.azure.com:5432/planeringsboten?sslmode=verify-full' };
      const parsed = loadConfig(env);
      expect(parsed.localMode).toBe(false);
      expect(parsed.MicrosoftAppId).toBe(APP_ID);
      expect(parsed.host).toBe('0.0.0.0');
      expect(String(parsed.PORT)).toBe(settings.WEBSITES_PORT);
      expect(parsed.PUBLIC_URL).toBe(`https://${HOST_NAME}`);
      expect(parsed.ALLOWED_TENANTS).toEqual([TENANT_ID]);
      expect([parsed.RATE_LIMIT_PER_MINUTE, parsed.RETENTION_DAYS]).toEqual([20, 90]);
    });

    it('pass the tenants, the editors, the rate limit and the retention given as parameters to the bot', () => {
      const other = '0b9a8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d';
      const settings = deployed({ msaAppTenantId: TENANT_ID, allowedTenants: `${TENANT_ID},${other}`, editors: 'aad-editor', rateLimitPerMinute: 5, retentionDays: 30 });
      expect(settings).toMatchObject({ ALLOWED_TENANTS: `${TENANT_ID},${other}`, EDITORS: 'aad-editor', RATE_LIMIT_PER_MINUTE: '5', RETENTION_DAYS: '30' });
      // The parameters' limits are the bot's: a value the template accepts never stops the bot's start.
      for (const [param, setting] of [['rateLimitPerMinute', 'RATE_LIMIT_PER_MINUTE'], ['retentionDays', 'RETENTION_DAYS']]) {
        const p = params.get(param)!;
        for (const edge of ['minValue', 'maxValue']) {
          const limit = Number(text(p.decorators.get(edge)));
          const env = { ...(deployed({ [param]: limit }) as Record<string, string>), MicrosoftAppPassword: 'x', DATABASE_URL: 'postgresql://u:p@h/db' };
          expect({ param, edge, value: (loadConfig(env) as unknown as Record<string, unknown>)[setting] }).toEqual({ param, edge, value: limit });
        }
      }
    });
  });

  describe('parameter checks that stop a deployment', () => {
    const NAMED = ['Microsoft.DBforPostgreSQL/flexibleServers', 'Microsoft.KeyVault/vaults', 'Microsoft.Web/sites', 'Microsoft.Web/serverfarms', 'Microsoft.BotService/botServices', 'Microsoft.ManagedIdentity/userAssignedIdentities'];
    const nameOf = (type: string, given: Record<string, unknown>) => deployment(given).expression(propertyTokens(theResource(type).value, ['name'])!) as string;
    const names = (given: Record<string, unknown>) => Object.fromEntries(NAMED.map((type) => [type.split('/').pop(), nameOf(type, given)]));

    it('namePrefix: lowercase letters and digits from a letter on; everything else stops the deployment', () => {
      const p = params.get('namePrefix')!;
      expect(p.decorators.has('minLength') && p.decorators.has('maxLength')).toBe(true);
      expect(literalDefault(p)).toMatch(/^[a-z][a-z0-9]*$/);
      // Every resource named from the prefix is refused, not only the first one a deployment happens to evaluate.
      for (const bad of ['Planeringsboten', 'pb_test', 'pb-test', '1planering', 'planering.se', 'plåneringen']) {
        for (const type of NAMED) {
          expect({ bad, type, refused: refusal(() => nameOf(type, { namePrefix: bad })) }).toEqual({ bad, type, refused: expect.stringContaining('namePrefix') });
        }
      }
    });

    it('namePrefix: every allowed prefix, the longest too, makes names PostgreSQL, Key Vault and App Service accept', () => {
      const max = Number(text(params.get('namePrefix')!.decorators.get('maxLength')));
      const min = Number(text(params.get('namePrefix')!.decorators.get('minLength')));
      for (const prefix of ['planeringsboten', 'a'.repeat(min), `p${'9'.repeat(max - 1)}`]) {
        const n = names({ namePrefix: prefix });
        expect(n.flexibleServers).toMatch(/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/);
        expect(n.vaults).toMatch(/^[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$/);
        expect(n.vaults).not.toContain('--');
        expect(n.sites).toMatch(/^[a-zA-Z0-9][a-zA-Z0-9-]{0,58}[a-zA-Z0-9]$/);
        expect(n.serverfarms).toMatch(/^[a-zA-Z0-9-]{1,60}$/);
        expect(n.botServices).toMatch(/^[a-zA-Z0-9][a-zA-Z0-9_.-]{1,63}$/);
      }
    });

    it('msaAppId: a SingleTenant bot without a GUID app id stops the deployment (it would run unauthenticated)', () => {
      const bot = theResource('Microsoft.BotService/botServices');
      const appId = (given: Record<string, unknown>) => () => deployment(given).expression(propertyTokens(bot.value, ['properties', 'msaAppId'])!);
      expect(literalDefault(params.get('msaAppType')!)).toBe('SingleTenant');
      for (const bad of ['', 'REPLACE-WITH-APP-REGISTRATION-CLIENT-ID', 'not-a-guid']) {
        expect({ bad, refused: refusal(appId({ msaAppId: bad })) }).toEqual({ bad, refused: expect.stringContaining('msaAppId') });
      }
      expect(refusal(appId({ msaAppId: APP_ID }))).toBeUndefined();
      // The parameters file's placeholder is refused, so nobody deploys it by mistake.
      expect(refusal(appId({ msaAppId: parametersFile.parameters.msaAppId.value }))).toContain('msaAppId');
      // With the managed identity no msaAppId is needed.
      expect(refusal(appId({ msaAppType: 'UserAssignedMSI', msaAppId: '' }))).toBeUndefined();
    });

    it('instanceCount: no more than the plan\'s size allows (Basic 3, Standard 10, Premium v3 30)', () => {
      const plan = theResource('Microsoft.Web/serverfarms');
      const capacity = (given: Record<string, unknown>) => () => deployment(given).expression(propertyTokens(plan.value, ['sku', 'capacity'])!);
      const limits: Record<string, number> = { B: 3, S: 10, P: 30 };
      const skus = allowedValues(params.get(prop(plan, 'sku', 'name'))!)!;
      expect(literalDefault(params.get('appServicePlanSku')!)).toBe('B1');
      for (const sku of skus.map(String)) {
        const limit = limits[sku[0]];
        expect({ sku, known: limit !== undefined }).toEqual({ sku, known: true });
        expect({ sku, capacity: capacity({ appServicePlanSku: sku, instanceCount: limit })() }).toEqual({ sku, capacity: limit });
        expect({ sku, refused: refusal(capacity({ appServicePlanSku: sku, instanceCount: limit + 1 })) }).toEqual({ sku, refused: expect.stringContaining('instanceCount') });
      }
      expect(Number(text(params.get('instanceCount')!.decorators.get('maxValue')))).toBe(Math.max(...Object.values(limits)));
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
      // Evaluated as ARM would, with a password full of URL specials, and read back as pg does.
      const password = 'p@ss:w/rd?#%&=+ é';
      const url = deployment({ postgresAdminPassword: password }).expression(propertyTokens(secret.value, ['properties', 'value'])!) as string;
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
  const file = parametersFile;
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

// The Bicep grammar for tree-sitter (devDependencies tree-sitter and tree-sitter-bicep, with prebuilt binaries in their
// npm packages): main.bicep must parse without a single error node.
describe('the Bicep grammar (tree-sitter-bicep)', () => {
  const parser = new Parser();
  parser.setLanguage(Bicep);
  const syntaxErrors = (src: string) => {
    const problems: string[] = [];
    const walk = (n: Parser.SyntaxNode) => {
      if (n.type === 'ERROR' || n.isMissing) problems.push(`line ${n.startPosition.row + 1}: ${n.isMissing ? `missing ${n.type}` : 'syntax error'}`);
      n.children.forEach(walk);
    };
    walk(parser.parse(src).rootNode);
    return problems;
  };

  it('finds syntax errors (so that finding none means something)', () => {
    expect(syntaxErrors("param a string = 'x'\nvar b = a == 'x' ? 1 :\n")).not.toEqual([]);
    expect(syntaxErrors("resource r 'Microsoft.Web/sites@2024-04-01' = {\n  name: 'x'\n")).not.toEqual([]);
  });

  it('parses infra/main.bicep', () => {
    expect(syntaxErrors(source)).toEqual([]);
  });
});
