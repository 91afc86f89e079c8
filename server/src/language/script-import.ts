/**
 * Configfs shell script → `.pciep` (DESIGN.md section 2, "other file forms").
 *
 * Reads what the kernel's endpoint howtos and real bring-up scripts do: `cd` into the pci_ep tree,
 * shell variables (`EPC=…`, `"$F/vendorid"`, `${EPC:-default}`), `mkdir [-p]`, `echo`/`printf`
 * writes (also through `| tee`), `ln -s`, `rm`/`unlink`, `rmdir`. It is a small model of sh, not a
 * shell: anything it cannot evaluate with certainty is kept as a `# (not imported) …` comment with
 * a warning, so nothing is silently dropped and nothing is guessed.
 *
 * The `# [platform/…]` / `# [host…]` comment blocks and `# [dir]` section markers written by
 * script-export.ts become real sections again, so `.pciep` → script → `.pciep` loses nothing.
 */
import * as nodePath from 'node:path';
import { parse } from './parser';
import { CONFIGFS_ROOT } from './paths';
import { SCRIPT_BANNER, SKIPPED_PREFIX, isForeignSection } from './script-export';
import { type LogicalLine, readLogicalLine } from './script-import/logical-lines';
import { Emitter, isKernelDirectory } from './script-import/pciep-emitter';
import {
  CLOSERS, type Command, type Item, KEYWORDS, OPENERS, type Redirect, assignmentName, commandName,
  isFunctionDefinition, parseItems,
} from './script-import/shell-commands';
import { Lexer, type Part, type Token, type Word, literal } from './script-import/shell-lexer';

export interface ImportWarning {
  /** 1-based line of the script. */
  line: number;
  message: string;
}

export interface ImportResult {
  text: string;
  warnings: ImportWarning[];
}

export interface ImportOptions {
  /** Where pci_ep lives on the board the script was written for; /sys/kernel/config/pci_ep by default. */
  root?: string;
}

const NOT_IMPORTED = '# (not imported) ';
/** Longest value a variable expansion may produce: PAGE_SIZE / PATH_MAX (see Importer.expand). */
const MAX_EXPANSION = 4096;
const posix = nodePath.posix;

/** The commands import models; every other command is kept as a comment. */
const BUILTINS = new Set(['cd', 'pushd', 'popd', 'export', 'readonly', 'local', 'set', 'true', ':', 'mkdir', 'ln', 'rm', 'unlink', 'rmdir', 'mount']);

// ---- the importer -----------------------------------------------------------------------------

type Outcome = { ok: true } | { ok: false; message: string };

const OK: Outcome = { ok: true };

function fail(message: string): Outcome {
  return { ok: false, message };
}

type Expanded = { ok: true; text: string } | { ok: false; message: string };

/** Runs the script's lines through a model of sh that knows variables, the cwd and configfs writes. */
class Importer {
  readonly out = new Emitter();
  readonly warnings: ImportWarning[] = [];
  private readonly vars = new Map<string, string>();
  /** Variables whose value import cannot know, with why (used in the warning where they are read). */
  private readonly unknownVars = new Map<string, string>();
  private cwd: string | null;
  private cwdLost = '';
  private readonly dirStack: (string | null)[] = [];
  /** Nesting of if/for/while/case/{ blocks: commands inside them are conditional in the script. */
  private depth = 0;
  /** Inside a `# [platform/…]` / `# [host…]` block written by script-export. */
  private inForeignBlock = false;
  private line = 0;
  /** The logical line being run (continuations joined); word offsets point into it. */
  private current = '';
  /** (line, entering quote state) pairs known to run into a quote that never closes (readLogicalLine). */
  private readonly unterminated = new Set<string>();

  constructor(private readonly lines: string[], private readonly root: string) {
    this.cwd = root;
  }

  run(): void {
    let i = 0;
    while (i < this.lines.length) i = this.physicalLine(i);
  }

  private warn(message: string, line = this.line): void {
    this.warnings.push({ line: line + 1, message });
  }

  private physicalLine(i: number): number {
    this.line = i;
    const trimmed = this.lines[i].trim();
    if ((i === 0 && trimmed.startsWith('#!')) || SCRIPT_BANNER.includes(trimmed)) return i + 1;
    if (trimmed === '') {
      this.out.push({ kind: 'blank', text: '' });
      return i + 1;
    }
    if (trimmed.startsWith('#')) {
      this.commentLine(trimmed, this.lines[i].trimEnd());
      return i + 1;
    }
    this.inForeignBlock = false;
    return this.logicalLine(readLogicalLine(this.lines, i, this.unterminated));
  }

  // ---- comments ----

  /** `text` is the trimmed comment, `raw` the line with its indentation (kept for plain comments). */
  private commentLine(text: string, raw: string): void {
    const marker = parseMarker(text);
    if (marker && isForeignSection(marker.dir)) {
      this.inForeignBlock = true;
      this.out.foreignHeader(marker.body);
      return;
    }
    if (marker && this.out.marker(marker.dir, marker.comment)) {
      this.inForeignBlock = false;
      return;
    }
    if (text.startsWith(SKIPPED_PREFIX + '[')) this.inForeignBlock = false;
    if (this.inForeignBlock) return this.restore(text);
    // script-export doubles the `#` of comments that would read as markers.
    this.out.push({ kind: 'comment', text: /^##\s*\[/.test(text) ? raw.replace('##', '#') : raw });
  }

  /** A line of a platform/host block: the `.pciep` line it came from, when it reads as one. */
  private restore(text: string): void {
    const body = text.replace(/^# ?/, '');
    const doc = parse(body);
    if (body.trim() === '' || doc.errors.length > 0) this.out.push({ kind: 'comment', text });
    else if (doc.statements.length === 1) this.out.push({ kind: 'stmt', text: body });
    else this.out.push({ kind: 'comment', text: body });
  }

  // ---- commands ----

  private logicalLine(logical: LogicalLine): number {
    this.current = logical.text;
    const lexed = new Lexer(logical.text).lex();
    if (lexed.error) {
      this.notImported(logical, lexed.error);
      return logical.last + 1;
    }
    const heredoc = this.heredocEnd(lexed.tokens, logical.last);
    if (heredoc !== null) {
      this.notImported({ ...logical, last: heredoc }, 'here-documents are not imported');
      return heredoc + 1;
    }
    const items = parseItems(lexed.tokens);
    if (isFunctionDefinition(lexed.tokens) || items.some((it) => KEYWORDS.has(commandName(it) ?? ''))) {
      this.controlFlow(items);
      this.notImported(logical, 'shell control flow is not imported; the commands inside it are imported as if it always ran');
      return logical.last + 1;
    }
    const mark = this.out.lines.length;
    let previous: { sep: string; ok: boolean } = { sep: ';', ok: true };
    for (const item of items) {
      const before = this.out.lines.length;
      const outcome = this.item(item);
      // `A || B` runs B only if A fails; `A && B` depends on A when A was not imported either.
      const conditional = previous.sep === '||' || (previous.sep === '&&' && !previous.ok);
      previous = { sep: item.sep, ok: outcome.ok };
      if (conditional && this.out.lines.length > before) {
        const text = logical.text.slice(item.start, item.end);
        this.warn(`imported unconditionally: in the script '${text}' runs only depending on the result of the command before it`);
      }
      if (outcome.ok) continue;
      if (items.length === 1) {
        this.notImported(logical, outcome.message);
        return logical.last + 1;
      }
      // Several commands on the line: only the one that failed becomes a comment.
      this.warn(outcome.message);
      this.out.push({ kind: 'comment', text: NOT_IMPORTED + logical.text.slice(item.start, item.end) });
    }
    if (this.depth > 0 && this.out.lines.length > mark) {
      this.warn('imported unconditionally: this line is inside a shell if/for/while/case block or function');
    }
    if (lexed.comment) this.out.attachComment(mark, lexed.comment);
    return logical.last + 1;
  }

  /** The last line of a here-document started on this line, or null. */
  private heredocEnd(tokens: Token[], last: number): number | null {
    const at = tokens.findIndex((t) => t.kind === 'op' && (t.op === '<<' || t.op === '<<-'));
    if (at < 0) return null;
    const next = tokens[at + 1];
    const delim = next?.kind === 'word' ? literal(next.word) : null;
    if (delim === null) return last;
    let k = last + 1;
    while (k < this.lines.length && this.lines[k].replace(/^\t+/, '') !== delim) k++;
    return Math.min(k, this.lines.length - 1);
  }

  /** Tracks block nesting; `f() {` opens a function body, whose commands only run when called. */
  private controlFlow(items: Item[]): void {
    for (const item of items) {
      const name = commandName(item) ?? '';
      const words = item.commands.flatMap((c) => c.words);
      const last = words.length ? literal(words[words.length - 1]) : null;
      if (OPENERS.has(name) || (name !== '{' && last === '{')) this.depth++;
      else if (CLOSERS.has(name)) this.depth = Math.max(0, this.depth - 1);
    }
  }

  private notImported(logical: LogicalLine, message: string): void {
    this.warn(message, logical.first);
    for (let k = logical.first; k <= logical.last; k++) {
      const text = this.lines[k].trim();
      this.out.push({ kind: 'comment', text: k === logical.first ? NOT_IMPORTED + text : `#   ${text}` });
    }
  }

  private item(item: Item): Outcome {
    const outcome = this.runItem(item);
    if (!outcome.ok && ['cd', 'pushd', 'popd'].includes(commandName(item) ?? '')) {
      // A directory change import cannot follow: later relative paths must not be guessed.
      this.cwd = null;
      this.cwdLost = `the directory change on line ${this.line + 1}`;
    }
    return outcome;
  }

  private runItem(item: Item): Outcome {
    if (item.problem) return fail(`${item.problem} is not imported`);
    if (item.commands.length === 2) return this.teePipeline(item.commands[0], item.commands[1]);
    if (item.commands.length > 2) return fail('pipelines are not imported');
    return this.command(item.commands[0]);
  }

  private expand(parts: Part[], split: boolean): Expanded {
    let text = '';
    let expanded = false;
    for (const p of parts) {
      // Robustness (docs/robustness.md): `A=$A$A` repeated doubles a value each line; 40 lines
      // threw "Invalid string length" out of importScript after gigabytes of work. A value built
      // from variables may not exceed a page: configfs takes at most PAGE_SIZE per write and a
      // path at most PATH_MAX, both 4096 bytes, so nothing importable is longer.
      if (expanded && text.length > MAX_EXPANSION) return { ok: false, message: `the expanded value is longer than ${MAX_EXPANSION} bytes` };
      if (p.kind === 'text') {
        text += p.text;
        continue;
      }
      if (p.kind === 'bad') return { ok: false, message: `${p.what} cannot be evaluated by import` };
      const value = this.vars.get(p.name);
      if (p.fallback && (value === undefined || (p.ifEmpty && value === ''))) {
        const fb = this.expand(p.fallback, split && !p.quoted);
        if (!fb.ok) return fb;
        text += fb.text;
        expanded = true;
        continue;
      }
      if (value === undefined) {
        const why = this.unknownVars.get(p.name);
        return { ok: false, message: why ? `$${p.name} ${why}` : `$${p.name} is not set by the script` };
      }
      if (split && !p.quoted && /\s/.test(value)) return { ok: false, message: `unquoted $${p.name} would be split at its blanks` };
      text += value;
      expanded = true;
    }
    if (expanded && text.length > MAX_EXPANSION) return { ok: false, message: `the expanded value is longer than ${MAX_EXPANSION} bytes` };
    return { ok: true, text };
  }

  private expandWords(words: Word[]): string[] | string {
    const out: string[] = [];
    for (const w of words) {
      const e = this.expand(w.parts, true);
      if (!e.ok) return e.message;
      out.push(e.text);
    }
    return out;
  }

  private command(cmd: Command): Outcome {
    const leading = cmd.words.findIndex((w) => assignmentName(w) === null);
    if (leading < 0) return this.assign(cmd.words);
    if (leading > 0) return fail('a variable assignment in front of a command is not imported');
    const argv = this.expandWords(cmd.words);
    if (typeof argv === 'string') return fail(argv);
    const args = argv[0] === 'sudo' && argv.length > 1 && !argv[1].startsWith('-') ? argv.slice(1) : argv;
    if (args[0] === 'echo' || args[0] === 'printf') return this.write(args, cmd.redirects);
    if (args[0] === '[' || args[0] === 'test') return fail('shell tests ([ … ]) are not imported');
    if (!BUILTINS.has(args[0])) return fail(`'${args[0]}' is not a configfs command`);
    const quiet = this.quietRedirects(cmd.redirects);
    if (quiet) return fail(quiet);
    return this.builtin(args);
  }

  private builtin(args: string[]): Outcome {
    const [name, ...rest] = args;
    switch (name) {
      case 'cd':
        return this.cd(rest);
      case 'pushd':
        this.dirStack.push(this.cwd);
        return this.cd(rest);
      case 'popd':
        this.cwd = this.dirStack.length ? this.dirStack.pop()! : null;
        if (this.cwd === null) this.cwdLost = `popd on line ${this.line + 1}`;
        return OK;
      case 'export':
      case 'readonly':
      case 'local':
        return this.exportLike(rest);
      case 'set':
        return rest.every((a) => /^[-+]/.test(a)) ? OK : fail("'set' with arguments is not imported");
      case 'true':
      case ':':
        return OK;
      case 'mkdir':
        return this.mkdir(rest);
      case 'ln':
        return this.ln(rest);
      case 'rm':
      case 'unlink':
        return this.rm(name, rest);
      case 'rmdir':
        return this.rmdir(rest);
      case 'mount':
        return fail("'mount' is not imported: a .pciep file assumes configfs is mounted on /sys/kernel/config");
      default:
        return fail(`'${name}' is not a configfs command`);
    }
  }

  // ---- variables and directories ----

  private assign(words: Word[]): Outcome {
    for (const w of words) {
      const name = assignmentName(w)!;
      const valueParts = new Lexer(this.wordSource(w).slice(name.length + 1)).readParts(true);
      const value = typeof valueParts === 'string' ? { ok: false as const, message: valueParts } : this.expand(valueParts, false);
      if (!value.ok) {
        this.vars.delete(name);
        this.unknownVars.set(name, `comes from line ${this.line + 1}, which import cannot evaluate`);
        return fail(`cannot evaluate ${name}: ${value.message}; commands that use $${name} are not imported`);
      }
      this.vars.set(name, value.text);
      this.unknownVars.delete(name);
    }
    return OK;
  }

  private wordSource(w: Word): string {
    return this.current.slice(w.start, w.end);
  }

  private exportLike(args: string[]): Outcome {
    for (const a of args) {
      const m = /^([A-Za-z_][A-Za-z0-9_]*)=([\s\S]*)$/.exec(a);
      if (m) {
        this.vars.set(m[1], m[2]);
        this.unknownVars.delete(m[1]);
      }
    }
    return OK;
  }

  private cd(args: string[]): Outcome {
    const dirs = args.filter((a) => a !== '-P' && a !== '-L');
    if (dirs[0] === '-') {
      this.warn("'cd -' is ignored: the current directory is taken to be unchanged");
      return OK;
    }
    if (dirs.length > 1) return fail("'cd' with more than one directory is not imported");
    const target = dirs.length === 0 ? null : this.absolute(dirs[0]);
    if (typeof target !== 'string') {
      this.cwd = null;
      this.cwdLost = `${dirs.length === 0 ? "'cd' to the home directory" : 'cd'} on line ${this.line + 1}`;
      return dirs.length === 0 ? OK : fail(target?.message ?? 'unknown directory');
    }
    this.cwd = target;
    return OK;
  }

  /** An absolute, normalised filesystem path for an argument, resolving it against the cwd. */
  private absolute(arg: string): string | { message: string } {
    if (arg === '') return { message: 'an empty path' };
    if (!arg.startsWith('/') && this.cwd === null) {
      return { message: `'${arg}' is relative, but the current directory is unknown after ${this.cwdLost}` };
    }
    const full = posix.normalize(arg.startsWith('/') ? arg : `${this.cwd}/${arg}`);
    return full.length > 1 ? full.replace(/\/+$/, '') : full;
  }

  /** The pci_ep-relative path of an argument, or why it has none. */
  private configfs(arg: string): string | { message: string } {
    const abs = this.absolute(arg);
    if (typeof abs !== 'string') return abs;
    if (abs === this.root) return '';
    if (abs.startsWith(this.root + '/')) return abs.slice(this.root.length + 1);
    return { message: `'${abs}' is outside ${this.root}` };
  }

  /** Only redirections that do not change what a non-writing command does (stderr, /dev/null). */
  private quietRedirects(redirects: Redirect[]): string | null {
    for (const r of redirects) {
      const target = r.target ? this.expand(r.target.parts, false) : null;
      if (r.op.startsWith('<')) return 'input redirections and here-documents are not imported';
      if (r.op === '>&' || r.fd === 2 || (target?.ok && target.text === '/dev/null')) continue;
      return `the redirection '${r.fd === 1 ? '' : r.fd}${r.op}' is not imported`;
    }
    return null;
  }

  // ---- writes ----

  /** `echo`/`printf` with its output in a pci_ep attribute. */
  private write(args: string[], redirects: Redirect[]): Outcome {
    const value = writtenValue(args);
    if (typeof value !== 'string') return fail(value.message);
    const files: string[] = [];
    for (const r of redirects) {
      if (r.op.startsWith('<')) return fail('input redirections and here-documents are not imported');
      if (r.op === '>&' && r.fd !== 1) continue;
      const target = r.target ? this.expand(r.target.parts, true) : { ok: false as const, message: 'a redirection without a file' };
      if (!target.ok) return fail(target.message);
      if (r.op === '>&') return fail(`${args[0]} to file descriptor ${target.text} only prints`);
      if (r.fd === 1 && target.text !== '/dev/null') files.push(target.text);
    }
    if (files.length === 0) return fail(`${args[0]} without a redirection into pci_ep only prints a message`);
    if (files.length > 1) return fail(`${args[0]} with more than one output file is not imported`);
    return this.assignFiles(files, value);
  }

  private assignFiles(files: string[], value: string): Outcome {
    for (const f of files) {
      const path = this.configfs(f);
      if (typeof path !== 'string') return fail(path.message);
      if (path === '') return fail('a write to the pci_ep directory itself');
      const err = this.out.assign(path, value);
      if (err) return fail(err);
    }
    return OK;
  }

  /** `echo VALUE | [sudo] tee [-a] FILE… [>/dev/null]`, the usual way to write as root. */
  private teePipeline(producer: Command, consumer: Command): Outcome {
    const left = this.expandWords(producer.words);
    if (typeof left === 'string') return fail(left);
    const right = this.expandWords(consumer.words);
    if (typeof right === 'string') return fail(right);
    const tee = right[0] === 'sudo' ? right.slice(1) : right;
    if ((left[0] !== 'echo' && left[0] !== 'printf') || tee[0] !== 'tee') return fail('pipelines are not imported');
    const value = writtenValue(left);
    if (typeof value !== 'string') return fail(value.message);
    const quiet = this.quietRedirects(producer.redirects) ?? this.quietRedirects(consumer.redirects);
    if (quiet) return fail(quiet);
    const files = tee.slice(1).filter((a) => a !== '-a' && a !== '--append');
    if (files.length === 0 || files.some((f) => f.startsWith('-'))) return fail('tee options other than -a are not imported');
    return this.assignFiles(files, value);
  }

  // ---- directories and links ----

  private mkdir(args: string[]): Outcome {
    let parents = false;
    const dirs: string[] = [];
    for (let k = 0; k < args.length; k++) {
      const a = args[k];
      if (a === '-m') k++;
      else if (/^-[pv]+$/.test(a) || a === '--parents') parents ||= a.includes('p');
      else if (a.startsWith('-m')) continue;
      else if (a.startsWith('-') && a !== '--') return fail(`mkdir option '${a}' is not imported`);
      else if (a !== '--') dirs.push(a);
    }
    if (dirs.length === 0) return fail('mkdir without a directory');
    for (const d of dirs) {
      const path = this.configfs(d);
      if (typeof path !== 'string') return fail(path.message);
      const err = this.out.mkdir(path, parents);
      if (err) return fail(err);
    }
    return OK;
  }

  private ln(args: string[]): Outcome {
    const opts = args.filter((a) => a.startsWith('-') && a !== '--').join('').replace(/-/g, '');
    const rest = args.filter((a) => !a.startsWith('-') || a === '--').filter((a) => a !== '--');
    if (!opts.includes('s')) return fail('only symbolic links (ln -s) exist in configfs');
    if (/[^sfnvT]/.test(opts)) return fail(`ln option '-${opts}' is not imported`);
    if (rest.length < 1 || rest.length > 2) return fail('ln -s with more than one target is not imported');
    if (opts.includes('f')) this.warn('ln -f is read as ln -s: an existing link is not replaced first');
    const target = this.configfs(rest[0]);
    if (typeof target !== 'string') return fail(`link target ${target.message}`);
    const linkArg = rest[1] ?? '.';
    const linkPath = this.configfs(linkArg);
    if (typeof linkPath !== 'string') return fail(linkPath.message);
    // Like ln: a link made in an existing directory is named after the target.
    const intoDir = !opts.includes('T') && (linkArg.endsWith('/') || rest.length === 1 || isKernelDirectory(linkPath));
    const path = intoDir ? (linkPath === '' ? posix.basename(target) : `${linkPath}/${posix.basename(target)}`) : linkPath;
    const err = this.out.link(path, target);
    return err ? fail(err) : OK;
  }

  private rm(name: string, args: string[]): Outcome {
    const files: string[] = [];
    for (const a of args) {
      if (a === '--') continue;
      if (name === 'rm' && /^-[fv]+$/.test(a)) continue;
      if (a.startsWith('-')) return fail(`${name} option '${a}' is not imported (configfs removes directories with rmdir)`);
      files.push(a);
    }
    if (files.length === 0) return fail(`${name} without a file`);
    for (const f of files) {
      const path = this.configfs(f);
      if (typeof path !== 'string') return fail(path.message);
      const err = path === '' ? 'rm of the pci_ep directory' : this.out.unlink(path);
      if (err) return fail(err);
    }
    return OK;
  }

  private rmdir(args: string[]): Outcome {
    const dirs = args.filter((a) => a !== '--' && a !== '-v');
    if (dirs.length === 0) return fail('rmdir without a directory');
    if (dirs.some((d) => d.startsWith('-'))) return fail('rmdir options are not imported (rmdir -p would try to remove kernel directories)');
    for (const d of dirs) {
      const path = this.configfs(d);
      if (typeof path !== 'string') return fail(path.message);
      const err = this.out.rmdir(path);
      if (err) return fail(err);
    }
    return OK;
  }
}

/** The bytes `echo`/`printf` write, less the final newline, or why import cannot tell. */
function writtenValue(args: string[]): string | { message: string } {
  if (args[0] === 'printf') return printfValue(args.slice(1));
  let k = 1;
  let escapes = false;
  while (k < args.length && /^-[neE]+$/.test(args[k])) escapes ||= args[k++].includes('e');
  const value = args.slice(k).join(' ');
  if (escapes && value.includes('\\')) return { message: 'echo -e with backslash escapes is not imported' };
  return value;
}

function printfValue(args: string[]): string | { message: string } {
  const [format, ...rest] = args;
  if ((format === '%s\\n' || format === '%s') && rest.length <= 1) return rest[0] ?? '';
  if (format !== undefined && rest.length === 0 && !format.includes('%')) {
    const value = format.endsWith('\\n') ? format.slice(0, -2) : format;
    if (!value.includes('\\')) return value;
  }
  return { message: "only printf '%s\\n' VALUE and printf 'VALUE\\n' are imported" };
}

/** A comment `# [path]  # …` whose body is one section header, with its pci_ep-relative path. */
function parseMarker(text: string): { dir: string; body: string; comment?: string } | null {
  if (!/^#\s*\[/.test(text)) return null;
  const body = text.replace(/^#\s?/, '');
  const doc = parse(body);
  const stmt = doc.statements[0];
  if (doc.errors.length || doc.statements.length !== 1 || stmt.kind !== 'section' || stmt.normPath === null) return null;
  return { dir: stmt.normPath, body, comment: stmt.comment?.text };
}

/**
 * Converts a configfs shell script into `.pciep` text. Never throws: lines it cannot evaluate are
 * kept as `# (not imported) …` comments, each with a warning.
 */
export function importScript(text: string, opts: ImportOptions = {}): ImportResult {
  const root = (opts.root ?? CONFIGFS_ROOT).replace(/\/+$/, '');
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const importer = new Importer(lines, root);
  importer.run();
  return { text: importer.out.text(), warnings: importer.warnings };
}
