#!/usr/bin/env -S node --max-semi-space-size=64
require('../dist/cli.js').main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
