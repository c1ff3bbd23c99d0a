// Settings: library folders (remove, rescan, watch), playback (output device, normalisation),
// analysis (threads, when it waits, re-analyse all), recommendations (freshness, list size, what is
// left out), keeping what was learned (backup, export, restore) and where the data lives. Every
// value is checked by the core; a refused one is put back and the reason shown.

import { api, errorText } from './api/index.js';
import { $, el } from './dom.js';
import { availableLanguages, setLanguage, t } from './i18n.js';

let notify = () => {};
let hooks = { addFolder: async () => {}, rescan: async () => {}, openExclusions: () => {}, languageChanged: async () => {} };

/** Reads a control's value as the setting's JSON value. */
function valueOf(control) {
  if (control.type === 'checkbox') return control.checked;
  if (control.type === 'number') return Number(control.value);
  if (control.dataset.nullable !== undefined && control.value === '') return null;
  return control.value;
}

function showValue(control, value) {
  if (control.type === 'checkbox') control.checked = Boolean(value);
  else control.value = value === null || value === undefined ? '' : String(value);
}

async function refreshFolderList() {
  const folders = await api.folders();
  const rows = folders.map((f) => el('li', { dataset: { path: f.path } }, [
    el('span', { class: 'settings-folder', text: f.path }),
    el('button', {
      class: 'remove-folder',
      'aria-label': t('settings.remove_folder_label', { path: f.path }),
      text: t('settings.remove'),
      onclick: () => api.removeFolder(f.path)
        .then(() => { notify(t('settings.folder_removed', { path: f.path })); return refreshFolderList(); })
        .catch((e) => notify(errorText(e), 'error')),
    }),
  ]));
  if (!rows.length) rows.push(el('li', { class: 'none', text: t('settings.no_folders') }));
  $('settings-folders').replaceChildren(...rows);
}

export async function refreshSettings() {
  const view = await api.settingsView();
  const devices = $('set-output_device');
  devices.replaceChildren(
    el('option', { value: '', text: t('settings.system_default') }),
    ...view.devices.map((name) => el('option', { value: name, text: name })),
  );
  $('set-language').replaceChildren(
    el('option', { value: '', text: t('settings.follow_system') }),
    ...availableLanguages().map((l) => el('option', { value: l.tag, text: l.name, lang: l.tag })),
  );
  const threads = $('set-analysis_threads');
  threads.max = String(view.cores);
  $('settings-cores').textContent = t('settings.of_cores', { n: view.cores });
  for (const s of view.settings) {
    const control = $(`set-${s.key}`);
    if (!control) continue;
    // A device named in the settings but not present now stays shown as chosen.
    if (s.key === 'output_device' && s.value && !view.devices.includes(s.value)) {
      devices.append(el('option', { value: s.value, text: t('settings.not_connected', { name: s.value }) }));
    }
    showValue(control, s.value);
    control.dataset.saved = JSON.stringify(s.value);
    control.title = t(`settings.about_${s.key}`);
  }
  $('settings-data-dir').textContent = view.data_dir;
  $('count').textContent = '';
  await refreshFolderList();
}

async function save(control) {
  const key = control.id.slice('set-'.length);
  try {
    await api.setSetting(key, valueOf(control));
    control.dataset.saved = JSON.stringify(valueOf(control));
    control.removeAttribute('aria-invalid');
    notify('');
    if (key === 'language') {
      await setLanguage(valueOf(control));
      await hooks.languageChanged();
    }
  } catch (e) {
    showValue(control, JSON.parse(control.dataset.saved ?? 'null'));
    control.setAttribute('aria-invalid', 'true');
    notify(errorText(e), 'error');
  }
}

/** Asks for a folder, then runs `work` on it and says what it did. */
async function withFolder(work, said) {
  try {
    const folder = await api.pickFolder();
    if (!folder) return;
    notify(said(await work(folder)));
  } catch (e) {
    notify(errorText(e), 'error');
  }
}

export function initSettings({ showMessage, addFolder, rescan, openExclusions, languageChanged }) {
  notify = showMessage;
  hooks = { addFolder, rescan, openExclusions, languageChanged };
  for (const control of document.querySelectorAll('#view-settings [id^="set-"]')) {
    control.addEventListener('change', () => save(control));
  }
  $('settings-add-folder').addEventListener('click', async () => {
    const path = await api.pickFolder().catch((e) => { notify(errorText(e), 'error'); return null; });
    if (path) { await hooks.addFolder(path); await refreshFolderList(); }
  });
  $('settings-rescan').addEventListener('click', () => hooks.rescan());
  $('settings-exclusions').addEventListener('click', () => hooks.openExclusions());
  $('settings-reanalyse').addEventListener('click', () => api.reanalyseAll()
    .then((n) => notify(t('settings.reanalyse_started', { n })))
    .catch((e) => notify(errorText(e), 'error')));
  $('settings-backup').addEventListener('click', () => withFolder(api.backupLibrary,
    (r) => t('settings.backed_up', { path: r.path, kb: Math.round(r.bytes / 1024) })));
  $('settings-export').addEventListener('click', () => withFolder(api.exportLearned,
    (s) => t('settings.exported', { plays: s.plays, likes: s.likes, hides: s.hides, playlists: s.playlists })));
  $('settings-restore').addEventListener('click', () => withFolder(api.restoreLearned,
    (r) => [
      t('settings.restored', { plays: r.plays_added, verdicts: r.verdicts, playlists: r.playlists_added }),
      r.plays_unmatched ? t('settings.restored_unmatched', { n: r.plays_unmatched }) : '',
      r.skipped_lines.length ? t('settings.restored_skipped', { n: r.skipped_lines.length, line: r.skipped_lines[0].line }) : '',
    ].filter(Boolean).join(' ')));
}
