// The "For you" view: search by words (text and sound tags), recommendations from listening data with
// their reason, and importing listening history or shared co-listening data.

import { api, errorText } from './api/index.js';
import { $, el } from './dom.js';

let notify = () => {};

/** A playable list of tracks; `extra(item)` gives the right-hand note of a row. */
function trackList(list, items, context, extra, emptyText) {
  const ids = items.map((item) => item.track.id);
  list.replaceChildren(...items.map((item, index) => el('li', {
    dataset: { id: item.track.id },
    title: 'Double-click to play from here',
    ondblclick: () => api.playTracks(ids, index, context).catch((e) => notify(errorText(e), 'error')),
  }, [
    el('div', { class: 'q-text' }, [
      el('div', { class: 'q-title', text: item.track.title }),
      el('div', { class: 'q-artist', text: item.track.artist }),
    ]),
    extra(item),
  ])));
  if (!items.length) list.replaceChildren(el('li', { class: 'none', text: emptyText }));
}

async function find() {
  const query = $('find-input').value.trim();
  if (!query) return;
  const found = await api.findTracks(query, 50);
  trackList($('find-list'), found, 'search',
    () => null, `Nothing in the library matches “${query}”.`);
}

/** Reloads the recommendations (called whenever the view is shown and after an import). */
export async function refreshForYou() {
  const recs = await api.forYou(30);
  trackList($('foryou-list'), recs, 'discover',
    (r) => el('span', { class: 'q-reason', text: r.because ? `because you played ${r.because}` : '' }),
    'Nothing to suggest yet: play more music, or import your listening history or shared listening data below.');
}

function reportLine(report) {
  if (report.already_imported) return `${report.path}: already imported, nothing changed`;
  const rate = Math.round(report.match_rate * 100);
  return `${report.path}: ${report.imported} imported, ${report.skipped} skipped; ${report.matched} of ${report.items} in your library (${rate} %)`;
}

function fileName(path) {
  return path.split(/[\\/]/).pop();
}

/** An `importing` job event: bytes `done` of `total` of file `current`, the `index`th of `files`. */
function showProgress({ current, index, files, done, total }) {
  const share = total > 0 ? Math.min(1, done / total) : 0;
  $('import-bar').value = share;
  const of = files > 1 ? ` (${index} of ${files})` : '';
  $('import-status').textContent = `Importing ${fileName(current || '')}${of}: ${Math.round(share * 100)} %`;
}

/** A `tuning` job event: candidate model `done` of `total`, `current` the one being tried. */
function showTuning({ done, total, current }) {
  $('import-bar').value = total > 0 ? Math.min(1, done / total) : 0;
  $('import-status').textContent = current
    ? `Choosing the best model for this data (${done + 1} of ${total}): ${current}`
    : 'Training the chosen model…';
}

/** Import progress, from the job events (see `api.onJobEvent`). */
export function onImportEvent(event) {
  if (event.event !== 'importing' && event.event !== 'tuning') return;
  $('import-progress').hidden = false;
  if (event.event === 'importing') showProgress(event);
  else showTuning(event);
}

/** What tuning chose for new shared data, as one line (text only: names come from files). */
export function tuningLine(tuning) {
  if (!tuning) return null;
  switch (tuning.outcome) {
    case 'tuned': {
      const { metric, winner, runner_up: runnerUp } = tuning;
      const score = (t) => `${metric} ${t.score.toFixed(3)} ± ${t.se.toFixed(3)}`;
      const second = runnerUp ? `; runner-up ${runnerUp.params} (${score(runnerUp)})` : '';
      return `Model chosen on ${tuning.validation_users} held-out listeners: ${winner.params} (${score(winner)})${second}.`;
    }
    case 'default': return `Using ${tuning.model}: ${tuning.reason}.`;
    case 'cancelled': return 'Model choice stopped: the previous model stays in use.';
    default: return null;
  }
}

async function importFiles() {
  const [kind, format] = $('import-format').value.split(':');
  const button = $('import-button');
  button.disabled = true;
  try {
    const outcome = await api.importListeningData(kind, format);
    if (!outcome) return; // the listener closed the file picker
    const results = $('import-results');
    results.replaceChildren(
      ...outcome.reports.map((r) => el('li', {}, [
        el('div', { text: reportLine(r) }),
        ...r.skipped_lines.slice(0, 5).map((s) => el('div', { class: 'hint', text: `skipped ${s.at}: ${s.reason}` })),
      ])),
      ...outcome.errors.map((e) => el('li', { class: 'error', text: e })),
      ...(tuningLine(outcome.tuning) ? [el('li', { class: 'tuning', text: tuningLine(outcome.tuning) })] : []),
      ...(outcome.cancelled ? [el('li', { class: 'hint', text: 'Stopped: the file under way and the ones after it were not imported.' })] : []),
    );
    await refreshForYou();
  } finally {
    button.disabled = false;
    $('import-progress').hidden = true;
  }
}

export function initForYou({ showMessage }) {
  notify = showMessage;
  $('find-form').addEventListener('submit', (event) => {
    event.preventDefault();
    find().catch((e) => notify(errorText(e), 'error'));
  });
  $('import-form').addEventListener('submit', (event) => {
    event.preventDefault();
    importFiles().catch((e) => notify(errorText(e), 'error'));
  });
  $('import-cancel').addEventListener('click', () => {
    api.jobControl('cancel').catch((e) => notify(errorText(e), 'error'));
  });
}
