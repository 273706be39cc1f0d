/**
 * One measured run of our `collect()` over `KubeClient`, as the CLI runs it (connect from a
 * kubeconfig file, default page size and concurrency unless told). See once-common.ts.
 */
import { collect } from '../src/cluster/collect.js';
import { connect } from '../src/cluster/connect.js';
import { KubeClient } from '../src/cluster/kube-client.js';
import { MB, cpuMsSince, onceArgs, peakRssMB, report } from './once-common.js';

report(async () => {
  const { kubeconfigPath, namespace, pageSize, concurrency } = onceArgs();
  const conn = connect({ kubeconfigPath });
  const client = new KubeClient(conn.kc, conn.server);
  const baseRssMB = process.memoryUsage().rss / MB;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const { inventory } = await collect(client, { namespace, pageSize, concurrency });
  const wallMs = performance.now() - t0;
  const cpuMs = cpuMsSince(cpu0);
  client.close();
  return {
    mode: 'collect',
    objects: inventory.objects.length,
    wallMs,
    cpuMs,
    requests: client.requests,
    baseRssMB,
    maxRssMB: peakRssMB(),
  };
});
