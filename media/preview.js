// PCI EP preview webview script (loaded with the page's CSP nonce; no framework, no eval).
// - Hover or focus a metadata byte or a decoded-field row: every element of that field lights up.
// - Arrow keys move between bytes (Left/Right ±1, Up/Down ±16, Home/End in the row,
//   Ctrl+Home/End the whole blob) and between field rows (Up/Down, Home/End); each grid is one
//   tab stop (roving tabindex).
// - Click, Enter or Space on a timeline entry or a problem with a line posts {type:'reveal', line}.
// - {type:'update', html} from the extension replaces #root (server-rendered, already escaped)
//   keeping scroll position and keyboard focus.
(function () {
  'use strict';

  /* global acquireVsCodeApi */
  const vscode = acquireVsCodeApi();
  const root = document.getElementById('root');

  /** The element of a field group (bytes + rows) an event is about, or null. */
  function fieldElement(target) {
    return target instanceof Element ? target.closest('.meta [data-f]') : null;
  }

  function clearHighlight() {
    for (const el of document.querySelectorAll('.meta .hl')) el.classList.remove('hl');
  }

  function highlight(el) {
    clearHighlight();
    const f = el.getAttribute('data-f');
    const scope = el.closest('.meta');
    if (!scope || f === null || !/^\d+$/.test(f)) return;
    for (const x of scope.querySelectorAll('[data-f="' + f + '"]')) x.classList.add('hl');
  }

  document.addEventListener('mouseover', (e) => {
    const el = fieldElement(e.target);
    if (el) highlight(el);
  });
  document.addEventListener('mouseout', (e) => {
    const el = fieldElement(e.target);
    const to = fieldElement(e.relatedTarget);
    if (el && (!to || to.getAttribute('data-f') !== el.getAttribute('data-f'))) {
      // Keep the keyboard's highlight when the mouse leaves.
      const focused = fieldElement(document.activeElement);
      if (focused) highlight(focused); else clearHighlight();
    }
  });
  document.addEventListener('focusin', (e) => {
    const el = fieldElement(e.target);
    if (!el) return;
    highlight(el);
    // Focus by mouse click moves the group's tab stop too.
    if (el.getAttribute('tabindex') === '-1') makeStop(groupOf(el), el);
  });
  document.addEventListener('focusout', (e) => {
    if (fieldElement(e.target) && !fieldElement(e.relatedTarget)) clearHighlight();
  });

  /** The roving group (byte grid or field table) an element belongs to, as a list. */
  function groupOf(el) {
    if (el.matches('.hex .b')) {
      const grid = el.closest('.hex');
      return grid ? Array.from(grid.querySelectorAll('.b')) : [];
    }
    if (el.matches('tr.fr')) {
      const table = el.closest('table');
      return table ? Array.from(table.querySelectorAll('tr.fr')) : [];
    }
    return [];
  }

  /** Roving tabindex: `el` becomes the only tab stop of its group. */
  function makeStop(items, el) {
    for (const it of items) it.setAttribute('tabindex', it === el ? '0' : '-1');
  }

  function move(items, from, to) {
    if (to < 0 || to >= items.length || to === from) return;
    makeStop(items, items[to]);
    items[to].focus();
  }

  function byteKeys(e, el) {
    const items = groupOf(el);
    const i = items.indexOf(el);
    if (i < 0) return false;
    const col = i % 16;
    const targets = {
      ArrowLeft: i - 1,
      ArrowRight: i + 1,
      ArrowUp: i - 16,
      ArrowDown: i + 16,
      Home: e.ctrlKey ? 0 : i - col,
      End: e.ctrlKey ? items.length - 1 : Math.min(i - col + 15, items.length - 1),
    };
    if (!Object.prototype.hasOwnProperty.call(targets, e.key)) return false;
    move(items, i, targets[e.key]);
    return true;
  }

  function rowKeys(e, el) {
    const items = groupOf(el);
    const i = items.indexOf(el);
    if (i < 0) return false;
    const targets = { ArrowUp: i - 1, ArrowDown: i + 1, Home: 0, End: items.length - 1 };
    if (!Object.prototype.hasOwnProperty.call(targets, e.key)) return false;
    move(items, i, targets[e.key]);
    return true;
  }

  /** Posts a reveal for an element carrying data-line (the extension validates it again). */
  function reveal(el) {
    const text = el.getAttribute('data-line');
    if (!text || !/^\d+$/.test(text)) return;
    const line = Number(text);
    if (Number.isSafeInteger(line) && line >= 1) vscode.postMessage({ type: 'reveal', line: line });
  }

  document.addEventListener('keydown', (e) => {
    const t = e.target;
    if (!(t instanceof Element)) return;
    let handled = false;
    if (t.matches('.hex .b')) handled = byteKeys(e, t);
    else if (t.matches('tr.fr')) handled = rowKeys(e, t);
    else if ((e.key === 'Enter' || e.key === ' ') && t.matches('[data-line]:not(button)')) {
      reveal(t);
      handled = true;
    }
    if (handled) e.preventDefault();
  });

  document.addEventListener('click', (e) => {
    const t = e.target instanceof Element ? e.target : null;
    if (!t || t.closest('summary, a')) return;
    const el = t.closest('[data-line]');
    if (el) reveal(el);
  });

  /** Replaces #root with new server-rendered HTML, keeping scroll position, open <details> and focus. */
  function update(html) {
    if (!root) return;
    const x = window.scrollX;
    const y = window.scrollY;
    const active = document.activeElement;
    const key = active instanceof Element ? active.getAttribute('data-k') : null;
    const open = Array.from(root.querySelectorAll('details')).map((d) => d.open);
    root.innerHTML = html; // server-rendered; every string from the file is escaped there
    Array.from(root.querySelectorAll('details')).forEach((d, i) => { if (open[i] !== undefined) d.open = open[i]; });
    if (key) {
      const again = root.querySelector('[data-k="' + CSS.escape(key) + '"]');
      if (again instanceof HTMLElement || again instanceof SVGElement) {
        if (again.getAttribute('tabindex') === '-1') makeStop(groupOf(again), again);
        again.focus({ preventScroll: true });
      }
    }
    window.scrollTo(x, y);
  }

  window.addEventListener('message', (e) => {
    const m = e.data;
    if (!m || typeof m !== 'object' || m.type !== 'update' || typeof m.html !== 'string') return;
    update(m.html);
  });

  vscode.postMessage({ type: 'ready' });
})();
