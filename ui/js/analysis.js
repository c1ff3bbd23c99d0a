// The background audio analysis (status panel with pause/stop) and the track view: what the analysis
// found, and "more like this sound".

import { api, errorText } from './api/index.js';
import { $, el, formatDuration } from './dom.js';
import { lyricsLines } from './lyrics.js';
import { formatNumber, t, tOr } from './i18n.js';

let notify = () => {};
let analysisChanged = () => {};
let lastRefresh = 0;

/** "A minor" → "Am", "C major" → "C". */
export function shortKey(key) {
  if (!key) return '';
  const [tonic, mode] = key.split(' ');
  return mode === 'minor' ? `${tonic}m` : tonic;
}

/** The library row's key cell: "Am · 8A". */
export function keyCell(track) {
  if (!track.key) return '';
  return track.camelot ? `${shortKey(track.key)} · ${track.camelot}` : shortKey(track.key);
}

function setPaused(paused) {
  const button = $('analysis-pause');
  button.textContent = t(paused ? 'analysis.resume' : 'page.pause');
  button.dataset.paused = paused ? 'true' : 'false';
}

/** The analysis panel, from the job events (see `api.onJobEvent`). */
export function onAnalysisEvent(event) {
  const box = $('analysis-status');
  if (event.event === 'analysing') {
    box.hidden = false;
    $('analysis-label').textContent = t('analysis.analysing', { done: event.done, total: event.total });
    $('analysis-progress').max = event.total || 1;
    $('analysis-progress').value = event.done;
    const path = event.current || '';
    $('analysis-file').textContent = path.split(/[\\/]/).pop();
    $('analysis-file').title = path;
    setPaused(event.state === 'paused');
    // New BPM and key values appear in the list now and then, not on every track.
    if (Date.now() - lastRefresh > 3000) {
      lastRefresh = Date.now();
      analysisChanged();
    }
  } else if (event.event === 'state' && !box.hidden) {
    setPaused(event.state === 'paused');
    if (event.state === 'cancelled') $('analysis-label').textContent = t('analysis.stopping');
  } else if (event.event === 'analysed') {
    box.hidden = true;
    const note = $('analysis-note');
    const parts = [];
    if (event.analysed) parts.push(t('analysis.analysed', { n: event.analysed }));
    if (event.failed.length) parts.push(t('analysis.failed_count', { n: event.failed.length }));
    if (event.cancelled) parts.push(t('analysis.stopped_left', { n: event.remaining }));
    let text = parts.length ? t('analysis.summary', { parts: parts.join(', ') }) : '';
    if (event.cnn_unavailable) {
      text += ` ${t('analysis.cnn_unavailable', { why: event.cnn_unavailable })}`;
    }
    note.textContent = text.trim();
    note.hidden = !note.textContent;
    analysisChanged();
  } else if (event.event === 'embedding') {
    box.hidden = false;
    $('analysis-label').textContent = t('analysis.embedding', { done: event.done, total: event.total });
    $('analysis-progress').max = event.total || 1;
    $('analysis-progress').value = event.done;
    $('analysis-file').textContent = '';
  } else if (event.event === 'embedded') {
    box.hidden = true;
    if (event.unavailable) {
      const note = $('analysis-note');
      const text = t('analysis.text_model_unavailable', { why: event.unavailable });
      note.textContent = [note.hidden ? '' : note.textContent, text].filter(Boolean).join(' ');
      note.hidden = false;
    }
  } else if (event.event === 'failed' && (event.stage === 'analysis' || event.stage === 'embedding')) {
    box.hidden = true;
    notify(t('analysis.failed', { message: event.message }), 'error');
  }
}

/** Where lyrics were read, as the track view names it. */
function lyricsSource(lyrics) {
  const where = t(`lyrics.source_${lyrics.source}`);
  return lyrics.timed ? t('lyrics.source_timed', { where }) : t('lyrics.source', { where });
}

function fact(label, value) {
  return value === null || value === undefined || value === '' ? [] : [el('dt', { text: label }), el('dd', { text: value })];
}

/** "A minor" in the window's language ("A 단조"). */
function keyName(key) {
  const [tonic, mode] = key.split(' ');
  return t(mode === 'minor' ? 'key.minor' : 'key.major', { tonic });
}

/** The metre as the track view shows it: known only when the analysis is sure of it. */
export function metreText(analysis) {
  if (!analysis.metre) return t('analysis.metre_unclear');
  return analysis.metre_confident ? analysis.metre : t('analysis.metre_perhaps', { metre: analysis.metre });
}

function closeTrackPanel() {
  $('track-panel').hidden = true;
}

/** Opens the track view for `id`. */
export async function showTrack(id) {
  const details = await api.trackDetails(id);
  const { track, analysis } = details;
  if (!$('queue-panel').hidden) $('np-queue-toggle').click();
  if (!$('lyrics-panel').hidden) $('np-lyrics-toggle').click();
  const panel = $('track-panel');
  panel.dataset.id = String(track.id);
  $('tp-title').textContent = track.title;
  $('tp-artist').textContent = [track.artist, track.album].filter(Boolean).join(' — ');
  const facts = [...fact(t('track.length'), formatDuration(track.duration_s)), ...fact(t('track.format'), track.codec)];
  let note = '';
  if (!analysis) note = t('track.not_analysed');
  else if (analysis.error) note = t('track.analysis_error', { error: analysis.error });
  else {
    const num = (v, digits, unit) => (v === null || v === undefined ? null : `${formatNumber(v, { minimumFractionDigits: digits, maximumFractionDigits: digits })} ${unit}`);
    facts.push(
      ...fact(t('track.tempo'), num(analysis.tempo_bpm, 0, 'BPM')),
      ...fact(t('track.key'), analysis.key && `${keyName(analysis.key)}${analysis.camelot ? ` (${analysis.camelot})` : ''}`),
      ...fact(t('track.metre'), metreText(analysis)),
      ...fact(t('track.loudness'), num(analysis.loudness_lufs, 1, 'LUFS')),
      ...fact(t('track.dynamics'), num(analysis.loudness_range_lu, 1, t('track.lu_range'))),
    );
  }
  $('tp-facts').replaceChildren(...facts);
  $('tp-tags').replaceChildren(...details.top_tags
    .filter(([, p]) => p >= 0.05)
    .map(([tag, p]) => el('span', { class: 'chip', title: formatNumber(p, { style: 'percent' }), text: tOr(`soundtag.${tag}`, tag) })));
  $('tp-note').textContent = note;
  $('tp-note').hidden = !note;
  $('tp-similar').disabled = !(analysis && !analysis.error && details.top_tags.length);
  $('tp-similar-list').replaceChildren();
  const lyrics = details.lyrics;
  $('tp-lyrics-box').hidden = !lyrics;
  $('tp-lyrics').replaceChildren(...(lyrics ? lyricsLines(lyrics) : []));
  $('tp-lyrics-source').textContent = lyrics ? lyricsSource(lyrics) : '';
  panel.hidden = false;
}

async function showSimilar() {
  const id = Number($('track-panel').dataset.id);
  const similar = await api.similarTracks(id, 20);
  const ids = similar.map((s) => s.track.id);
  const list = $('tp-similar-list');
  list.replaceChildren(...similar.map(({ track, similarity }, index) => el('li', {
    dataset: { id: track.id },
    title: t('list.double_click_from_here'),
    ondblclick: () => api.playTracks(ids, index, 'similar').catch((e) => notify(errorText(e), 'error')),
  }, [
    el('div', { class: 'q-text' }, [
      el('div', { class: 'q-title', text: track.title }),
      el('div', { class: 'q-artist', text: track.artist }),
    ]),
    // Cosine of centred embeddings (-1…1) shown as 0–100 %.
    el('span', { class: 'q-score', title: t('track.similarity'), text: formatNumber((1 + similarity) / 2, { style: 'percent' }) }),
  ])));
  if (!similar.length) list.replaceChildren(el('li', { class: 'none', text: t('track.no_similar') }));
}

export function initAnalysis({ showMessage, onAnalysisProgress }) {
  notify = showMessage;
  analysisChanged = onAnalysisProgress;
  $('analysis-pause').addEventListener('click', () => {
    const paused = $('analysis-pause').dataset.paused === 'true';
    api.jobControl(paused ? 'resume' : 'pause').catch((e) => notify(errorText(e), 'error'));
  });
  $('analysis-cancel').addEventListener('click', () => api.jobControl('cancel').catch((e) => notify(errorText(e), 'error')));
  $('tp-close').addEventListener('click', closeTrackPanel);
  $('tp-similar').addEventListener('click', () => showSimilar().catch((e) => notify(errorText(e), 'error')));
}
