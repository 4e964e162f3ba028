import Module from 'node:module';
import path from 'node:path';
import type * as TeamsAiApplication from '@microsoft/teams-ai/lib/Application';
import type { TurnState } from '@microsoft/teams-ai/lib/TurnState';

/**
 * teams-ai's Application without its user sign-in (OAuth and Teams SSO), which this bot does not
 * configure. Application.js loads the sign-in modules when it is loaded, and with them
 * botbuilder-dialogs and Microsoft's text recognizers for many languages: 17 MB of heap that
 * every garbage collection walks, 30 MB of resident memory and 0.3 s of start (tests/bench/RESULTS.md).
 * Application uses them only when `authentication` is configured, but for one question on every
 * turn: whether the person is in the middle of signing in. The two modules are registered, before
 * Application is loaded, as what an application without sign-in needs of them.
 */
const lib = path.dirname(require.resolve('@microsoft/teams-ai/lib/Application'));

/** teams-ai's own key (authentication/BotAuthenticationBase.js): set only while a sign-in runs. */
const SIGNING_IN = '__InSignInFlow__';

/** The turn state's user scope, as the sign-in functions see it. */
type WithUser = { user: Record<string, unknown> };

provide(path.join(lib, 'authentication', 'BotAuthenticationBase.js'), {
  userInSignInFlow: (state: WithUser) => {
    const setting: unknown = state.user[SIGNING_IN];
    return typeof setting === 'string' ? setting : undefined;
  },
  deleteUserInSignInFlow: (state: WithUser) => void delete state.user[SIGNING_IN],
});
provide(path.join(lib, 'authentication', 'Authentication.js'), {
  AuthenticationManager: class {
    constructor() {
      throw new Error('Planeringsboten loads teams-ai without user sign-in (bot/teams/teams-ai-application.ts)');
    }
  },
});

/** Puts `exports` in Node's module cache as the module at `filename`, unless it is loaded already. */
function provide(filename: string, exports: object): void {
  if (require.cache[filename]) return;
  const module = new Module(filename);
  module.filename = filename;
  module.loaded = true;
  module.exports = exports;
  require.cache[filename] = module;
}

// Loaded after the registrations above, hence require.
export const { Application } = require('@microsoft/teams-ai/lib/Application') as typeof TeamsAiApplication;
export type Application<TState extends TurnState = TurnState> = TeamsAiApplication.Application<TState>;
