/**
 * Evaluates Bicep expressions as ARM does at deployment, so that the tests can run main.bicep's parameter checks (a
 * value or fail()) and read the app settings a deployment would give the bot. It knows the part of the language
 * main.bicep uses: literals and interpolated strings, params (given or their defaults), vars, for-expressions,
 * property access, operators, a ternary that evaluates only its chosen branch (ARM's if() does the same), and the
 * functions listed below. Anything else throws, rather than guessing; resources are values the test supplies.
 */
import type { BicepFile, Declaration, Token } from './bicep-checker';

/** What fail('…') raises: the deployment stops with this message. */
export class DeploymentFailure extends Error {}

export interface DeploymentContext {
  /** Parameter values; parameters not given take their defaults. */
  params?: Record<string, unknown>;
  /** What expressions read from resources, e.g. { site: { properties: { defaultHostName: '…' } } }. */
  resources?: Record<string, unknown>;
  /** Functions of the deployment's scope: resourceGroup(), tenant(), subscription(), uniqueString(…). */
  functions?: Record<string, (...args: unknown[]) => unknown>;
}

type Fn = (...args: unknown[]) => unknown;

const str = (v: unknown, fn: string): string => {
  if (typeof v !== 'string') throw new Error(`${fn}() expects a string, got ${JSON.stringify(v)}`);
  return v;
};

/** ARM's template functions, as far as main.bicep calls them (strings, arrays, comparisons). */
const FUNCTIONS: Record<string, Fn> = {
  length: (v) => (typeof v === 'string' || Array.isArray(v) ? v.length : Object.keys(v as object).length),
  empty: (v) => (v === null || v === '' ? true : Array.isArray(v) ? v.length === 0 : typeof v === 'object' ? Object.keys(v as object).length === 0 : false),
  contains: (container, item) =>
    typeof container === 'string' ? container.includes(str(item, 'contains')) : Array.isArray(container) ? container.includes(item) : Object.hasOwn(container as object, str(item, 'contains')),
  first: (v) => (typeof v === 'string' ? v.slice(0, 1) : (v as unknown[])[0]),
  split: (s, delimiters) => {
    const list = Array.isArray(delimiters) ? (delimiters as string[]) : [str(delimiters, 'split')];
    return list.reduce<string[]>((parts, d) => parts.flatMap((p) => p.split(d)), [str(s, 'split')]);
  },
  join: (items, separator) => (items as unknown[]).join(str(separator, 'join')),
  substring: (s, start, count) => str(s, 'substring').substr(Number(start), count === undefined ? undefined : Number(count)),
  take: (v, n) => (typeof v === 'string' ? v.slice(0, Number(n)) : (v as unknown[]).slice(0, Number(n))),
  range: (start, count) => Array.from({ length: Number(count) }, (_, i) => Number(start) + i),
  startsWith: (s, prefix) => str(s, 'startsWith').toLowerCase().startsWith(str(prefix, 'startsWith').toLowerCase()),
  endsWith: (s, suffix) => str(s, 'endsWith').toLowerCase().endsWith(str(suffix, 'endsWith').toLowerCase()),
  toLower: (s) => str(s, 'toLower').toLowerCase(),
  toUpper: (s) => str(s, 'toUpper').toUpperCase(),
  string: (v) => (typeof v === 'string' ? v : JSON.stringify(v)),
  int: (v) => parseInt(String(v), 10),
  union: (...objects) => Object.assign({}, ...(objects as object[])),
  uriComponent: (s) => encodeURIComponent(str(s, 'uriComponent')),
  fail: (message) => {
    throw new DeploymentFailure(str(message, 'fail'));
  },
};

const UNESCAPE: Record<string, string> = { "'": "'", '\\': '\\', n: '\n', r: '\r', t: '\t', $: '$' };
const unescape = (s: string) => s.replace(/\\(['\\nrt$])/g, (_, c: string) => UNESCAPE[c]);

/** Evaluates the named param or var, or the tokens of any expression in the file, in one deployment's context. */
export function bicepEvaluator(file: BicepFile, context: DeploymentContext = {}) {
  const symbols = new Map(file.declarations.filter((d) => d.name && d.keyword !== 'output').map((d) => [d.name, d]));
  const cache = new Map<string, unknown>();
  const functions: Record<string, Fn> = { ...FUNCTIONS, ...context.functions };

  const symbol = (name: string, locals: Map<string, unknown>): unknown => {
    if (locals.has(name)) return locals.get(name);
    if (cache.has(name)) return cache.get(name);
    const d: Declaration | undefined = symbols.get(name);
    let value: unknown;
    if (d?.keyword === 'param') {
      if (context.params && name in context.params) value = context.params[name];
      else if (d.value.length) value = expression(d.value);
      else throw new Error(`param ${name} has no default and no value was given`);
    } else if (d?.keyword === 'var') value = expression(d.value);
    else if (context.resources && name in context.resources) value = context.resources[name];
    else throw new Error(`${name} has no value here (${d ? `a ${d.keyword}: give it in resources` : 'not declared'})`);
    cache.set(name, value);
    return value;
  };

  function expression(all: Token[], locals = new Map<string, unknown>()): unknown {
    const tokens = all.filter((t) => t.type !== 'newline');
    let i = 0;
    const peek = (ahead = 0) => tokens[i + ahead];
    const is = (value: string) => peek()?.type !== 'string' && peek()?.value === value;
    const take = (value?: string): Token => {
      const t = tokens[i++];
      if (!t || (value !== undefined && (t.value !== value || t.type === 'string'))) throw new Error(`expected ${value ?? 'more'} at ${t ? `"${t.value}" line ${t.line}` : 'the end'}`);
      return t;
    };

    // A ternary evaluates only its chosen branch: the other is parsed and skipped.
    function ternary(scope: Map<string, unknown>, skip = false): unknown {
      const condition = binary(0, scope, skip);
      if (!is('?')) return condition;
      take('?');
      const yes = ternary(scope, skip || condition !== true);
      take(':');
      const no = ternary(scope, skip || condition === true);
      return condition === true ? yes : no;
    }

    const LEVELS = [['??'], ['||'], ['&&'], ['==', '!=', '=~', '!~'], ['<', '<=', '>', '>='], ['+', '-'], ['*', '/', '%']];
    function binary(level: number, scope: Map<string, unknown>, skip: boolean): unknown {
      if (level === LEVELS.length) return unary(scope, skip);
      let left = binary(level + 1, scope, skip);
      while (peek() && peek().type === 'punct' && LEVELS[level].includes(peek().value)) {
        const op = take().value;
        // ARM's and() and or() evaluate both sides; only ?? and the ternary skip.
        const right = binary(level + 1, scope, skip || (op === '??' && left !== null && left !== undefined));
        if (!skip) left = apply(op, left, right);
      }
      return left;
    }

    function unary(scope: Map<string, unknown>, skip: boolean): unknown {
      if (!is('!') && !is('-')) return postfix(scope, skip);
      const op = take().value;
      const operand = unary(scope, skip);
      if (skip) return undefined;
      return op === '!' ? !operand : -(operand as number);
    }

    function postfix(scope: Map<string, unknown>, skip: boolean): unknown {
      let value = primary(scope, skip);
      for (;;) {
        if (is('.') || is('.?')) {
          const safe = take().value === '.?';
          const name = take().value;
          if (!skip) value = value === null || value === undefined ? (safe ? null : cannotRead(`.${name} of nothing`)) : (value as Record<string, unknown>)[name];
        } else if (is('[')) {
          take('[');
          const index = ternary(scope, skip);
          take(']');
          if (!skip) value = (value as Record<string, unknown>)[index as string];
        } else return value;
      }
    }

    function primary(scope: Map<string, unknown>, skip: boolean): unknown {
      const t = take();
      if (t.type === 'number') return Number(t.value);
      if (t.type === 'string') {
        // The tokens of each ${…} hole follow the string token, one expression each.
        const parts = t.value.split('${…}');
        let out = unescape(parts[0]);
        for (const part of parts.slice(1)) {
          const hole = ternary(scope, skip);
          out += `${typeof hole === 'string' ? hole : JSON.stringify(hole)}${unescape(part)}`;
        }
        return out;
      }
      if (t.value === '(') {
        const v = ternary(scope, skip);
        take(')');
        return v;
      }
      if (t.value === '[') return array(scope, skip);
      if (t.value === '{') return object(scope, skip);
      if (t.type !== 'ident') throw new Error(`unexpected "${t.value}" on line ${t.line}`);
      if (t.value === 'true' || t.value === 'false') return t.value === 'true';
      if (t.value === 'null') return null;
      if (is('(')) {
        take('(');
        const args: unknown[] = [];
        while (!is(')')) {
          args.push(ternary(scope, skip));
          if (is(',')) take(',');
        }
        take(')');
        if (skip) return undefined;
        const fn = functions[t.value];
        if (!fn) throw new Error(`the evaluator does not know the function ${t.value}()`);
        return fn(...args);
      }
      return skip ? undefined : symbol(t.value, scope);
    }

    function array(scope: Map<string, unknown>, skip: boolean): unknown[] {
      if (is('for')) {
        // [for x in items: body] or [for (x, i) in items: body]
        take('for');
        const names: string[] = [];
        while (!is('in')) {
          const n = take();
          if (n.type === 'ident') names.push(n.value);
        }
        take('in');
        const items = ternary(scope, skip) as unknown[];
        take(':');
        const body = i;
        const out: unknown[] = [];
        (skip ? [undefined] : items).forEach((item, index) => {
          i = body;
          const inner = new Map(scope);
          inner.set(names[0], item);
          if (names[1]) inner.set(names[1], index);
          out.push(ternary(inner, skip));
        });
        take(']');
        return skip ? [] : out;
      }
      const out: unknown[] = [];
      while (!is(']')) {
        out.push(ternary(scope, skip));
        if (is(',')) take(',');
      }
      take(']');
      return out;
    }

    function object(scope: Map<string, unknown>, skip: boolean): Record<string, unknown> {
      const out: Record<string, unknown> = {};
      while (!is('}')) {
        const key = take();
        if ((key.type !== 'ident' && key.type !== 'string') || key.interpolated) throw new Error(`unsupported object key "${key.value}" on line ${key.line}`);
        take(':');
        out[unescape(key.value)] = ternary(scope, skip);
        if (is(',')) take(',');
      }
      take('}');
      return out;
    }

    const value = ternary(locals);
    if (i !== tokens.length) throw new Error(`unexpected "${tokens[i].value}" on line ${tokens[i].line}`);
    return value;
  }

  return {
    /** The value of a param or var. */
    value: (name: string) => symbol(name, new Map()),
    /** The value of an expression's tokens, e.g. a resource property from propertyTokens(). */
    expression: (tokens: Token[]) => expression(tokens),
  };
}

function apply(op: string, a: unknown, b: unknown): unknown {
  switch (op) {
    case '==':
      return JSON.stringify(a) === JSON.stringify(b);
    case '!=':
      return JSON.stringify(a) !== JSON.stringify(b);
    case '=~':
      return String(a).toLowerCase() === String(b).toLowerCase();
    case '!~':
      return String(a).toLowerCase() !== String(b).toLowerCase();
    case '&&':
      return a === true && b === true;
    case '||':
      return a === true || b === true;
    case '??':
      return a ?? b;
    case '<':
      return (a as number) < (b as number);
    case '<=':
      return (a as number) <= (b as number);
    case '>':
      return (a as number) > (b as number);
    case '>=':
      return (a as number) >= (b as number);
    case '+':
      return (a as number) + (b as number);
    case '-':
      return (a as number) - (b as number);
    case '*':
      return (a as number) * (b as number);
    case '/':
      return Math.trunc((a as number) / (b as number));
    case '%':
      return (a as number) % (b as number);
  }
  throw new Error(`unknown operator ${op}`);
}

function cannotRead(what: string): never {
  throw new Error(`cannot read ${what}`);
}
