/**
 * Run and Debug for `.pciep` files: F5 works without a launch.json (the provider fills in the
 * active file), and the adapter runs inline in the extension host by default or as the
 * `pciep-debug-adapter` process. The adapter bundle is loaded only when a session starts, so it
 * costs nothing at activation.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';

const TYPE = 'pciep';

function defaultConfig(uri?: vscode.Uri): vscode.DebugConfiguration {
  return {
    type: TYPE, request: 'launch', name: uri ? `Emulate ${path.basename(uri.fsPath)}` : 'Emulate bring-up',
    program: uri ? uri.fsPath : '${file}', stopOnEntry: true, stopOnKernelError: true,
  };
}

class ConfigurationProvider implements vscode.DebugConfigurationProvider {
  provideDebugConfigurations(): vscode.DebugConfiguration[] {
    const doc = vscode.window.activeTextEditor?.document;
    return [defaultConfig(doc?.languageId === 'pciep' ? doc.uri : undefined)];
  }

  resolveDebugConfiguration(_folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): vscode.DebugConfiguration | undefined {
    if (!config.type && !config.request && !config.name) {
      const doc = vscode.window.activeTextEditor?.document;
      if (doc?.languageId !== 'pciep') {
        void vscode.window.showInformationMessage('PCI EP: open a .pciep file to start an emulated bring-up.');
        return undefined;
      }
      return defaultConfig(doc.uri);
    }
    if (!config.program) {
      void vscode.window.showErrorMessage('PCI EP: the launch configuration needs a "program" (.pciep file).');
      return undefined;
    }
    const c = vscode.workspace.getConfiguration('pciep');
    config.kernel ??= c.get<string>('kernel');
    if (!config.platform && c.get<string>('defaultPlatform')) config.platform = c.get<string>('defaultPlatform');
    return config;
  }
}

interface InlineSessionModule {
  PciepDebugSession: new () => vscode.DebugAdapter;
}

class AdapterFactory implements vscode.DebugAdapterDescriptorFactory {
  constructor(private readonly context: vscode.ExtensionContext) {}

  createDebugAdapterDescriptor(): vscode.DebugAdapterDescriptor {
    const bundle = this.context.asAbsolutePath(path.join('dist', 'debug-adapter.js'));
    if (vscode.workspace.getConfiguration('pciep').get('debug.adapter') === 'executable') {
      return new vscode.DebugAdapterExecutable(process.execPath, [bundle]);
    }
    // A plain require of the bundle built next to this one; loaded on the first session only.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy load keeps activation short
    const mod = require(bundle) as InlineSessionModule;
    return new vscode.DebugAdapterInlineImplementation(new mod.PciepDebugSession());
  }
}

export function registerDebugging(context: vscode.ExtensionContext): void {
  const provider = new ConfigurationProvider();
  context.subscriptions.push(
    vscode.debug.registerDebugConfigurationProvider(TYPE, provider),
    vscode.debug.registerDebugConfigurationProvider(TYPE, provider, vscode.DebugConfigurationProviderTriggerKind.Dynamic),
    vscode.debug.registerDebugAdapterDescriptorFactory(TYPE, new AdapterFactory(context)),
  );
}
