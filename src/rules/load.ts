/**
 * Loading and validating Prometheus rule files and PrometheusRule manifests, with a source position for
 * every error (`file:line:col`). Validation follows Prometheus's rulefmt (what `promtool check rules`
 * runs): known fields only, exactly one of alert/record, valid names, unique group names, Prometheus
 * durations, templates that parse, expressions that parse and type-check.
 *
 * Where promtool reports the position of the `expr` value, we report the position of the error itself:
 * the expression's own offset mapped back into the file through the YAML scalar's source text (plain,
 * quoted, block and folded scalars each keep or fold characters differently). The message text after the
 * position keeps promtool's wording, including the expression-relative `line:col: parse error:`.
 */
import { readFileSync } from 'node:fs';
import {
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseAllDocuments,
  type Node as YamlNode,
  type Pair,
  type Scalar,
  type YAMLMap,
} from 'yaml';
import { looksLikeDuration, parseDuration } from '../go/duration.js';
import { parseExpr, PromQLError, type Expr } from '../promql/index.js';
import { checkAlertTemplate } from './template/template.js';

export interface SourcePos {
  line: number;
  col: number;
}

export interface LoadedRule {
  kind: 'alert' | 'record';
  name: string;
  expr: string;
  /** Parsed and checked expression; absent when the expression has errors. */
  parsed?: Expr;
  forMs: number;
  keepFiringForMs: number;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** 1-based position within its group, as promtool numbers rules. */
  index: number;
  pos: SourcePos;
  exprPos: SourcePos;
}

export interface LoadedGroup {
  name: string;
  file: string;
  intervalMs?: number;
  queryOffsetMs?: number;
  limit?: number;
  labels: Record<string, string>;
  rules: LoadedRule[];
  pos: SourcePos;
}

export interface RuleCheckError {
  file: string;
  pos?: SourcePos;
  /** The message without file and position. */
  message: string;
}

export interface RuleFileResult {
  file: string;
  groups: LoadedGroup[];
  errors: RuleCheckError[];
}

/** One line, `file:line:col: message`. */
export function formatRuleError(e: RuleCheckError): string {
  return e.pos ? `${e.file}:${e.pos.line}:${e.pos.col}: ${e.message}` : `${e.file}: ${e.message}`;
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

const GROUP_FIELDS = new Set(['name', 'interval', 'query_offset', 'limit', 'rules', 'labels']);
const CRD_GROUP_FIELDS = new Set([...GROUP_FIELDS, 'partial_response_strategy']);
const RULE_FIELDS = new Set(['record', 'alert', 'expr', 'for', 'keep_firing_for', 'labels', 'annotations']);

/**
 * Maps each character of a scalar's value to its offset in the source. Values drop quotes, escapes,
 * indentation and folded line breaks; walking value and source together and letting whitespace runs
 * correspond keeps the mapping exact for expressions (escapes in them are rare and only shift a little).
 */
function valueOffsetMap(value: string, source: string, start: number): (i: number) => number {
  const map = new Array<number>(value.length + 1);
  let j = 0;
  const ws = (c: string | undefined): boolean => c === ' ' || c === '\n' || c === '\t' || c === '\r';
  for (let i = 0; i < value.length; i++) {
    const v = value[i];
    while (j < source.length && source[j] !== v && !(ws(v) && ws(source[j]))) j++;
    map[i] = Math.min(j, source.length);
    if (ws(v) && ws(source[j])) {
      // A folded line break in the value stands for the whole break-plus-indent run in the source.
      j++;
      if (!ws(value[i + 1])) while (j < source.length && ws(source[j])) j++;
    } else j++;
  }
  map[value.length] = Math.min(j, source.length);
  return (i) => start + (map[Math.max(0, Math.min(i, value.length))] ?? source.length);
}

class FileChecker {
  readonly errors: RuleCheckError[] = [];
  readonly groups: LoadedGroup[] = [];

  constructor(
    private readonly file: string,
    private readonly text: string,
    private readonly lc: LineCounter,
  ) {}

  pos(offset: number): SourcePos {
    const p = this.lc.linePos(offset);
    return { line: p.line, col: p.col };
  }

  nodePos(node: YamlNode | null | undefined, fallback = 0): SourcePos {
    return this.pos(node?.range?.[0] ?? fallback);
  }

  err(node: YamlNode | null | undefined, message: string, fallback = 0): void {
    this.errors.push({ file: this.file, pos: this.nodePos(node, fallback), message });
  }

  /** A scalar as the string Go's yaml would decode into a string field (numbers keep their source text). */
  scalarString(node: unknown, what: string, owner: string): string | undefined {
    if (node === null || node === undefined) return undefined;
    if (!isScalar(node)) {
      this.err(
        node as YamlNode,
        `cannot unmarshal ${isMap(node) ? '!!map' : '!!seq'} into string (${what} of ${owner})`,
      );
      return undefined;
    }
    if (node.value === null) return '';
    if (typeof node.value === 'string') return node.value;
    const [s, e] = node.range ?? [0, 0];
    return this.text.slice(s, e);
  }

  stringMap(
    node: unknown,
    what: string,
    owner: string,
  ): Array<{ key: string; value: string; keyNode: YamlNode; valueNode: YamlNode }> {
    if (node === null || node === undefined || (isScalar(node) && node.value === null)) return [];
    if (!isMap(node)) {
      this.err(node as YamlNode, `${what} must be a mapping of strings (in ${owner})`);
      return [];
    }
    const out: Array<{ key: string; value: string; keyNode: YamlNode; valueNode: YamlNode }> = [];
    for (const pair of node.items as Array<Pair<YamlNode, YamlNode>>) {
      const key = this.scalarString(pair.key, `a key in ${what}`, owner);
      const value = this.scalarString(pair.value, `${what} value`, owner) ?? '';
      if (key !== undefined) out.push({ key, value, keyNode: pair.key, valueNode: pair.value ?? pair.key });
    }
    return out;
  }

  duration(node: unknown, owner: string): number | undefined {
    if (node === undefined || node === null) return undefined;
    const s = this.scalarString(node, 'duration', owner);
    if (s === undefined) return undefined;
    const ms = parseDuration(s);
    if (ms === undefined)
      this.err(
        node as YamlNode,
        looksLikeDuration(s)
          ? `not a valid duration string: ${JSON.stringify(s)}: duration out of range`
          : `not a valid duration string: ${JSON.stringify(s)}`,
      );
    return ms;
  }

  unknownFields(map: YAMLMap, known: ReadonlySet<string>, type: string): void {
    for (const pair of map.items as Array<Pair<YamlNode, YamlNode>>) {
      const key = isScalar(pair.key) ? String((pair.key as Scalar).value) : '?';
      if (!known.has(key)) this.err(pair.key, `field ${key} not found in type ${type}`);
    }
  }

  /** `groups:` of a rule file or of a PrometheusRule's spec. */
  checkGroups(node: unknown, crd: boolean, fallback: number): void {
    if (node === undefined || node === null || (isScalar(node) && node.value === null)) return;
    if (!isSeq(node)) {
      this.err(node as YamlNode, 'groups must be a list of rule groups', fallback);
      return;
    }
    const names = new Set<string>();
    for (const g of node.items as YamlNode[]) {
      if (!isMap(g)) {
        this.err(g, 'a rule group must be a mapping');
        continue;
      }
      this.unknownFields(g, crd ? CRD_GROUP_FIELDS : GROUP_FIELDS, 'rulefmt.RuleGroup');
      const name = this.scalarString(g.get('name', true), 'name', 'group') ?? '';
      if (name === '') this.err(g, 'Groupname must not be empty');
      else if (names.has(name)) this.err(g, `groupname: "${name}" is repeated in the same file`);
      names.add(name);
      const group: LoadedGroup = {
        name,
        file: this.file,
        labels: {},
        rules: [],
        pos: this.nodePos(g),
      };
      const interval = this.duration(g.get('interval', true), `group "${name}"`);
      if (interval !== undefined) group.intervalMs = interval;
      const offset = this.duration(g.get('query_offset', true), `group "${name}"`);
      if (offset !== undefined) group.queryOffsetMs = offset;
      const limitNode = g.get('limit', true);
      if (limitNode !== undefined && limitNode !== null) {
        const lim = isScalar(limitNode) ? Number(limitNode.value) : NaN;
        if (!Number.isInteger(lim)) this.err(limitNode as YamlNode, `limit must be an integer`);
        else group.limit = lim;
      }
      for (const l of this.stringMap(g.get('labels', true), 'labels', `group "${name}"`)) {
        if (!LABEL_NAME.test(l.key) || l.key === '__name__')
          this.err(l.keyNode, `invalid label name: ${l.key}`);
        group.labels[l.key] = l.value;
      }
      const rules = g.get('rules', true);
      if (isSeq(rules)) {
        (rules.items as YamlNode[]).forEach((r, i) => this.checkRule(r, i + 1, group));
      } else if (rules !== undefined && rules !== null && !(isScalar(rules) && rules.value === null)) {
        this.err(rules as YamlNode, `rules of group "${name}" must be a list`);
      }
      this.groups.push(group);
    }
  }

  checkRule(node: YamlNode, index: number, group: LoadedGroup): void {
    if (!isMap(node)) {
      this.err(node, `group "${group.name}", rule ${index}: a rule must be a mapping`);
      return;
    }
    this.unknownFields(node, RULE_FIELDS, 'rulefmt.Rule');
    const alertNode = node.get('alert', true) as YamlNode | undefined;
    const recordNode = node.get('record', true) as YamlNode | undefined;
    const alert = this.scalarString(alertNode, 'alert', 'rule') ?? '';
    const record = this.scalarString(recordNode, 'record', 'rule') ?? '';
    const name = alert !== '' ? alert : record;
    const prefix = `group "${group.name}", rule ${index}, "${name}": `;
    const ruleErr = (n: YamlNode | undefined, msg: string): void => this.err(n ?? node, prefix + msg);

    if (alert !== '' && record !== '') ruleErr(recordNode, "only one of 'record' and 'alert' must be set");
    if (alert === '' && record === '') ruleErr(node, "one of 'record' or 'alert' must be set");

    const exprNode = node.get('expr', true) as YamlNode | undefined;
    const expr = this.scalarString(exprNode, 'expr', 'rule') ?? '';
    let parsed: Expr | undefined;
    if (expr === '') ruleErr(exprNode, "field 'expr' must be set in rule");
    else {
      try {
        parsed = parseExpr(expr);
      } catch (e) {
        if (!(e instanceof PromQLError)) throw e;
        const s = exprNode as Scalar;
        const [start, end] = s.range ?? [0, 0];
        const at = valueOffsetMap(expr, this.text.slice(start, end), start)(e.position.offset);
        this.errors.push({
          file: this.file,
          pos: this.pos(at),
          message: prefix + `could not parse expression: ${e.message}`,
        });
      }
    }
    const owner = `rule "${name}"`;
    const forMs = this.duration(node.get('for', true), owner) ?? 0;
    const keepMs = this.duration(node.get('keep_firing_for', true), owner) ?? 0;
    const labels = this.stringMap(node.get('labels', true), 'labels', owner);
    const annotations = this.stringMap(node.get('annotations', true), 'annotations', owner);

    if (record !== '') {
      if (annotations.length > 0) ruleErr(recordNode, "invalid field 'annotations' in recording rule");
      if (forMs !== 0) ruleErr(recordNode, "invalid field 'for' in recording rule");
      if (keepMs !== 0) ruleErr(recordNode, "invalid field 'keep_firing_for' in recording rule");
      if (!METRIC_NAME.test(record)) ruleErr(recordNode, `invalid recording rule name: ${record}`);
    }
    for (const l of labels) {
      if (!LABEL_NAME.test(l.key) || l.key === '__name__') ruleErr(l.keyNode, `invalid label name: ${l.key}`);
    }
    for (const a of annotations) {
      if (!LABEL_NAME.test(a.key)) ruleErr(a.keyNode, `invalid annotation name: ${a.key}`);
    }
    if (alert !== '') {
      for (const l of labels) {
        const msg = checkAlertTemplate(alert, l.value);
        if (msg) ruleErr(l.valueNode, `label "${l.key}": ${msg}`);
      }
      for (const a of annotations) {
        const msg = checkAlertTemplate(alert, a.value);
        if (msg) ruleErr(a.valueNode, `annotation "${a.key}": ${msg}`);
      }
    }
    const rule: LoadedRule = {
      kind: alert !== '' ? 'alert' : 'record',
      name,
      expr,
      forMs,
      keepFiringForMs: keepMs,
      labels: Object.fromEntries(labels.map((l) => [l.key, l.value])),
      annotations: Object.fromEntries(annotations.map((a) => [a.key, a.value])),
      index,
      pos: this.nodePos(node),
      exprPos: this.nodePos(exprNode ?? node),
    };
    if (parsed) rule.parsed = parsed;
    group.rules.push(rule);
  }
}

/**
 * Parses and validates one rule file's text. Accepts Prometheus rule files (`groups:`) and PrometheusRule
 * manifests (`apiVersion: monitoring.coreos.com/v1`, `kind: PrometheusRule`, `spec.groups`), several
 * documents per file; other Kubernetes kinds in a multi-document manifest are skipped.
 */
export function parseRuleText(text: string, file: string): RuleFileResult {
  const lc = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lc, uniqueKeys: true });
  const checker = new FileChecker(file, text, lc);
  const docList = Array.isArray(docs) ? docs : [];
  for (const doc of docList) {
    if (doc.errors.length > 0) {
      for (const e of doc.errors) {
        const off = e.pos[0];
        checker.errors.push({
          file,
          pos: checker.pos(off),
          message: `yaml: ${(e.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '')}`,
        });
      }
      continue;
    }
    const root = doc.contents;
    if (root === null || (isScalar(root) && root.value === null)) continue;
    if (!isMap(root)) {
      checker.err(root, 'a rule file must be a mapping with "groups" (or a PrometheusRule manifest)');
      continue;
    }
    const kind: unknown = root.get('kind');
    const apiVersion: unknown = root.get('apiVersion');
    if (kind !== undefined || apiVersion !== undefined) {
      if (kind !== 'PrometheusRule') continue;
      if (typeof apiVersion !== 'string' || !apiVersion.startsWith('monitoring.coreos.com/')) {
        checker.err(
          root,
          `PrometheusRule with apiVersion ${JSON.stringify(apiVersion)}: expected monitoring.coreos.com/v1`,
        );
        continue;
      }
      const spec = root.get('spec', true);
      if (!isMap(spec)) {
        checker.err(root, 'PrometheusRule without a spec mapping');
        continue;
      }
      checker.unknownFields(spec, new Set(['groups']), 'monitoringv1.PrometheusRuleSpec');
      checker.checkGroups(spec.get('groups', true), true, spec.range?.[0] ?? 0);
      continue;
    }
    checker.unknownFields(root, new Set(['groups']), 'rulefmt.RuleGroups');
    checker.checkGroups(root.get('groups', true), false, root.range?.[0] ?? 0);
  }
  return { file, groups: checker.groups, errors: checker.errors };
}

/** Reads and validates one rule file. */
export function loadRuleFile(path: string): RuleFileResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    return {
      file: path,
      groups: [],
      errors: [{ file: path, message: `cannot read: ${(e as Error).message}` }],
    };
  }
  return parseRuleText(text, path);
}

/** Counts rules the way promtool's `N rules found` does. */
export function countRules(groups: readonly LoadedGroup[]): number {
  return groups.reduce((n, g) => n + g.rules.length, 0);
}
