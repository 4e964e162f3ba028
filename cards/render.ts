import { readFileSync } from 'node:fs';
import path from 'node:path';
import { GlobalSettings, Template } from 'adaptivecards-templating';
import { cardsDir } from '../bot/paths';

// A field missing from the data prints as nothing, never as its `${path}`.
GlobalSettings.getUndefinedFieldValueSubstitutionString = () => '';

const templates = new Map<string, Template>();

function template(name: string): Template {
  let t = templates.get(name);
  if (!t) {
    if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`Card template name "${name}" must be kebab-case`);
    t = new Template(JSON.parse(readFileSync(path.join(cardsDir, `${name}.json`), 'utf8')));
    templates.set(name, t);
  }
  return t;
}

/**
 * Fills the template `cards/<name>.json` with `data`. Templates are ours; whatever a person
 * typed only ever travels inside `data`, where the templating engine does not evaluate it.
 */
export function renderCard(name: string, data: object): object {
  return template(name).expand({ $root: data });
}

/** Enough for every answer of a knowledge base of a few hundred entries; the oldest goes first. */
const MAX_KNOWLEDGE_CARDS = 2000;
const knowledgeCards = new Map<string, object>();

/**
 * As `renderCard`, for data drawn from the knowledge base alone (answers, their sources and
 * follow-ups), which many turns share: each such card is filled once and then handed out again.
 * Filling the answer card took a tenth of a question turn's time. The card is frozen, since
 * every turn that gets it holds the same object.
 */
export function renderKnowledgeCard(name: string, data: object): object {
  const key = `${name}\n${JSON.stringify(data)}`;
  let card = knowledgeCards.get(key);
  if (!card) {
    card = deepFreeze(renderCard(name, data));
    if (knowledgeCards.size >= MAX_KNOWLEDGE_CARDS) knowledgeCards.delete(knowledgeCards.keys().next().value!);
    knowledgeCards.set(key, card);
  }
  return card;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
