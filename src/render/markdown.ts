/**
 * Small builders for the GitHub-flavoured Markdown of the job summary and the pull-request
 * comment. They are safe by default: a plain `string` argument is treated as untrusted text and
 * escaped for its context; Markdown we wrote ourselves is passed as {@link Markdown} (see
 * {@link md}) and used verbatim. Builders return Markdown source as a `string` block.
 */
import { codeSpan, escapeCell, escapeHtml, escapeInline, type InlineOptions } from '../text/escape.js';

/** Markdown (or inline HTML) written by this program, to be used verbatim. */
export interface Markdown {
  readonly markdown: string;
}

/** Marks text as trusted Markdown written by this program. Never pass cluster strings here. */
export function md(markdown: string): Markdown {
  return { markdown };
}

/** Untrusted text (escaped for its context) or trusted Markdown (verbatim). */
export type Inline = string | Markdown;

function isMarkdown(value: Inline): value is Markdown {
  return typeof value === 'object' && value !== null && typeof value.markdown === 'string';
}

/** Renders one inline value: trusted Markdown verbatim, anything else escaped. */
export function inline(value: Inline, options?: InlineOptions): string {
  return isMarkdown(value) ? value.markdown : escapeInline(value, options);
}

/** Concatenates inline values into one line of Markdown. */
export function text(...parts: Inline[]): Markdown {
  return md(parts.map((part) => inline(part)).join(''));
}

/** An inline code span around untrusted text. */
export function code(value: string): Markdown {
  return md(codeSpan(value));
}

/** Bold trusted or untrusted text. */
export function bold(value: Inline): Markdown {
  return md(`**${inline(value)}**`);
}

export type HeadingLevel = 1 | 2 | 3 | 4 | 5 | 6;

export function heading(level: HeadingLevel, value: Inline): string {
  return `${'#'.repeat(level)} ${inline(value, { newline: 'space' })}`;
}

export function paragraph(...parts: Inline[]): string {
  return text(...parts).markdown;
}

export function bulletList(items: readonly Inline[]): string {
  return items.map((item) => `- ${inline(item)}`).join('\n');
}

export type Alignment = 'left' | 'center' | 'right';

/** Escapes every `|` not already escaped (preceded by an odd number of backslashes). */
export function escapePipes(markdown: string): string {
  let out = '';
  let backslashes = 0;
  for (const char of markdown) {
    if (char === '|' && backslashes % 2 === 0) out += '\\';
    out += char;
    backslashes = char === '\\' ? backslashes + 1 : 0;
  }
  return out;
}

/** Escapes an untrusted cell; a trusted one only has its line breaks and unescaped pipes fixed. */
function cell(value: Inline): string {
  if (!isMarkdown(value)) return escapeCell(value);
  return escapePipes(value.markdown.replace(/\r?\n/g, ' '));
}

/**
 * A GFM table. Rows shorter than the header are padded with empty cells; longer rows are cut,
 * since GitHub drops extra cells anyway.
 */
export function table(
  header: readonly Inline[],
  rows: readonly (readonly Inline[])[],
  align: readonly Alignment[] = [],
): string {
  const width = header.length;
  const rule = header.map((_, i) => {
    switch (align[i]) {
      case 'center':
        return ':---:';
      case 'right':
        return '---:';
      default:
        return '---';
    }
  });
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  const body = rows.map((row) => {
    const cells: string[] = [];
    for (let i = 0; i < width; i++) {
      const value = row[i];
      cells.push(value === undefined ? '' : cell(value));
    }
    return line(cells);
  });
  return [line(header.map(cell)), line(rule), ...body].join('\n');
}

/**
 * A collapsible `<details>` block. The summary label is raw HTML context (escaped as HTML when
 * untrusted); the body is Markdown, separated by blank lines so GitHub renders it.
 */
export function details(summary: Inline, body: string, options: { open?: boolean } = {}): string {
  const label = isMarkdown(summary) ? summary.markdown : escapeHtml(summary);
  return `<details${options.open ? ' open' : ''}><summary>${label}</summary>\n\n${body}\n\n</details>`;
}

/** Joins blocks with blank lines, leaving out empty ones. */
export function joinBlocks(...blocks: readonly (string | undefined | null | false)[]): string {
  return blocks.filter((block): block is string => typeof block === 'string' && block !== '').join('\n\n');
}

export type SizeUnit = 'bytes' | 'characters';

/** Size as GitHub counts it: UTF-8 bytes for the job summary, characters for comments. */
export function measure(value: string, unit: SizeUnit): number {
  // UTF-16 code units are never fewer than code points, so this errs on the safe side.
  return unit === 'bytes' ? Buffer.byteLength(value, 'utf8') : value.length;
}

export interface TruncateOptions {
  unit?: SizeUnit;
  /** Named in the notice as the place to find the full report. */
  artifactName?: string;
}

export interface Truncated {
  text: string;
  truncated: boolean;
  /** How much of the input (in `unit`) was left out. */
  omitted: number;
}

/** The notice appended to a truncated document. */
export function truncationNotice(omitted: number, unit: SizeUnit, artifactName?: string): string {
  const where = artifactName
    ? `full report in the artifact ${codeSpan(artifactName)}`
    : 'full report in the output directory';
  return `… truncated: ${omitted} more ${unit}; ${where}`;
}

interface BlockState {
  /** The open code fence (its characters), if the line is inside one. */
  fence?: string;
  /** How many `<details>` are open. */
  details: number;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;

function nextState(state: BlockState, line: string): BlockState {
  if (state.fence !== undefined) {
    const closing = FENCE.exec(line);
    const marks = closing?.[1];
    if (
      marks !== undefined &&
      marks[0] === state.fence[0] &&
      marks.length >= state.fence.length &&
      (closing?.[2] ?? '').trim() === ''
    ) {
      return { details: state.details };
    }
    return state;
  }
  const opening = FENCE.exec(line);
  const marks = opening?.[1];
  if (marks !== undefined && !(marks[0] === '`' && (opening?.[2] ?? '').includes('`'))) {
    return { fence: marks, details: state.details };
  }
  const opened = line.match(/<details[\s>]/g)?.length ?? 0;
  const closed = line.match(/<\/details>/g)?.length ?? 0;
  return { details: Math.max(0, state.details + opened - closed) };
}

/** What must follow a cut so that the notice is not swallowed by an open fence or details. */
function closers(state: BlockState): string {
  let out = state.fence !== undefined ? `\n${state.fence}` : '';
  for (let i = 0; i < state.details; i++) out += '\n\n</details>';
  return out;
}

/**
 * Cuts a Markdown document on a line boundary so that it, the closers of any code fence or
 * `<details>` left open, and the truncation notice fit in `limit` (in `unit`). A document that
 * already fits is returned unchanged.
 */
export function truncateMarkdown(doc: string, limit: number, options: TruncateOptions = {}): Truncated {
  const unit = options.unit ?? 'bytes';
  const total = measure(doc, unit);
  if (total <= limit) return { text: doc, truncated: false, omitted: 0 };

  const lines = doc.split('\n');
  const tailFor = (kept: number, prefixSize: number, at: BlockState): string =>
    closers(at) + (kept > 0 ? '\n\n' : '') + truncationNotice(total - prefixSize, unit, options.artifactName);
  let state: BlockState = { details: 0 };
  let keptSize = 0;
  // Cutting before the first line (only the notice) is the fallback.
  let best: { kept: number; size: number; state: BlockState } | undefined;
  if (measure(tailFor(0, 0, state), unit) <= limit) best = { kept: 0, size: 0, state };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    keptSize += measure(line, unit) + (i > 0 ? 1 : 0);
    state = nextState(state, line);
    // Sizes only grow, so once the prefix alone is over the limit no later cut can fit.
    if (keptSize > limit) break;
    if (keptSize + measure(tailFor(i + 1, keptSize, state), unit) <= limit) {
      best = { kept: i + 1, size: keptSize, state };
    }
  }
  if (best === undefined) {
    // Not even the notice fits: a limit this small is a caller error, but stay within it.
    let notice = truncationNotice(total, unit, options.artifactName);
    while (notice !== '' && measure(notice, unit) > limit) notice = Array.from(notice).slice(0, -1).join('');
    return { text: notice, truncated: true, omitted: total };
  }
  const text = lines.slice(0, best.kept).join('\n') + tailFor(best.kept, best.size, best.state);
  return { text, truncated: true, omitted: total - best.size };
}
