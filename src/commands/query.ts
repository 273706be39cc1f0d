/** `flux-health query`: one PromQL expression over an exposition, at one instant. */
import { readFile } from 'node:fs/promises';
import { stringify } from 'yaml';
import { ConfigError } from '../errors.js';
import { parseInstant } from '../options.js';
import type { ApiError, ApiSuccess } from '../promql/api-json.js';
import { runQuery } from '../promql/query.js';
import { TOOL_NAME } from '../version.js';
import { HELP_HELP, helpText, outputFormat, parseCommand, type CliIO } from './args.js';

export const QUERY_HELP = helpText({
  usage: 'query [--metrics FILE] [--time T] [-o table|json|yaml] EXPR',
  about: `Evaluates a PromQL expression at one instant over a Prometheus text exposition (the metrics.prom
that 'check --out' writes, or any scrape). Range selectors, subqueries, offset and @ need stored
history and are rejected. With -o json the answer has the Prometheus HTTP API's shape, errors too.`,
  options: [
    [
      '--metrics FILE',
      "exposition to read (default: standard input, e.g. 'curl …/metrics | flux-health query …')",
    ],
    ['--time T', 'evaluation instant, RFC 3339 or Unix seconds (default: now)'],
    ['-o, --output FORMAT', 'table (default), json (the /api/v1/query answer) or yaml'],
    HELP_HELP,
  ],
  exitCodes: '0 success (an empty result too, noted on stderr), 2 a bad expression or exposition.',
});

/** `name{a="b"}  value`, one series per line, values aligned: what Prometheus's console shows. */
function table(res: ApiSuccess): string {
  const d = res.data;
  if (d.resultType !== 'vector') return `${d.result[1]}\n`;
  const rows = d.result.map((s) => {
    const { __name__: name = '', ...labels } = s.metric;
    const inner = Object.keys(labels)
      .sort()
      .map((k) => `${k}=${JSON.stringify(labels[k])}`)
      .join(', ');
    return [inner === '' && name !== '' ? name : `${name}{${inner}}`, s.value[1]] as const;
  });
  const width = Math.max(0, ...rows.map(([series]) => series.length));
  return rows.map(([series, value]) => `${series.padEnd(width)}  ${value}\n`).join('');
}

async function exposition(file: string | undefined, io: CliIO): Promise<string> {
  if (file !== undefined) {
    try {
      return await readFile(file, 'utf8');
    } catch (err) {
      throw new ConfigError(
        `--metrics: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
      );
    }
  }
  if (!io.stdin) throw new ConfigError('query: no --metrics FILE and no standard input to read');
  if (io.stdin.isTTY)
    io.stderr('reading the exposition from standard input (end with Ctrl-D; or give --metrics FILE)\n');
  const text = await io.stdin.read();
  if (text.trim() === '')
    throw new ConfigError('query: standard input was empty: pipe an exposition in, or give --metrics FILE');
  return text;
}

export async function queryCommand(args: string[], io: CliIO): Promise<number> {
  const parsed = parseCommand(
    args,
    {
      metrics: { type: 'string' },
      time: { type: 'string' },
      output: { type: 'string', short: 'o' },
    },
    'query',
    QUERY_HELP,
    io,
    true,
  );
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  const format = outputFormat(values.output, 'query');
  if (positionals.length !== 1)
    throw new ConfigError(
      `query: expected one PromQL expression, got ${positionals.length}; see '${TOOL_NAME} query --help'`,
    );
  const timeMs = values.time === undefined ? Date.now() : parseInstant(values.time, '--time').getTime();
  const text = await exposition(values.metrics, io);
  const out = runQuery(text, positionals[0] as string, timeMs);
  const answer = JSON.parse(out.json) as ApiSuccess | ApiError;
  if (format === 'json') io.stdout(out.json + '\n');
  else if (answer.status === 'error') io.stderr(`${TOOL_NAME}: query: ${answer.error}\n`);
  else io.stdout(format === 'yaml' ? stringify(answer) : table(answer));
  if (answer.status === 'success' && answer.data.resultType === 'vector' && answer.data.result.length === 0)
    io.stderr('empty result: no series matched\n');
  return out.exitCode;
}
