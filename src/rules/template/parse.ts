/**
 * Lexer and parser for the subset of Go's text/template that Prometheus alert templates use. The tree and
 * the error texts follow Go's text/template/parse so that `rules check` reports what promtool reports
 * (`template: __alert_X:1: unclosed action`).
 */
import { UnquoteError, unquote } from '../../go/strings.js';

export class TemplateParseError extends Error {
  constructor(
    readonly templateName: string,
    readonly line: number,
    readonly detail: string,
  ) {
    super(`template: ${templateName}:${line}: ${detail}`);
    this.name = 'TemplateParseError';
  }
}

// ---------------------------------------------------------------------------------------------------
// Lexer

type TokKind =
  | 'text'
  | 'left'
  | 'right'
  | 'space'
  | 'ident'
  | 'field'
  | 'variable'
  | 'string'
  | 'rawstring'
  | 'char'
  | 'number'
  | 'bool'
  | 'nil'
  | 'dot'
  | 'pipe'
  | 'declare'
  | 'assign'
  | 'lparen'
  | 'rparen'
  | 'comma'
  | 'keyword'
  | 'eof';

interface Token {
  kind: TokKind;
  text: string;
  pos: number;
  line: number;
}

const KEYWORDS = new Set([
  'if',
  'else',
  'end',
  'range',
  'with',
  'break',
  'continue',
  'define',
  'template',
  'block',
]);
const SPACE = /[ \t\r\n]/;

function isUnicodeSpace(c: string): boolean {
  return /[\s\u0085]/.test(c);
}

function lex(name: string, text: string): Token[] {
  const toks: Token[] = [];
  let pos = 0;
  let line = 1;
  const lineAt = (p: number): number => {
    // Lines are counted incrementally as positions only grow.
    for (let i = lastLinePos; i < p; i++) if (text.charCodeAt(i) === 10) line++;
    lastLinePos = Math.max(lastLinePos, p);
    return line;
  };
  let lastLinePos = 0;
  const fail = (p: number, msg: string): never => {
    throw new TemplateParseError(name, lineAt(p), msg);
  };
  let trimNextText = false;
  // Token start for push(); one closure per template rather than one per character.
  let start = 0;
  const push = (kind: TokKind, end: number): void => {
    toks.push({ kind, text: text.slice(start, end), pos: start, line: lineAt(start) });
    pos = end;
  };
  while (pos <= text.length) {
    const open = text.indexOf('{{', pos);
    const chunkEnd = open < 0 ? text.length : open;
    const trimLeft = open >= 0 && text[open + 2] === '-' && SPACE.test(text[open + 3] ?? '');
    let chunk = text.slice(pos, chunkEnd);
    const chunkPos = pos;
    if (trimNextText) chunk = chunk.replace(/^[ \t\r\n]+/, '');
    if (trimLeft) chunk = chunk.replace(/[ \t\r\n]+$/, '');
    if (chunk.length > 0) toks.push({ kind: 'text', text: chunk, pos: chunkPos, line: lineAt(chunkPos) });
    trimNextText = false;
    if (open < 0) break;
    pos = open + 2 + (trimLeft ? 2 : 0);
    const actionStart = open;
    // Comments.
    if (text.startsWith('/*', pos)) {
      const end = text.indexOf('*/', pos + 2);
      if (end < 0) fail(actionStart, 'unclosed comment');
      let after = end + 2;
      let trimRight = false;
      if (SPACE.test(text[after] ?? '') && text.startsWith('-}}', after + 1)) {
        trimRight = true;
        after += 1;
      }
      if (trimRight) after += 1;
      if (!text.startsWith('}}', after)) fail(end, 'comment ends before closing delimiter');
      lineAt(after);
      pos = after + 2;
      trimNextText = trimRight;
      continue;
    }
    toks.push({ kind: 'left', text: '{{', pos: actionStart, line: lineAt(actionStart) });
    let parenDepth = 0;
    for (;;) {
      // Right delimiter, with or without trim marker.
      if (SPACE.test(text[pos] ?? '') && text.startsWith('-}}', pos + 1)) {
        if (parenDepth > 0) fail(pos, 'unclosed left paren');
        toks.push({ kind: 'right', text: '}}', pos, line: lineAt(pos) });
        pos += 4;
        trimNextText = true;
        break;
      }
      if (text.startsWith('}}', pos)) {
        if (parenDepth > 0) fail(pos, 'unclosed left paren');
        toks.push({ kind: 'right', text: '}}', pos, line: lineAt(pos) });
        pos += 2;
        break;
      }
      if (pos >= text.length) fail(pos, 'unclosed action');
      const c = text[pos] as string;
      start = pos;
      if (SPACE.test(c)) {
        // Stop before a space that starts the ` -}}` trim marker so the delimiter check sees it.
        let e = pos;
        while (e < text.length && SPACE.test(text[e] as string) && !text.startsWith('-}}', e + 1)) e++;
        push('space', e);
        continue;
      }
      if (c === '=') {
        push('assign', pos + 1);
        continue;
      }
      if (c === ':') {
        if (text[pos + 1] !== '=') fail(pos, 'expected :=');
        push('declare', pos + 2);
        continue;
      }
      if (c === '|') {
        push('pipe', pos + 1);
        continue;
      }
      if (c === ',') {
        push('comma', pos + 1);
        continue;
      }
      if (c === '(') {
        parenDepth++;
        push('lparen', pos + 1);
        continue;
      }
      if (c === ')') {
        parenDepth--;
        if (parenDepth < 0) fail(pos, `unexpected right paren`);
        push('rparen', pos + 1);
        continue;
      }
      if (c === '"') {
        let e = pos + 1;
        for (;;) {
          const d = text[e];
          if (d === undefined || d === '\n') fail(pos, 'unterminated quoted string');
          if (d === '\\') e += 2;
          else if (d === '"') break;
          else e++;
        }
        push('string', e + 1);
        continue;
      }
      if (c === '`') {
        const e = text.indexOf('`', pos + 1);
        if (e < 0) fail(pos, 'unterminated raw quoted string');
        push('rawstring', e + 1);
        continue;
      }
      if (c === "'") {
        let e = pos + 1;
        for (;;) {
          const d = text[e];
          if (d === undefined || d === '\n') fail(pos, 'unterminated character constant');
          if (d === '\\') e += 2;
          else if (d === "'") break;
          else e++;
        }
        push('char', e + 1);
        continue;
      }
      if (c === '$') {
        const m = /^\$[\p{L}\d_]*/u.exec(text.slice(pos));
        push('variable', pos + (m as RegExpExecArray)[0].length);
        continue;
      }
      if (c === '.') {
        const next = text[pos + 1] ?? '';
        if (/\d/.test(next)) {
          push('number', pos + numberLength(text.slice(pos)));
          continue;
        }
        const m = /^\.[\p{L}\d_]*/u.exec(text.slice(pos)) as RegExpExecArray;
        push(m[0] === '.' ? 'dot' : 'field', pos + m[0].length);
        continue;
      }
      if (/[\d+-]/.test(c)) {
        const rest = text.slice(pos);
        const len = numberLength(rest);
        const word = /^[+-]?[\w.]*/.exec(rest) as RegExpExecArray;
        if (len === 0 || /^[+-]?$/.test(rest.slice(0, len)) || word[0].length > len) {
          fail(pos, `bad number syntax: "${word[0] || c}"`);
        }
        push('number', pos + len);
        continue;
      }
      if (/[\p{L}_]/u.test(c)) {
        const m = /^[\p{L}\d_]+/u.exec(text.slice(pos)) as RegExpExecArray;
        const word = m[0];
        const kind: TokKind = KEYWORDS.has(word)
          ? 'keyword'
          : word === 'true' || word === 'false'
            ? 'bool'
            : word === 'nil'
              ? 'nil'
              : 'ident';
        push(kind, pos + word.length);
        continue;
      }
      fail(
        pos,
        `unrecognized character in action: U+${(c.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0')}${isUnicodeSpace(c) ? '' : ` '${c}'`}`,
      );
    }
  }
  toks.push({ kind: 'eof', text: '', pos: text.length, line: lineAt(text.length) });
  return toks;
}

function numberLength(s: string): number {
  const m =
    /^[+-]?(?:0[xX][\da-fA-F_]*(?:\.[\da-fA-F_]*)?(?:[pP][+-]?\d+)?|[\d_]*\.?[\d_]*(?:[eE][+-]?\d+)?)/.exec(
      s,
    );
  return m ? m[0].length : s.length;
}

// ---------------------------------------------------------------------------------------------------
// Tree

export interface Pos {
  pos: number;
  line: number;
}

export type Arg =
  | ({ kind: 'field'; names: string[] } & Pos)
  | ({ kind: 'variable'; name: string; fields: string[] } & Pos)
  | ({ kind: 'chain'; node: Arg; fields: string[] } & Pos)
  | ({ kind: 'dot' } & Pos)
  | ({ kind: 'nil' } & Pos)
  | ({ kind: 'bool'; value: boolean } & Pos)
  | ({ kind: 'number'; text: string; int?: bigint; float?: number; isFloatText: boolean } & Pos)
  | ({ kind: 'string'; value: string } & Pos)
  | ({ kind: 'identifier'; name: string } & Pos)
  | ({ kind: 'pipe'; pipe: Pipe } & Pos);

export interface Command extends Pos {
  args: Arg[];
}

export interface Pipe extends Pos {
  decl: string[];
  isAssign: boolean;
  cmds: Command[];
}

export type TNode =
  | ({ kind: 'text'; text: string } & Pos)
  | ({ kind: 'action'; pipe: Pipe } & Pos)
  | ({ kind: 'if' | 'with'; pipe: Pipe; list: TNode[]; elseList?: TNode[] } & Pos)
  | ({ kind: 'range'; pipe: Pipe; list: TNode[]; elseList?: TNode[] } & Pos)
  | ({ kind: 'break' | 'continue' } & Pos);

export interface ParsedTemplate {
  name: string;
  text: string;
  root: TNode[];
}

/** Go's strconv.Unquote, as text/template reads string constants; undefined where Go reports an error. */
function unquoteConstant(lit: string): string | undefined {
  try {
    return unquote(lit);
  } catch (e) {
    if (e instanceof UnquoteError) return undefined;
    throw e;
  }
}

/**
 * A character constant (`'a'`, `'\n'`, `'\xff'`) as Go's parser reads it: strconv.UnquoteChar takes one
 * character or escape, where `\xff` is the code point 255 rather than a byte, and anything after it makes
 * the constant malformed.
 */
function charConstant(text: string): { cp: number } | { error: string } {
  const body = text.slice(1, -1);
  const unit = CHAR_UNIT.exec(body)?.[0];
  if (unit === undefined) return { error: 'invalid syntax' };
  let cp: number | undefined;
  const byte = /^\\(?:x([0-9a-fA-F]{2})|([0-7]{3}))$/.exec(unit);
  if (byte) cp = byte[1] !== undefined ? parseInt(byte[1], 16) : parseInt(byte[2] as string, 8);
  else cp = unquoteConstant(`'${unit}'`)?.codePointAt(0);
  if (cp === undefined || cp > 0x10ffff || (byte && cp > 255)) return { error: 'invalid syntax' };
  if (unit.length < body.length) return { error: `malformed character constant: ${text}` };
  return { cp };
}

/** The first character or escape of a character constant, complete or not (Go then reports it). */
const CHAR_UNIT = /^(?:\\(?:x[0-9a-fA-F]{2}|[0-7]{3}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[^])|[^])/u;

class Parser {
  private i = 0;
  /** Variable scopes; `$` is always defined. */
  private vars: string[] = ['$'];
  private rangeDepth = 0;

  constructor(
    private readonly name: string,
    private readonly toks: Token[],
    private readonly funcs: ReadonlySet<string>,
  ) {}

  private fail(tok: Token, msg: string): never {
    throw new TemplateParseError(this.name, tok.line, msg);
  }

  private peek(): Token {
    return this.toks[this.i] as Token;
  }
  private next(): Token {
    return this.toks[this.i++] as Token;
  }
  private peekNonSpace(): Token {
    while (this.peek().kind === 'space') this.i++;
    return this.peek();
  }
  private nextNonSpace(): Token {
    this.peekNonSpace();
    return this.next();
  }

  parse(): TNode[] {
    const { list, end } = this.itemList(true);
    if (end) this.fail(end, `unexpected ${describeEnd(end)}`);
    return list;
  }

  /** Parses nodes until {{end}}/{{else}} (returned) or EOF (allowed only at top level). */
  private itemList(top: boolean): { list: TNode[]; end?: Token; endWord?: string } {
    const list: TNode[] = [];
    for (;;) {
      const t = this.next();
      if (t.kind === 'eof') {
        if (!top) this.fail(t, 'unexpected EOF');
        return { list };
      }
      if (t.kind === 'text') {
        list.push({ kind: 'text', text: t.text, pos: t.pos, line: t.line });
        continue;
      }
      // left delimiter
      const k = this.peekNonSpace();
      if (k.kind === 'keyword' && (k.text === 'end' || k.text === 'else')) {
        this.next();
        return { list, end: k, endWord: k.text };
      }
      list.push(this.action(t));
    }
  }

  private action(left: Token): TNode {
    const k = this.peekNonSpace();
    if (k.kind === 'keyword') {
      this.next();
      switch (k.text) {
        case 'if':
        case 'with':
        case 'range':
          return this.control(k.text, left);
        case 'break':
        case 'continue':
          if (this.rangeDepth === 0) this.fail(k, `{{${k.text}}} outside {{range}}`);
          this.expectRight(k.text);
          return { kind: k.text, pos: k.pos, line: k.line };
        default:
          this.fail(
            k,
            `unsupported action {{${k.text}}}: define, template and block are not available in alert templates`,
          );
      }
    }
    const pipe = this.pipeline('command', 'right');
    return { kind: 'action', pipe, pos: left.pos, line: left.line };
  }

  private expectRight(context: string): void {
    const t = this.nextNonSpace();
    if (t.kind !== 'right') this.fail(t, `unexpected ${describe(t)} in ${context}`);
  }

  private control(kind: 'if' | 'with' | 'range', left: Token): TNode {
    const scope = this.vars.length;
    const pipe = this.pipeline(kind, 'right');
    if (kind === 'range') this.rangeDepth++;
    const first = this.itemList(false);
    if (kind === 'range') this.rangeDepth--;
    let elseList: TNode[] | undefined;
    if (first.endWord === 'else') {
      // `{{else if …}}` / `{{else with …}}` nest a new control inside the else branch.
      const nt = this.peekNonSpace();
      if (
        (kind === 'if' && nt.kind === 'keyword' && nt.text === 'if') ||
        (kind === 'with' && nt.kind === 'keyword' && nt.text === 'with')
      ) {
        this.next();
        elseList = [this.control(kind, nt)];
        this.vars.length = scope;
        return { kind, pipe, list: first.list, elseList, pos: left.pos, line: left.line };
      }
      this.expectRight('else');
      const second = this.itemList(false);
      if (second.endWord !== 'end') this.fail(second.end as Token, 'expected end; found {{else}}');
      this.expectRight('end');
      elseList = second.list;
    } else {
      this.expectRight('end');
    }
    this.vars.length = scope;
    const node = { kind, pipe, list: first.list, pos: left.pos, line: left.line } as TNode;
    if (elseList) (node as { elseList?: TNode[] }).elseList = elseList;
    return node;
  }

  private pipeline(context: string, end: 'right' | 'rparen'): Pipe {
    const start = this.peekNonSpace();
    const pipe: Pipe = { decl: [], isAssign: false, cmds: [], pos: start.pos, line: start.line };
    // Declarations: `$x :=`, `$x =`, `$i, $e :=` (range only).
    if (start.kind === 'variable') {
      const save = this.i;
      const v = this.next();
      const nt = this.peekNonSpace();
      if (nt.kind === 'declare' || nt.kind === 'assign') {
        this.next();
        pipe.decl.push(v.text);
        pipe.isAssign = nt.kind === 'assign';
        if (pipe.isAssign && !this.vars.includes(v.text)) this.fail(v, `undefined variable "${v.text}"`);
      } else if (nt.kind === 'comma' && context === 'range') {
        this.next();
        const v2 = this.nextNonSpace();
        if (v2.kind !== 'variable') this.fail(v2, `range can only initialize variables`);
        const op = this.nextNonSpace();
        if (op.kind !== 'declare' && op.kind !== 'assign') this.fail(op, 'missing := or = in range');
        pipe.decl.push(v.text, v2.text);
        pipe.isAssign = op.kind === 'assign';
      } else {
        this.i = save;
      }
    }
    for (;;) {
      const t = this.peekNonSpace();
      if ((end === 'right' && t.kind === 'right') || (end === 'rparen' && t.kind === 'rparen')) {
        this.next();
        break;
      }
      if (t.kind === 'eof' || t.kind === 'right' || t.kind === 'rparen')
        this.fail(t, `unexpected ${describe(t)} in operand`);
      pipe.cmds.push(this.command(end));
      const after = this.peekNonSpace();
      if (after.kind === 'pipe') {
        this.next();
        const nt = this.peekNonSpace();
        if (nt.kind === 'right' || nt.kind === 'rparen') this.fail(nt, 'missing command');
      }
    }
    if (pipe.cmds.length === 0) this.fail(start, `missing value for ${context}`);
    // Declared variables become visible after the pipeline.
    if (!pipe.isAssign) for (const d of pipe.decl) this.vars.push(d);
    for (let c = 1; c < pipe.cmds.length; c++) {
      const first = (pipe.cmds[c] as Command).args[0];
      if (first && ['bool', 'dot', 'nil', 'number', 'string'].includes(first.kind))
        this.fail(start, `non executable command in pipeline stage ${c + 1}`);
    }
    return pipe;
  }

  private command(end: 'right' | 'rparen'): Command {
    const first = this.peekNonSpace();
    const cmd: Command = { args: [], pos: first.pos, line: first.line };
    for (;;) {
      this.peekNonSpace();
      const t = this.peek();
      if (t.kind === 'pipe' || t.kind === 'right' || t.kind === 'rparen') {
        if (t.kind === 'rparen' && end === 'right') this.fail(t, 'unexpected right paren');
        break;
      }
      cmd.args.push(this.operand());
      const sep = this.peek();
      if (sep.kind !== 'space' && sep.kind !== 'pipe' && sep.kind !== 'right' && sep.kind !== 'rparen')
        this.fail(sep, `unexpected ${describe(sep)} in operand`);
    }
    if (cmd.args.length === 0) this.fail(first, 'empty command');
    return cmd;
  }

  private operand(): Arg {
    const term = this.term();
    const fields: string[] = [];
    while (this.peek().kind === 'field') fields.push(this.next().text.slice(1));
    if (fields.length === 0) return term;
    switch (term.kind) {
      case 'field':
        return { ...term, names: [...term.names, ...fields] };
      case 'variable':
        return { ...term, fields: [...term.fields, ...fields] };
      case 'bool':
      case 'string':
      case 'number':
      case 'nil':
      case 'dot':
        this.fail(this.toks[this.i - 1] as Token, `unexpected . after term "${termText(term)}"`);
      // falls through: fail() never returns
      default:
        return { kind: 'chain', node: term, fields, pos: term.pos, line: term.line };
    }
  }

  private term(): Arg {
    const t = this.next();
    const at = { pos: t.pos, line: t.line };
    switch (t.kind) {
      case 'ident':
        if (!this.funcs.has(t.text)) this.fail(t, `function "${t.text}" not defined`);
        return { kind: 'identifier', name: t.text, ...at };
      case 'dot':
        return { kind: 'dot', ...at };
      case 'nil':
        return { kind: 'nil', ...at };
      case 'variable':
        if (!this.vars.includes(t.text)) this.fail(t, `undefined variable "${t.text}"`);
        return { kind: 'variable', name: t.text, fields: [], ...at };
      case 'field':
        return { kind: 'field', names: [t.text.slice(1)], ...at };
      case 'bool':
        return { kind: 'bool', value: t.text === 'true', ...at };
      case 'char':
      case 'number':
        return this.number(t);
      case 'string':
      case 'rawstring': {
        const v = unquoteConstant(t.text);
        if (v === undefined) this.fail(t, `invalid syntax`);
        return { kind: 'string', value: v, ...at };
      }
      case 'lparen': {
        const pipe = this.pipeline('parenthesized pipeline', 'rparen');
        return { kind: 'pipe', pipe, ...at };
      }
      default:
        return this.fail(t, `unexpected ${describe(t)} in operand`);
    }
  }

  private number(t: Token): Arg {
    const at = { pos: t.pos, line: t.line };
    if (t.kind === 'char') {
      const c = charConstant(t.text);
      if ('error' in c) return this.fail(t, c.error);
      return {
        kind: 'number',
        text: t.text,
        int: BigInt(c.cp),
        isFloatText: false,
        ...at,
      };
    }
    const text = t.text.replace(/_/g, '');
    let int: bigint | undefined;
    let float: number | undefined;
    const m = /^([+-]?)(0[xX][\da-fA-F]+|0[oO]?[0-7]+|0[bB][01]+|\d+)$/.exec(text);
    if (m) {
      const body = m[2] as string;
      const normalized = /^0[0-7]/.test(body) ? '0o' + body.slice(1) : body.replace(/^0O/, '0o');
      try {
        int = BigInt(normalized) * (m[1] === '-' ? -1n : 1n);
        float = Number(int);
      } catch {
        int = undefined;
      }
    }
    if (int === undefined) {
      if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) {
        float = Number(text);
        if (Number.isInteger(float) && Math.abs(float) < 2 ** 63) int = BigInt(float);
      } else this.fail(t, `bad number syntax: "${t.text}"`);
    }
    const node: Arg = {
      kind: 'number',
      text: t.text,
      isFloatText: /[.eEpP]/.test(t.text) && !/^[+-]?0[xX]/.test(t.text),
      ...at,
    };
    if (int !== undefined) node.int = int;
    if (float !== undefined) node.float = float;
    return node;
  }
}

function describe(t: Token): string {
  switch (t.kind) {
    case 'eof':
      return 'EOF';
    case 'right':
      return '"}}"';
    case 'rparen':
      return '")"';
    case 'lparen':
      return '"("';
    case 'space':
      return 'space';
    default:
      return `<${t.text}>`;
  }
}

function describeEnd(t: Token): string {
  return `{{${t.text}}}`;
}

function termText(a: Arg): string {
  switch (a.kind) {
    case 'bool':
      return String(a.value);
    case 'string':
      return JSON.stringify(a.value);
    case 'number':
      return a.text;
    case 'nil':
      return 'nil';
    default:
      return '.';
  }
}

/** Parses a template; throws TemplateParseError with Go's text. `funcs` are the names callable in it. */
export function parseTemplate(name: string, text: string, funcs: ReadonlySet<string>): ParsedTemplate {
  const toks = lex(name, text);
  const root = new Parser(name, toks, funcs).parse();
  return { name, text, root };
}

/** Source text of an operand, for runtime error context (`at <…>`). */
export function argString(a: Arg): string {
  switch (a.kind) {
    case 'field':
      return a.names.map((n) => '.' + n).join('');
    case 'variable':
      return a.name + a.fields.map((n) => '.' + n).join('');
    case 'chain':
      return argString(a.node) + a.fields.map((n) => '.' + n).join('');
    case 'dot':
      return '.';
    case 'nil':
      return 'nil';
    case 'bool':
      return String(a.value);
    case 'number':
      return a.text;
    case 'string':
      return JSON.stringify(a.value);
    case 'identifier':
      return a.name;
    case 'pipe':
      return '(' + pipeString(a.pipe) + ')';
  }
}

export function commandString(c: Command): string {
  return c.args.map(argString).join(' ');
}

export function pipeString(p: Pipe): string {
  const decl = p.decl.length > 0 ? p.decl.join(', ') + (p.isAssign ? ' = ' : ' := ') : '';
  return decl + p.cmds.map(commandString).join(' | ');
}
