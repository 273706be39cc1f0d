/**
 * JSON text of a value, indented, with every bidi control and line/paragraph separator written as
 * a `\uXXXX` escape: the same data, but a terminal or editor showing the file cannot be made to
 * display it reordered. (JSON.stringify already escapes the C0 control characters.)
 */
export function jsonText(value: unknown): string {
  return (
    JSON.stringify(value, null, 2).replace(
      /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069\u2028\u2029]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    ) + '\n'
  );
}
