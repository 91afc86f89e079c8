/** Every validation rule, in the order their diagnostics are reported. */
import type { Rule } from './types';
import { octalValue } from './octal-value';
import { interruptPin } from './interrupt-pin';
import { boolValue } from './bool-value';
import { msiRounding } from './msi-rounding';
import { barChoice } from './bar-choice';
import { ntbInterfaces } from './ntb-interfaces';
import { neverStarted } from './never-started';
import { hostSections } from './host-sections';

export const RULES: readonly Rule[] = [octalValue, interruptPin, boolValue, msiRounding, barChoice, ntbInterfaces, neverStarted, hostSections];
