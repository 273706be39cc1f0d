import { createRequire as __fhRequire } from 'node:module'; import { fileURLToPath as __fhPath } from 'node:url'; import { dirname as __fhDir } from 'node:path'; const require = __fhRequire(import.meta.url); const __filename = __fhPath(import.meta.url); const __dirname = __fhDir(__filename);
import{a as i}from"./chunk-T5ASMH65.js";import{d as r}from"./chunk-OHVUAPRF.js";import{parseArgs as c}from"node:util";function u(t,n,e){try{return c({args:t,options:n,allowPositionals:!0,strict:!0})}catch(o){throw new r(`${e}: ${o.message.replace(/\.$/,"")}; see '${i} ${e} --help'`)}}function d(t,n,e,o,p,a=!1){let s=u(t,{...n,help:{type:"boolean",short:"h"}},e);if(s.values.help){p.stdout(o);return}return a||l(s.positionals,e),s}function h(t){let n=Math.max(...t.options.map(([o])=>o.length))+2,e=t.options.flatMap(([o,p])=>p.split(`
`).map((a,s)=>`  ${(s===0?o:"").padEnd(n)}${a}`));return`Usage: ${i} ${t.usage}

${t.about}

Options:
${e.join(`
`)}

Exit codes: ${t.exitCodes}
`}var O={kubeconfig:{type:"string"},context:{type:"string"}},b=[["--kubeconfig FILE","kubeconfig file (default: $KUBECONFIG, then ~/.kube/config, then in-cluster)"],["--context NAME","kubeconfig context (default: the current context)"]],$=["--namespace NS",`where Flux runs (default: the snapshot's, the only namespace with Flux
controllers, else flux-system)`],m=["-h, --help","show this help"];function E(t,n){return{...t.kubeconfig!==void 0?{kubeconfigPath:t.kubeconfig}:{},...t.context!==void 0?{context:t.context}:{},env:n}}function C(t,n){let e=t??"table";if(e==="text")return"table";if(e==="table"||e==="json"||e==="yaml")return e;let o=/[/\\]/.test(e)?` (write files with --out ${e})`:"";throw new r(`${n}: --output must be table, json or yaml, not "${e.slice(0,60)}"${o}`)}function l(t,n){if(t.length>0)throw new r(`${n}: unexpected argument "${t[0]}"; see '${i} ${n} --help'`)}export{d as a,h as b,O as c,b as d,$ as e,m as f,E as g,C as h};
