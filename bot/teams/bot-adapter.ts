import { AuthenticationConstants, AuthenticationError, type AuthenticateRequestResult, type ClaimsIdentity, type ConnectorFactory } from 'botframework-connector';
import type { Activity, TurnContext } from 'botbuilder';
import { TeamsAdapter } from '@microsoft/teams-ai/lib/TeamsAdapter';
// botbuilder's own reading of a request body as an activity (timestamps as dates), as CloudAdapter.process does it.
import { validateAndFixActivity } from 'botbuilder/lib/activityValidator';
import { sendActivitiesAsGiven } from './plain-activity-bodies';

/** How an activity request ends: the HTTP status and body to answer with. */
export interface ActivityResponse {
  status: number;
  body?: unknown;
}

/** The token is missing, expired, signed by someone else, or for another bot. */
export class NotAuthenticated extends Error {}

// jsonwebtoken's own failures (a bad signature, say) reach us unwrapped.
const TOKEN_ERRORS = new Set(['JsonWebTokenError', 'TokenExpiredError', 'NotBeforeError']);

/** Clients kept per service address and audience; Teams uses a handful, so this bound is never reached in practice. */
const MAX_CLIENTS = 100;

/**
 * teams-ai's adapter with CloudAdapter.process split in two, so that the service acts between the
 * steps (the tenant check needs an authenticated request) and answers a refused token itself: the
 * SDK's own Bot Framework authentication first (in local mode it lets everything through), then the turn.
 *
 * The SDK builds a new HTTP client with its whole pipeline for every turn and every proactive
 * message, for the replies and for user tokens; here each is built once per service address, app
 * and audience and reused, as botbuilder's older BotFrameworkAdapter did. The credentials inside
 * keep and renew their own tokens.
 */
export class BotAdapter extends TeamsAdapter {
  private readonly clients = new Map<string, Promise<unknown>>();

  constructor(...args: ConstructorParameters<typeof TeamsAdapter>) {
    super(...args);
    const authentication = this.botFrameworkAuthentication;
    const createUserTokenClient = authentication.createUserTokenClient.bind(authentication);
    authentication.createUserTokenClient = (identity: ClaimsIdentity) =>
      this.reuse(`token|${appIdOf(identity)}`, () => createUserTokenClient(identity));
    // Proactive messages and card updates (continueConversationAsync) build their clients here.
    const createConnectorFactory = authentication.createConnectorFactory.bind(authentication);
    authentication.createConnectorFactory = (identity: ClaimsIdentity) => this.reusing(createConnectorFactory(identity), appIdOf(identity));
  }

  async authenticate(body: object, authHeader: string): Promise<{ activity: Activity; auth: AuthenticateRequestResult }> {
    const activity = validateAndFixActivity(body as Activity);
    try {
      const auth = await this.botFrameworkAuthentication.authenticateRequest(activity, authHeader);
      const connectorFactory = auth.connectorFactory && this.reusing(auth.connectorFactory, appIdOf(auth.claimsIdentity));
      return { activity, auth: { ...auth, connectorFactory } };
    } catch (err) {
      if (err instanceof AuthenticationError || TOKEN_ERRORS.has((err as Error)?.name)) throw new NotAuthenticated((err as Error).message);
      throw err;
    }
  }

  async run(activity: Activity, auth: AuthenticateRequestResult, logic: (context: TurnContext) => Promise<void>): Promise<ActivityResponse> {
    return (await this.processActivity(auth, activity, logic)) ?? { status: 200 };
  }

  private reusing(factory: ConnectorFactory, appId: string): ConnectorFactory {
    return {
      create: (serviceUrl: string, audience?: string) =>
        this.reuse(`connector|${appId}|${serviceUrl}|${audience ?? ''}`, () => factory.create(serviceUrl, audience).then(sendActivitiesAsGiven)),
    };
  }

  private reuse<T>(key: string, create: () => Promise<T>): Promise<T> {
    let client = this.clients.get(key) as Promise<T> | undefined;
    if (!client) {
      if (this.clients.size >= MAX_CLIENTS) this.clients.delete(this.clients.keys().next().value!);
      client = create();
      this.clients.set(key, client);
      // A client that could not be built is built again next time.
      client.catch(() => this.clients.get(key) === client && this.clients.delete(key));
    }
    return client;
  }
}

/** The bot's app id the request was made for (empty in local mode). */
function appIdOf(identity: ClaimsIdentity): string {
  return identity.getClaimValue(AuthenticationConstants.AudienceClaim) ?? identity.getClaimValue(AuthenticationConstants.AppIdClaim) ?? '';
}
