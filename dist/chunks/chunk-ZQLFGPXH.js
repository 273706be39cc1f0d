import { createRequire as __fhRequire } from 'node:module'; import { fileURLToPath as __fhPath } from 'node:url'; import { dirname as __fhDir } from 'node:path'; const require = __fhRequire(import.meta.url); const __filename = __fhPath(import.meta.url); const __dirname = __fhDir(__filename);
import{c as x,d as b,e as h,f as g}from"./chunk-NGHKF7HJ.js";function S(n){return{markdown:n}}function m(n){return typeof n=="object"&&n!==null&&typeof n.markdown=="string"}function k(n,e){return m(n)?n.markdown:x(n,e)}function z(...n){return S(n.map(e=>k(e)).join(""))}function N(n){return S(g(n))}function O(n,e){return`${"#".repeat(n)} ${k(e,{newline:"space"})}`}function T(...n){return z(...n).markdown}function U(n){return n.map(e=>`- ${k(e)}`).join(`
`)}function M(n){let e="",r=0;for(let t of n)t==="|"&&r%2===0&&(e+="\\"),e+=t,r=t==="\\"?r+1:0;return e}function y(n){return m(n)?M(n.markdown.replace(/\r?\n/g," ")):b(n)}function A(n,e,r=[]){let t=n.length,a=n.map((i,c)=>{switch(r[c]){case"center":return":---:";case"right":return"---:";default:return"---"}}),l=i=>`| ${i.join(" | ")} |`,u=e.map(i=>{let c=[];for(let s=0;s<t;s++){let p=i[s];c.push(p===void 0?"":y(p))}return l(c)});return[l(n.map(y)),l(a),...u].join(`
`)}function H(n,e,r={}){let t=m(n)?n.markdown:h(n);return`<details${r.open?" open":""}><summary>${t}</summary>

${e}

</details>`}function C(...n){return n.filter(e=>typeof e=="string"&&e!=="").join(`

`)}function d(n,e){return e==="bytes"?Buffer.byteLength(n,"utf8"):n.length}function w(n,e,r){let t=r?`full report in the artifact ${g(r)}`:"full report in the output directory";return`\u2026 truncated: ${n} more ${e}; ${t}`}var I=/^ {0,3}(`{3,}|~{3,})(.*)$/;function j(n,e){if(n.fence!==void 0){let u=I.exec(e),i=u?.[1];return i!==void 0&&i[0]===n.fence[0]&&i.length>=n.fence.length&&(u?.[2]??"").trim()===""?{details:n.details}:n}let r=I.exec(e),t=r?.[1];if(t!==void 0&&!(t[0]==="`"&&(r?.[2]??"").includes("`")))return{fence:t,details:n.details};let a=e.match(/<details[\s>]/g)?.length??0,l=e.match(/<\/details>/g)?.length??0;return{details:Math.max(0,n.details+a-l)}}function B(n){let e=n.fence!==void 0?`
${n.fence}`:"";for(let r=0;r<n.details;r++)e+=`

</details>`;return e}function E(n,e,r={}){let t=r.unit??"bytes",a=d(n,t);if(a<=e)return{text:n,truncated:!1,omitted:0};let l=n.split(`
`),u=(o,f,$)=>B($)+(o>0?`

`:"")+w(a-f,t,r.artifactName),i={details:0},c=0,s;d(u(0,0,i),t)<=e&&(s={kept:0,size:0,state:i});for(let o=0;o<l.length;o++){let f=l[o];if(c+=d(f,t)+(o>0?1:0),i=j(i,f),c>e)break;c+d(u(o+1,c,i),t)<=e&&(s={kept:o+1,size:c,state:i})}if(s===void 0){let o=w(a,t,r.artifactName);for(;o!==""&&d(o,t)>e;)o=Array.from(o).slice(0,-1).join("");return{text:o,truncated:!0,omitted:a}}return{text:l.slice(0,s.kept).join(`
`)+u(s.kept,s.size,s.state),truncated:!0,omitted:a-s.size}}export{S as a,z as b,N as c,O as d,T as e,U as f,A as g,H as h,C as i,d as j,E as k};
