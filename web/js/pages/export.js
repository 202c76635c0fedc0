/* export.js: export my data. The password is checked again first
 * (POST /session/confirm {password} -> {confirmed_until}), or, for an account linked to a
 * sign-in provider, through the provider (access.js passwordForm), then GET /me/export is
 * fetched and offered as a file through a Blob and an object URL: the data stays in this
 * tab's memory (never in storage or in a URL anyone else could open) and the URL is
 * revoked when the page is left.
 */
import { ApiError } from '../api.js';
import { h, replace, announce, badge } from '../ui.js';
import { myDataNav, passwordForm } from './access.js';

function fileName(res) {
  const cd = res.headers.get('Content-Disposition') || '';
  const m = /filename="?([^";]+)"?/i.exec(cd);
  if (m) return m[1];
  return `rapport-export-${new Date().toISOString().slice(0, 10)}.json`;
}

export async function render(ctx) {
  const main = ctx.main;
  let url = null;
  const result = h('div', { class: 'export-result', 'aria-live': 'polite' });
  const f = passwordForm('Export my data', async () => {
    const res = await fetch('/api/v1/me/export', { credentials: 'same-origin', cache: 'no-store', headers: { Accept: 'application/json' } });
    if (!res.ok) {
      let problem = null;
      try { problem = await res.json(); } catch (e) { /* not JSON */ }
      throw new ApiError(res.status, problem, res.statusText);
    }
    const blob = await res.blob();
    if (url) URL.revokeObjectURL(url);
    url = URL.createObjectURL(blob);
    const name = fileName(res);
    const link = h('a', { href: url, download: name, class: 'button primary' }, `Save ${name}`);
    replace(result, h('p', null, badge('Ready', 'ok'), ` Your export (${Math.max(1, Math.round(blob.size / 1024))} KB) is ready. `), link,
      h('p', { class: 'hint' }, 'Keep the file somewhere safe: it holds everything you wrote, in plain text.'));
    link.click();
    announce('Your export is ready and is being saved.');
  });
  replace(main,
    h('h1', null, 'My data'), myDataNav('/me/export'), h('h2', null, 'Export my data'),
    h('p', { class: 'lead' }, 'Download everything Rapport holds about you, including what you wrote, as one JSON file. You will be asked to confirm it is you first, with your password or your sign-in provider.'),
    h('div', { class: 'panel' }, f, result));
  return () => { if (url) URL.revokeObjectURL(url); };
}
