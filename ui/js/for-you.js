// The "For you" view: search by words (text and sound tags), recommendations from listening data with
// their reason, and importing listening history or shared co-listening data.

import { api, errorText } from './api/index.js';
import { $, el } from './dom.js';
import { formatNumber, t } from './i18n.js';

let notify = () => {};

/** A playable list of tracks; `extra(item)` gives the right-hand note of a row. */
function trackList(list, items, context, extra, emptyText) {
  const ids = items.map((item) => item.track.id);
  list.replaceChildren(...items.map((item, index) => el('li', {
    dataset: { id: item.track.id },
    title: t('list.double_click_from_here'),
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
    () => null, t('find.nothing', { query }));
}

/** Reloads the recommendations (called whenever the view is shown and after an import). */
export async function refreshForYou() {
  const recs = await api.forYou(30);
  trackList($('foryou-list'), recs, 'discover',
    (r) => el('span', { class: 'q-reason', text: r.because ? t('reason.because_you_played', { subject: r.because }) : '' }),
    t('foryou.nothing'));
}

function reportLine(report) {
  if (report.already_imported) return t('import.already', { path: report.path });
  return t('import.report', {
    path: report.path, imported: report.imported, skipped: report.skipped, matched: report.matched,
    items: report.items, rate: formatNumber(report.match_rate, { style: 'percent' }),
  });
}

function fileName(path) {
  return path.split(/[\\/]/).pop();
}

/** An `importing` job event: bytes `done` of `total` of file `current`, the `index`th of `files`. */
function showProgress({ current, index, files, done, total }) {
  const share = total > 0 ? Math.min(1, done / total) : 0;
  $('import-bar').value = share;
  const percent = formatNumber(share, { style: 'percent' });
  $('import-status').textContent = files > 1
    ? t('import.progress_of', { file: fileName(current || ''), index, files, percent })
    : t('import.progress', { file: fileName(current || ''), percent });
}

/** A `tuning` job event: candidate model `done` of `total`, `current` the one being tried. */
function showTuning({ done, total, current }) {
  $('import-bar').value = total > 0 ? Math.min(1, done / total) : 0;
  $('import-status').textContent = current
    ? t('import.tuning', { index: done + 1, total, model: current })
    : t('import.training');
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
      const digits = { minimumFractionDigits: 3, maximumFractionDigits: 3 };
      const score = (c) => `${metric} ${formatNumber(c.score, digits)} ± ${formatNumber(c.se, digits)}`;
      const chosen = t('import.tuned', { n: tuning.validation_users, model: winner.params, score: score(winner) });
      return runnerUp ? `${chosen} ${t('import.runner_up', { model: runnerUp.params, score: score(runnerUp) })}` : chosen;
    }
    case 'default': return t('import.default_model', { model: tuning.model, reason: tuning.reason });
    case 'cancelled': return t('import.tuning_cancelled');
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
        ...r.skipped_lines.slice(0, 5).map((s) => el('div', { class: 'hint', text: t('import.skipped_line', { at: s.at, reason: s.reason }) })),
      ])),
      ...outcome.errors.map((e) => el('li', { class: 'error', text: e })),
      ...(tuningLine(outcome.tuning) ? [el('li', { class: 'tuning', text: tuningLine(outcome.tuning) })] : []),
      ...(outcome.cancelled ? [el('li', { class: 'hint', text: t('import.stopped') })] : []),
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
