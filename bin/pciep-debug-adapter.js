#!/usr/bin/env node
// The pciep debug adapter: DAP on stdin/stdout (see server/src/debug/main.ts).
require('../dist/debug-adapter.js').runStdio();
