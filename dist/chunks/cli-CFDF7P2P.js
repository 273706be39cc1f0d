import { createRequire as __fhRequire } from 'node:module'; import { fileURLToPath as __fhPath } from 'node:url'; import { dirname as __fhDir } from 'node:path'; const require = __fhRequire(import.meta.url); const __filename = __fhPath(import.meta.url); const __dirname = __fhDir(__filename);
import{a as e,b as i}from"./chunk-T5ASMH65.js";import{a,c as m,d as s,f as d}from"./chunk-OHVUAPRF.js";import"./chunk-AIDVVXDG.js";import"./chunk-K3RMK6TH.js";var c=`${e} ${i}: is Flux healthy on this cluster, and if not, what exactly is wrong?

Usage:
  ${e} check        [--snapshot FILE | connection] [-o table|json|yaml] [--out DIR]
                            report, metrics, alerts, verdict and gate
  ${e} wait         --revision REV [--reconcile] [--timeout D] [connection]
                            wait until Flux has applied REV
  ${e} snapshot     --out FILE [connection]
                            save a cluster's Flux state to audit later
  ${e} query        [--metrics FILE] [--time T] [-o table|json|yaml] EXPR
                            evaluate PromQL over an exposition (default: stdin)
  ${e} rules check  FILE...
                            validate rule files like 'promtool check rules'
  ${e} --version | --help | help COMMAND

Connection (live cluster): --kubeconfig FILE (else $KUBECONFIG, ~/.kube/config, or the in-cluster
service account) and --context NAME; --namespace NS says where Flux runs.

Exit codes: 0 success (check: the gate passed; wait: converged), 1 the gate failed (wait: failed or
timed out; rules check: a file has errors), 2 bad input or configuration, 3 cluster unreachable or
unexpected error.

Run '${e} COMMAND --help' for a command's options.
`,u={check:async()=>(await import("./check-555QRMUU.js")).checkCommand,wait:async()=>(await import("./wait-GSJ5EDLK.js")).waitCommand,snapshot:async()=>(await import("./snapshot-YIK5J2KT.js")).snapshotCommand,query:async()=>(await import("./query-IZCQX45Z.js")).queryCommand,rules:async()=>(await import("./rules-MDG2ZKXG.js")).rulesCommand};async function C(p,n){let[t,...l]=p;try{if(t===void 0)return n.stderr(c),m;if(t==="-h"||t==="--help")return n.stdout(c),a;if(t==="--version"||t==="version")return n.stdout(`${e} ${i}
`),a;if(t==="help"){let[r]=l;if(r===void 0)n.stdout(c);else{if(u[r])return await(await u[r]())(["--help"],n);throw new s(`help: unknown command "${r}"; run '${e} --help'`)}return a}let o=u[t];if(!o)throw new s(`unknown command "${t}"; run '${e} --help'`);return await(await o())(l,n)}catch(o){let{exitCode:r,message:h}=d(o);return n.stderr(`${e}: ${h}
`),r}}export{C as runCli};
