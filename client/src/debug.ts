/**
 * Run and Debug for `.pciep` files: F5 works without a launch.json (the provider fills in the
 * active file), and the adapter runs inline in the extension host by default or as the
 * `pciep-debug-adapter` process. The adapter bundle is loaded only when a session starts, so it
 * costs nothing at activation.
 *
 * The session runs the text the editor has when the document is not a file (untitled, virtual
 * workspaces) or has unsaved changes: the rules, and why, are in launch-config.ts.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { adapterPathFor, isUriString, launchConfigFor, mapPaths, programName, programOf, type PciepLaunchConfig } from './launch-config';

const TYPE = 'pciep';

function defaultConfig(uri?: vscode.Uri): vscode.DebugConfiguration {
  return {
    type: TYPE, request: 'launch', name: uri ? `Emulate ${programName(uri)}` : 'Emulate bring-up',
    program: uri ? programOf(uri) : '${file}', stopOnEntry: true, stopOnKernelError: true,
  };
}

function inlineAdapter(): boolean {
  return vscode.workspace.getConfiguration('pciep').get('debug.adapter') !== 'executable';
}

function samePath(a: string, b: string): boolean {
  const [x, y] = [path.resolve(a), path.resolve(b)];
  return process.platform === 'win32' ? x.toLowerCase() === y.toLowerCase() : x === y;
}

/**
 * The document a launch configuration's `program` names, if VS Code has it open: by URI (a URI
 * string), by path for files, and by the path part of a document in a virtual workspace (what
 * `${file}` and `${workspaceFolder}` turn into there).
 */
function openDocument(program: string, folder?: vscode.WorkspaceFolder): vscode.TextDocument | undefined {
  const docs = vscode.workspace.textDocuments;
  if (isUriString(program)) {
    const uri = vscode.Uri.parse(program).toString();
    return docs.find((d) => d.uri.toString() === uri);
  }
  return docs.find((d) => d.uri.scheme === 'file' && samePath(d.uri.fsPath, program))
    ?? docs.find((d) => d.uri.scheme !== 'file' && (!folder || d.uri.scheme === folder.uri.scheme) && (d.uri.path === program || d.uri.fsPath === program));
}

/** The URI of a program that is not open: a URI string, or a path inside a workspace folder that is not on disk. */
function programUri(program: string, folder?: vscode.WorkspaceFolder): vscode.Uri | undefined {
  if (isUriString(program)) return vscode.Uri.parse(program);
  const virtual = folder && folder.uri.scheme !== 'file' ? folder : vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme !== 'file');
  if (!virtual) return undefined;
  const posix = program.replace(/\\/g, '/');
  return posix.startsWith('/') ? virtual.uri.with({ path: posix }) : vscode.Uri.joinPath(virtual.uri, posix);
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

  /** With `${file}` and the like substituted: the program's text from the editor where the rules say so. */
  async resolveDebugConfigurationWithSubstitutedVariables(folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): Promise<vscode.DebugConfiguration | undefined> {
    if (typeof config.program !== 'string' || !config.program) return config;
    let program = config.program;
    if (isUriString(program) && vscode.Uri.parse(program).scheme === 'file') program = config.program = vscode.Uri.parse(program).fsPath;
    let doc = openDocument(program, folder);
    const uri = doc ? undefined : programUri(program, folder);
    if (uri && uri.scheme !== 'file') {
      // Not a file and not open (a launch.json naming a file of a virtual workspace): read it through VS Code.
      try {
        doc = await vscode.workspace.openTextDocument(uri);
      } catch (e) {
        void vscode.window.showErrorMessage(`PCI EP: cannot read ${program}: ${e instanceof Error ? e.message : String(e)}`);
        return undefined;
      }
    }
    return launchConfigFor(config, doc, { dirtyFiles: inlineAdapter() });
  }
}

interface InlineSessionModule {
  PciepDebugSession: new () => vscode.DebugAdapter;
}

interface Request { type?: unknown; command?: unknown; arguments?: unknown }

/**
 * The inline adapter as VS Code sees it: on `launch` and `restart` the program's text is taken
 * from the editor again (launch-config.ts: a restart must not replay the text of the first launch),
 * and a program that is not a file is given to the adapter under a stand-in path, mapped back to
 * its URI in every message in both directions.
 */
class EditorTextAdapter implements vscode.DebugAdapter {
  private readonly sent = new vscode.EventEmitter<vscode.DebugProtocolMessage>();
  readonly onDidSendMessage = this.sent.event;
  private readonly subscription: vscode.Disposable;
  /** The program's URI (client side) and its stand-in path (adapter side), for a program that is not a file. */
  private paths: { client: string; adapter: string } | undefined;
  private last: PciepLaunchConfig | undefined;

  constructor(private readonly inner: vscode.DebugAdapter) {
    this.subscription = inner.onDidSendMessage((m) => this.sent.fire(this.paths ? mapPaths(m, this.paths.adapter, this.paths.client) : m));
  }

  handleMessage(message: vscode.DebugProtocolMessage): void {
    const m = message as Request;
    if (m.type === 'request' && m.command === 'launch' && isConfig(m.arguments)) {
      message = { ...m, arguments: this.forAdapter(m.arguments) };
    } else if (m.type === 'request' && m.command === 'restart' && (m.arguments === undefined || m.arguments === null || typeof m.arguments === 'object')) {
      // RestartArguments.arguments is the configuration to relaunch with (optional: then the last one).
      const args = (m.arguments ?? {}) as { arguments?: unknown };
      const config = isConfig(args.arguments) ? args.arguments : this.last;
      if (config) message = { ...m, arguments: { ...args, arguments: this.forAdapter(config) } };
    } else if (this.paths) {
      message = mapPaths(message, this.paths.client, this.paths.adapter);
    }
    this.inner.handleMessage(message);
  }

  private forAdapter(config: PciepLaunchConfig): PciepLaunchConfig {
    if (typeof config.program !== 'string') return config;
    const fresh = launchConfigFor(config, openDocument(config.program), { dirtyFiles: true });
    this.last = fresh;
    const program = fresh.program as string;
    this.paths = isUriString(program) && vscode.Uri.parse(program).scheme !== 'file'
      ? { client: program, adapter: adapterPathFor(vscode.Uri.parse(program)) }
      : undefined;
    return this.paths ? { ...fresh, program: this.paths.adapter } : fresh;
  }

  dispose(): void {
    this.subscription.dispose();
    this.inner.dispose();
    this.sent.dispose();
  }
}

function isConfig(v: unknown): v is PciepLaunchConfig {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

class AdapterFactory implements vscode.DebugAdapterDescriptorFactory {
  constructor(private readonly context: vscode.ExtensionContext) {}

  createDebugAdapterDescriptor(session: vscode.DebugSession): vscode.DebugAdapterDescriptor {
    const bundle = this.context.asAbsolutePath(path.join('dist', 'debug-adapter.js'));
    // The executable adapter knows paths only: a program that is not a file is debugged inline.
    const program = String(session.configuration.program ?? '');
    const notAFile = isUriString(program) && vscode.Uri.parse(program).scheme !== 'file';
    if (!inlineAdapter() && !notAFile) {
      return new vscode.DebugAdapterExecutable(process.execPath, [bundle]);
    }
    // A plain require of the bundle built next to this one; loaded on the first session only.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy load keeps activation short
    const mod = require(bundle) as InlineSessionModule;
    return new vscode.DebugAdapterInlineImplementation(new EditorTextAdapter(new mod.PciepDebugSession()));
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
