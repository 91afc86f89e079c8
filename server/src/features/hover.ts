/**
 * Hovers: what the kernel makes of the line under the cursor, read from the one emulation of the
 * file (DESIGN.md sections 3–4). Attribute names show the schema entry and what this write
 * stored; values show how kstrto* parses them; function headers show the BAR table in the style
 * of rust-analyzer's memory-layout hover; platform, controller, link and host lines show the
 * emulated state. Nothing here parses or emulates on its own.
 *
 * This module dispatches on the statement under the cursor and writes the link and teardown
 * hovers; the rest live by subject: hover-functions.ts (function headers), hover-platform.ts
 * (platform and controllers), hover-host.ts (host, transfers, faults), hover-attributes.ts
 * (configfs attribute writes), hover-outcomes.ts (how an operation ended) and feature-index.ts
 * (the line index shared with inlay hints).
 */
import type { Assignment, Link, Position, Range, Rmdir, SectionHeader, Unlink } from '../language/ast';
import { findDriver } from '../language/schema';
import { CONFIGFS_ROOT } from '../language/paths';
import { isPlatformPath } from '../language/platform';
import { hostSectionKind } from '../language/host-schema';
import { devName } from '../emulator/configfs/state';
import type { FeatureContext } from './context';
import { contains } from './context';
import { featureIndex, sectionPath, type FeatureIndex } from './feature-index';
import { attributeMarkdown } from './hover-attributes';
import { functionMarkdown } from './hover-functions';
import { faultMarkdown, hostKeyMarkdown, hostMarkdown, transferMarkdown } from './hover-host';
import { failureText, kernelLog, opOutcome } from './hover-outcomes';
import { controllerMarkdown, platformKeyMarkdown, profileMarkdown } from './hover-platform';
import { code, escapeMarkdown, join, lineRef } from './markdown';

// Other features (inlay hints) read these through this module.
export { featureIndex, functionResultOf, type FeatureIndex, type LinkFacts } from './feature-index';
export { barTables } from './hover-functions';
export { attributeAt, readBackOf, type ResolvedAttribute, type StoredValue } from './hover-attributes';

export interface HoverResult {
  markdown: string;
  range: Range;
}

// ---------------------------------------------------------------------------------------------
// Entry point

/** The hover for `pos`, or undefined where there is nothing to add (comments, unknown names, blank lines). */
export function hover(ctx: FeatureContext, pos: Position): HoverResult | undefined {
  const ix = featureIndex(ctx);
  const stmt = ix.statementAt[pos.line];
  if (!stmt || !contains(stmt.range, pos)) return undefined;
  switch (stmt.kind) {
    case 'section':
      return headerHover(ctx, ix, stmt);
    case 'assign':
      return assignmentHover(ctx, ix, stmt, pos);
    case 'link':
      return linkHover(ctx, ix, stmt);
    case 'unlink':
    case 'rmdir':
      return teardownHover(ix, stmt);
  }
}

// ---------------------------------------------------------------------------------------------
// Section headers

function headerHover(ctx: FeatureContext, ix: FeatureIndex, header: SectionHeader): HoverResult | undefined {
  const path = header.normPath;
  if (path === null) return undefined;
  const range = header.range;
  const parts = path.split('/');
  let markdown: string | undefined;
  if (isPlatformPath(path)) {
    const c = ctx.emulation.analysis.platform.controllers.get(parts.slice(1).join('/'));
    markdown = c ? profileMarkdown(c) : undefined;
  } else if (parts[0] === 'functions' && parts.length >= 3) {
    markdown = functionMarkdown(ctx, ix, parts.slice(0, 3).join('/'), header.line);
  } else if (parts[0] === 'functions' && parts.length === 2) {
    const spec = findDriver(parts[1]);
    markdown = spec ? join([`### Driver ${code(spec.name)}`, spec.doc, spec.patchOnly && `*Patch only:* ${escapeMarkdown(spec.patchOnly)}`, `Reference: ${spec.ref}`]) : undefined;
  } else if (parts[0] === 'controllers' && parts.length === 2) {
    markdown = controllerMarkdown(ctx, parts[1]);
  } else {
    const kind = hostSectionKind(path);
    if (kind === 'host') markdown = hostMarkdown(ctx);
    else if (kind === 'transfer') markdown = transferMarkdown(ix, header.line, parts[2]);
    else if (kind === 'fault') markdown = faultMarkdown(ctx, header.line, parts[2]);
  }
  return markdown === undefined ? undefined : { markdown, range };
}

// ---------------------------------------------------------------------------------------------
// Assignments: configfs attributes, platform keys, host keys

function assignmentHover(ctx: FeatureContext, ix: FeatureIndex, stmt: Assignment, pos: Position): HoverResult | undefined {
  const onValue = contains(stmt.value.range, pos) && stmt.value.text !== '';
  const range = onValue ? stmt.value.range : stmt.name.range;
  const path = sectionPath(ix, stmt.line);
  const hostKind = path === undefined ? undefined : hostSectionKind(path);
  let markdown: string | undefined;
  if (path !== undefined && isPlatformPath(path)) {
    markdown = platformKeyMarkdown(ctx, path.split('/').slice(1).join('/'), stmt, onValue);
  } else if (path !== undefined && hostKind) {
    markdown = hostKeyMarkdown(ctx, ix, hostKind, path, stmt, onValue);
  } else {
    markdown = attributeMarkdown(ctx, ix, stmt, onValue);
  }
  return markdown === undefined ? undefined : { markdown, range };
}

// ---------------------------------------------------------------------------------------------
// Links and teardown

function linkHover(ctx: FeatureContext, ix: FeatureIndex, stmt: Link): HoverResult | undefined {
  const facts = ix.linkAt.get(stmt.line);
  if (!facts) return undefined;
  const op = ix.opAt.get(stmt.line);
  const target = stmt.normTarget ?? stmt.target.text;
  const shell = code(`ln -s ${CONFIGFS_ROOT}/${target} ${CONFIGFS_ROOT}/${facts.path}`);
  let what: string;
  let result: string | undefined;
  if (facts.kind === 'bind') {
    const iface = (facts.iface ?? 'primary').toUpperCase();
    what = `\`pci_epc_add_epf(epc, epf, ${iface})\` takes the lowest free function number of ${facts.epc ? code(facts.epc) : 'the controller'} ` +
      '(it must stay below `max-functions`), then `pci_epf_bind()` runs the driver\'s bind; if bind fails, the add is undone and `ln -s` fails with bind\'s errno.';
    if (op?.result === 'ok') {
      const epf = facts.fn ? ctx.emulation.analysis.replay.state.functions.get(facts.fn) : undefined;
      const dev = epf ? ` (${code(devName(epf))}${epf.bound ? ' bound' : ', waits for its other interface'})` : '';
      const n = facts.funcNo !== undefined ? `**function ${facts.funcNo}**` : 'a function number';
      result = `**✓ Linked:** ${n} on ${code(facts.epc ?? '?')}${dev}${facts.unlinkedAt !== undefined ? `; unlinked at ${lineRef(facts.unlinkedAt)}` : ''}.`;
      const init = ix.diagnosticsAt.get(stmt.line)?.find((d) => d.code === 'epc-init-failed');
      if (init?.errno) result += `\n\n**✗ epc_init fails** with ${failureText(ix, stmt.line, init.errno)}`;
    }
  } else if (facts.kind === 'vf') {
    what = '`pci_epf_add_vepf(pf, vf)` makes the target a virtual function of this physical function (VFs are numbered from 1); it is bound together with its PF.';
    if (op?.result === 'ok') {
      const vf = facts.fn ? ctx.emulation.analysis.replay.state.functions.get(facts.fn) : undefined;
      result = `**✓ Linked** as virtual function ${vf?.pf?.vfuncNo ?? '?'}.`;
    }
  } else {
    what = 'Only `controllers/<epc>/`, `primary/`, `secondary/` and function directories accept symlinks.';
  }
  return {
    markdown: join([`### Link ${code(stmt.name.text)} → ${code(target)}`, shell, what, result ?? opOutcome(ix, op, 'link'), kernelLog(op), 'Reference: kernel-background A.4']),
    range: stmt.range,
  };
}

function teardownHover(ix: FeatureIndex, stmt: Unlink | Rmdir): HoverResult | undefined {
  const op = ix.opAt.get(stmt.line);
  if (!op) return undefined;
  const what = stmt.kind === 'unlink'
    ? 'Removes the symlink: for a controller link the function is unbound (its driver\'s unbind runs: pci_epf_dma quiesces and reclaims its channels) and its function number is freed.'
    : 'Removes the function directory; it must hold no links and be no link\'s target.';
  return {
    markdown: join([`### ${code(`${stmt.kind === 'unlink' ? 'rm' : 'rmdir'} ${CONFIGFS_ROOT}/${op.path}`)}`, what, opOutcome(ix, op, stmt.kind), kernelLog(op)]),
    range: stmt.range,
  };
}
