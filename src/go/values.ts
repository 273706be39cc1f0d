/**
 * The Go values an alert template works with, mapped onto JavaScript so that the template engine can keep
 * Go's distinctions (int vs float64, map zero values, time.Time and time.Duration printing).
 *
 * - `string` ↔ string, `number` ↔ float64, `bigint` ↔ int, `boolean` ↔ bool, `null` ↔ nil
 * - GoMap ↔ map[string]T (with the zero value that missingkey=zero yields), arrays ↔ []interface{}
 */
import { formatGoFloatV } from './format.js';

export class GoMap {
  constructor(
    readonly entries: ReadonlyMap<string, GoValue>,
    /** What a missing key yields under missingkey=zero ("" for map[string]string). */
    readonly zero: GoValue = '',
    readonly typeName = 'map[string]string',
  ) {}

  static ofStrings(record: Readonly<Record<string, string>>): GoMap {
    return new GoMap(new Map(Object.entries(record)));
  }
}

/** A struct with named fields, like the data Prometheus hands to alert templates. */
export class GoStruct {
  constructor(
    readonly typeName: string,
    readonly fields: ReadonlyMap<string, GoValue>,
  ) {}
}

/** time.Time in UTC, nanosecond precision. */
export class GoTime {
  constructor(readonly unixNanos: bigint) {}
}

/** time.Duration in nanoseconds. */
export class GoDuration {
  constructor(readonly nanos: bigint) {}
}

/** html/template.HTML from safeHtml: prints as its text. */
export class GoHTML {
  constructor(readonly text: string) {}
}

export type GoValue =
  string | number | bigint | boolean | null | GoMap | GoStruct | GoTime | GoDuration | GoHTML | GoValue[];

/** The Go type name fmt prints in `%!verb(type=value)` and errors use. */
export function goTypeName(v: GoValue): string {
  if (v === null) return '<nil>';
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'number':
      return 'float64';
    case 'bigint':
      return 'int';
    case 'boolean':
      return 'bool';
  }
  if (Array.isArray(v)) return '[]interface {}';
  if (v instanceof GoMap) return v.typeName;
  if (v instanceof GoStruct) return v.typeName;
  if (v instanceof GoTime) return '*time.Time';
  if (v instanceof GoDuration) return 'time.Duration';
  return 'template.HTML';
}

/** fmt's `%v` (and fmt.Sprint of a single operand). */
export function printGoValue(v: GoValue): string {
  if (v === null) return '<nil>';
  switch (typeof v) {
    case 'string':
      return v;
    case 'number':
      return formatGoFloatV(v);
    case 'bigint':
      return v.toString();
    case 'boolean':
      return v ? 'true' : 'false';
  }
  if (Array.isArray(v)) return '[' + v.map(printGoValue).join(' ') + ']';
  if (v instanceof GoMap) {
    // fmt sorts map keys when printing.
    const keys = [...v.entries.keys()].sort(compareGoStrings);
    return 'map[' + keys.map((k) => `${k}:${printGoValue(v.entries.get(k) ?? null)}`).join(' ') + ']';
  }
  if (v instanceof GoStruct) return '{' + [...v.fields.values()].map(printGoValue).join(' ') + '}';
  if (v instanceof GoTime) return formatGoTime(v.unixNanos);
  if (v instanceof GoDuration) return formatGoDuration(v.nanos);
  return v.text;
}

/** Go compares strings byte-wise (UTF-8); for the BMP this equals code point order. */
export function compareGoStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** time.Time.String() for a UTC time: `2006-01-02 15:04:05.999999999 +0000 UTC`. */
export function formatGoTime(unixNanos: bigint): string {
  let secs = unixNanos / 1_000_000_000n;
  let nanos = unixNanos % 1_000_000_000n;
  if (nanos < 0n) {
    nanos += 1_000_000_000n;
    secs -= 1n;
  }
  const d = new Date(Number(secs) * 1000);
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  let frac = '';
  if (nanos !== 0n) frac = '.' + nanos.toString().padStart(9, '0').replace(/0+$/, '');
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}${frac} +0000 UTC`
  );
}

/** time.Duration.String(): `1h2m5s`, `1.5s`, `100ms`, `0s`. */
export function formatGoDuration(nanos: bigint): string {
  if (nanos === 0n) return '0s';
  const neg = nanos < 0n;
  let u = neg ? -nanos : nanos;
  let out: string;
  if (u < 1_000_000_000n) {
    // Sub-second: one unit, fractional digits trimmed.
    let unit: string;
    let scale: bigint;
    if (u < 1_000n) {
      unit = 'ns';
      scale = 1n;
    } else if (u < 1_000_000n) {
      unit = 'µs';
      scale = 1_000n;
    } else {
      unit = 'ms';
      scale = 1_000_000n;
    }
    out = fracString(u, scale) + unit;
  } else {
    const h = u / 3_600_000_000_000n;
    u -= h * 3_600_000_000_000n;
    const m = u / 60_000_000_000n;
    u -= m * 60_000_000_000n;
    out = fracString(u, 1_000_000_000n) + 's';
    if (h > 0n) out = `${h}h${m}m` + out;
    else if (m > 0n) out = `${m}m` + out;
  }
  return neg ? '-' + out : out;
}

function fracString(v: bigint, scale: bigint): string {
  const whole = v / scale;
  const rest = v % scale;
  if (rest === 0n) return whole.toString();
  const width = scale.toString().length - 1;
  return whole.toString() + '.' + rest.toString().padStart(width, '0').replace(/0+$/, '');
}

/** Go truthiness used by if/with/and/or/not. */
export function goTruth(v: GoValue): boolean {
  if (v === null) return false;
  switch (typeof v) {
    case 'string':
      return v.length > 0;
    case 'number':
      return v !== 0;
    case 'bigint':
      return v !== 0n;
    case 'boolean':
      return v;
  }
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof GoMap) return v.entries.size > 0;
  if (v instanceof GoDuration) return v.nanos !== 0n;
  if (v instanceof GoHTML) return v.text.length > 0;
  return true;
}
