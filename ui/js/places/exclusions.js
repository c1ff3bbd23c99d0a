// "Leave out": the artists, genres and folders kept out of Discover Daily, For you and mixes, each
// with an undo; new ones from a song's menu or typed here.

import { api, errorText } from '../api/index.js';
import { $, el } from '../dom.js';
import { t } from '../i18n.js';

let notify = () => {};

export async function refreshExclusions() {
  const exclusions = await api.exclusions();
  const rows = exclusions.map((e) => el('li', { dataset: { id: e.id, kind: e.kind } }, [
    el('span', { class: 'ex-kind', text: t(`exclusions.kind_${e.kind}`) }),
    el('span', { class: 'ex-label', text: e.label }),
    el('button', {
      class: 'undo',
      'aria-label': t('exclusions.bring_back_label', { label: e.label }),
      text: t('exclusions.bring_back'),
      onclick: () => api.include(e.id)
        .then(() => { notify(t('exclusions.back', { label: e.label })); return refreshExclusions(); })
        .catch((err) => notify(errorText(err), 'error')),
    }),
  ]));
  if (!rows.length) rows.push(el('li', { class: 'none', text: t('exclusions.none') }));
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
