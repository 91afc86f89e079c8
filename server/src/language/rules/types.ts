/** A validation rule: plain data in (the parsed document and the replay), diagnostics out. */
import type { Document, Statement } from '../ast';
import type { Diagnostic } from '../diagnostics';
import type { PlatformModel } from '../platform';
import type { ReplayResult } from '../../emulator/configfs/replay';

export interface RuleContext {
  doc: Document;
  platform: PlatformModel;
  replay: ReplayResult;
  /** The statement on each line (one statement per line). */
  byLine: { get(line: number): Statement | undefined };
}

export interface Rule {
  /** Stable id; also the diagnostic code the rule reports. */
  id: string;
  run(ctx: RuleContext): Diagnostic[];
}
