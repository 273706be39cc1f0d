/**
 * Prometheus alert templates: a Go text/template subset (missingkey=zero) with Prometheus's template
 * functions. Labels and annotations of alerting rules are expanded with it, exactly as rules/alerting.go
 * does: the template text is prefixed with the `$labels`/`$externalLabels`/`$externalURL`/`$value`
 * definitions, expansion errors become `<error expanding template: …>`.
 */
import { parseDuration } from '../../go/duration.js';
import { formatFloat } from '../../go/format.js';
import { compileGoRegexp } from '../../go/regexp.js';
import { compareStrings } from '../../go/strings.js';
import { goSprint, goSprintf, goSprintln } from '../../go/sprintf.js';
import {
  GoDuration,
  GoHTML,
  GoMap,
  GoStruct,
  GoTime,
  goTruth,
  goTypeName,
  printGoValue,
  type GoValue,
} from '../../go/values.js';
import {
  argString,
  commandString,
  parseTemplate,
  TemplateParseError,
  type Arg,
  type Command,
  type ParsedTemplate,
  type Pipe,
  type TNode,
} from './parse.js';

export { TemplateParseError };

/** A failure inside a function, reported by Go as `error calling NAME: …`. */
class FuncError extends Error {}

/** A runtime failure, with Go's `template: NAME:LINE:COL: executing "NAME" at <…>: …` text. */
export class TemplateExecError extends Error {}

class BreakSignal {}
class ContinueSignal {}

type Func = (args: GoValue[]) => GoValue;

// ---------------------------------------------------------------------------------------------------
// Conversions with Go's error texts

function expectString(v: GoValue): string {
  if (typeof v === 'string') return v;
  if (v instanceof GoHTML) return v.text;
  throw new FuncError(`wrong type for value; expected string; got ${goTypeName(v)}`);
}

function expectInt(v: GoValue): bigint {
  if (typeof v === 'bigint') return v;
  throw new FuncError(`wrong type for value; expected int; got ${goTypeName(v)}`);
}

/** strconv.ParseFloat for the forms Prometheus templates meet. */
function parseGoFloat(s: string): number {
  const t = s.toLowerCase().replace(/^[+]/, '');
  if (/^-?(inf|infinity)$/.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  if (t === 'nan') return NaN;
  if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s)) return Number(s);
  if (/^[+-]?0x[\da-f]+$/i.test(s))
    return Number(BigInt(s.replace(/^[+-]/, ''))) * (s.startsWith('-') ? -1 : 1);
  throw new FuncError(`strconv.ParseFloat: parsing ${JSON.stringify(s)}: invalid syntax`);
}

/** Prometheus's convertToFloat: float64, int, string (parsed), else an error. */
function toFloat(v: GoValue): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string') return parseGoFloat(v);
  if (v instanceof GoDuration) return Number(v.nanos) / 1e9;
  throw new FuncError(`can't convert ${goTypeName(v)} to float`);
}

function floatToTime(v: number): GoTime {
  if (!Number.isFinite(v)) throw new FuncError('value is NaN or Inf');
  const nanos = v * 1e9;
  if (nanos > 9.223372036854775e18 || nanos < -9.223372036854775e18)
    throw new FuncError(
      `${formatFloat(v, 'g', -1)} cannot be represented as a nanoseconds timestamp since it overflows int64`,
    );
  return new GoTime(BigInt(Math.trunc(nanos)));
}

// ---------------------------------------------------------------------------------------------------
// Functions

function humanize(v: number): string {
  if (v === 0 || !Number.isFinite(v)) return goSprintf('%.4g', [v]);
  if (Math.abs(v) >= 1) {
    let prefix = '';
    for (const p of ['k', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y']) {
      if (Math.abs(v) < 1000) break;
      prefix = p;
      v /= 1000;
    }
    return goSprintf('%.4g', [v]) + prefix;
  }
  let prefix = '';
  for (const p of ['m', 'u', 'n', 'p', 'f', 'a', 'z', 'y']) {
    if (Math.abs(v) >= 1) break;
    prefix = p;
    v *= 1000;
  }
  return goSprintf('%.4g', [v]) + prefix;
}

function humanize1024(v: number): string {
  if (Math.abs(v) <= 1 || !Number.isFinite(v)) return goSprintf('%.4g', [v]);
  let prefix = '';
  for (const p of ['ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei', 'Zi', 'Yi']) {
    if (Math.abs(v) < 1024) break;
    prefix = p;
    v /= 1024;
  }
  return goSprintf('%.4g', [v]) + prefix;
}

function humanizeDuration(v: number): string {
  if (!Number.isFinite(v)) return goSprintf('%.4g', [v]);
  if (v === 0) return goSprintf('%.4gs', [v]);
  if (Math.abs(v) >= 1) {
    let sign = '';
    if (v < 0) {
      sign = '-';
      v = -v;
    }
    const whole = Math.trunc(v);
    const seconds = whole % 60;
    const minutes = Math.trunc(whole / 60) % 60;
    const hours = Math.trunc(whole / 3600) % 24;
    const days = Math.trunc(whole / 86400);
    if (days !== 0) return `${sign}${days}d ${hours}h ${minutes}m ${seconds}s`;
    if (hours !== 0) return `${sign}${hours}h ${minutes}m ${seconds}s`;
    if (minutes !== 0) return `${sign}${minutes}m ${seconds}s`;
    return sign + goSprintf('%.4gs', [v]);
  }
  let prefix = '';
  for (const p of ['m', 'u', 'n', 'p', 'f', 'a', 'z', 'y']) {
    if (Math.abs(v) >= 1) break;
    prefix = p;
    v *= 1000;
  }
  return goSprintf('%.4g%ss', [v, prefix]);
}

/** strings.Title: upper-cases the first letter of each word (words split at non-letters/digits/_). */
function goTitle(s: string): string {
  let prev = ' ';
  let out = '';
  for (const ch of s) {
    const sep = !/[\p{L}\p{N}_']/u.test(prev) && !/[\p{L}\p{N}_]/u.test(prev);
    out += sep ? goUpperRune(ch) : ch;
    prev = ch;
  }
  return out;
}

/** unicode.ToUpper per rune: JavaScript's multi-rune expansions (ß → SS) do not happen in Go. */
function goUpperRune(ch: string): string {
  const u = ch.toUpperCase();
  return [...u].length === 1 ? u : ch;
}
function goLowerRune(ch: string): string {
  const l = ch.toLowerCase();
  return [...l].length === 1 ? l : ch;
}

function htmlEscape(s: string): string {
  return s.replace(/[<>&'"\0]/g, (c) =>
    c === '<'
      ? '&lt;'
      : c === '>'
        ? '&gt;'
        : c === '&'
          ? '&amp;'
          : c === "'"
            ? '&#39;'
            : c === '"'
              ? '&#34;'
              : '\uFFFD',
  );
}

function jsEscape(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    if (ch === '\\') out += '\\\\';
    else if (ch === "'") out += "\\'";
    else if (ch === '"') out += '\\"';
    else if (ch === '<') out += '\\u003C';
    else if (ch === '>') out += '\\u003E';
    else if (ch === '&') out += '\\u0026';
    else if (ch === '=') out += '\\u003D';
    else if (c < 0x20) out += '\\u' + c.toString(16).toUpperCase().padStart(4, '0');
    else out += ch;
  }
  return out;
}

/** url.QueryEscape. */
function queryEscape(s: string): string {
  return encodeURIComponent(s)
    .replace(/%20/g, '+')
    .replace(/[!'()*]/g, (c) => '%' + (c.codePointAt(0) as number).toString(16).toUpperCase());
}

/** The single-string-or-Sprint rule of html/js/urlquery. */
function evalArgsString(args: GoValue[]): string {
  if (args.length === 1 && typeof args[0] === 'string') return args[0];
  return goSprint(args);
}

function splitHostPort(hostPort: string): { host: string; port: string } | undefined {
  const m = /^\[([^\]]*)\]:(\d*)$/.exec(hostPort) ?? /^([^:[\]]*):(\d*)$/.exec(hostPort);
  if (!m) return undefined;
  return { host: m[1] as string, port: m[2] as string };
}

function isIP(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(':');
}

function basicKind(v: GoValue): 'bool' | 'int' | 'float' | 'string' | undefined {
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'number') return 'float';
  if (typeof v === 'string') return 'string';
  return undefined;
}

function goEq(a: GoValue, b: GoValue): boolean {
  const ka = basicKind(a);
  const kb = basicKind(b);
  if (a === null || b === null) {
    if (a === null && b === null) return true;
    throw new FuncError('incompatible types for comparison');
  }
  if (ka === undefined || kb === undefined) throw new FuncError('invalid type for comparison');
  if (ka !== kb) throw new FuncError('incompatible types for comparison');
  return a === b;
}

function goLess(a: GoValue, b: GoValue): boolean {
  const ka = basicKind(a);
  const kb = basicKind(b);
  if (ka === undefined || kb === undefined || ka === 'bool')
    throw new FuncError('invalid type for comparison');
  if (ka !== kb) throw new FuncError('incompatible types for comparison');
  return (a as string | number | bigint) < (b as string | number | bigint);
}

function arity(name: string, args: GoValue[], n: number): void {
  if (args.length !== n)
    throw new FuncError(`wrong number of args for ${name}: want ${n} got ${args.length}`);
}

function oneFloat(name: string, f: (v: number) => GoValue): Func {
  return (args) => {
    arity(name, args, 1);
    return f(toFloat(args[0] as GoValue));
  };
}

function oneString(name: string, f: (v: string) => GoValue): Func {
  return (args) => {
    arity(name, args, 1);
    return f(expectString(args[0] as GoValue));
  };
}

const QUERY_UNSUPPORTED =
  'query is not supported: Flux Health expands templates without a Prometheus server; use $labels and $value';

function sampleOf(v: GoValue, fn: string): GoStruct {
  if (v instanceof GoStruct && v.fields.has('Labels')) return v;
  throw new FuncError(`wrong type for value; expected *template.sample; got ${goTypeName(v)} in ${fn}`);
}

/** Builtins of text/template plus Prometheus's template functions (template/template.go). */
function functions(externalURL: string): Map<string, Func> {
  const fns = new Map<string, Func>();
  // text/template builtins (`and`/`or` are handled lazily by the executor).
  fns.set('and', () => null);
  fns.set('or', () => null);
  fns.set('not', (a) => {
    arity('not', a, 1);
    return !goTruth(a[0] as GoValue);
  });
  fns.set('len', (a) => {
    arity('len', a, 1);
    const v = a[0] as GoValue;
    if (typeof v === 'string') return BigInt(Buffer.byteLength(v, 'utf8'));
    if (Array.isArray(v)) return BigInt(v.length);
    if (v instanceof GoMap) return BigInt(v.entries.size);
    throw new FuncError(`len of type ${goTypeName(v)}`);
  });
  fns.set('index', (a) => {
    if (a.length < 1) throw new FuncError('wrong number of args for index: want at least 1 got 0');
    let v = a[0] as GoValue;
    for (const key of a.slice(1)) {
      if (v instanceof GoMap) v = v.entries.get(expectString(key)) ?? v.zero;
      else if (Array.isArray(v) || typeof v === 'string') {
        const i = Number(expectInt(key));
        const len = typeof v === 'string' ? Buffer.byteLength(v) : v.length;
        if (i < 0 || i >= len) throw new FuncError(`index out of range: ${i}`);
        v = typeof v === 'string' ? BigInt(Buffer.from(v)[i] as number) : (v[i] as GoValue);
      } else if (v === null) throw new FuncError('index of untyped nil');
      else throw new FuncError(`can't index item of type ${goTypeName(v)}`);
    }
    return v;
  });
  fns.set('slice', (a) => {
    const v = a[0] as GoValue;
    const idx = a.slice(1).map((x) => Number(expectInt(x)));
    if (typeof v === 'string') return v.slice(idx[0] ?? 0, idx[1] ?? v.length);
    if (Array.isArray(v)) return v.slice(idx[0] ?? 0, idx[1] ?? v.length);
    throw new FuncError(`can't slice item of type ${goTypeName(v)}`);
  });
  fns.set('print', (a) => goSprint(a));
  fns.set('println', (a) => goSprintln(a));
  fns.set('printf', (a) => {
    if (a.length < 1) throw new FuncError('wrong number of args for printf: want at least 1 got 0');
    return goSprintf(expectString(a[0] as GoValue), a.slice(1));
  });
  fns.set('html', (a) => htmlEscape(evalArgsString(a)));
  fns.set('js', (a) => jsEscape(evalArgsString(a)));
  fns.set('urlquery', (a) => queryEscape(evalArgsString(a)));
  fns.set('eq', (a) => {
    if (a.length < 2) throw new FuncError('missing argument for comparison');
    return a.slice(1).some((b) => goEq(a[0] as GoValue, b));
  });
  fns.set('ne', (a) => {
    arity('ne', a, 2);
    return !goEq(a[0] as GoValue, a[1] as GoValue);
  });
  fns.set('lt', (a) => {
    arity('lt', a, 2);
    return goLess(a[0] as GoValue, a[1] as GoValue);
  });
  fns.set('le', (a) => {
    arity('le', a, 2);
    return goLess(a[0] as GoValue, a[1] as GoValue) || goEq(a[0] as GoValue, a[1] as GoValue);
  });
  fns.set('gt', (a) => {
    arity('gt', a, 2);
    return !goLess(a[0] as GoValue, a[1] as GoValue) && !goEq(a[0] as GoValue, a[1] as GoValue);
  });
  fns.set('ge', (a) => {
    arity('ge', a, 2);
    return !goLess(a[0] as GoValue, a[1] as GoValue);
  });
  fns.set('call', () => {
    throw new FuncError('call is not supported in alert templates');
  });

  // Prometheus template functions.
  fns.set('humanize', oneFloat('humanize', humanize));
  fns.set('humanize1024', oneFloat('humanize1024', humanize1024));
  fns.set('humanizeDuration', oneFloat('humanizeDuration', humanizeDuration));
  fns.set(
    'humanizePercentage',
    oneFloat('humanizePercentage', (v) => goSprintf('%.4g%%', [v * 100])),
  );
  fns.set(
    'humanizeTimestamp',
    oneFloat('humanizeTimestamp', (v) =>
      Number.isFinite(v) ? printGoValue(floatToTime(v)) : goSprintf('%.4g', [v]),
    ),
  );
  fns.set('toTime', oneFloat('toTime', floatToTime));
  fns.set(
    'toDuration',
    oneFloat('toDuration', (v) => new GoDuration(BigInt(Math.trunc(v * 1e9)))),
  );
  fns.set(
    'parseDuration',
    oneString('parseDuration', (s) => {
      const ms = parseDuration(s);
      if (ms === undefined) throw new FuncError(`not a valid duration string: ${JSON.stringify(s)}`);
      return ms / 1000;
    }),
  );
  fns.set(
    'title',
    oneString('title', (s) => goTitle(s)),
  );
  fns.set(
    'toUpper',
    oneString('toUpper', (s) => [...s].map(goUpperRune).join('')),
  );
  fns.set(
    'toLower',
    oneString('toLower', (s) => [...s].map(goLowerRune).join('')),
  );
  fns.set('match', (a) => {
    arity('match', a, 2);
    const re = compileGoRegexp(expectString(a[0] as GoValue));
    return re.test(expectString(a[1] as GoValue));
  });
  fns.set('reReplaceAll', (a) => {
    arity('reReplaceAll', a, 3);
    const re = compileGoRegexp(expectString(a[0] as GoValue));
    return re.replaceAll(expectString(a[2] as GoValue), expectString(a[1] as GoValue));
  });
  fns.set(
    'stripPort',
    oneString('stripPort', (hp) => splitHostPort(hp)?.host ?? hp),
  );
  fns.set(
    'stripDomain',
    oneString('stripDomain', (hp) => {
      const split = splitHostPort(hp);
      const host = split?.host ?? hp;
      if (isIP(host)) return hp;
      const short = host.split('.')[0] as string;
      if (split && split.port !== '')
        return short.includes(':') ? `[${short}]:${split.port}` : `${short}:${split.port}`;
      return short;
    }),
  );
  fns.set(
    'safeHtml',
    oneString('safeHtml', (s) => new GoHTML(s)),
  );
  fns.set(
    'graphLink',
    oneString('graphLink', (e) => `/graph?g0.expr=${queryEscape(e)}&g0.tab=0`),
  );
  fns.set(
    'tableLink',
    oneString('tableLink', (e) => `/graph?g0.expr=${queryEscape(e)}&g0.tab=1`),
  );
  fns.set(
    'args',
    (a) => new GoMap(new Map(a.map((v, i) => [`arg${i}`, v])), null, 'map[string]interface {}'),
  );
  fns.set('externalURL', () => externalURL);
  fns.set('pathPrefix', () => {
    try {
      return new URL(externalURL).pathname.replace(/^\/$/, '');
    } catch {
      return '';
    }
  });
  fns.set('query', () => {
    throw new FuncError(QUERY_UNSUPPORTED);
  });
  fns.set('first', (a) => {
    arity('first', a, 1);
    const v = a[0];
    if (Array.isArray(v) && v.length > 0) return v[0] as GoValue;
    throw new FuncError('first() called on vector with no elements');
  });
  fns.set('label', (a) => {
    arity('label', a, 2);
    const s = sampleOf(a[1] as GoValue, 'label');
    const labels = s.fields.get('Labels') as GoMap;
    return labels.entries.get(expectString(a[0] as GoValue)) ?? '';
  });
  fns.set('value', (a) => {
    arity('value', a, 1);
    return sampleOf(a[0] as GoValue, 'value').fields.get('Value') ?? 0;
  });
  fns.set('strvalue', (a) => {
    arity('strvalue', a, 1);
    const labels = sampleOf(a[0] as GoValue, 'strvalue').fields.get('Labels') as GoMap;
    return labels.entries.get('__value__') ?? '';
  });
  fns.set('sortByLabel', (a) => {
    arity('sortByLabel', a, 2);
    const label = expectString(a[0] as GoValue);
    const v = a[1];
    if (!Array.isArray(v))
      throw new FuncError(
        `wrong type for value; expected template.queryResult; got ${goTypeName(v ?? null)}`,
      );
    const key = (s: GoValue): string =>
      ((sampleOf(s, 'sortByLabel').fields.get('Labels') as GoMap).entries.get(label) as string) ?? '';
    return [...v].sort((x, y) => compareStrings(key(x), key(y)));
  });
  return fns;
}

/** Names callable in templates; parsing rejects any other identifier, as Go does. */
export const TEMPLATE_FUNCTIONS: ReadonlySet<string> = new Set(functions('').keys());

// ---------------------------------------------------------------------------------------------------
// Executor

class Executor {
  private vars: Array<[string, GoValue]> = [];
  private out = '';

  constructor(
    private readonly tmpl: ParsedTemplate,
    private readonly fns: Map<string, Func>,
  ) {}

  run(data: GoValue): string {
    this.vars = [['$', data]];
    this.walkList(data, this.tmpl.root);
    return this.out;
  }

  private fail(at: { pos: number }, context: string, msg: string): never {
    const before = this.tmpl.text.slice(0, at.pos);
    const nl = before.lastIndexOf('\n');
    const line = 1 + (before.match(/\n/g)?.length ?? 0);
    const col = nl < 0 ? at.pos : at.pos - (nl + 1);
    throw new TemplateExecError(
      `template: ${this.tmpl.name}:${line}:${col}: executing "${this.tmpl.name}" at <${context}>: ${msg}`,
    );
  }

  private walkList(dot: GoValue, nodes: TNode[]): void {
    for (const n of nodes) this.walk(dot, n);
  }

  private walk(dot: GoValue, n: TNode): void {
    switch (n.kind) {
      case 'text':
        this.out += n.text;
        return;
      case 'action': {
        const v = this.evalPipeline(dot, n.pipe);
        if (n.pipe.decl.length === 0) this.out += v === null ? '<no value>' : printGoValue(v);
        return;
      }
      case 'if':
      case 'with': {
        const mark = this.vars.length;
        const v = this.evalPipeline(dot, n.pipe);
        if (goTruth(v)) this.walkList(n.kind === 'with' ? v : dot, n.list);
        else if (n.elseList) this.walkList(dot, n.elseList);
        this.vars.length = mark;
        return;
      }
      case 'range':
        this.walkRange(dot, n);
        return;
      case 'break':
        throw new BreakSignal();
      case 'continue':
        throw new ContinueSignal();
    }
  }

  private walkRange(dot: GoValue, n: Extract<TNode, { kind: 'range' }>): void {
    const mark = this.vars.length;
    const v = this.evalPipeline(dot, { ...n.pipe, decl: [] });
    let items: Array<[GoValue, GoValue]>;
    if (Array.isArray(v)) items = v.map((e, i) => [BigInt(i), e]);
    else if (v instanceof GoMap)
      items = [...v.entries.keys()].sort(compareStrings).map((k) => [k, v.entries.get(k) ?? null]);
    else if (v === null) items = [];
    else this.fail(n, 'range', `range can't iterate over ${printGoValue(v)}`);
    for (const [key, elem] of items) {
      const inner = this.vars.length;
      if (n.pipe.decl.length === 1) this.vars.push([n.pipe.decl[0] as string, elem]);
      else if (n.pipe.decl.length === 2) {
        this.vars.push([n.pipe.decl[0] as string, key]);
        this.vars.push([n.pipe.decl[1] as string, elem]);
      }
      try {
        this.walkList(elem, n.list);
      } catch (e) {
        if (e instanceof BreakSignal) {
          this.vars.length = inner;
          break;
        }
        if (!(e instanceof ContinueSignal)) throw e;
      }
      this.vars.length = inner;
    }
    if (items.length === 0 && n.elseList) this.walkList(dot, n.elseList);
    this.vars.length = mark;
  }

  private lookupVar(name: string, at: { pos: number }): GoValue {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const [k, v] = this.vars[i] as [string, GoValue];
      if (k === name) return v;
    }
    return this.fail(at, name, `undefined variable: ${name}`);
  }

  private evalPipeline(dot: GoValue, pipe: Pipe): GoValue {
    let value: GoValue | undefined;
    for (const cmd of pipe.cmds) value = this.evalCommand(dot, cmd, value);
    const result = value ?? null;
    for (const d of pipe.decl) {
      if (pipe.isAssign) {
        for (let i = this.vars.length - 1; i >= 0; i--) {
          const entry = this.vars[i] as [string, GoValue];
          if (entry[0] === d) {
            entry[1] = result;
            break;
          }
        }
      } else this.vars.push([d, result]);
    }
    return result;
  }

  private evalCommand(dot: GoValue, cmd: Command, final: GoValue | undefined): GoValue {
    const first = cmd.args[0] as Arg;
    if (first.kind === 'identifier') return this.callFunction(dot, first.name, cmd, cmd.args.slice(1), final);
    if (cmd.args.length > 1 || final !== undefined) {
      this.fail(first, argString(first), `can't give argument to non-function ${argString(first)}`);
    }
    if (first.kind === 'nil') this.fail(first, 'nil', 'nil is not a command');
    return this.evalArg(dot, first);
  }

  private evalArg(dot: GoValue, a: Arg): GoValue {
    switch (a.kind) {
      case 'dot':
        return dot;
      case 'nil':
        return null;
      case 'bool':
        return a.value;
      case 'string':
        return a.value;
      case 'number':
        // Go's idealConstant: a literal written with '.', 'e' or 'p' is a float64, otherwise an int.
        if (a.isFloatText || a.int === undefined) return a.float ?? 0;
        return a.int;
      case 'field':
        return this.fields(dot, a.names, a);
      case 'variable':
        return this.fields(this.lookupVar(a.name, a), a.fields, a);
      case 'chain':
        return this.fields(this.evalArg(dot, a.node), a.fields, a);
      case 'pipe': {
        const mark = this.vars.length;
        const v = this.evalPipeline(dot, a.pipe);
        this.vars.length = mark;
        return v;
      }
      case 'identifier':
        return this.callFunction(dot, a.name, { args: [a], pos: a.pos, line: a.line }, [], undefined);
    }
  }

  private fields(receiver: GoValue, names: string[], at: Arg): GoValue {
    let v = receiver;
    for (const name of names) {
      if (v instanceof GoMap) v = v.entries.has(name) ? (v.entries.get(name) as GoValue) : v.zero;
      else if (v instanceof GoStruct) {
        if (!v.fields.has(name))
          this.fail(at, argString(at), `can't evaluate field ${name} in type ${v.typeName}`);
        v = v.fields.get(name) as GoValue;
      } else if (v === null) this.fail(at, argString(at), `nil pointer evaluating interface {}.${name}`);
      else this.fail(at, argString(at), `can't evaluate field ${name} in type ${goTypeName(v)}`);
    }
    return v;
  }

  private callFunction(
    dot: GoValue,
    name: string,
    cmd: Command,
    argNodes: Arg[],
    final: GoValue | undefined,
  ): GoValue {
    const fn = this.fns.get(name);
    if (!fn) return this.fail(cmd, commandString(cmd), `"${name}" is not a defined function`);
    if (name === 'and' || name === 'or') {
      // Go 1.18+ evaluates and/or lazily and returns the deciding operand itself.
      const thunks: Array<() => GoValue> = argNodes.map((a) => () => this.evalArg(dot, a));
      if (final !== undefined) thunks.push(() => final);
      if (thunks.length === 0)
        this.fail(cmd, commandString(cmd), `wrong number of args for ${name}: want at least 1 got 0`);
      let v: GoValue = null;
      for (const t of thunks) {
        v = t();
        if (goTruth(v) === (name === 'or')) return v;
      }
      return v;
    }
    const args = argNodes.map((a) => this.evalArg(dot, a));
    if (final !== undefined) args.push(final);
    try {
      return fn(args);
    } catch (e) {
      if (e instanceof Error) {
        if (e instanceof TemplateExecError) throw e;
        this.fail(cmd, commandString(cmd), `error calling ${name}: ${e.message}`);
      }
      throw e;
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Public API

/** Parses `text` as a template named `name`; throws TemplateParseError with Go's message. */
export function compileTemplate(name: string, text: string): ParsedTemplate {
  return parseTemplate(name, text, TEMPLATE_FUNCTIONS);
}

/** Executes a parsed template over `data`; throws TemplateExecError. */
export function executeTemplate(tmpl: ParsedTemplate, data: GoValue, externalURL = ''): string {
  return new Executor(tmpl, functions(externalURL)).run(data);
}

/** The data an alert template sees (template.AlertTemplateData). */
export interface AlertTemplateData {
  labels: Readonly<Record<string, string>>;
  externalLabels: Readonly<Record<string, string>>;
  externalURL: string;
  value: number;
}

/** What rules/alerting.go prepends to every label and annotation template. */
export const ALERT_TEMPLATE_DEFS =
  '{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}{{$value := .Value}}';

function alertData(d: AlertTemplateData): GoStruct {
  return new GoStruct(
    'struct { Labels map[string]string; ExternalLabels map[string]string; ExternalURL string; Value interface {} }',
    new Map<string, GoValue>([
      ['Labels', GoMap.ofStrings(d.labels)],
      ['ExternalLabels', GoMap.ofStrings(d.externalLabels)],
      ['ExternalURL', d.externalURL],
      ['Value', d.value],
    ]),
  );
}

/**
 * Syntax check of one label/annotation template of alert `alertName`, as promtool's check does.
 * Returns Go's message (`template: __alert_X:1: unclosed action`) or undefined when it parses.
 */
const parsesCleanly = new Set<string>();

export function checkAlertTemplate(alertName: string, text: string): string | undefined {
  // Rule files repeat the same templates across rules; a clean parse does not depend on the alert name.
  if (!text.includes('{{') || parsesCleanly.has(text)) return undefined;
  try {
    compileTemplate(`__alert_${alertName}`, ALERT_TEMPLATE_DEFS + text);
    if (parsesCleanly.size < 10_000) parsesCleanly.add(text);
    return undefined;
  } catch (e) {
    if (e instanceof TemplateParseError) return e.message;
    // Go's parser has a nesting limit too; ours is the JavaScript stack.
    if (e instanceof RangeError) return `template: __alert_${alertName}: nesting too deep to parse`;
    throw e;
  }
}

/** A compiled alert template, reusable for every sample of a rule. */
export interface AlertTemplate {
  expand(data: AlertTemplateData): string;
}

/**
 * Compiles one alert label/annotation template. Expansion never throws: failures give
 * `<error expanding template: …>`, as Prometheus writes into the alert.
 */
export function compileAlertTemplate(alertName: string, text: string): AlertTemplate {
  const name = `__alert_${alertName}`;
  // Templates without actions are common (static labels); skip the engine for them.
  if (!text.includes('{{')) return { expand: () => text };
  let parsed: ParsedTemplate;
  try {
    parsed = compileTemplate(name, ALERT_TEMPLATE_DEFS + text);
  } catch (e) {
    const msg = `<error expanding template: error parsing template ${name}: ${(e as Error).message}>`;
    return { expand: () => msg };
  }
  return {
    expand(data) {
      try {
        return executeTemplate(parsed, alertData(data), data.externalURL);
      } catch (e) {
        if (e instanceof TemplateExecError)
          return `<error expanding template: error executing template ${name}: ${e.message}>`;
        throw e;
      }
    },
  };
}
