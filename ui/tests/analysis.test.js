// The background analysis and the track view in a real browser (Debian's Chromium), Rust side faked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appForTests, makeTracks } from './harness.js';

// One server and one Chromium for this file's tests.
const openApp = appForTests();

const doneCount = async (page) => {
  const label = await page.textContent('#analysis-label');
  const m = /(\d+) \/ (\d+)/.exec(label);
  return m ? Number(m[1]) : -1;
};

test('analysis runs in the background with progress, pauses, resumes, then BPM and key sort the list', async () => {
  const tracks = makeTracks(40);
  tracks[5].breaks = true; // cannot be analysed: stays without BPM, sorted last
  const { page, problems } = await openApp({ tracks, folders: [] });
  await page.waitForSelector('#analysis-status:not([hidden])');
  await page.waitForFunction(() => /Analysing sound \d+ \/ 40/.test(document.querySelector('#analysis-label').textContent));
  await page.click('#analysis-pause');
  await page.waitForFunction(() => document.querySelector('#analysis-pause').textContent === 'Resume');
  const paused = await doneCount(page);
  await page.waitForTimeout(400);
  assert.ok((await doneCount(page)) <= paused + 1, 'no progress while paused');
  await page.click('#analysis-pause');
  await page.waitForSelector('#analysis-status', { state: 'hidden' });
  assert.match(await page.textContent('#analysis-note'), /39 analysed, 1 could not be analysed/);

  await page.click('.track-header [data-sort="bpm"]');
  await page.waitForFunction(() => document.querySelector('.track-header [data-sort="bpm"]').getAttribute('aria-sort') === 'ascending');
  await page.waitForFunction(() => {
    const bpms = [...document.querySelectorAll('#track-viewport .track-row')]
      .sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top)
      .map((r) => r.querySelector('.col-bpm').textContent);
    const numbers = bpms.filter(Boolean).map(Number);
    return bpms[0] !== '' && numbers.every((n, i) => i === 0 || numbers[i - 1] <= n);
  });
  // The track that could not be analysed comes last, descending too.
  await page.click('.track-header [data-sort="bpm"]');
  await page.waitForFunction(() => document.querySelector('.track-header [data-sort="bpm"]').getAttribute('aria-sort') === 'descending');
  await page.$eval('#track-viewport', (v) => { v.scrollTop = v.scrollHeight; });
  await page.waitForFunction(() => {
    const bpms = [...document.querySelectorAll('#track-viewport .track-row')]
      .sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top)
      .map((r) => r.querySelector('.col-bpm').textContent);
    return bpms.length > 0 && bpms[bpms.length - 1] === '' && bpms.filter((b) => b === '').length === 1;
  });
  await page.$eval('#track-viewport', (v) => { v.scrollTop = 0; });
  await page.click('.track-header [data-sort="key"]');
  await page.waitForFunction(() => document.querySelector('#track-viewport .track-row .col-key')?.textContent === 'Am · 8A');
  assert.deepEqual(problems, []);
});

test('stopping the analysis says what is left for next time', async () => {
  const { page, problems } = await openApp({ tracks: makeTracks(200), folders: [] });
  await page.waitForSelector('#analysis-status:not([hidden])');
  await page.click('#analysis-cancel');
  await page.waitForSelector('#analysis-status', { state: 'hidden' });
  assert.match(await page.textContent('#analysis-note'), /stopped, \d+ left for next time/);
  assert.deepEqual(problems, []);
});

test('the track view shows the analysis, tags as text, and plays tracks that sound alike', async () => {
  const tracks = makeTracks(12);
  const { page, problems } = await openApp({
    tracks,
    folders: [],
    cnnUnavailable: null,
  });
  await page.waitForSelector('#analysis-status', { state: 'hidden' });
  await page.waitForFunction(() => /12 analysed/.test(document.querySelector('#analysis-note').textContent));
  await page.click('#track-viewport .track-row[data-id="3"] .col-info');
  await page.waitForSelector('#track-panel:not([hidden])');
  assert.equal(await page.textContent('#tp-title'), 'Song 000002');
  const facts = await page.textContent('#tp-facts');
  assert.match(facts, /Tempo171 BPM/);
  assert.match(facts, /KeyA minor \(8A\)/);
  assert.match(facts, /Loudness-11\.3 LUFS/);
  assert.match(facts, /Metrenot clear \(perhaps 4\/4\)/, 'an unsure metre is not shown as known');
  const chips = await page.$$eval('#tp-tags .chip', (c) => c.map((x) => x.textContent));
  assert.deepEqual(chips, ['rock', 'guitar', '<b>loud</b>']);
  assert.equal(await page.$$eval('#tp-tags b', (n) => n.length), 0);

  await page.click('#tp-similar');
  await page.waitForSelector('#tp-similar-list li');
  const similar = await page.$$eval('#tp-similar-list li', (li) => li.map((x) => Number(x.dataset.id)));
  assert.equal(similar.length, 11);
  assert.ok(!similar.includes(3));
  await page.dblclick('#tp-similar-list li:nth-child(2)');
  await page.waitForFunction(() => window.__FAKE_CALLS__.some((c) => c.command === 'play_tracks'));
  const call = await page.evaluate(() => window.__FAKE_CALLS__.find((c) => c.command === 'play_tracks').args);
  assert.deepEqual({ ids: call.ids, index: call.index, context: call.context }, { ids: similar, index: 1, context: 'similar' });
  await page.click('#tp-close');
  assert.ok(await page.$eval('#track-panel', (p) => p.hidden));
  await page.click('#track-viewport .track-row[data-id="4"] .col-info');
  await page.waitForFunction(() => /Metre3\/4/.test(document.querySelector('#tp-facts').textContent));
  assert.deepEqual(problems, []);
});

test('without the audio model the listener is told what is missing and how to fix it', async () => {
  const why = 'ONNX Runtime library /data/runtime/libonnxruntime.so.1.32.0 cannot be loaded (no such file); run scripts/fetch_onnxruntime.sh or set ORT_DYLIB_PATH';
  const { page, problems } = await openApp({ tracks: makeTracks(3), folders: [], cnnUnavailable: why });
  await page.waitForFunction(() => /need the audio model/.test(document.querySelector('#analysis-note').textContent));
  assert.ok((await page.textContent('#analysis-note')).includes('scripts/fetch_onnxruntime.sh'));
  assert.deepEqual(problems, []);
});
