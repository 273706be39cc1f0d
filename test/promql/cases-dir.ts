// Where scripts/setup/promql-cases.sh puts Prometheus's promqltest files: all of them, from the module at
// this version (keep VERSION there in step).
import { homedir } from 'node:os';
import { join } from 'node:path';

export const PROMQL_CASES_VERSION = 'v0.316.0';

export function promqlCasesDir(env: NodeJS.ProcessEnv = process.env): string {
  const cache = env['FLUX_HEALTH_CACHE'] ?? join(homedir(), '.cache', 'flux-health');
  return join(cache, 'promql-cases', PROMQL_CASES_VERSION);
}
