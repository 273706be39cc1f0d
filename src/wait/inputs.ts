/**
 * The wait mode's inputs as the action and the CLI receive them (strings), checked and turned into
 * `WaitOptions` fields. Every mistake is a one-line ConfigError (exit 2) naming the input.
 */
import { ConfigError } from '../errors.js';
import { parseGoDuration } from './duration.js';
import { parseSelectors, type Selection } from './selection.js';

export interface WaitInputs {
  /** `wait-timeout`, a Go duration (default `5m`). */
  timeout?: string;
  /** `expected-revision`; empty falls back to `defaultRevision`. */
  expectedRevision?: string;
  /** The workflow's commit (`GITHUB_SHA`), used when `expected-revision` is empty. */
  defaultRevision?: string;
  /** `reconcile`: `true` or `false`. */
  reconcile?: string;
  /** Namespaces to select, separated by commas or whitespace. */
  namespaces?: string;
  /** Object names (`kustomization/ns/name`), separated by commas or whitespace. */
  names?: string;
  /** Sources that received the push (`gitrepository/ns/name`). */
  sources?: string;
}

export interface CheckedWaitInputs {
  expected: string;
  timeoutMs: number;
  reconcile: boolean;
  selection: Selection;
}

function bool(text: string | undefined, input: string): boolean {
  const t = (text ?? '').trim().toLowerCase();
  if (t === '' || t === 'false') return false;
  if (t === 'true') return true;
  throw new ConfigError(`${input} must be true or false, not "${text}"`);
}

function list(text: string | undefined): string[] {
  return (text ?? '').split(/[\s,]+/).filter((s) => s !== '');
}

/**
 * The selection from its three lists; `labels` names the inputs (or flags) in error messages.
 */
export function selectionOf(
  lists: Pick<WaitInputs, 'namespaces' | 'names' | 'sources'>,
  labels: { names: string; sources: string },
): Selection {
  const selection: Selection = {};
  const namespaces = list(lists.namespaces);
  if (namespaces.length > 0) selection.namespaces = namespaces;
  const parse = (text: string | undefined, allowed: 'applier' | 'source', label: string) => {
    try {
      return parseSelectors(text ?? '', allowed);
    } catch (err) {
      throw new ConfigError(`${label}: ${(err as Error).message}`);
    }
  };
  const names = parse(lists.names, 'applier', labels.names);
  if (names.length > 0) selection.names = names;
  const sources = parse(lists.sources, 'source', labels.sources);
  if (sources.length > 0) selection.sources = sources;
  return selection;
}

export function checkWaitInputs(
  inputs: WaitInputs,
  labels: { names: string; sources: string; timeout: string } = {
    names: 'wait-objects',
    sources: 'wait-sources',
    timeout: 'wait-timeout',
  },
): CheckedWaitInputs {
  const expected = (inputs.expectedRevision ?? '').trim() || (inputs.defaultRevision ?? '').trim();
  if (expected === '') {
    throw new ConfigError(
      'expected-revision is empty and GITHUB_SHA is not set: give the commit SHA, tag or OCI digest to wait for',
    );
  }
  const timeoutMs = parseGoDuration(inputs.timeout?.trim() || '5m', labels.timeout);
  if (timeoutMs <= 0) throw new ConfigError(`${labels.timeout} must be positive, not "${inputs.timeout}"`);
  const selection = selectionOf(inputs, labels);
  return { expected, timeoutMs, reconcile: bool(inputs.reconcile, 'reconcile'), selection };
}
