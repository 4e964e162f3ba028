import { AsyncLocalStorage } from 'node:async_hooks';

/** The ids every log line of a turn carries, wherever in the code it is written. */
export interface TurnIds {
  activityId?: string;
  conversationId?: string;
}

const store = new AsyncLocalStorage<TurnIds>();

export const runWithTurnIds = <T>(ids: TurnIds, work: () => Promise<T>) => store.run(ids, work);
export const currentTurnIds = (): TurnIds => store.getStore() ?? {};
