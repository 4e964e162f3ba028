import http from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';

/** An activity the bot sent to the connector, with how it was sent. */
export interface SentActivity {
  method: 'POST' | 'PUT';
  conversationId: string;
  /** For PUT: the id of the activity it replaces. */
  updates?: string;
  /** The id the connector gave the activity (POST) or the updated id (PUT). */
  id: string;
  authorization?: string;
  body: any;
}

/** A conversation the bot asked the connector to create, with whom. */
export interface CreatedConversation {
  id: string;
  members: Array<{ id: string }>;
  body: any;
}

/**
 * Plays the Bot Connector service a bot replies to: `/v3/conversations/:id/activities[/:activityId]`,
 * POST and PUT, recording every activity. `failNext` makes it answer the next sends with an error.
 */
export class FakeConnector {
  readonly sent: SentActivity[] = [];
  /** Conversations the bot created (POST /v3/conversations): personal messages go into them. */
  readonly created: CreatedConversation[] = [];
  private readonly server: http.Server;
  private waiters: Array<() => void> = [];
  private failures: number[] = [];
  private creationFailures: number[] = [];
  /** Milliseconds to wait before answering each send: a slow Teams makes slow turns. */
  delayMs = 0;
  /** Requests that have arrived, answered or not. */
  arrived = 0;

  private constructor() {
    this.server = http.createServer((req, res) => this.handle(req, res));
  }

  static async start(): Promise<FakeConnector> {
    const c = new FakeConnector();
    await new Promise<void>((resolve) => c.server.listen(0, '127.0.0.1', resolve));
    return c;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
  }

  /** The next `statuses.length` sends get these HTTP statuses instead of 200. */
  failNext(...statuses: number[]): void {
    this.failures.push(...statuses);
  }

  /** How many injected failures are still to come. */
  pendingFailures(): number {
    return this.failures.length + this.creationFailures.length;
  }

  /** The next `statuses.length` conversation creations (the start of a personal message) get these statuses; other sends go through. */
  failNextCreations(...statuses: number[]): void {
    this.creationFailures.push(...statuses);
  }

  inConversation(conversationId: string): SentActivity[] {
    return this.sent.filter((a) => a.conversationId === conversationId);
  }

  /** Activities sent into conversations created for this person alone (personal messages). */
  personalTo(teamsId: string): SentActivity[] {
    const theirs = new Set(this.created.filter((c) => c.members.length === 1 && c.members[0].id === teamsId).map((c) => c.id));
    return this.sent.filter((a) => theirs.has(a.conversationId));
  }

  /** Waits until `count` activities have reached the conversation; returns them. */
  async waitFor(conversationId: string, count = 1, ms = 5000): Promise<SentActivity[]> {
    const deadline = Date.now() + ms;
    while (this.inConversation(conversationId).length < count) {
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(`expected ${count} activities in ${conversationId}, got ${this.inConversation(conversationId).length}`);
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 100));
        this.waiters.push(() => (clearTimeout(t), resolve()));
      });
    }
    return this.inConversation(conversationId);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    this.arrived++;
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', async () => {
      if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
      const match = req.url?.match(/\/v3\/conversations\/([^/]+)\/activities(?:\/([^/?]+))?/);
      const creates = req.method === 'POST' && /^\/v3\/conversations\/?(\?|$)/.test(req.url ?? '');
      const failure = (creates && this.creationFailures.shift()) || this.failures.shift();
      if (failure) {
        res.writeHead(failure, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'TestFailure', message: `status ${failure}` } }));
        return;
      }
      const member = req.url?.match(/\/v3\/conversations\/[^/]+\/members\/([^/?]+)/);
      if (member) {
        // Teams resolves an AAD object id to the member; our test people are aad-<key> ↔ 29:<key>.
        const key = decodeURIComponent(member[1]).match(/^aad-(.+)$/)?.[1];
        res.writeHead(key ? 200 : 404, { 'content-type': 'application/json' });
        res.end(JSON.stringify(key ? { id: `29:${key}`, name: `Person ${key}`, aadObjectId: `aad-${key}` } : { error: { code: 'MemberNotFound' } }));
        return;
      }
      if (!match) {
        const id = randomUUID();
        if (creates) {
          const body = raw ? JSON.parse(raw) : {};
          this.created.push({ id, members: body.members ?? [], body });
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id }));
        return;
      }
      const id = req.method === 'PUT' ? match[2] : randomUUID();
      this.sent.push({
        method: req.method as 'POST' | 'PUT',
        conversationId: decodeURIComponent(match[1]),
        updates: req.method === 'PUT' ? match[2] : undefined,
        id,
        authorization: req.headers.authorization,
        body: raw ? JSON.parse(raw) : {},
      });
      for (const wake of this.waiters.splice(0)) wake();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id }));
    });
  }
}

/** Every piece of text a person would read in an activity: its text and its card's texts. */
export function readable(activity: any): string {
  const out: string[] = [];
  const walk = (node: any): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(walk);
    for (const key of ['text', 'title', 'value', 'subtitle', 'altText', 'placeholder', 'label']) {
      if (typeof node[key] === 'string') out.push(node[key]);
    }
    for (const value of Object.values(node)) if (typeof value === 'object') walk(value);
  };
  if (activity.text) out.push(activity.text);
  if (activity.summary) out.push(activity.summary);
  walk(activity.attachments ?? []);
  return out.join('\n');
}

/** The Adaptive Card in an activity, if it carries one. */
export function cardOf(activity: any): any {
  return activity.attachments?.find((a: any) => a.contentType === 'application/vnd.microsoft.card.adaptive')?.content;
}
