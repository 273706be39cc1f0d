/**
 * The Go values an alert template works with, mapped onto JavaScript so that the template engine can keep
 * Go's distinctions (int vs float64, map zero values, time.Time and time.Duration printing).
 *
 * - `string` ↔ string, `number` ↔ float64, `bigint` ↔ int, `boolean` ↔ bool, `null` ↔ nil
 * - GoMap ↔ map[string]T (with the zero value that missingkey=zero yields), arrays ↔ []interface{}
 */
import { formatGoDuration } from './duration.js';
import { formatGoFloatV } from './numbers.js';
import { compareStrings } from './strings.js';
import { formatGoTime } from './time.js';

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
    const keys = [...v.entries.keys()].sort(compareStrings);
    return 'map[' + keys.map((k) => `${k}:${printGoValue(v.entries.get(k) ?? null)}`).join(' ') + ']';
  }
  if (v instanceof GoStruct) return '{' + [...v.fields.values()].map(printGoValue).join(' ') + '}';
  if (v instanceof GoTime) return formatGoTime(v.unixNanos);
  if (v instanceof GoDuration) return formatGoDuration(v.nanos);
  return v.text;
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
