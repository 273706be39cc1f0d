import { createRequire as __fhRequire } from 'node:module'; import { fileURLToPath as __fhPath } from 'node:url'; import { dirname as __fhDir } from 'node:path'; const require = __fhRequire(import.meta.url); const __filename = __fhPath(import.meta.url); const __dirname = __fhDir(__filename);
import{a as r}from"./chunk-T5ASMH65.js";import{d as s}from"./chunk-3HYH555G.js";import{parseArgs as a}from"node:util";function f(t,n,e){try{return a({args:t,options:n,allowPositionals:!0,strict:!0})}catch(o){throw new s(`${e}: ${o.message.replace(/\.$/,"")}; see '${r} ${e} --help'`)}}function x(t){let n=Math.max(...t.options.map(([o])=>o.length))+2,e=t.options.flatMap(([o,i])=>i.split(`
`).map((p,c)=>`  ${(c===0?o:"").padEnd(n)}${p}`));return`Usage: ${r} ${t.usage}

${t.about}

Options:
${e.join(`
`)}

Exit codes: ${t.exitCodes}
`}var d={kubeconfig:{type:"string"},context:{type:"string"}},h=[["--kubeconfig FILE","kubeconfig file (default: $KUBECONFIG, then ~/.kube/config, then in-cluster)"],["--context NAME","kubeconfig context (default: the current context)"]],$=["--namespace NS",`where Flux runs (default: the snapshot's, the only namespace with Flux
controllers, else flux-system)`],m=["-h, --help","show this help"];function b(t,n){return{...t.kubeconfig!==void 0?{kubeconfigPath:t.kubeconfig}:{},...t.context!==void 0?{context:t.context}:{},env:n}}function O(t,n){let e=t??"table";if(e==="text")return"table";if(e==="table"||e==="json"||e==="yaml")return e;let o=/[/\\]/.test(e)?` (write files with --out ${e})`:"";throw new s(`${n}: --output must be table, json or yaml, not "${e.slice(0,60)}"${o}`)}function E(t,n){if(t.length>0)throw new s(`${n}: unexpected argument "${t[0]}"; see '${r} ${n} --help'`)}export{f as a,x as b,d as c,h as d,$ as e,m as f,b as g,O as h,E as i};
