#!/usr/bin/env node
// The CLI ships as the committed bundle, so it runs with nothing installed.
import '../dist/cli/index.js';
