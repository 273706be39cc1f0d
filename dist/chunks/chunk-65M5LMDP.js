import { createRequire as __fhRequire } from 'node:module'; import { fileURLToPath as __fhPath } from 'node:url'; import { dirname as __fhDir } from 'node:path'; const require = __fhRequire(import.meta.url); const __filename = __fhPath(import.meta.url); const __dirname = __fhDir(__filename);
import{a as i}from"./chunk-T5ASMH65.js";import{c}from"./chunk-PSYTF7XK.js";import{d as o}from"./chunk-OBL5WN2N.js";import{parseArgs as l}from"node:util";function u(e,n,t){try{return l({args:e,options:n,allowPositionals:!0,strict:!0})}catch(s){throw new o(`${t}: ${s.message.replace(/\.$/,"")}; see '${i} ${t} --help'`)}}function h(e,n,t,s,a,p=!1){let r=u(e,{...n,help:{type:"boolean",short:"h"}},t);if(r.values.help){a.stdout(s);return}return p||f(r.positionals,t),r}function O(e){let n=Math.max(...e.options.map(([s])=>s.length))+2,t=e.options.flatMap(([s,a])=>a.split(`
`).map((p,r)=>`  ${(r===0?s:"").padEnd(n)}${p}`));return`Usage: ${i} ${e.usage}

${e.about}

Options:
${t.join(`
`)}

Exit codes: ${e.exitCodes}
`}var b={kubeconfig:{type:"string"},context:{type:"string"}},y=[["--kubeconfig FILE","kubeconfig file (default: $KUBECONFIG, then ~/.kube/config, then in-cluster)"],["--context NAME","kubeconfig context (default: the current context)"]],E=["--flux-namespace NS",`where Flux runs (default: the snapshot's, the only namespace with Flux
controllers, else flux-system); --namespace NS is its older spelling`],$={"flux-namespace":{type:"string"},namespace:{type:"string"}};function C(e,n){let[t,s]=[e["flux-namespace"],e.namespace];if(t!==void 0&&s!==void 0&&t!==s)throw new o("--namespace is the older spelling of --flux-namespace: give one of them");return s!==void 0&&t===void 0&&n.stderr(`note: --namespace ${s.slice(0,63)} says where Flux runs (also --flux-namespace); -n/--namespaces limits the check to some namespaces
`),t??s}var N={namespaces:{type:"string",short:"n",multiple:!0},"all-namespaces":{type:"boolean",short:"A"}},w=[["-n, --namespaces NS",`check only the Flux objects of these namespaces (repeatable, or comma-
separated), for an identity limited to them; what lies outside is out of
scope, not forbidden (examples/rbac/tenant-role.yaml)`],["-A, --all-namespaces","check every namespace (the default)"]];function P(e){let n=c(e.namespaces??[],"--namespaces");if(n&&e["all-namespaces"])throw new o("-A/--all-namespaces and -n/--namespaces contradict each other: give one");return n}var A=["-h, --help","show this help"];function F(e,n){return{...e.kubeconfig!==void 0?{kubeconfigPath:e.kubeconfig}:{},...e.context!==void 0?{context:e.context}:{},env:n}}function k(e,n){let t=e??"table";if(t==="text")return"table";if(t==="table"||t==="json"||t==="yaml")return t;let s=/[/\\]/.test(t)?` (write files with --out ${t})`:"";throw new o(`${n}: --output must be table, json or yaml, not "${t.slice(0,60)}"${s}`)}function f(e,n){if(e.length>0)throw new o(`${n}: unexpected argument "${e[0]}"; see '${i} ${n} --help'`)}export{h as a,O as b,b as c,y as d,E as e,$ as f,C as g,N as h,w as i,P as j,A as k,F as l,k as m};
