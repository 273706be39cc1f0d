#!/usr/bin/env node
// The CLI ships inside the committed bundle, so it runs with nothing installed.
globalThis[Symbol.for('flux-health.cli')] = true;
await import('../dist/index.js');
