/**
 * The action's inputs, read once and validated into a typed value. A bad value is a ConfigError that
 * names the input and what it accepts (exit 2), before anything touches the cluster or GitHub.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as core from '@actions/core';
import { ConfigError, ConfigErrors } from '../errors.js';
import { DEFAULTS, parseNamespaces } from '../options.js';
import { parseCommentMode, type CommentMode } from '../github/comment-mode.js';
import { pushFromInputs, type PushConfig } from '../push/index.js';
import { DEFAULT_FAIL_ON, FailOnError, parseFailOn, type FailOn } from '../rules/gate.js';
import { parseGoDuration } from '../wait/duration.js';
import { selectionOf } from '../wait/inputs.js';
import type { Selection } from '../wait/selection.js';

export interface ActionInputs {
  kubeconfig: string;
  /** `allow-exec`: the kubeconfig input may run a credential program. */
  allowExec: boolean;
  context: string;
  /** Empty: decided by fluxNamespace (options.ts), as for the CLI. */
  namespace: string;
  /** `namespaces`: check only these (a tenant's); empty: every namespace. */
  namespaces: string[];
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
  /** `pushgateway-url`, `remote-write-url` and `push-bearer-token`, checked and masked. */
  push: PushConfig;
  /** Fleet mode: show the runs of this workflow run's matrix instead of checking a cluster. */
  fleet: boolean;
  /** Fleet mode: which of this workflow run's artifacts hold runs (name patterns). */
  fleetArtifacts: string[];
  /** Set a `flux-health/<cluster>` commit status on the deployed commit. */
  commitStatus: boolean;
  /** A GitHub deployment environment to give Flux's answer; empty means none. */
  environment: string;
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

/**
 * Reads inputs and keeps going past a bad one, so a run reports every bad input at once, one line
 * each, instead of one per attempt. A bad value reads as its fallback until `done()` throws.
 */
class InputReader {
  readonly problems: string[] = [];

  text(name: string, fallback = ''): string {
    const v = core.getInput(name).trim();
    return v === '' ? fallback : v;
  }

  bool(name: string, fallback: boolean): boolean {
    const raw = this.text(name);
    if (raw === '') return fallback;
    if (['true', 'True', 'TRUE'].includes(raw)) return true;
    if (['false', 'False', 'FALSE'].includes(raw)) return false;
    this.problems.push(`input \`${name}\` must be true or false, got "${raw.slice(0, 40)}"`);
    return fallback;
  }

  /** `parse`'s error message becomes the problem, prefixed with the input's name. */
  parsed<T>(name: string, parse: () => T, fallback: T): T {
    try {
      return parse();
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      const message = err.message.replace(new RegExp(`^input \`${name}\`:?\\s*`), '');
      this.problems.push(`input \`${name}\`: ${message}`);
      return fallback;
    }
  }

  check(ok: boolean, problem: string): void {
    if (!ok) this.problems.push(problem);
  }

  done(): void {
    if (this.problems.length > 0) throw new ConfigErrors(this.problems);
  }
}

/**
 * The default output folder: the runner's temporary folder, so a later step that commits the
 * workspace never picks the report up; the system's when run outside Actions.
 */
export function defaultOutputDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env['RUNNER_TEMP'] || tmpdir(), DEFAULTS.outputDir);
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

  const r = new InputReader();
  const push = pushFromInputs((name) => r.text(name), core.setSecret);
  push.problems.forEach((p) => r.check(false, p));
  const failOnText = r.text('fail-on', DEFAULTS.failOn);
  const failOn = r.parsed(
    'fail-on',
    () => {
      try {
        return parseFailOn(failOnText);
      } catch (err) {
        // The parser speaks the CLI's flag; the action's users know the input.
        if (err instanceof FailOnError) throw new ConfigError(err.message.replace(/--fail-on/g, 'fail-on'));
        throw err;
      }
    },
    DEFAULT_FAIL_ON,
  );
  const comment = r.parsed('comment', () => parseCommentMode(r.text('comment', DEFAULTS.comment)), 'never');
  const waitTimeoutMs = r.parsed(
    'wait-timeout',
    () => parseGoDuration(r.text('wait-timeout', DEFAULTS.waitTimeout), 'wait-timeout'),
    0,
  );
  const retentionText = r.text('retention-days', '0');
  const retentionDays = Number(retentionText);
  r.check(
    Number.isInteger(retentionDays) && retentionDays >= 0 && retentionDays <= 400,
    `input \`retention-days\` must be a whole number of days from 0 (the repository's default) to 400, got "${retentionText.slice(0, 40)}"`,
  );
  const snapshot = r.text('snapshot');
  const inputs: ActionInputs = {
    kubeconfig,
    allowExec: r.bool('allow-exec', false),
    context: r.text('context'),
    namespace: r.text('namespace'),
    namespaces: r.parsed(
      'namespaces',
      () => parseNamespaces([r.text('namespaces')], 'input `namespaces`') ?? [],
      [],
    ),
    snapshot,
    rules: core.getMultilineInput('rules').filter((l) => !l.startsWith('#')),
    builtinRules: r.bool('builtin-rules', true),
    failOn,
    failOnText,
    wait: r.bool('wait', false),
    waitTimeoutMs,
    expectedRevision: r.text('expected-revision'),
    reconcile: r.bool('reconcile', false),
    waitSelection: r.parsed(
      'wait-objects',
      () =>
        selectionOf(
          {
            namespaces: r.text('wait-namespaces'),
            names: r.text('wait-objects'),
            sources: r.text('wait-sources'),
          },
          { names: 'input `wait-objects`', sources: 'input `wait-sources`' },
        ),
      {},
    ),
    comment,
    commentTag: r.text('comment-tag', DEFAULTS.commentTag),
    summary: r.bool('summary', true),
    artifactName: r.text('artifact-name'),
    retentionDays,
    outputDir: r.text('output-dir') || defaultOutputDir(),
    githubToken,
    clusterName: r.text('cluster-name'),
    push: push.config,
    fleet: r.bool('fleet', false),
    fleetArtifacts: r
      .text('fleet-artifacts', `${DEFAULTS.artifactName}*`)
      // Commas separate patterns, except inside `{a,b}`.
      .split(/\n|,(?![^{]*\})/)
      .map((p) => p.trim())
      .filter((p) => p !== ''),
    commitStatus: r.bool('commit-status', false),
    environment: r.text('environment'),
  };
  r.check(
    snapshot === '' || (!inputs.wait && !inputs.reconcile),
    'inputs `wait` and `reconcile` need a live cluster; they cannot be used with `snapshot`',
  );
  r.check(
    snapshot === '' || (kubeconfig.trim() === '' && inputs.context === ''),
    'input `snapshot` audits a file instead of a cluster: leave `kubeconfig` and `context` empty',
  );
  r.check(
    snapshot === '' || inputs.namespaces.length === 0,
    'input `namespaces` limits what is read from a cluster: leave it empty with `snapshot`',
  );
  r.check(
    !inputs.fleet || (snapshot === '' && !inputs.wait),
    'input `fleet` shows the runs of other jobs: leave `snapshot` and `wait` empty in the fleet job',
  );
  r.check(
    !inputs.reconcile || inputs.wait,
    'input `reconcile` asks Flux to reconcile for the wait: set `wait: true` too, or remove it',
  );
  r.done();
  return inputs;
}
