import { randomUUID } from 'node:crypto';

export const BOT = { id: '28:bot-id', name: 'Planeringsboten' };

export interface Person {
  id: string;
  name: string;
  aadObjectId: string;
}

export const person = (key: string, name = `Person ${key}`): Person => ({ id: `29:${key}`, name, aadObjectId: `aad-${key}` });
export const ALEX = person('alex', 'Alex Wilber');

export type ConversationType = 'personal' | 'groupChat' | 'channel';

interface Common {
  serviceUrl: string;
  conversationId: string;
  conversationType?: ConversationType;
  from?: Person;
  tenantId?: string;
}

function base({ serviceUrl, conversationId, conversationType = 'personal', from = ALEX, tenantId = 'tenant-1' }: Common) {
  return {
    id: randomUUID(),
    timestamp: new Date().toISOString(),
    serviceUrl,
    channelId: 'msteams',
    from,
    recipient: BOT,
    conversation: { id: conversationId, conversationType, tenantId, isGroup: conversationType !== 'personal' },
    locale: 'sv-SE',
    channelData: {
      tenant: { id: tenantId },
      ...(conversationType === 'channel' ? { team: { id: 'team-1' }, channel: { id: conversationId.split(';')[0] } } : {}),
    },
  };
}

/** A Teams message; `mention` puts `<at>Planeringsboten</at>` first, as Teams does in channels. */
export function message(c: Common & { text: string; mention?: boolean }) {
  const mention = { type: 'mention', mentioned: BOT, text: `<at>${BOT.name}</at>` };
  return {
    ...base(c),
    type: 'message',
    text: c.mention ? `${mention.text} ${c.text}` : c.text,
    textFormat: 'plain',
    entities: c.mention ? [mention] : [],
  };
}

/** A click on an Action.Execute button (Universal Actions). */
export function cardAction(c: Common & { verb: string; data?: object; replyToId?: string; trigger?: 'manual' | 'automatic' }) {
  return {
    ...base(c),
    type: 'invoke',
    name: 'adaptiveCard/action',
    replyToId: c.replyToId,
    value: { action: { type: 'Action.Execute', verb: c.verb, data: c.data ?? {} }, trigger: c.trigger ?? 'manual' },
  };
}

export function installationUpdate(c: Common & { action?: 'add' | 'remove' }) {
  return { ...base(c), type: 'installationUpdate', action: c.action ?? 'add' };
}

export function membersAdded(c: Common & { members?: string[] }) {
  return { ...base(c), type: 'conversationUpdate', membersAdded: (c.members ?? [BOT.id, ALEX.id]).map((id) => ({ id })) };
}
