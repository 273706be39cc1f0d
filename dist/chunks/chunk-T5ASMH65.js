import { createRequire as __fhRequire } from 'node:module'; import { fileURLToPath as __fhPath } from 'node:url'; import { dirname as __fhDir } from 'node:path'; const require = __fhRequire(import.meta.url); const __filename = __fhPath(import.meta.url); const __dirname = __fhDir(__filename);
var t="flux-health",o="0.1.0";export{t as a,o as b};
