/** A validation rule: plain data in (the parsed document and the replay), diagnostics out. */
import type { Assignment, Document } from '../ast';
import type { Diagnostic } from '../diagnostics';
import type { PlatformModel } from '../platform';
import type { OpRecord, ReplayResult } from '../../emulator/configfs/replay';

export interface RuleContext {
  doc: Document;
  platform: PlatformModel;
  replay: ReplayResult;
  /** Every successful attribute write, in replay order, with the statement that made it. */
  writes: readonly { op: OpRecord; stmt: Assignment }[];
}

export interface Rule {
  /** Stable id; also the diagnostic code the rule reports. */
  id: string;
  run(ctx: RuleContext): Diagnostic[];
}
