/**
 * Step outputs. GitHub outputs are strings; these are the conversions we promise: booleans as
 * `true`/`false`, numbers in decimal, objects and arrays as JSON, and nothing at all for an
 * undefined value (so `steps.x.outputs.y` is empty rather than the string "undefined").
 */
import * as core from '@actions/core';

export type OutputValue =
  string | number | boolean | null | undefined | readonly unknown[] | { readonly [key: string]: unknown };

export function formatOutput(value: OutputValue): string | undefined {
  if (value === undefined) return undefined;
  if (value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** Sets every defined output; returns what was set, as strings, in the order given. */
export function setOutputs(outputs: Readonly<Record<string, OutputValue>>): Record<string, string> {
  const set: Record<string, string> = {};
  for (const [name, value] of Object.entries(outputs)) {
    const formatted = formatOutput(value);
    if (formatted === undefined) continue;
    core.setOutput(name, formatted);
    set[name] = formatted;
  }
  return set;
}
