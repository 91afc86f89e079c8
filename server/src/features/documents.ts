/**
 * One analysis per document version, shared by every feature: the first request after an edit
 * computes it, later requests for the same version reuse it (rust-analyzer's "one model, many
 * views"). Knows nothing of LSP.
 */
import { createContext, type FeatureContext } from './context';
import type { PlatformOptions } from '../language/platform';
import type { Document } from '../language/ast';

interface Entry {
  version: number;
  context?: FeatureContext;
  /** The last analysed version's parse, until this version is analysed (incremental parsing). */
  previous?: Document;
}

export class AnalysisCache {
  private readonly entries = new Map<string, Entry>();
  /** Number of analyses computed (for tests and benchmarks). */
  computed = 0;
  /** Editor settings that change every analysis; setting them drops the cache. */
  private options: PlatformOptions = {};

  get platformOptions(): PlatformOptions {
    return this.options;
  }

  setOptions(options: PlatformOptions): void {
    this.options = options;
    this.entries.clear();
  }

  get(uri: string, version: number, text: () => string): FeatureContext {
    let e = this.entries.get(uri);
    if (!e || e.version !== version) {
      e = this.next(e, version);
      this.entries.set(uri, e);
    }
    if (!e.context) {
      e.context = createContext(text(), this.options, e.previous);
      e.previous = undefined;
      this.computed++;
    }
    return e.context;
  }

  /** Whether `version` is still the newest one seen for `uri` (a newer edit cancels older work). */
  isCurrent(uri: string, version: number): boolean {
    const e = this.entries.get(uri);
    return !e || e.version <= version;
  }

  touch(uri: string, version: number): void {
    const e = this.entries.get(uri);
    if (!e || e.version !== version) this.entries.set(uri, this.next(e, version));
  }

  /** A new version's entry: it keeps the newest parse there is, for the parser to reuse. */
  private next(e: Entry | undefined, version: number): Entry {
    return { version, previous: e?.context?.doc ?? e?.previous };
  }

  delete(uri: string): void {
    this.entries.delete(uri);
  }
}
