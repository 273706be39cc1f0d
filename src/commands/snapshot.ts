/** `flux-health snapshot`: a cluster's Flux state, saved for `check --snapshot`. */
import { acquireInventory } from '../acquire.js';
import { ConfigError } from '../errors.js';
import { writeOutputFile } from '../output-files.js';
import { renderSnapshot } from '../snapshot/write.js';
import { TOOL_NAME, VERSION } from '../version.js';
import {
  CONNECTION_FLAGS,
  CONNECTION_HELP,
  connectOptions,
  FLUX_NAMESPACE_FLAGS,
  fluxNamespaceFlag,
  HELP_HELP,
  helpText,
  NAMESPACE_HELP,
  parseCommand,
  SCOPE_FLAGS,
  SCOPE_HELP,
  scopeFlag,
  type CliIO,
} from './args.js';

export const SNAPSHOT_HELP = helpText({
  usage: 'snapshot --out FILE [-n NS]... [options]',
  about: `Saves the cluster's Flux state to a multi-document YAML file that 'check --snapshot' reads:
the Flux CRDs (without schemas), objects, controllers, nodes, Warning events, the FluxReport if any,
and a ClusterFacts document (server version, platform, node count). Secrets are never written, and
objects keep only what an audit reads: no Helm values, substitutions, patches, container env or
kubectl's last-applied copy, and URLs without credentials (see SECURITY.md). With -n the snapshot
holds those namespaces only and records its scope: 'check --snapshot' reports what lay outside them
as out of scope, as 'check -n' does.`,
  options: [
    ['--out FILE', "where to write the snapshot ('-' for stdout)"],
    ['--no-redact', 'keep whole objects (may contain credentials; prints a warning)'],
    ...CONNECTION_HELP,
    ...SCOPE_HELP,
    NAMESPACE_HELP,
    HELP_HELP,
  ],
  exitCodes:
    '0 written, 2 bad input or too few rights (CustomResourceDefinitions not readable: use -n),\n3 cluster unreachable.',
});

export async function snapshotCommand(args: string[], io: CliIO): Promise<number> {
  const parsed = parseCommand(
    args,
    {
      ...CONNECTION_FLAGS,
      ...FLUX_NAMESPACE_FLAGS,
      ...SCOPE_FLAGS,
      out: { type: 'string' },
      'no-redact': { type: 'boolean' },
    },
    'snapshot',
    SNAPSHOT_HELP,
    io,
  );
  if (!parsed) return 0;
  const { values } = parsed;
  if (!values.out)
    throw new ConfigError(`snapshot: --out FILE is required; see '${TOOL_NAME} snapshot --help'`);
  const namespaces = scopeFlag(values);
  const fluxNamespace = fluxNamespaceFlag(values, io);
  const acquired = await acquireInventory({
    source: { connect: connectOptions(values, io.env) },
    ...(fluxNamespace ? { namespace: fluxNamespace } : {}),
    ...(namespaces ? { namespaces } : {}),
    keepRaw: true,
    onProgress: (line) => io.stderr(`${line}\n`),
  });
  if (!acquired.raw) throw new Error('collection kept no raw objects');
  const unredacted = values['no-redact'] === true;
  if (unredacted)
    io.stderr(
      `warning: --no-redact keeps whole objects: Helm values, post-build substitutions, patches and URLs with credentials may be in ${values.out}; do not share it\n`,
    );
  const text = renderSnapshot(acquired.raw, acquired.inventory, `${TOOL_NAME} ${VERSION}`, { unredacted });
  if (values.out === '-') io.stdout(text);
  else {
    await writeOutputFile(values.out, text, '--out');
    io.stderr(`wrote ${acquired.inventory.objects.length} Flux objects to ${values.out}\n`);
  }
  return 0;
}
