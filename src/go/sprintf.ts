/**
 * fmt.Sprintf, fmt.Sprint and fmt.Sprintln over GoValues, as the template builtins printf/print/println
 * behave: Go verbs, flags, width and precision, and Go's in-band error texts (`%!d(float64=1.5)`,
 * `%!s(MISSING)`, `%!(EXTRA int=2)`).
 */
import { formatFloat } from './format.js';
import { goQuote } from './strings.js';
import { GoHTML, goTypeName, printGoValue, type GoValue } from './values.js';

interface Spec {
  minus: boolean;
  plus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  width?: number;
  prec?: number;
}

function pad(s: string, spec: Spec, numeric: boolean): string {
  if (spec.width === undefined || s.length >= spec.width) return s;
  const n = spec.width - s.length;
  if (spec.minus) return s + ' '.repeat(n);
  if (spec.zero && numeric) {
    const sign = /^[+\- ]/.test(s) ? (s[0] as string) : '';
    return sign + '0'.repeat(n) + s.slice(sign.length);
  }
  return ' '.repeat(n) + s;
}

function signed(s: string, nonNegative: boolean, spec: Spec): string {
  if (!nonNegative) return s;
  if (spec.plus) return '+' + s;
  if (spec.space) return ' ' + s;
  return s;
}

function badVerb(verb: string, v: GoValue): string {
  if (v === null) return `%!${verb}(<nil>)`;
  return `%!${verb}(${goTypeName(v)}=${printGoValue(v)})`;
}

function formatInt(v: bigint, verb: string, spec: Spec): string {
  const abs = v < 0n ? -v : v;
  let digits: string;
  switch (verb) {
    case 'd':
    case 'v':
      digits = abs.toString();
      break;
    case 'x':
      digits = (spec.sharp ? '0x' : '') + abs.toString(16);
      break;
    case 'X':
      digits = (spec.sharp ? '0X' : '') + abs.toString(16).toUpperCase();
      break;
    case 'o':
      digits = (spec.sharp ? '0' : '') + abs.toString(8);
      break;
    case 'O':
      digits = '0o' + abs.toString(8);
      break;
    case 'b':
      digits = abs.toString(2);
      break;
    case 'c':
      return pad(String.fromCodePoint(Number(v)), spec, false);
    case 'q':
      return pad(goQuoteRune(Number(v)), spec, false);
    case 'U':
      return pad('U+' + abs.toString(16).toUpperCase().padStart(4, '0'), spec, false);
    default:
      return badVerb(verb, v);
  }
  if (spec.prec !== undefined) digits = digits.padStart(spec.prec, '0');
  const s = v < 0n ? '-' + digits : signed(digits, true, spec);
  return pad(s, { ...spec, zero: spec.zero && spec.prec === undefined }, true);
}

function goQuoteRune(c: number): string {
  const q = goQuote(String.fromCodePoint(c));
  const inner = q.slice(1, -1).replace(/\\"/g, '"');
  return `'${inner === "'" ? "\\'" : inner}'`;
}

function formatFloatVerb(v: number, verb: string, spec: Spec): string {
  let s: string;
  switch (verb) {
    case 'v':
    case 'g':
    case 'G':
      s = formatFloat(v, verb === 'G' ? 'G' : 'g', spec.prec ?? -1);
      break;
    case 'e':
    case 'E':
      s = formatFloat(v, verb, spec.prec ?? 6);
      break;
    case 'f':
    case 'F':
      s = formatFloat(v, 'f', spec.prec ?? 6);
      break;
    default:
      return badVerb(verb, v);
  }
  if (Number.isNaN(v))
    return pad(spec.plus ? '+NaN' : spec.space ? ' NaN' : 'NaN', { ...spec, zero: false }, false);
  if (!Number.isFinite(v)) {
    // Go prints +Inf only when a sign is asked for; plain %v/%f print +Inf too (strconv's form).
    const t = v > 0 ? (spec.plus ? '+Inf' : spec.space ? ' Inf' : '+Inf') : '-Inf';
    return pad(t, { ...spec, zero: false }, false);
  }
  return pad(signed(s, !s.startsWith('-'), spec), spec, true);
}

function formatString(s: string, verb: string, spec: Spec, original: GoValue): string {
  let out: string;
  switch (verb) {
    case 's':
    case 'v':
      out = spec.prec !== undefined ? [...s].slice(0, spec.prec).join('') : s;
      break;
    case 'q':
      out = goQuote(s);
      break;
    case 'x':
    case 'X': {
      const hex = Buffer.from(s, 'utf8').toString('hex');
      out = verb === 'X' ? hex.toUpperCase() : hex;
      break;
    }
    default:
      return badVerb(verb, original);
  }
  return pad(out, spec, false);
}

/** One operand under one verb. */
function formatOne(v: GoValue, verb: string, spec: Spec): string {
  if (typeof v === 'string') return formatString(v, verb, spec, v);
  if (v instanceof GoHTML) return formatString(v.text, verb, spec, v);
  if (typeof v === 'bigint') return formatInt(v, verb, spec);
  if (typeof v === 'number') return formatFloatVerb(v, verb, spec);
  if (typeof v === 'boolean') {
    if (verb === 't' || verb === 'v') return pad(v ? 'true' : 'false', spec, false);
    return badVerb(verb, v);
  }
  if (verb === 'v' || verb === 's') return pad(printGoValue(v), spec, false);
  if (v === null) return badVerb(verb, v);
  return badVerb(verb, v);
}

/** fmt.Sprintf. */
export function goSprintf(format: string, args: readonly GoValue[]): string {
  let out = '';
  let argi = 0;
  let i = 0;
  while (i < format.length) {
    const pct = format.indexOf('%', i);
    if (pct < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, pct);
    i = pct + 1;
    const spec: Spec = { minus: false, plus: false, sharp: false, space: false, zero: false };
    for (; i < format.length; i++) {
      const c = format[i];
      if (c === '-') spec.minus = true;
      else if (c === '+') spec.plus = true;
      else if (c === '#') spec.sharp = true;
      else if (c === ' ') spec.space = true;
      else if (c === '0') spec.zero = !spec.minus;
      else break;
    }
    const readNum = (): number | undefined => {
      if (format[i] === '*') {
        i++;
        const a = args[argi++];
        return typeof a === 'bigint' ? Number(a) : undefined;
      }
      const m = /^\d+/.exec(format.slice(i));
      if (!m) return undefined;
      i += m[0].length;
      return Number(m[0]);
    };
    spec.width = readNum();
    if (format[i] === '.') {
      i++;
      spec.prec = readNum() ?? 0;
    }
    if (i >= format.length) {
      out += '%!(NOVERB)';
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i) as number);
    i += verb.length;
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (argi >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    out += formatOne(args[argi++] as GoValue, verb, spec);
  }
  if (argi < args.length) {
    out +=
      '%!(EXTRA ' +
      args
        .slice(argi)
        .map((a) => (a === null ? '<nil>' : `${goTypeName(a)}=${printGoValue(a)}`))
        .join(', ') +
      ')';
  }
  return out;
}

/** fmt.Sprint: spaces only between operands when neither is a string. */
export function goSprint(args: readonly GoValue[]): string {
  let out = '';
  args.forEach((a, i) => {
    const prev = args[i - 1];
    if (i > 0 && typeof a !== 'string' && typeof prev !== 'string') out += ' ';
    out += printGoValue(a);
  });
  return out;
}

/** fmt.Sprintln: always spaces, trailing newline. */
export function goSprintln(args: readonly GoValue[]): string {
  return args.map(printGoValue).join(' ') + '\n';
}
