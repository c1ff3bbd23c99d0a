// "Leave out": the artists, genres and folders kept out of Discover Daily, For you and mixes, each
// with an undo; new ones from a song's menu or typed here.

import { api, errorText } from '../api/index.js';
import { $, el } from '../dom.js';

let notify = () => {};
const KINDS = { artist: 'Artist', genre: 'Genre', folder: 'Folder' };

export async function refreshExclusions() {
  const exclusions = await api.exclusions();
  const rows = exclusions.map((e) => el('li', { dataset: { id: e.id, kind: e.kind } }, [
    el('span', { class: 'ex-kind', text: KINDS[e.kind] || e.kind }),
    el('span', { class: 'ex-label', text: e.label }),
    el('button', {
      class: 'undo',
      'aria-label': `Bring back ${e.label}`,
      text: 'Bring back',
      onclick: () => api.include(e.id)
        .then(() => { notify(`${e.label} is back in your lists from the next one on.`); return refreshExclusions(); })
        .catch((err) => notify(errorText(err), 'error')),
    }),
  ]));
  if (!rows.length) rows.push(el('li', { class: 'none', text: 'Nothing is left out. Use a song\'s menu (right-click or ⋯) to leave out its artist, genre or folder.' }));
  $('exclusion-list').replaceChildren(...rows);
  $('count').textContent = '';
}

export function initExclusions({ showMessage }) {
  notify = showMessage;
  $('exclusion-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const label = $('exclusion-label').value.trim();
    if (!label) { $('exclusion-label').focus(); return; }
    api.exclude($('exclusion-kind').value, label)
      .then(() => { $('exclusion-label').value = ''; return refreshExclusions(); })
      .catch((e) => notify(errorText(e), 'error'));
  });
}
