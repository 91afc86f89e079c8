/**
 * The messages between the preview webview (media/preview.js) and the extension, in one place.
 * Webview → extension messages are untrusted: `parseWebviewMessage` accepts exactly
 *   { type: 'ready' }                 the script loaded and listens for updates;
 *   { type: 'reveal', line: N }       reveal 1-based line N (an integer within the document);
 * and nothing else (no extra keys, no other types).
 */

/** Extension → webview: replace the content of `#root` with already-escaped, server-rendered HTML. */
export interface UpdateMessage {
  type: 'update';
  html: string;
}

export type WebviewMessage = { type: 'ready' } | { type: 'reveal'; line: number };

export type ParsedMessage = { ok: true; message: WebviewMessage } | { ok: false; reason: string };

/** Validates a message from the webview against the document's line count (lines are 1-based). */
export function parseWebviewMessage(msg: unknown, lineCount: number): ParsedMessage {
  if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) return { ok: false, reason: 'not an object' };
  const m = msg as Record<string, unknown>;
  const keys = Object.keys(m).sort().join(',');
  if (m.type === 'ready') return keys === 'type' ? { ok: true, message: { type: 'ready' } } : { ok: false, reason: 'unexpected keys' };
  if (m.type !== 'reveal') return { ok: false, reason: `unknown type ${JSON.stringify(String(m.type)).slice(0, 40)}` };
  if (keys !== 'line,type') return { ok: false, reason: 'unexpected keys' };
  const line = m.line;
  if (typeof line !== 'number' || !Number.isSafeInteger(line)) return { ok: false, reason: 'line is not an integer' };
  if (line < 1 || line > lineCount) return { ok: false, reason: `line ${line} is outside the document (1..${lineCount})` };
  return { ok: true, message: { type: 'reveal', line } };
}
