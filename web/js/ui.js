/* ui.js: small DOM helpers. Text goes in through textContent only (never innerHTML).
 *
 * CONTRACT (other modules rely on this; keep it stable):
 *   h(tag, attrs, ...children)  an element. attrs: {class, id, for, text, hidden, ...}; a key
 *       "onX" with a function adds an event listener; true/false toggle boolean attributes;
 *       null/undefined are skipped. children: nodes, strings (as text), arrays, null (skipped).
 *       No "style" attribute: CSP forbids inline styles; use classes.
 *   replace(el, ...children)    empties el and appends children.
 *   announce(text)              says text in the polite live region (#live).
 *   loading(text?) / empty(text) / errorBox(err)   status blocks (role=status / role=alert).
 *   fmtDate(iso) fmtDateTime(iso) fmtRelative(iso) fmtDay('YYYY-MM-DD')   human dates (the Intl
 *       formatters are made on first use; warmDates() makes them ahead, e.g. while waiting for data).
 *   toLocalInput(iso) / fromLocalInput(value)  <input type=datetime-local> <-> RFC 3339 (UTC "Z").
 *   field(spec)                 a labelled control: spec = {name, label, type ('text', 'textarea',
 *       'number', 'date', 'datetime', 'select', 'radio', 'checkbox', 'list', 'email',
 *       'password'), required, hint, value, options: [[value, label], ...], numeric (radio and select
 *       values sent as numbers; a radio with value '' sends nothing), pointer (the JSON
 *       pointer the API uses, default "/" + name), min, max, step, rows, autocomplete}.
 *       Values: number -> integer (or float with step), datetime -> RFC 3339, list -> array of
 *       trimmed non-empty lines/commas, checkbox -> boolean; empty optional fields are left out.
 *   form({fields, submit, onSubmit, reset, extra, cls})  a <form> (POSTs through fetch, never
 *       navigates). onSubmit(values, formEl) returns a promise; on ApiError the problem's
 *       errors[] are shown beside the field whose pointer they name (aria-invalid,
 *       aria-describedby), others in the form's alert. reset: true clears the form after success.
 *   showProblem(formEl, err) / clearProblems(formEl)  the same, by hand.
 *   formValues(formEl)          the typed values as above.
 *   pager({load(after, limit) -> Promise<{items,next}>, item(x) -> node, empty, label, list})
 *       an element listing items with a "Load more" button while next is not null.
 *       With all: true it takes path and query (api.all) instead of load, fetches every page
 *       (100 each) and shows 20 (step) at a time, newest first (or ordered by sort(a, b)), with
 *       a "Show older" button. el.reload() starts again.
 *   button(text, onClick, {cls, type})  a button; while onClick's promise runs it is disabled.
 *   section(title, ...children) / subsection(...)  a panel with an h2 / h3 heading.
 *   dl(pairs)                   a <dl> of [term, description] pairs (skips null descriptions).
 *   subnav(label, links, here)  a sub-navigation <nav aria-label=label> of links [[path, text], ...]
 *       (paths without the "#"); the one whose path is here is aria-current="page".
 */
import { api, ApiError } from './api.js';

export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') el.className = Array.isArray(v) ? v.filter(Boolean).join(' ') : v;
      else if (k === 'text') el.textContent = String(v);
      else if (k === 'for') el.htmlFor = v;
      else if (k === 'value') el.value = v;
      else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2).toLowerCase(), v);
      else if (k === 'style') throw new Error('no inline styles (CSP): use a class');
      else if (v === true) el.setAttribute(k, '');
      else el.setAttribute(k, String(v));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
}

export function replace(el, ...children) {
  while (el.firstChild) el.removeChild(el.firstChild);
  append(el, children);
  return el;
}

export function announce(text) {
  const live = document.getElementById('live');
  if (!live) return;
  live.textContent = '';
  /* A fresh text node after a tick so that screen readers read it again. */
  setTimeout(() => { live.textContent = text; }, 30);
}

export function loading(text) {
  return h('p', { class: 'state loading', role: 'status' }, text || 'Loading…');
}

export function empty(text) {
  return h('p', { class: 'state empty' }, text);
}

export function errorBox(err) {
  const msg = err instanceof ApiError ? err.detail : (err && err.message) || String(err);
  return h('div', { class: 'alert', role: 'alert' }, msg);
}

/* ---- dates ---- */

/* The formatters are made on first use, once each: the first Intl object of a page costs
 * tens of milliseconds (ICU's data is loaded), which must not hold up the first requests.
 * warmDates() makes them ahead of time, when the page is only waiting for the network. */
let dateFmt = null, dateTimeFmt = null, relFmt;

function dates() {
  if (!dateFmt) dateFmt = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
  return dateFmt;
}
function dateTimes() {
  if (!dateTimeFmt) {
    dateTimeFmt = new Intl.DateTimeFormat(undefined, {
      day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit',
    });
  }
  return dateTimeFmt;
}
function relative() {
  if (relFmt === undefined) {
    relFmt = typeof Intl.RelativeTimeFormat === 'function'
      ? new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' }) : null;
  }
  return relFmt;
}

export function warmDates() { dates(); dateTimes(); relative(); }

export function fmtDate(iso) { return iso ? dates().format(new Date(iso)) : ''; }
export function fmtDateTime(iso) { return iso ? dateTimes().format(new Date(iso)) : ''; }
export function fmtDay(ymd) {
  if (!ymd) return '';
  const [y, m, d] = ymd.split('-').map(Number);
  return dates().format(new Date(y, m - 1, d));
}

export function fmtRelative(iso) {
  if (!iso) return '';
  const secs = (new Date(iso).getTime() - Date.now()) / 1000;
  const rel = relative();
  if (!rel) return fmtDateTime(iso);
  const a = Math.abs(secs);
  if (a < 60) return rel.format(Math.round(secs), 'second');
  if (a < 3600) return rel.format(Math.round(secs / 60), 'minute');
  if (a < 86400) return rel.format(Math.round(secs / 3600), 'hour');
  if (a < 86400 * 45) return rel.format(Math.round(secs / 86400), 'day');
  if (a < 86400 * 365) return rel.format(Math.round(secs / (86400 * 30)), 'month');
  return rel.format(Math.round(secs / (86400 * 365)), 'year');
}

/* A <time> element: relative words, the exact time as its datetime and title. */
export function time(iso, withTime = true) {
  if (!iso) return h('span', null, '—');
  const exact = withTime ? fmtDateTime(iso) : fmtDate(iso);
  return h('time', { datetime: iso, title: exact }, exact + ' (' + fmtRelative(iso) + ')');
}

function pad(n) { return String(n).padStart(2, '0'); }

export function toLocalInput(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function fromLocalInput(value) {
  if (!value) return '';
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value; /* the API will say what is wrong */
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function dl(pairs) {
  return h('dl', { class: 'facts' }, pairs.filter((p) => p && p[1] !== null && p[1] !== undefined && p[1] !== '')
    .map(([t, d]) => [h('dt', null, t), h('dd', null, d)]));
}

export function subnav(label, links, here) {
  return h('nav', { class: 'subnav', 'aria-label': label }, h('ul', null, links.map(([p, t]) =>
    h('li', null, h('a', { href: '#' + p, 'aria-current': p === here ? 'page' : null }, t)))));
}

/* ---- buttons ---- */

export function button(text, onClick, opts = {}) {
  const b = h('button', { type: opts.type || 'button', class: opts.cls || null }, text);
  if (opts.label) b.setAttribute('aria-label', opts.label);
  if (onClick) {
    b.addEventListener('click', async (ev) => {
      if (b.disabled) return;
      b.disabled = true;
      b.setAttribute('aria-busy', 'true');
      try { await onClick(ev); } finally { b.disabled = false; b.removeAttribute('aria-busy'); }
    });
  }
  return b;
}

/* ---- forms ---- */

let uid = 0;
function nextId(prefix) { uid += 1; return `${prefix}-${uid}`; }

export function field(spec) {
  const id = nextId('f-' + spec.name.replace(/[^a-z0-9_-]/gi, ''));
  const errId = id + '-err';
  const hintId = spec.hint ? id + '-hint' : null;
  const pointer = spec.pointer || '/' + spec.name;
  const described = [hintId, errId].filter(Boolean).join(' ');
  const type = spec.type || 'text';
  const common = {
    id, name: spec.name, 'data-pointer': pointer, 'data-kind': type,
    'aria-describedby': described, required: !!spec.required,
    autocomplete: spec.autocomplete || null,
  };
  let control;
  if (type === 'textarea' || type === 'list') {
    control = h('textarea', { ...common, rows: spec.rows || (type === 'list' ? 2 : 4), maxlength: spec.maxlength || null });
    control.value = Array.isArray(spec.value) ? spec.value.join(', ') : (spec.value ?? '');
  } else if (type === 'select') {
    control = h('select', { ...common, 'data-numeric': spec.numeric ? 'true' : null },
      spec.required && !spec.placeholder ? null : h('option', { value: '' }, spec.placeholder || '—'),
      (spec.options || []).map(([v, l]) => h('option', { value: String(v) }, l)));
    if (spec.value !== undefined && spec.value !== null) control.value = String(spec.value);
  } else if (type === 'radio') {
    const legendId = id + '-legend';
    const group = h('fieldset', { class: ['field', 'radios', spec.cls], 'data-pointer': pointer, 'data-kind': 'radio',
      'data-name': spec.name, 'aria-describedby': described, 'data-numeric': spec.numeric ? 'true' : null },
      h('legend', { id: legendId }, spec.label, spec.required ? null : h('span', { class: 'optional' }, ' (optional)')),
      spec.hint ? h('p', { class: 'hint', id: hintId }, spec.hint) : null,
      h('div', { class: 'radio-row' }, (spec.options || []).map(([v, l], i) => {
        const rid = `${id}-${i}`;
        const r = h('input', { type: 'radio', id: rid, name: spec.name, value: String(v),
          required: !!spec.required });
        if (spec.value !== undefined && String(spec.value) === String(v)) { r.checked = true; r.defaultChecked = true; }
        return h('div', { class: 'radio' }, r, h('label', { for: rid }, l));
      })),
      h('p', { class: 'field-error', id: errId, hidden: true }));
    return group;
  } else if (type === 'checkbox') {
    control = h('input', { ...common, type: 'checkbox', required: false });
    control.checked = !!spec.value;
    return h('div', { class: 'field check' }, control, h('label', { for: id }, spec.label),
      spec.hint ? h('p', { class: 'hint', id: hintId }, spec.hint) : null,
      h('p', { class: 'field-error', id: errId, hidden: true }));
  } else {
    const htmlType = type === 'datetime' ? 'datetime-local' : type;
    control = h('input', { ...common, type: htmlType, min: spec.min ?? null, max: spec.max ?? null,
      step: spec.step ?? null, maxlength: spec.maxlength || null,
      inputmode: type === 'number' ? (spec.step && spec.step !== 1 ? 'decimal' : 'numeric') : null });
    if (spec.value !== undefined && spec.value !== null)
      control.value = type === 'datetime' ? toLocalInput(spec.value) : String(spec.value);
  }
  return h('div', { class: ['field', spec.cls] },
    h('label', { for: id }, spec.label, spec.required ? null : h('span', { class: 'optional' }, ' (optional)')),
    spec.hint ? h('p', { class: 'hint', id: hintId }, spec.hint) : null,
    control,
    h('p', { class: 'field-error', id: errId, hidden: true }));
}

function typed(kind, raw, el) {
  if (kind === 'number') {
    if (raw === '') return undefined;
    const n = Number(raw);
    return Number.isFinite(n) ? n : raw;
  }
  if (kind === 'datetime') return raw === '' ? undefined : fromLocalInput(raw);
  if (kind === 'list') {
    const items = raw.split(/[\n,]/).map((s) => s.trim()).filter(Boolean);
    return items.length || el.required ? items : undefined;
  }
  return raw === '' ? undefined : raw;
}

/* Sets value at a JSON pointer inside obj ("/levels/-2" -> obj.levels["-2"]). */
function setAt(obj, pointer, value) {
  const parts = pointer.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  let o = obj;
  for (let i = 0; i < parts.length - 1; i++) {
    if (typeof o[parts[i]] !== 'object' || o[parts[i]] === null) o[parts[i]] = {};
    o = o[parts[i]];
  }
  o[parts[parts.length - 1]] = value;
}

export function formValues(formEl) {
  const out = {};
  for (const el of formEl.querySelectorAll('[data-pointer]')) {
    const kind = el.dataset.kind;
    if (el.dataset.skip === 'true' || el.closest('[hidden]')) continue; /* hidden fields are not sent */
    let v;
    if (kind === 'radio') {
      const checked = el.querySelector('input[type=radio]:checked');
      v = checked && checked.value !== '' ? checked.value : undefined;
    } else if (kind === 'checkbox') {
      v = el.checked;
    } else {
      v = typed(kind, el.value, el);
    }
    if (typeof v === 'string' && el.dataset.numeric === 'true' && /^-?\d+$/.test(v)) v = Number(v);
    if (v !== undefined) setAt(out, el.dataset.pointer, v);
  }
  return out;
}

function formAlert(formEl) {
  let box = formEl.querySelector(':scope > .form-alert');
  if (!box) {
    box = h('div', { class: 'form-alert alert', role: 'alert', tabindex: '-1', hidden: true });
    formEl.prepend(box);
  }
  return box;
}

export function clearProblems(formEl) {
  for (const el of formEl.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  for (const el of formEl.querySelectorAll('.field-error')) { el.textContent = ''; el.hidden = true; }
  for (const el of formEl.querySelectorAll('.field.invalid')) el.classList.remove('invalid');
  const box = formEl.querySelector(':scope > .form-alert');
  if (box) { replace(box); box.hidden = true; }
}

/* The control for a pointer: exact match, else the nearest ancestor pointer. */
function controlFor(formEl, pointer) {
  const all = [...formEl.querySelectorAll('[data-pointer]')];
  let p = pointer;
  while (p) {
    const hit = all.find((el) => el.dataset.pointer === p);
    if (hit) return hit;
    p = p.slice(0, p.lastIndexOf('/'));
  }
  return null;
}

export function showProblem(formEl, err) {
  clearProblems(formEl);
  const loose = [];
  let first = null;
  const errors = err instanceof ApiError ? err.errors : [];
  for (const fe of errors) {
    const ctl = controlFor(formEl, fe.pointer || '');
    if (!ctl) { loose.push(fe); continue; }
    const wrap = ctl.closest('.field') || ctl;
    const msg = wrap.querySelector('.field-error');
    ctl.setAttribute('aria-invalid', 'true');
    wrap.classList.add('invalid');
    if (msg) {
      msg.textContent = msg.textContent ? msg.textContent + ' ' + fe.detail : fe.detail;
      msg.hidden = false;
    }
    if (!first) first = ctl.matches('fieldset') ? ctl.querySelector('input') : ctl;
  }
  const box = formAlert(formEl);
  if (!errors.length || loose.length) {
    const text = errors.length ? 'Some of this needs another look:' : errorText(err);
    replace(box, h('p', null, text),
      loose.length ? h('ul', null, loose.map((fe) => h('li', null, fe.detail))) : null);
    box.hidden = false;
    if (!first) box.focus();
  } else {
    replace(box, h('p', null, errors.length === 1 ? 'One field needs another look.' : `${errors.length} fields need another look.`));
    box.hidden = false;
  }
  if (first) first.focus();
}

function errorText(err) {
  if (err instanceof ApiError) return err.detail;
  return (err && err.message) || 'Something went wrong.';
}

export function form({ fields = [], submit = 'Save', onSubmit, reset = false, extra = null, cls = null, label = null }) {
  const btn = h('button', { type: 'submit', class: 'primary' }, submit);
  const f = h('form', { class: ['form', cls], novalidate: true, 'aria-label': label }, fields, extra,
    h('div', { class: 'actions' }, btn));
  f.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (btn.disabled) return;
    clearProblems(f);
    btn.disabled = true;
    f.setAttribute('aria-busy', 'true');
    try {
      await onSubmit(formValues(f), f);
      if (reset) f.reset();
    } catch (err) {
      if (err instanceof ApiError && err.handled) return;
      showProblem(f, err);
    } finally {
      btn.disabled = false;
      f.removeAttribute('aria-busy');
    }
  });
  return f;
}

/* ---- lists ---- */

export function pager(opts) {
  if (opts.all) return allPager(opts);
  const { load, item, empty: emptyText = 'Nothing here yet.', label = null, list = 'ul', cls = 'items' } = opts;
  const ul = h(list, { class: cls, 'aria-label': label });
  const status = h('div', { class: 'pager-status' });
  const more = h('button', { type: 'button', class: 'more', hidden: true }, 'Load more');
  const wrap = h('div', { class: 'pager' }, ul, status, more);
  let next = null;
  let count = 0;
  async function fetchPage(after) {
    replace(status, loading());
    more.hidden = true;
    try {
      const page = await load(after);
      replace(status);
      const items = page && page.items ? page.items : [];
      let firstNew = null;
      for (const x of items) {
        const node = item(x);
        if (!node) continue;
        ul.appendChild(node);
        count += 1;
        if (!firstNew) firstNew = node;
      }
      next = page ? page.next : null;
      more.hidden = next === null || next === undefined;
      if (!count) replace(status, empty(emptyText));
      return firstNew;
    } catch (err) {
      if (err instanceof ApiError && err.handled) return null;
      replace(status, errorBox(err));
      return null;
    }
  }
  more.addEventListener('click', async () => {
    more.disabled = true;
    const firstNew = await fetchPage(next);
    more.disabled = false;
    if (firstNew) {
      const target = firstNew.querySelector('a, button, h3, h4') || firstNew;
      if (!target.hasAttribute('tabindex') && !target.matches('a, button')) target.setAttribute('tabindex', '-1');
      target.focus();
      announce('More loaded.');
    }
  });
  wrap.ready = fetchPage(undefined);
  wrap.reload = () => { replace(ul); count = 0; return fetchPage(undefined); };
  return wrap;
}

/* The API lists oldest first. For lists a person reads newest first (or in another order),
 * allPager fetches every page of path (api.all: 100 at a time, up to `pages` pages) and shows
 * `step` at a time, newest first unless sort(a, b) says otherwise; "Show older" reveals the
 * next ones. */
function allPager({ path, query = undefined, item, empty: emptyText = 'Nothing here yet.', label = null, list = 'ul',
  cls = 'items', sort = null, step = 20, pages = 20, moreText = 'Show older' }) {
  const ul = h(list, { class: cls, 'aria-label': label });
  const status = h('div', { class: 'pager-status' });
  const more = h('button', { type: 'button', class: 'more', hidden: true }, moreText);
  const wrap = h('div', { class: 'pager' }, ul, status, more);
  let items = [];
  let shown = 0;
  function reveal() {
    let firstNew = null;
    const end = Math.min(items.length, shown + step);
    for (; shown < end; shown++) {
      const node = item(items[shown]);
      if (!node) continue;
      ul.appendChild(node);
      if (!firstNew) firstNew = node;
    }
    more.hidden = shown >= items.length;
    return firstNew;
  }
  async function fetchAll() {
    replace(status, loading());
    more.hidden = true;
    try {
      const got = await api.all(path, query, pages);
      items = sort ? got.sort(sort) : got.reverse();
      shown = 0;
      replace(status);
      reveal();
      if (!items.length) replace(status, empty(emptyText));
    } catch (err) {
      if (err instanceof ApiError && err.handled) return;
      replace(status, errorBox(err));
    }
  }
  more.addEventListener('click', () => {
    const firstNew = reveal();
    if (firstNew) {
      const target = firstNew.querySelector('a, button, h3, h4') || firstNew;
      if (!target.hasAttribute('tabindex') && !target.matches('a, button')) target.setAttribute('tabindex', '-1');
      target.focus();
      announce('More shown.');
    }
  });
  wrap.ready = fetchAll();
  wrap.reload = () => { replace(ul); return fetchAll(); };
  return wrap;
}

/* A panel section with an h2 heading; subsection() is the same with an h3 (inside a tab of
 * the relationship page, whose tab title is the h2). */
export function section(title, ...children) {
  const id = nextId('s');
  return h('section', { class: 'panel', 'aria-labelledby': id }, h('h2', { id }, title), children);
}

export function subsection(title, ...children) {
  const id = nextId('s');
  return h('section', { class: 'panel', 'aria-labelledby': id }, h('h3', { id }, title), children);
}

/* A <details> disclosure whose summary is a button-like toggle. */
export function disclosure(summary, ...children) {
  return h('details', { class: 'disclosure' }, h('summary', null, summary), h('div', { class: 'disclosure-body' }, children));
}

/* A small coloured tag with text (colour is never the only signal). */
export function badge(text, kind) {
  return h('span', { class: ['badge', kind ? 'badge-' + kind : null] }, text);
}
