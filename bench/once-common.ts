/**
 * What bench/collect-once.ts, kubeclient-once.ts, raw-once.ts and client-node-once.ts share: their
 * arguments and the one JSON line each prints. Each runs in its own process (bundled by esbuild, as
 * dist/ is) so that the peak RSS (`process.resourceUsage().maxRSS`) belongs to one measured
 * collection alone.
 *
 *   node <bundle> --kubeconfig FILE [--namespace flux-system] [--page-size 500] [--concurrency 4]
 *                 [--keep-alive]   (client-node-once only: one shared keep-alive agent)
 *                 [--identity]     (client-node-once only: Accept-Encoding: identity, no gzip)
 */
import { parseArgs } from 'node:util';

/**
 * The measured programs: our collect(), our KubeClient alone, the raw floor, and client-node as
 * documented / with a keep-alive agent.
 */
export type OnceMode = 'collect' | 'kubeclient' | 'raw' | 'client-node' | 'client-node-ka';

export interface OnceResult {
  mode: OnceMode;
  objects: number;
  wallMs: number;
  /** CPU time (user + system) of the process during the measured work. */
  cpuMs: number;
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
  keepAlive: boolean;
  /** client-node-once only: ask for uncompressed answers, as KubeClient and the raw floor get. */
  identity: boolean;
}

export function onceArgs(argv: string[] = process.argv.slice(2)): OnceArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      kubeconfig: { type: 'string' },
      namespace: { type: 'string', default: 'flux-system' },
      'page-size': { type: 'string', default: '500' },
      concurrency: { type: 'string', default: '4' },
      'keep-alive': { type: 'boolean', default: false },
      identity: { type: 'boolean', default: false },
    },
  });
  if (!values.kubeconfig) throw new Error('--kubeconfig is required');
  return {
    kubeconfigPath: values.kubeconfig,
    namespace: values.namespace ?? 'flux-system',
    pageSize: Number(values['page-size']),
    concurrency: Number(values.concurrency),
    keepAlive: values['keep-alive'] ?? false,
    identity: values.identity ?? false,
  };
}

export const MB = 1024 * 1024;

/** Peak RSS so far in MB (maxRSS is in kilobytes). */
export const peakRssMB = (): number => (process.resourceUsage().maxRSS * 1024) / MB;

/** CPU milliseconds (user + system) since `start`, a `process.cpuUsage()` reading. */
export const cpuMsSince = (start: NodeJS.CpuUsage): number => {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
};

/** Runs the measurement and prints its line (no top-level await: ncc, which once bundled these, rejected it). */
export function report(run: () => Promise<OnceResult>): void {
  run().then(
    (result) => process.stdout.write(JSON.stringify(result) + '\n'),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
