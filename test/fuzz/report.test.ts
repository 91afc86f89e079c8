/**
 * Root hook: after every spec has run, print the fuzz figures (report.ts). A root-level `after`
 * in any spec file belongs to mocha's root suite, so it runs once, at the very end.
 */
import { printReport } from './report';

after(() => printReport());
