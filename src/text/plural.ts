/** `1 object`, `2 objects`, `3 kinds`: counts in the sentences people read. */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}
