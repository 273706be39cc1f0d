/**
 * A stand-in for `@actions/core`, as the typescript-action template tests the action: inputs come
 * from a map, and every output, secret, log line and failure is recorded for assertions.
 */
export interface FakeCore {
  inputs: Record<string, string>;
  outputs: Record<string, string>;
  secrets: string[];
  failed: string[];
  log: { level: 'info' | 'warning' | 'error' | 'group'; line: string; title?: string }[];
  summary: string;
}

export const fake: FakeCore = { inputs: {}, outputs: {}, secrets: [], failed: [], log: [], summary: '' };

export function resetFake(inputs: Record<string, string>): void {
  Object.assign(fake, { inputs, outputs: {}, secrets: [], failed: [], log: [], summary: '' });
}

export const coreModule = {
  getInput: (name: string, opts?: { trimWhitespace?: boolean }): string => {
    const v = fake.inputs[name] ?? '';
    return opts?.trimWhitespace === false ? v : v.trim();
  },
  getMultilineInput: (name: string): string[] =>
    (fake.inputs[name] ?? '')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== ''),
  setSecret: (s: string): void => void fake.secrets.push(s),
  setOutput: (name: string, value: string): void => void (fake.outputs[name] = value),
  setFailed: (message: string): void => void fake.failed.push(message),
  info: (line: string): void => void fake.log.push({ level: 'info', line }),
  warning: (line: string, props?: { title?: string }): void =>
    void fake.log.push({ level: 'warning', line, ...(props?.title ? { title: props.title } : {}) }),
  error: (line: string, props?: { title?: string }): void =>
    void fake.log.push({ level: 'error', line, ...(props?.title ? { title: props.title } : {}) }),
  startGroup: (title: string): void => void fake.log.push({ level: 'group', line: title }),
  endGroup: (): void => undefined,
  group: <T>(_title: string, fn: () => Promise<T>): Promise<T> => fn(),
  summary: {
    addRaw(text: string) {
      fake.summary += text;
      return this;
    },
    write: async () => undefined,
    emptyBuffer: () => undefined,
  },
};
