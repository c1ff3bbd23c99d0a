// Settings: library folders (remove, rescan, watch), playback (output device, normalisation),
// analysis (threads, when it waits, re-analyse all), recommendations (freshness, list size, what is
// left out), keeping what was learned (backup, export, restore) and where the data lives. Every
// value is checked by the core; a refused one is put back and the reason shown.

import { api, errorText } from './api/index.js';
import { $, el } from './dom.js';

let notify = () => {};
let hooks = { addFolder: async () => {}, rescan: async () => {}, openExclusions: () => {} };

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
      'aria-label': `Remove ${f.path} from the library`,
      text: 'Remove',
      onclick: () => api.removeFolder(f.path)
        .then(() => { notify(`${f.path} is no longer in the library; its songs keep their history.`); return refreshFolderList(); })
        .catch((e) => notify(errorText(e), 'error')),
    }),
  ]));
  if (!rows.length) rows.push(el('li', { class: 'none', text: 'No music folders yet.' }));
  $('settings-folders').replaceChildren(...rows);
}

export async function refreshSettings() {
  const view = await api.settingsView();
  const devices = $('set-output_device');
  devices.replaceChildren(
    el('option', { value: '', text: 'System default' }),
    ...view.devices.map((name) => el('option', { value: name, text: name })),
  );
  const threads = $('set-analysis_threads');
  threads.max = String(view.cores);
  $('settings-cores').textContent = `of ${view.cores} (0 = all)`;
  for (const s of view.settings) {
    const control = $(`set-${s.key}`);
    if (!control) continue;
    // A device named in the settings but not present now stays shown as chosen.
    if (s.key === 'output_device' && s.value && !view.devices.includes(s.value)) {
      devices.append(el('option', { value: s.value, text: `${s.value} (not connected)` }));
    }
    showValue(control, s.value);
    control.dataset.saved = JSON.stringify(s.value);
    control.title = s.about;
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

export function initSettings({ showMessage, addFolder, rescan, openExclusions }) {
  notify = showMessage;
  hooks = { addFolder, rescan, openExclusions };
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
    .then((n) => notify(`${n} songs will be analysed again, in the background.`))
    .catch((e) => notify(errorText(e), 'error')));
  $('settings-backup').addEventListener('click', () => withFolder(api.backupLibrary,
    (r) => `Backed up to ${r.path} (${Math.round(r.bytes / 1024)} KB).`));
  $('settings-export').addEventListener('click', () => withFolder(api.exportLearned,
    (s) => `Exported ${s.plays} plays, ${s.likes} likes, ${s.hides} hidden songs and ${s.playlists} playlists.`));
  $('settings-restore').addEventListener('click', () => withFolder(api.restoreLearned,
    (r) => `Restored ${r.plays_added} plays, ${r.verdicts} likes and hides, ${r.playlists_added} playlists`
      + `${r.plays_unmatched ? ` (${r.plays_unmatched} plays of songs not in this library)` : ''}`
      + `${r.skipped_lines.length ? `; ${r.skipped_lines.length} unreadable lines skipped, the first at line ${r.skipped_lines[0].line}` : ''}.`));
}
