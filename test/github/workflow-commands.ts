/**
 * Captures the workflow commands `@actions/core` prints (`::warning::…`, `::add-mask::…`,
 * `::set-output …`) so tests can assert on what a runner would see, without mocking the toolkit
 * (its ESM namespace cannot be spied on).
 */
import { vi } from 'vitest';

export interface WorkflowCommand {
  command: string;
  properties: string;
  message: string;
}

function unescapeData(value: string): string {
  return value.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}

export interface CommandCapture {
  /** Everything written to stdout. */
  output(): string;
  commands(): WorkflowCommand[];
  messages(command: string): string[];
  restore(): void;
}

export function captureWorkflowCommands(): CommandCapture {
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  });
  const commands = (): WorkflowCommand[] =>
    chunks
      .join('')
      .split(/\r?\n/)
      .flatMap((line) => {
        const match = /^::([a-z-]+)( [^:]*)?::(.*)$/.exec(line);
        return match
          ? [
              {
                command: match[1] as string,
                properties: (match[2] ?? '').trim(),
                message: unescapeData(match[3] as string),
              },
            ]
          : [];
      });
  return {
    output: () => chunks.join(''),
    commands,
    messages: (command) =>
      commands()
        .filter((c) => c.command === command)
        .map((c) => c.message),
    restore: () => spy.mockRestore(),
  };
}
