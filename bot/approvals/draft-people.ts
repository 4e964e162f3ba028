import type { CardActionTurn } from '../teams/card-actions';
import { swedishList } from '../teams/text';
import type { Actor } from '../teams/turn';
import type { Approver } from './draft-rules';
import type { DraftStore, Person } from './draft-store';

/** The acting person as a draft records them; undefined when Teams did not say who it is. */
export function actorOf(turn: { actor: Actor }): Person | undefined {
  const { aadObjectId, id, name } = turn.actor;
  return aadObjectId ? { aadObjectId, teamsId: id, name: name || 'Okänd' } : undefined;
}

export interface PickedApprovers {
  /** Members of the conversation, with their Teams ids and names. */
  members: Approver[];
  /** The problem to show when someone picked is not in the conversation, naming them. */
  problem?: string;
}

/**
 * The picked people as approvers. The picker offers anyone in the tenant, but only a member of the
 * conversation sees the card and its buttons; anyone else would leave the draft waiting for ever.
 */
export async function pickApprovers(action: CardActionTurn, drafts: DraftStore, ids: string[]): Promise<PickedApprovers> {
  const found = await Promise.all(ids.map(async (aadObjectId) => ({ aadObjectId, member: await action.findMember(aadObjectId) })));
  const members = found.filter((f) => f.member).map(({ aadObjectId, member }) => ({ aadObjectId, teamsId: member!.teamsId, name: member!.name }));
  const outsiders = found.filter((f) => !f.member).map((f) => f.aadObjectId);
  if (outsiders.length === 0) return { members };
  // Teams gives no names for people outside the conversation; earlier drafts may have recorded them.
  const known = await drafts.knownNames(outsiders);
  const names = outsiders.map((id) => known.get(id) ?? `Okänd användare (${id.slice(0, 8)})`);
  const problem =
    `${swedishList(names)} är inte med i den här konversationen och kan varken se utkastet eller besluta om det. ` +
    `Lägg till ${outsiders.length === 1 ? 'personen' : 'dem'} i konversationen, eller välj andra godkännare.`;
  return { members, problem };
}

/** Recent approvers here, else the author: the picker always offers someone before a search. */
export async function suggestedApprovers(drafts: DraftStore, homeConversationId: string, actor: Actor): Promise<Approver[]> {
  const recent = await drafts.recentApprovers(homeConversationId);
  const me = actorOf({ actor });
  return recent.length || !me ? recent : [{ aadObjectId: me.aadObjectId, teamsId: me.teamsId, name: `${me.name} (du)` }];
}
