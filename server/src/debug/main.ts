/**
 * Entry of dist/debug-adapter.js. Run directly (`node dist/debug-adapter.js`, as VS Code does for
 * `debuggers[].program`, or through bin/pciep-debug-adapter.js) it speaks DAP on stdio; required
 * from the extension it only exports the session class for the inline adapter (vscode-anchors 3.2).
 */
import { PciepDebugSession, runStdio } from './session';

export { PciepDebugSession, runStdio };

if (require.main === module) runStdio();
