/**
 * What bench/collect-once.ts and bench/raw-once.ts share: their arguments and the one JSON line
 * each prints. Both run in their own process (bundled by ncc, as dist/ is) so that the peak RSS
 * (`process.resourceUsage().maxRSS`) belongs to one measured collection alone.
 *
 *   node <bundle> --kubeconfig FILE [--namespace flux-system] [--page-size 500] [--concurrency 4]
 */
import { parseArgs } from 'node:util';

export interface OnceResult {
  mode: 'collect' | 'raw';
  objects: number;
  wallMs: number;
  requests: number;
  /** Response bytes (raw only; KubeClient does not count them). */
  bytes?: number;
  /** RSS after loading the code, before the work: the process's fixed cost. */
  baseRssMB: number;
  /** Peak RSS of the whole process. */
  maxRssMB: number;
}

export interface OnceArgs {
  kubeconfigPath: string;
  namespace: string;
  pageSize: number;
  concurrency: number;
}

export function onceArgs(argv: string[] = process.argv.slice(2)): OnceArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      kubeconfig: { type: 'string' },
      namespace: { type: 'string', default: 'flux-system' },
      'page-size': { type: 'string', default: '500' },
      concurrency: { type: 'string', default: '4' },
    },
  });
  if (!values.kubeconfig) throw new Error('--kubeconfig is required');
  return {
    kubeconfigPath: values.kubeconfig,
    namespace: values.namespace ?? 'flux-system',
    pageSize: Number(values['page-size']),
    concurrency: Number(values.concurrency),
  };
}

export const MB = 1024 * 1024;

/** Peak RSS so far in MB (maxRSS is in kilobytes). */
export const peakRssMB = (): number => (process.resourceUsage().maxRSS * 1024) / MB;

/** Runs the measurement and prints its line; no top-level await, which ncc rejects. */
export function report(run: () => Promise<OnceResult>): void {
  run().then(
    (result) => process.stdout.write(JSON.stringify(result) + '\n'),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
