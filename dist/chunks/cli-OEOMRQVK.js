import { createRequire as __fhRequire } from 'node:module'; import { fileURLToPath as __fhPath } from 'node:url'; import { dirname as __fhDir } from 'node:path'; const require = __fhRequire(import.meta.url); const __filename = __fhPath(import.meta.url); const __dirname = __fhDir(__filename);
import{a as e,b as i}from"./chunk-T5ASMH65.js";import{a as o,c as u,d as s,g as d}from"./chunk-OBL5WN2N.js";import"./chunk-NGHKF7HJ.js";import"./chunk-K3RMK6TH.js";var c=`${e} ${i}: is Flux healthy on this cluster, and if not, what exactly is wrong?

Usage:
  ${e} check        [--snapshot FILE | connection] [-o table|json|yaml] [--out DIR]
                            report, metrics, alerts, verdict and gate
  ${e} wait         --revision REV [--reconcile] [--timeout D] [connection]
                            wait until Flux has applied REV
  ${e} snapshot     --out FILE [-n NS]... [connection]
                            save a cluster's Flux state to audit later
  ${e} query        [--metrics FILE] [--time T] [-o table|json|yaml] EXPR
                            evaluate PromQL over an exposition (default: stdin)
  ${e} rules check  FILE...
                            validate rule files like 'promtool check rules'
  ${e} fleet        DIR... [--revision REV] [-o markdown|json]
                            many clusters' runs side by side: verdicts, Flux versions, revisions
  ${e} --version | --help | help COMMAND

Connection (live cluster): --kubeconfig FILE (else $KUBECONFIG, ~/.kube/config, or the in-cluster
service account) and --context NAME; --flux-namespace NS says where Flux runs. -n NS (check and
snapshot; repeatable) reads only the namespaces given, for an identity limited to them.

Exit codes: 0 success (check: the gate passed; wait: converged), 1 the gate failed (wait: failed or
timed out; rules check: a file has errors; fleet: a cluster failed its gate), 2 bad input or
configuration, 3 cluster unreachable or unexpected error.

Run '${e} COMMAND --help' for a command's options.
`,l={check:async()=>(await import("./check-IRHQIOFP.js")).checkCommand,wait:async()=>(await import("./wait-W5VK7J5T.js")).waitCommand,snapshot:async()=>(await import("./snapshot-Z2V3WPON.js")).snapshotCommand,query:async()=>(await import("./query-N5GQAXRN.js")).queryCommand,rules:async()=>(await import("./rules-GFAVPOJ6.js")).rulesCommand,fleet:async()=>(await import("./fleet-I2PQB57C.js")).fleetCommand};async function y(p,n){let[t,...m]=p;try{if(t===void 0)return n.stderr(c),u;if(t==="-h"||t==="--help")return n.stdout(c),o;if(t==="--version"||t==="version")return n.stdout(`${e} ${i}
`),o;if(t==="help"){let[r]=m;if(r===void 0)n.stdout(c);else{if(l[r])return await(await l[r]())(["--help"],n);throw new s(`help: unknown command "${r}"; run '${e} --help'`)}return o}let a=l[t];if(!a)throw new s(`unknown command "${t}"; run '${e} --help'`);return await(await a())(m,n)}catch(a){let{exitCode:r,message:h}=d(a);return n.stderr(`${e}: ${h}
`),r}}export{y as runCli};
