import type { Turn } from './teams/turn';

/** A Swedish command a person types, e.g. `hjälp` or `begrepp rumsligt perspektiv`. */
export interface Command {
  /** Matched against `Turn.command` (folded text), so write it without å/ä/ö and anchor it. */
  pattern: RegExp;
  run(turn: Turn, match: RegExpMatchArray): Promise<void>;
  /** Shown on the help card; commands without it are not advertised. */
  help?: { usage: string; description: string; button?: string };
}

/** The first command whose pattern matches the folded text, with its match. */
export function findCommand(commands: readonly Command[], folded: string): { command: Command; match: RegExpMatchArray } | undefined {
  for (const command of commands) {
    const match = folded.match(command.pattern);
    if (match) return { command, match };
  }
  return undefined;
}
