/**
 * The action's inputs, read once and validated into a typed value. A bad value is a ConfigError that
 * names the input and what it accepts (exit 2), before anything touches the cluster or GitHub.
 */
import * as core from '@actions/core';
import { ConfigError } from '../errors.js';
import { DEFAULTS } from '../options.js';
import { parseCommentMode, type CommentMode } from '../github/comment-mode.js';
import { FailOnError, parseFailOn, type FailOn } from '../rules/gate.js';
import { parseGoDuration } from '../wait/duration.js';
import { selectionOf } from '../wait/inputs.js';
import type { Selection } from '../wait/selection.js';

export interface ActionInputs {
  kubeconfig: string;
  context: string;
  /** Empty: decided by fluxNamespace (options.ts), as for the CLI. */
  namespace: string;
  snapshot: string;
  rules: string[];
  builtinRules: boolean;
  failOn: FailOn;
  failOnText: string;
  wait: boolean;
  waitTimeoutMs: number;
  expectedRevision: string;
  reconcile: boolean;
  /** `wait-namespaces`, `wait-objects` and `wait-sources`. */
  waitSelection: Selection;
  comment: CommentMode;
  commentTag: string;
  summary: boolean;
  artifactName: string;
  retentionDays: number;
  outputDir: string;
  githubToken: string;
  clusterName: string;
}

/**
 * The kubeconfig as YAML. Secrets often hold it base64-encoded (`cat ~/.kube/config | base64`):
 * one run of base64 characters that decodes to a kubeconfig is decoded; anything else is taken
 * as written, and a YAML kubeconfig always has a colon, which base64 never does.
 */
export function kubeconfigText(value: string): string {
  const compact = value.replace(/\s+/g, '');
  if (compact === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact) || compact.length % 4 !== 0) return value;
  const decoded = Buffer.from(compact, 'base64').toString('utf8');
  return /^\s*(apiVersion|kind|clusters|contexts|users|current-context)\s*:/m.test(decoded) ? decoded : value;
}

function bool(name: string, fallback: boolean): boolean {
  const raw = core.getInput(name).trim();
  if (raw === '') return fallback;
  if (['true', 'True', 'TRUE'].includes(raw)) return true;
  if (['false', 'False', 'FALSE'].includes(raw)) return false;
  throw new ConfigError(`input \`${name}\` must be true or false, got "${raw.slice(0, 40)}"`);
}

function text(name: string, fallback = ''): string {
  const v = core.getInput(name).trim();
  return v === '' ? fallback : v;
}

export function readInputs(): ActionInputs {
  // The kubeconfig is masked before anything else can print it, in both shapes it may come in.
  const given = core.getInput('kubeconfig', { trimWhitespace: false });
  const kubeconfig = kubeconfigText(given);
  for (const text of new Set([given, kubeconfig])) {
    if (text.trim() === '') continue;
    core.setSecret(text.trim());
    for (const line of text.split('\n')) {
      const m = /^\s*(?:token|client-key-data|client-certificate-data|password):\s*(\S+)\s*$/.exec(line);
      if (m?.[1]) core.setSecret(m[1]);
    }
  }
  const githubToken = core.getInput('github-token');
  if (githubToken) core.setSecret(githubToken);

  const failOnText = text('fail-on', DEFAULTS.failOn);
  let failOn: FailOn;
  try {
    failOn = parseFailOn(failOnText);
  } catch (err) {
    if (err instanceof FailOnError)
      throw new ConfigError(`input \`fail-on\`: ${err.message.replace(/--fail-on/g, 'fail-on')}`);
    throw err;
  }
  let comment: CommentMode;
  try {
    comment = parseCommentMode(text('comment', DEFAULTS.comment));
  } catch (err) {
    throw new ConfigError(`input \`comment\`: ${(err as Error).message}`);
  }
  let waitTimeoutMs: number;
  try {
    waitTimeoutMs = parseGoDuration(text('wait-timeout', DEFAULTS.waitTimeout), 'wait-timeout');
  } catch (err) {
    throw new ConfigError(`input \`wait-timeout\`: ${(err as Error).message}`);
  }
  const retentionText = text('retention-days', '0');
  const retentionDays = Number(retentionText);
  if (!Number.isInteger(retentionDays) || retentionDays < 0 || retentionDays > 400) {
    throw new ConfigError(
      `input \`retention-days\` must be a whole number of days (0 for the default), got "${retentionText}"`,
    );
  }
  const snapshot = text('snapshot');
  const inputs: ActionInputs = {
    kubeconfig,
    context: text('context'),
    namespace: text('namespace'),
    snapshot,
    rules: core.getMultilineInput('rules').filter((l) => !l.startsWith('#')),
    builtinRules: bool('builtin-rules', true),
    failOn,
    failOnText,
    wait: bool('wait', false),
    waitTimeoutMs,
    expectedRevision: text('expected-revision'),
    reconcile: bool('reconcile', false),
    waitSelection: selectionOf(
      { namespaces: text('wait-namespaces'), names: text('wait-objects'), sources: text('wait-sources') },
      { names: 'input `wait-objects`', sources: 'input `wait-sources`' },
    ),
    comment,
    commentTag: text('comment-tag', DEFAULTS.commentTag),
    summary: bool('summary', true),
    artifactName: text('artifact-name'),
    retentionDays,
    outputDir: text('output-dir', DEFAULTS.outputDir),
    githubToken,
    clusterName: text('cluster-name'),
  };
  if (snapshot !== '' && (inputs.wait || inputs.reconcile)) {
    throw new ConfigError(
      'inputs `wait` and `reconcile` need a live cluster; they cannot be used with `snapshot`',
    );
  }
  if (snapshot !== '' && (kubeconfig.trim() !== '' || inputs.context !== '')) {
    throw new ConfigError(
      'input `snapshot` audits a file instead of a cluster: leave `kubeconfig` and `context` empty',
    );
  }
  return inputs;
}
