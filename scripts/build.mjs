// Bundles each entry point with esbuild into dist/: one file per executable, no runtime deps
// beyond Node (and the `vscode` module for the client, which VS Code provides).
import { build } from 'esbuild';

const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'warning' };
const entries = [
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] },
  { entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' },
  { entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js' },
  { entryPoints: ['server/src/debug/main.ts'], outfile: 'dist/debug-adapter.js' },
];
const minify = process.argv.includes('--minify');
await Promise.all(entries.map((e) => build({ ...common, ...e, minify })));
