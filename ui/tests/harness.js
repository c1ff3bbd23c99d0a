// Serves ui/ over HTTP (ES modules need it) and opens it in Debian's Chromium with the fake Rust side.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.png': 'image/png' };
// The app's own policy, read from tauri.conf.json, so a violation (a fetch the app may not make, an
// inline script) shows up here too.
const tauriConf = JSON.parse(fs.readFileSync(path.resolve(root, '..', 'src-tauri', 'tauri.conf.json'), 'utf8'));
const csp = Object.entries(tauriConf.app.security.csp).map(([k, v]) => `${k} ${v}`).join('; ');

export async function startServer() {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    const file = path.join(root, path.normalize(url.pathname === '/' ? '/index.html' : url.pathname));
    if (!file.startsWith(root) || file.includes(`${path.sep}node_modules${path.sep}`) || !fs.existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': types[path.extname(file)] || 'application/octet-stream', 'Content-Security-Policy': csp });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${server.address().port}/` };
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

/** Opens the UI with the fake library `library` ({tracks, failures, folders, pendingScan, discover}),
 *  on `view` (the app's home view, Discover Daily, when null); `clock` (a Date) fakes the page's time. */
/**
 * Starts the server and Chromium before the calling file's tests and closes them after; returns
 * `openApp` bound to them.
 */
export function appForTests() {
  let server;
  let url;
  let browser;
  before(async () => {
    ({ server, url } = await startServer());
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    server?.close();
  });
  return (library, options) => openApp(browser, url, library, options);
}

export async function openApp(browser, url, library, { view = 'tracks', clock = null } = {}) {
  const page = await browser.newPage({ viewport: { width: 1200, height: 780 } });
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('dialog', (d) => { problems.push(`dialog opened: ${d.message()}`); d.dismiss(); });
  await page.addInitScript((lib) => { window.__FAKE_LIBRARY__ = lib; }, library);
  await page.addInitScript({ path: path.join(here, 'fake-tauri.js') });
  if (clock) await page.clock.install({ time: clock });
  await page.goto(view ? `${url}#${view}` : url);
  // The language loads before the window wires its buttons: a click before that would be lost.
  await page.waitForSelector('html[data-ready="true"]', { state: 'attached' });
  return { page, problems };
}

export function makeTracks(n) {
  const artists = ['Miles Davis', 'John Coltrane', 'Nina Simone', 'Björk', 'Ryuichi Sakamoto', '少女時代'];
  return Array.from({ length: n }, (_, i) => ({
    id: i + 1,
    path: `/music/${i}.flac`,
    title: `Song ${String(i).padStart(6, '0')}`,
    artist: artists[i % artists.length],
    album: `Album ${Math.floor(i / 10)}`,
    year: 1950 + (i % 70),
    track_no: (i % 10) + 1,
    duration_s: 120 + (i % 300),
    codec: 'flac',
    cover: null,
    missing: false,
  }));
}
