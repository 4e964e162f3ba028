/** Why an HTTP request to /api/messages cannot be an activity, or undefined when it can. */
export interface RequestProblem {
  status: 400 | 403 | 415;
  message: string;
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json$/i;

export function checkContentType(contentType: string | undefined): RequestProblem | undefined {
  const bare = (contentType ?? '').split(';')[0].trim();
  if (JSON_TYPE.test(bare)) return undefined;
  return { status: 415, message: 'Aktiviteter skickas som JSON (Content-Type: application/json).' };
}

/** Teams never compresses; a compressed body could unpack far past the size limit, which only counts what arrives. */
export function checkContentEncoding(encoding: string | undefined): RequestProblem | undefined {
  const e = (encoding ?? '').trim().toLowerCase();
  if (e === '' || e === 'identity') return undefined;
  return { status: 415, message: 'Komprimerade aktiviteter tas inte emot (Content-Encoding).' };
}

/** The least an activity needs before botbuilder sees it: a type, a conversation and a reply address. */
export function checkActivity(body: unknown): RequestProblem | undefined {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    return { status: 400, message: 'Begäran ska innehålla en aktivitet som ett JSON-objekt.' };
  }
  const activity = body as { type?: unknown; conversation?: { id?: unknown }; serviceUrl?: unknown };
  if (typeof activity.type !== 'string' || activity.type === '') {
    return { status: 400, message: 'Aktiviteten saknar "type".' };
  }
  if (!activity.conversation || typeof activity.conversation !== 'object' || typeof activity.conversation.id !== 'string' || activity.conversation.id === '') {
    return { status: 400, message: 'Aktiviteten saknar "conversation.id".' };
  }
  if (typeof activity.serviceUrl !== 'string' || !/^https?:\/\/[^\s]+$/i.test(activity.serviceUrl)) {
    return { status: 400, message: 'Aktiviteten saknar en giltig "serviceUrl".' };
  }
  return undefined;
}

/**
 * With ALLOWED_TENANTS set (lower case), an authenticated activity from any other tenant is refused
 * before a turn runs. The tenant is read from the body, which is safe: a valid token only ever comes
 * from Teams, which sets the tenant, and a wrong claim can only make the bot refuse, never let anyone in.
 */
export function checkTenant(body: unknown, allowed: string[] | undefined): RequestProblem | undefined {
  if (!allowed?.length) return undefined;
  const a = body as { channelData?: { tenant?: { id?: unknown } }; conversation?: { tenantId?: unknown } };
  const tenant = a.channelData?.tenant?.id ?? a.conversation?.tenantId;
  // Tenant ids are GUIDs: the same in any letter case.
  if (typeof tenant === 'string' && allowed.includes(tenant.toLowerCase())) return undefined;
  return { status: 403, message: 'Den här boten är inte öppen för er organisation.' };
}
