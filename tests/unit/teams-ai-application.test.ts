import { execFileSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');

/** Runs `script` in a fresh Node process in the project (the compiled bot, as it runs in production) and returns what it prints as JSON. */
const inNode = (script: string) => JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' }));

describe('teams-ai without user sign-in (bot/teams/teams-ai-application.ts)', () => {
  test('the bot process never loads botbuilder-dialogs or its text recognizers', () => {
    const loaded: string[] = inNode(`require('./dist/bot/app.js'); console.log(JSON.stringify(Object.keys(require.cache)))`);
    expect(loaded.some((file) => file.includes(`${path.sep}@microsoft${path.sep}teams-ai${path.sep}lib${path.sep}Application.js`))).toBe(true);
    expect(loaded.filter((file) => /botbuilder-dialogs|recognizers-text-(suite|number|date-time|choice|sequence)/.test(file))).toEqual([]);
  });

  test('asks whether a person is signing in as teams-ai does, and refuses to be configured for sign-in', () => {
    const seen = inNode(`
      const { Application } = require('./dist/bot/teams/teams-ai-application.js');
      const base = require.cache[require.resolve('@microsoft/teams-ai/lib/authentication/BotAuthenticationBase.js')].exports;
      let refusal;
      try { new Application({ authentication: { settings: {} } }); } catch (err) { refusal = err.message; }
      console.log(JSON.stringify({
        nobody: base.userInSignInFlow({ user: {} }) ?? null,
        signingIn: base.userInSignInFlow({ user: { __InSignInFlow__: 'graph' } }),
        refusal,
      }));
    `);
    expect(seen).toEqual({ nobody: null, signingIn: 'graph', refusal: expect.stringContaining('without user sign-in') });
  });
});
