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
