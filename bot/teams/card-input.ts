import { randomUUID } from 'node:crypto';

/** A card's id input (a number, or digits as text) as a positive integer, or undefined. */
export function positiveInt(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d{1,12}$/.test(value) ? Number(value) : NaN;
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

/** The form's own id, which makes a second click on its submit button find what the first one made. */
export function formIdOf(data: Record<string, unknown>): string {
  return typeof data.formId === 'string' && data.formId.length > 0 && data.formId.length <= 64 ? data.formId : randomUUID();
}
