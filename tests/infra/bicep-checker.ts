/**
 * A small structural checker for Bicep files, for machines without the Bicep CLI (it is downloaded from outside the
 * package registries we reach). It is honest about its reach: it lexes Bicep (comments, '…' strings with ${…}
 * interpolation, '''…''' strings), checks that brackets balance, that each top-level declaration has the right shape,
 * that every identifier an expression uses is declared and every called function exists, and the security rules the
 * Bicep linter would apply to secrets. It does not know Azure's resource schemas: property names and values are for
 * the tests that use it to check one by one.
 */

export interface Token {
  type: 'ident' | 'number' | 'string' | 'punct' | 'newline';
  value: string;
  line: number;
  /** For strings: true when the string has ${…} holes (their expressions are tokens of their own). */
  interpolated?: boolean;
}

export interface Declaration {
  keyword: 'param' | 'var' | 'resource' | 'module' | 'output' | 'targetScope' | 'metadata' | 'type' | 'import' | 'func';
  name: string;
  line: number;
  /** Decorators written above it, by name (e.g. "secure", "description"), with their argument tokens. */
  decorators: Map<string, Token[]>;
  /** param/output: the declared type; resource/module: the type or path string. */
  type?: string;
  /** The tokens after "=", to the end of the declaration (empty for a param without default). */
  value: Token[];
  /** resource: `existing`; resource/module: a condition (if …). */
  existing?: boolean;
}

export interface BicepFile {
  tokens: Token[];
  declarations: Declaration[];
  errors: string[];
}

const PUNCT3 = ['...'];
const PUNCT2 = ['==', '!=', '<=', '>=', '&&', '||', '??', '=>', '=~', '!~', '.?', '::'];
const PUNCT1 = '{}[]():,.?=!<>+-*/%@|&';

/** Splits Bicep source into tokens; reports unterminated strings and comments, and stray characters. */
export function tokenize(src: string): { tokens: Token[]; errors: string[] } {
  const tokens: Token[] = [];
  const errors: string[] = [];
  let i = 0;
  let line = 1;
  // One entry per open ${…}: how many "{" inside it are still open, so its closing "}" can be told apart.
  const holes: { depth: number; token: Token }[] = [];

  /** Reads a '…' string body from i (after the quote or a hole's "}") up to its end or its next "${". */
  const stringBody = (token: Token): void => {
    while (i < src.length) {
      const c = src[i];
      if (c === '\\') {
        if (!/^(['\\nrt$]|u\{)/.test(src.slice(i + 1, i + 3))) errors.push(`line ${line}: unknown escape \\${src[i + 1]}`);
        token.value += src.slice(i, i + 2);
        i += 2;
      } else if (c === "'") {
        i++;
        return;
      } else if (c === '$' && src[i + 1] === '{') {
        token.interpolated = true;
        token.value += '${…}';
        i += 2;
        holes.push({ depth: 0, token });
        return;
      } else if (c === '\n') {
        errors.push(`line ${token.line}: string not closed on its line`);
        return;
      } else {
        token.value += c;
        i++;
      }
    }
    errors.push(`line ${token.line}: string not closed`);
  };

  while (i < src.length) {
    const c = src[i];
    const rest = src.slice(i, i + 3);
    if (c === '\n') {
      tokens.push({ type: 'newline', value: '\n', line });
      line++;
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r') {
      i++;
    } else if (rest.startsWith('//')) {
      while (i < src.length && src[i] !== '\n') i++;
    } else if (rest.startsWith('/*')) {
      const end = src.indexOf('*/', i + 2);
      if (end < 0) {
        errors.push(`line ${line}: comment not closed`);
        break;
      }
      line += (src.slice(i, end).match(/\n/g) ?? []).length;
      i = end + 2;
    } else if (rest === "'''") {
      const end = src.indexOf("'''", i + 3);
      if (end < 0) {
        errors.push(`line ${line}: multi-line string not closed`);
        break;
      }
      tokens.push({ type: 'string', value: src.slice(i + 3, end), line });
      line += (src.slice(i, end).match(/\n/g) ?? []).length;
      i = end + 3;
    } else if (c === "'") {
      const token: Token = { type: 'string', value: '', line };
      tokens.push(token);
      i++;
      stringBody(token);
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i))!;
      tokens.push({ type: 'ident', value: m[0], line });
      i += m[0].length;
    } else if (/[0-9]/.test(c)) {
      const m = /^[0-9]+/.exec(src.slice(i))!;
      tokens.push({ type: 'number', value: m[0], line });
      i += m[0].length;
    } else if (c === '}' && holes.length > 0 && holes[holes.length - 1].depth === 0) {
      // The end of a ${…} hole: the string goes on.
      const { token } = holes.pop()!;
      i++;
      stringBody(token);
    } else {
      const p = PUNCT3.find((x) => rest.startsWith(x)) ?? PUNCT2.find((x) => rest.startsWith(x)) ?? (PUNCT1.includes(c) ? c : undefined);
      if (!p) {
        errors.push(`line ${line}: unexpected character ${JSON.stringify(c)}`);
        i++;
        continue;
      }
      if (holes.length > 0 && p === '{') holes[holes.length - 1].depth++;
      if (holes.length > 0 && p === '}') holes[holes.length - 1].depth--;
      tokens.push({ type: 'punct', value: p, line });
      i += p.length;
    }
  }
  if (holes.length > 0) errors.push(`line ${holes[0].token.line}: \${ not closed`);
  return { tokens, errors };
}

const PAIRS: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
const CLOSERS = new Set(Object.values(PAIRS));

/** Brackets, braces and parentheses, outside strings and comments (and inside ${…} holes), nest properly. */
export function checkBalance(tokens: Token[]): string[] {
  const stack: Token[] = [];
  for (const t of tokens) {
    if (t.type !== 'punct') continue;
    if (PAIRS[t.value]) stack.push(t);
    else if (CLOSERS.has(t.value)) {
      const open = stack.pop();
      if (!open) return [`line ${t.line}: ${t.value} closes nothing`];
      if (PAIRS[open.value] !== t.value) return [`line ${t.line}: ${t.value} closes ${open.value} of line ${open.line}`];
    }
  }
  return stack.map((t) => `line ${t.line}: ${t.value} never closed`);
}

const TYPES = new Set(['string', 'int', 'bool', 'object', 'array']);
const RESOURCE_TYPE = /^[A-Za-z][A-Za-z0-9]*\.[A-Za-z0-9.]+(\/[A-Za-z][A-Za-z0-9]*)+@\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(-(preview|alpha|beta|privatepreview))?$/;
const TARGET_SCOPES = new Set(['resourceGroup', 'subscription', 'managementGroup', 'tenant', 'local']);

/** Splits the tokens into top-level statements (a newline at nesting depth 0 ends one). */
function statements(tokens: Token[]): Token[][] {
  const out: Token[][] = [];
  let current: Token[] = [];
  let depth = 0;
  for (const t of tokens) {
    if (t.type === 'punct' && PAIRS[t.value]) depth++;
    if (t.type === 'punct' && CLOSERS.has(t.value)) depth--;
    if (t.type === 'newline' && depth <= 0) {
      if (current.length) out.push(current);
      current = [];
    } else current.push(t);
  }
  if (current.length) out.push(current);
  return out;
}

/** Parses the top-level declarations and checks that each is well-formed. */
export function parseDeclarations(tokens: Token[]): { declarations: Declaration[]; errors: string[] } {
  const declarations: Declaration[] = [];
  const errors: string[] = [];
  let decorators = new Map<string, Token[]>();
  for (const st of statements(tokens)) {
    const first = st[0];
    const at = `line ${first.line}`;
    if (first.value === '@') {
      // @name(args) or @sys.name(args), alone on its line
      const nameIdx = st[1]?.value === 'sys' && st[2]?.value === '.' ? 3 : 1;
      const name = st[nameIdx];
      if (name?.type !== 'ident' || st[nameIdx + 1]?.value !== '(' || st[st.length - 1].value !== ')') {
        errors.push(`${at}: malformed decorator`);
      } else decorators.set(name.value, st.slice(nameIdx + 2, -1));
      continue;
    }
    const keyword = first.value as Declaration['keyword'];
    const decl: Declaration = { keyword, name: '', line: first.line, decorators, value: [] };
    decorators = new Map();
    const eq = st.findIndex((t) => t.type === 'punct' && t.value === '=');
    const head = eq < 0 ? st : st.slice(0, eq);
    decl.value = eq < 0 ? [] : st.slice(eq + 1);
    const shape = (ok: boolean, what: string) => {
      if (!ok) errors.push(`${at}: ${keyword} ${decl.name || ''} ${what}`.replace(/\s+/g, ' '));
    };
    switch (keyword) {
      case 'targetScope':
        shape(head.length === 1 && decl.value.length === 1 && TARGET_SCOPES.has(decl.value[0].value), "should be targetScope = '<scope>'");
        break;
      case 'param':
      case 'output': {
        decl.name = head[1]?.value ?? '';
        decl.type = head[2]?.value;
        const nullable = head[3]?.value === '?' ? 1 : 0;
        shape(head[1]?.type === 'ident' && head[2]?.type === 'ident' && head.length === 3 + nullable, 'should be "<name> <type>"');
        shape(decl.type === undefined || TYPES.has(decl.type), `has unknown type ${decl.type}`);
        shape(keyword === 'param' || eq >= 0, 'has no value');
        shape(eq < 0 || decl.value.length > 0, 'has "=" and nothing after it');
        break;
      }
      case 'var':
      case 'metadata':
        decl.name = head[1]?.value ?? '';
        shape(head.length === 2 && head[1].type === 'ident' && decl.value.length > 0, 'should be "<name> = <value>"');
        break;
      case 'resource':
      case 'module': {
        decl.name = head[1]?.value ?? '';
        decl.type = head[2]?.value;
        decl.existing = head[3]?.value === 'existing';
        shape(head[1]?.type === 'ident' && head[2]?.type === 'string' && !head[2].interpolated, "should be \"<name> '<type>'\"");
        shape(head.length === (decl.existing ? 4 : 3), 'has something unexpected before "="');
        if (keyword === 'resource') shape(RESOURCE_TYPE.test(decl.type ?? ''), `type '${decl.type}' is not 'Namespace.Provider/type@yyyy-mm-dd'`);
        // = { … }   or   = if (condition) { … }   (loops are not used here and not accepted)
        let body = decl.value;
        if (body[0]?.value === 'if') {
          shape(body[1]?.value === '(', 'condition should be in parentheses');
          const close = matching(body, 1);
          body = close < 0 ? [] : body.slice(close + 1);
        }
        shape(body[0]?.value === '{' && body[body.length - 1]?.value === '}', 'body should be { … }');
        break;
      }
      case 'type':
      case 'import':
      case 'func':
        decl.name = head[1]?.value ?? '';
        break;
      default:
        errors.push(`${at}: unexpected top-level statement starting with ${JSON.stringify(first.value)}`);
        continue;
    }
    declarations.push(decl);
  }
  return { declarations, errors };
}

/** Index of the token closing the bracket at `open`, or -1. */
export function matching(tokens: Token[], open: number): number {
  let depth = 0;
  for (let k = open; k < tokens.length; k++) {
    if (tokens[k].type !== 'punct') continue;
    if (PAIRS[tokens[k].value]) depth++;
    else if (CLOSERS.has(tokens[k].value) && --depth === 0) return k;
  }
  return -1;
}

/** Bicep's built-in functions (sys namespace) and the az namespace's, by name. */
export const BICEP_FUNCTIONS = new Set([
  // any, array, object, string, logical, numeric, date
  'any', 'array', 'concat', 'contains', 'empty', 'first', 'flatten', 'indexOf', 'intersection', 'items', 'join', 'last',
  'lastIndexOf', 'length', 'max', 'min', 'range', 'skip', 'take', 'union', 'filter', 'map', 'reduce', 'sort', 'toObject',
  'objectKeys', 'shallowMerge', 'tryGet', 'json', 'base64', 'base64ToJson', 'base64ToString', 'dataUri', 'dataUriToString',
  'endsWith', 'format', 'guid', 'newGuid', 'padLeft', 'replace', 'split', 'startsWith', 'string', 'substring', 'toLower',
  'toUpper', 'trim', 'uniqueString', 'uri', 'uriComponent', 'uriComponentToString', 'bool', 'int', 'coalesce', 'if',
  'utcNow', 'dateTimeAdd', 'dateTimeFromEpoch', 'dateTimeToEpoch', 'loadFileAsBase64', 'loadJsonContent',
  'loadTextContent', 'loadYamlContent', 'parseCidr', 'cidrSubnet', 'cidrHost', 'fail',
  // deployment and scope
  'deployment', 'environment', 'resourceGroup', 'subscription', 'managementGroup', 'tenant', 'resourceId',
  'subscriptionResourceId', 'tenantResourceId', 'managementGroupResourceId', 'extensionResourceId', 'reference',
  'providers', 'pickZones', 'listKeys', 'listSecrets', 'listAccountSas', 'listServiceSas', 'listCredentials',
]);

const DECORATORS = new Set([
  'description', 'secure', 'allowed', 'minLength', 'maxLength', 'minValue', 'maxValue', 'metadata', 'batchSize',
  'export', 'sealed', 'discriminator',
]);
const KEYWORDS = new Set(['true', 'false', 'null', 'if', 'for', 'in', 'existing']);
const NAMESPACES = new Set(['az', 'sys']);

/** True when tokens[k] is an object key: `key:` first on its line, after "{" or after ",". */
function isObjectKey(tokens: Token[], k: number): boolean {
  const prev = tokens[k - 1];
  return tokens[k + 1]?.value === ':' && (!prev || prev.type === 'newline' || prev.value === '{' || prev.value === ',');
}

function isPropertyAccess(tokens: Token[], k: number): boolean {
  const prev = tokens[k - 1]?.value;
  return prev === '.' || prev === '.?' || prev === '::';
}

export interface Reference {
  name: string;
  line: number;
  /** The declaration it appears in. */
  in: Declaration;
}

/**
 * Identifiers used in expressions (values, resource bodies, decorator arguments and ${…} holes), minus object keys,
 * property names after ".", function names and loop variables; and the functions called.
 */
export function references(decls: Declaration[]): { refs: Reference[]; calls: Reference[] } {
  const refs: Reference[] = [];
  const calls: Reference[] = [];
  for (const d of decls) {
    const groups = [d.value, ...d.decorators.values()];
    for (const tokens of groups) {
      const locals = new Set<string>();
      tokens.forEach((t, k) => {
        // [for x in …] and [for (x, i) in …] declare loop variables; x => … a lambda's parameter.
        if (t.value === 'for') {
          for (let j = k + 1; j < tokens.length && tokens[j].value !== 'in'; j++) if (tokens[j].type === 'ident') locals.add(tokens[j].value);
        }
        if (t.type === 'ident' && tokens[k + 1]?.value === '=>') locals.add(t.value);
      });
      tokens.forEach((t, k) => {
        if (t.type !== 'ident' || KEYWORDS.has(t.value) || locals.has(t.value)) return;
        if (isObjectKey(tokens, k) || isPropertyAccess(tokens, k)) return;
        if (tokens[k + 1]?.value === '(') calls.push({ name: t.value, line: t.line, in: d });
        else refs.push({ name: t.value, line: t.line, in: d });
      });
    }
  }
  return { refs, calls };
}

/** Everything the checker can say about a Bicep file: an empty `errors` means it found nothing wrong. */
export function checkBicep(src: string): BicepFile {
  const { tokens, errors } = tokenize(src);
  errors.push(...checkBalance(tokens));
  if (errors.length) return { tokens, declarations: [], errors };
  const parsed = parseDeclarations(tokens);
  errors.push(...parsed.errors);
  const decls = parsed.declarations;

  // One namespace for params, vars, resources and modules; outputs have their own.
  const symbols = new Map<string, Declaration>();
  const outputs = new Set<string>();
  for (const d of decls) {
    if (!d.name) continue;
    if (d.keyword === 'output') {
      if (outputs.has(d.name)) errors.push(`line ${d.line}: output ${d.name} declared twice`);
      outputs.add(d.name);
    } else if (['param', 'var', 'resource', 'module'].includes(d.keyword)) {
      if (symbols.has(d.name)) errors.push(`line ${d.line}: ${d.name} declared twice`);
      symbols.set(d.name, d);
    }
    for (const name of d.decorators.keys()) {
      if (!DECORATORS.has(name)) errors.push(`line ${d.line}: unknown decorator @${name}`);
    }
  }

  const { refs, calls } = references(decls);
  for (const r of refs) {
    if (!symbols.has(r.name) && !NAMESPACES.has(r.name)) errors.push(`line ${r.line}: ${r.name} is not declared`);
    if (r.in.name === r.name && r.in.keyword !== 'output') errors.push(`line ${r.line}: ${r.name} refers to itself`);
  }
  for (const c of calls) {
    if (!BICEP_FUNCTIONS.has(c.name) && !NAMESPACES.has(c.name)) errors.push(`line ${c.line}: unknown function ${c.name}()`);
  }
  const used = new Set(refs.map((r) => r.name));
  for (const d of decls) {
    if ((d.keyword === 'param' || d.keyword === 'var') && !used.has(d.name)) errors.push(`line ${d.line}: ${d.keyword} ${d.name} is never used`);
  }

  // dependsOn lists resources or modules, nothing else.
  for (const d of decls) {
    d.value.forEach((t, k) => {
      if (t.value !== 'dependsOn' || !isObjectKey(d.value, k)) return;
      const close = matching(d.value, k + 2);
      for (const e of d.value.slice(k + 3, close)) {
        if (e.type === 'newline') continue;
        const target = symbols.get(e.value);
        if (e.type !== 'ident' || !target || (target.keyword !== 'resource' && target.keyword !== 'module')) {
          errors.push(`line ${e.line}: dependsOn ${e.value} is not a resource or module`);
        }
      }
    });
  }

  errors.push(...secretRules(decls, refs));
  return { tokens, declarations: decls, errors };
}

// Names that hold secrets, as the end of a parameter or property name (passwordAuth, keyVaultName are not).
const SECRET_NAME = /(password|secret|token|connectionstring|key)$/i;

/** What the Bicep linter checks about secrets, and a little more. */
function secretRules(decls: Declaration[], refs: Reference[]): string[] {
  const errors: string[] = [];
  const secure = new Set(decls.filter((d) => d.keyword === 'param' && d.decorators.has('secure')).map((d) => d.name));
  for (const d of decls) {
    if (d.keyword === 'param' && SECRET_NAME.test(d.name) && !secure.has(d.name)) {
      errors.push(`line ${d.line}: param ${d.name} looks like a secret but is not @secure()`);
    }
    // A secure parameter may default to nothing ('') and nothing else: a default would be a secret in the repository.
    if (d.keyword === 'param' && secure.has(d.name) && d.value.length > 0) {
      const v = d.value.filter((t) => t.type !== 'newline');
      if (!(v.length === 1 && v[0].type === 'string' && v[0].value === '')) errors.push(`line ${d.line}: secure param ${d.name} has a default value`);
    }
    if (d.keyword === 'output') {
      if (d.decorators.has('secure')) continue;
      for (const r of refs.filter((x) => x.in === d)) {
        if (secure.has(r.name)) errors.push(`line ${r.line}: output ${d.name} contains the secure param ${r.name}`);
      }
      if (d.value.some((t) => t.type === 'ident' && /^list/.test(t.value))) errors.push(`line ${d.line}: output ${d.name} may contain keys (list*)`);
    }
    // No literal secret in a property: `somethingPassword: 'text'`.
    d.value.forEach((t, k) => {
      const value = d.value[k + 2];
      if (t.type === 'ident' && SECRET_NAME.test(t.value) && isObjectKey(d.value, k) && isLiteral(value) && !value.value.startsWith('@Microsoft.KeyVault(')) {
        errors.push(`line ${t.line}: ${t.value} is a literal string`);
      }
    });
    // A Key Vault secret's value must come from a parameter or an expression, never be written here.
    if (d.keyword === 'resource' && /^Microsoft\.KeyVault\/vaults\/secrets@/i.test(d.type ?? '')) {
      const value = propertyTokens(d.value, ['properties', 'value'])?.filter((t) => t.type !== 'newline');
      if (value?.length === 1 && isLiteral(value[0])) errors.push(`line ${d.line}: secret ${d.name} has a literal value`);
    }
  }
  return errors;
}

function isLiteral(t: Token | undefined): t is Token {
  return t?.type === 'string' && !t.interpolated && t.value !== '';
}

/** The literal values of an @allowed([…]) decorator (strings and numbers), or undefined. */
export function allowedValues(d: Declaration): (string | number)[] | undefined {
  const args = d.decorators.get('allowed');
  if (!args) return undefined;
  return args.filter((t) => t.type === 'string' || t.type === 'number').map((t) => (t.type === 'number' ? Number(t.value) : t.value));
}

/** The literal default of a param ('text', number, true/false), or undefined when it has none or it is an expression. */
export function literalDefault(d: Declaration): string | number | boolean | undefined {
  const v = d.value.filter((t) => t.type !== 'newline');
  if (v.length !== 1) return undefined;
  if (v[0].type === 'string' && !v[0].interpolated) return v[0].value;
  if (v[0].type === 'number') return Number(v[0].value);
  if (v[0].value === 'true' || v[0].value === 'false') return v[0].value === 'true';
  return undefined;
}

/**
 * Keys of the object(s) an expression builds: `{ a: … }`, `cond ? {…} : {…}`, `union(x, y)` with x and y vars
 * (followed), at the outermost object level.
 */
export function objectKeys(tokens: Token[], symbols: Map<string, Declaration>, seen = new Set<string>()): Set<string> {
  const keys = new Set<string>();
  let depth = 0;
  tokens.forEach((t, k) => {
    if (t.value === '{') depth++;
    if (t.value === '}') depth--;
    if (depth === 1 && (t.type === 'ident' || t.type === 'string') && isObjectKey(tokens, k)) keys.add(t.value);
    if (depth === 0 && t.type === 'ident' && !isObjectKey(tokens, k) && !isPropertyAccess(tokens, k)) {
      const v = symbols.get(t.value);
      if (v?.keyword === 'var' && !seen.has(v.name)) {
        seen.add(v.name);
        for (const key of objectKeys(v.value, symbols, seen)) keys.add(key);
      }
    }
  });
  return keys;
}

/** The tokens of property `name` at the top level of a resource's body `{ … }` (its value, up to the line's end). */
export function propertyTokens(body: Token[], path: string[]): Token[] | undefined {
  let tokens = body;
  for (const name of path) {
    let depth = 0;
    let found: Token[] | undefined;
    for (let k = 0; k < tokens.length && !found; k++) {
      const t = tokens[k];
      if (PAIRS[t.value]) depth++;
      else if (CLOSERS.has(t.value)) depth--;
      else if (depth === 1 && t.value === name && isObjectKey(tokens, k)) {
        // The value runs to the end of its line, or of its brackets, or to a "," or "}" of a one-line object.
        let end = k + 2;
        let inner = 0;
        for (; end < tokens.length; end++) {
          const v = tokens[end].value;
          if (PAIRS[v]) inner++;
          else if (CLOSERS.has(v) && inner-- === 0) break;
          else if (inner === 0 && (tokens[end].type === 'newline' || v === ',')) break;
        }
        found = tokens.slice(k + 2, end);
      }
    }
    if (!found) return undefined;
    tokens = found;
  }
  return tokens;
}

/** The source text of tokens, roughly (for matching values in tests). */
export function text(tokens: Token[] | undefined): string {
  if (!tokens) return '';
  return tokens
    .filter((t) => t.type !== 'newline')
    .map((t) => (t.type === 'string' ? `'${t.value}'` : t.value))
    .join(' ');
}
