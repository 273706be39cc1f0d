/**
 * A lean composer from the `yaml` package's CST to its node classes, for the plain YAML that rule files
 * are made of: block mappings and sequences of plain, quoted and block scalars, with comments. It builds
 * the same `Scalar`/`YAMLMap`/`YAMLSeq`/`Pair` values and ranges as the package's own `Composer`, without
 * the bookkeeping a general composer needs (comments and source tokens kept for re-stringifying,
 * anchors, tags, directives). Measured on 1,000 rules it saves only some 5-10 ms of ~130: most of the
 * YAML time is the package's lexer and CST parser, which this still uses.
 *
 * Anything outside that subset, and anything the package's composer would report or warn about, makes
 * `composeRuleYaml` decline and hand back the CST; the caller runs the package's `Composer` on it, so
 * errors, their messages and their positions always come from the package itself. Checks here err on
 * the strict side: one too strict only costs speed, one too lax would change results, which is what
 * test/rules/yaml-compose.test.ts looks for (against the package, on rule files and mutations of them).
 */
import { CST, Document, isScalar, Pair, Parser, Scalar, YAMLMap, YAMLSeq, type Node as YamlNode } from 'yaml';

type Token = CST.Token;
type SourceToken = CST.SourceToken;

/** Thrown inside the walk to abandon the fast path; never escapes `composeRuleYaml`. */
class NotPlain extends Error {}

// The schema and options `parseAllDocuments(text, { uniqueKeys: true })` composes scalars with (core).
const REFERENCE = new Document(null, { uniqueKeys: true });
const SCALAR_TAGS = REFERENCE.schema.tags.filter(
  (t): t is typeof t & { test: RegExp } => t.default === true && !t.collection && t.test instanceof RegExp,
);
/**
 * Whether a plain scalar could match one of the core schema's tests (null, bool, int, float): every one
 * of them accepts only the empty string or text starting with one of these characters. Most values in
 * rule files (names, expressions, templates) do not, and skip the eight regular expressions.
 */
function mayBeTyped(value: string): boolean {
  return value === '' || '~nNtTfF0123456789+-.'.includes(value.charAt(0));
}
const NOT_PLAIN = (): never => {
  throw new NotPlain();
};

interface Props {
  found: SourceToken | undefined;
  hasNewline: boolean;
  /** Offset just past the last token (or `offset` when there are none), as resolveProps computes it. */
  end: number;
}

/**
 * The tokens before a node (item start, the `key:` separator, a document start): only white space,
 * comments and at most one `indicator`. Anchors, tags, explicit keys and tabs (whose indentation rules
 * the composer checks in detail) are left to the full composer.
 */
function props(
  tokens: readonly SourceToken[],
  indicator: string,
  startOnNewline: boolean,
  offset: number,
): Props {
  let hasSpace = startOnNewline;
  let hasNewline = false;
  let found: SourceToken | undefined;
  for (const t of tokens) {
    switch (t.type) {
      case 'space':
        if (t.source.includes('\t')) NOT_PLAIN();
        hasSpace = true;
        break;
      case 'comment':
        if (!hasSpace) NOT_PLAIN();
        break;
      case 'newline':
        hasNewline = true;
        hasSpace = true;
        break;
      default:
        if (t.type !== indicator || found) NOT_PLAIN();
        found = t;
        hasSpace = false;
    }
  }
  const last = tokens[tokens.length - 1];
  return { found, hasNewline, end: last ? last.offset + last.source.length : offset };
}

/** emptyScalarPosition: an empty value sits after the last non-blank token before it, past spaces. */
function emptyOffset(offset: number, before: readonly SourceToken[]): number {
  for (let i = before.length - 1; i >= 0; --i) {
    let st = before[i] as SourceToken;
    if (st.type === 'space' || st.type === 'comment' || st.type === 'newline') {
      offset -= st.source.length;
      continue;
    }
    st = before[++i] as SourceToken;
    while (st?.type === 'space') {
      offset += st.source.length;
      st = before[++i] as SourceToken;
    }
    break;
  }
  return offset;
}

function scalar(token: CST.FlowScalar | CST.BlockScalar): Scalar {
  // Every report, even a warning, sends the text to the full composer.
  const r = CST.resolveAsScalar(token, true, NOT_PLAIN);
  if (!r) return NOT_PLAIN();
  let node: Scalar;
  if (token.type === 'scalar' && mayBeTyped(r.value)) {
    const tag = SCALAR_TAGS.find((t) => t.test.test(r.value));
    const res: unknown = tag ? tag.resolve(r.value, NOT_PLAIN, REFERENCE.options) : r.value;
    node = isScalar(res) ? res : new Scalar(res);
  } else node = new Scalar(r.value);
  node.range = r.range;
  return node;
}

function emptyScalar(offset: number, before: readonly SourceToken[]): Scalar {
  const at = emptyOffset(offset, before);
  return scalar({ type: 'scalar', offset: at, indent: -1, source: '' });
}

function node(token: Token): YamlNode {
  switch (token.type) {
    case 'scalar':
    case 'single-quoted-scalar':
    case 'double-quoted-scalar':
    case 'block-scalar':
      return scalar(token);
    case 'block-map':
      return blockMap(token);
    case 'block-seq':
      return blockSeq(token);
    default:
      return NOT_PLAIN();
  }
}

function blockMap(bm: CST.BlockMap): YAMLMap {
  const map = new YAMLMap();
  let offset = bm.offset;
  let commentEnd: number | undefined;
  for (const item of bm.items) {
    const { start, key, sep, value } = item;
    const keyProps = props(start, '', true, offset);
    if (!sep) {
      // A comment-only line between or after items; a key without `:` is the composer's error to report.
      if (key || value) NOT_PLAIN();
      commentEnd = keyProps.end;
      continue;
    }
    if (
      !key ||
      (key.type !== 'scalar' && key.type !== 'single-quoted-scalar' && key.type !== 'double-quoted-scalar') ||
      key.indent !== bm.indent ||
      key.source.includes('\n') ||
      key.end?.some((t) => t.type === 'newline')
    )
      NOT_PLAIN();
    const keyNode = scalar(key as CST.FlowScalar);
    for (const p of map.items) {
      const k = p.key as Scalar;
      if (k === keyNode || k.value === keyNode.value) NOT_PLAIN();
    }
    const valueProps = props(sep, 'map-value-ind', false, keyNode.range?.[2] ?? offset);
    const found = valueProps.found ?? NOT_PLAIN();
    if (value?.type === 'block-map' && !valueProps.hasNewline) NOT_PLAIN();
    // strict mode's 1,024-character limit on implicit keys, checked conservatively from the key's start.
    if (found.offset - (key as CST.FlowScalar).offset > 1000) NOT_PLAIN();
    offset = valueProps.end;
    const valueNode = value ? node(value) : emptyScalar(offset, sep);
    offset = valueNode.range?.[2] ?? offset;
    map.items.push(new Pair(keyNode, valueNode));
  }
  if (commentEnd !== undefined && commentEnd < offset) NOT_PLAIN();
  map.range = [bm.offset, offset, commentEnd ?? offset];
  return map;
}

function blockSeq(bs: CST.BlockSequence): YAMLSeq {
  const seq = new YAMLSeq();
  let offset = bs.offset;
  let commentEnd: number | undefined;
  for (const { start, value } of bs.items) {
    const p = props(start, 'seq-item-ind', true, offset);
    if (!p.found) {
      if (value) NOT_PLAIN();
      commentEnd = p.end;
      continue;
    }
    const item = value ? node(value) : emptyScalar(p.end, start);
    offset = item.range?.[2] ?? offset;
    seq.items.push(item);
  }
  seq.range = [bs.offset, offset, commentEnd ?? offset];
  return seq;
}

function document(doc: CST.Document): YamlNode {
  const p = props(doc.start, 'doc-start', true, doc.offset);
  const value = doc.value;
  if (p.found && value && (value.type === 'block-map' || value.type === 'block-seq') && !p.hasNewline)
    NOT_PLAIN();
  const contents = value ? node(value) : emptyScalar(p.end, doc.start);
  let hasSpace = false;
  for (const t of doc.end ?? []) {
    if (t.type === 'space' || t.type === 'newline') hasSpace = true;
    else if (t.type !== 'comment' || !hasSpace) NOT_PLAIN();
  }
  return contents;
}

/** What `composeRuleYaml` made of a text: the documents' contents, or the CST for the full composer. */
export type ComposedYaml = { docs: YamlNode[]; tokens?: undefined } | { docs?: undefined; tokens: Token[] };

/**
 * Parses `text` once into the package's CST and composes it with the lean composer when it is plain
 * enough; otherwise (errors, warnings, or YAML features rule files rarely use) hands back the CST so
 * the caller can run the package's `Composer` on it without parsing again. `onNewLine` receives line
 * starts, as `LineCounter.addNewLine` wants them.
 */
export function composeRuleYaml(text: string, onNewLine?: (offset: number) => void): ComposedYaml {
  const docs: YamlNode[] = [];
  const tokens: Token[] = [];
  let plain = true;
  // The whole stream is read even after giving up: the full composer needs every token, the line counter
  // every line.
  for (const token of new Parser(onNewLine).parse(text)) {
    tokens.push(token);
    if (!plain) continue;
    switch (token.type) {
      case 'document':
        try {
          docs.push(document(token));
        } catch (e) {
          if (!(e instanceof NotPlain)) throw e;
          plain = false;
        }
        break;
      case 'comment':
      case 'newline':
      case 'space':
      case 'byte-order-mark':
        break;
      default:
        plain = false;
    }
  }
  return plain ? { docs } : { tokens };
}
