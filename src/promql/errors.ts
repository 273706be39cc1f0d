/** Where in an expression a problem is: byte offset (0-based, UTF-16 code units) and 1-based line:column. */
export interface Position {
  offset: number;
  line: number;
  column: number;
}

/** Computes line and column the way Prometheus reports them: 1-based, columns counted from the last newline. */
export function positionAt(text: string, offset: number): Position {
  const clamped = Math.max(0, Math.min(offset, text.length));
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < clamped; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { offset: clamped, line, column: clamped - lineStart + 1 };
}

/**
 * The only error the PromQL layer throws. `kind` separates problems found before evaluation (parse and
 * type errors, which Prometheus prefixes with `line:col: parse error:`) from evaluation errors (duplicate
 * series, unsupported range selectors), whose messages carry no prefix, as in Prometheus.
 */
export class PromQLError extends Error {
  readonly kind: 'parse' | 'evaluation';
  readonly position: Position;
  /** The message without the `line:col: parse error: ` prefix. */
  readonly detail: string;

  constructor(kind: 'parse' | 'evaluation', detail: string, position: Position) {
    super(kind === 'parse' ? `${position.line}:${position.column}: parse error: ${detail}` : detail);
    this.name = 'PromQLError';
    this.kind = kind;
    this.detail = detail;
    this.position = position;
  }
}

export function parseError(text: string, offset: number, detail: string): PromQLError {
  return new PromQLError('parse', detail, positionAt(text, offset));
}
