import http from 'node:http';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import jwt from 'jsonwebtoken';
import { FakeConnector } from '../helpers/connector';
import { message } from '../helpers/activities';
import { postJson, startTestBot, type TestBot } from '../helpers/bot';

const APP_ID = '0b5a5b6e-2f5c-4b8e-9d57-1f3c9d0a7e11';
const ISSUER = 'https://api.botframework.com';
const KID = 'test-key-1';

/** A local OpenID metadata and JWKS server, the way the Bot Framework publishes its signing keys. */
async function startOpenIdServer(publicKey: KeyObject) {
  const server = http.createServer((req, res) => {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const body =
      req.url === '/openid'
        ? { issuer: ISSUER, jwks_uri: `${base}/keys`, id_token_signing_alg_values_supported: ['RS256'], token_endpoint_auth_methods_supported: ['private_key_jwt'] }
        : req.url === '/keys'
          ? { keys: [{ ...publicKey.export({ format: 'jwk' }), kid: KID, use: 'sig', alg: 'RS256', endorsements: ['msteams'] }] }
          : undefined;
    res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body ?? {}));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/openid`, close: () => new Promise((r) => server.close(r)) };
}

const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
let openId: Awaited<ReturnType<typeof startOpenIdServer>>;
let connector: FakeConnector;
let bot: TestBot;
let n = 0;

beforeAll(async () => {
  openId = await startOpenIdServer(keys.publicKey);
  connector = await FakeConnector.start();
  bot = await startTestBot({
    MicrosoftAppId: APP_ID,
    MicrosoftAppPassword: 'not-a-real-secret',
    MicrosoftAppTenantId: 'tenant-1',
    ToBotFromChannelOpenIdMetadataUrl: openId.url,
    ALLOWED_TENANTS: 'tenant-1',
  });
});

/** How many turns of each kind the bot has run, from its own metrics. */
async function turnsRun(): Promise<number> {
  const text = await (await fetch(`${bot.url}/metrics`)).text();
  return [...text.matchAll(/^planeringsboten_turns_total\{[^}]*\} (\d+)$/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
}
afterAll(async () => {
  await bot.stop();
  await connector.close();
  await openId.close();
});

interface TokenOptions {
  audience?: string;
  issuer?: string;
  expiresIn?: number;
  key?: KeyObject;
  serviceUrl?: string;
}

function token(serviceUrl: string, o: TokenOptions = {}): string {
  return jwt.sign({ serviceurl: o.serviceUrl ?? serviceUrl }, (o.key ?? keys.privateKey).export({ format: 'pem', type: 'pkcs8' }), {
    algorithm: 'RS256',
    keyid: KID,
    issuer: o.issuer ?? ISSUER,
    audience: o.audience ?? APP_ID,
    expiresIn: o.expiresIn ?? 300,
  });
}

async function send(o: TokenOptions | 'none', tenantId = 'tenant-1') {
  const conversationId = `jwt-${++n}`;
  const activity = message({ serviceUrl: connector.url, conversationId, text: 'hjälp', tenantId });
  const headers: Record<string, string> = o === 'none' ? {} : { authorization: `Bearer ${token(connector.url, o)}` };
  return (await postJson(`${bot.url}/api/messages`, activity, headers)).status;
}

test('a token signed by the channel, for this bot, passes and the turn runs', async () => {
  const before = await turnsRun();
  const status = await send({});
  // The reply itself needs a token from Entra ID, which this offline machine cannot reach; the
  // request got past authentication, and its turn ran, which is what this test is about.
  expect(status).toBe(200);
  expect(await turnsRun()).toBe(before + 1);
});

test('authentication comes before the tenant: no token from another tenant is 401; a valid one, 403', async () => {
  const before = await turnsRun();
  expect(await send('none', 'tenant-2')).toBe(401);
  expect(await send({}, 'tenant-2')).toBe(403);
  expect(await turnsRun()).toBe(before);
});

test.each<[string, TokenOptions | 'none']>([
  ['no token', 'none'],
  ['a wrong audience', { audience: 'someone-else' }],
  ['a wrong issuer', { issuer: 'https://evil.example' }],
  ['an expired token (beyond the SDK\'s five minutes of clock skew)', { expiresIn: -600 }],
  ['a signature by another key', { key: stranger.privateKey }],
  ['a serviceUrl claim that is not the activity’s', { serviceUrl: 'https://smba.example/other/' }],
])('%s is refused with 401 and runs no turn', async (_name, options) => {
  const before = await turnsRun();
  const status = await send(options);
  expect(status).toBe(401);
  expect(await turnsRun()).toBe(before);
});
