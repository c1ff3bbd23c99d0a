// A fake of the Rust side for UI tests: `window.__TAURI__.core` with an in-memory library.
// Configured before the page loads through `window.__FAKE_LIBRARY__` = {tracks, failures, folders}.
(() => {
  const config = window.__FAKE_LIBRARY__ || {};
  const lib = {
    tracks: config.tracks || [],
    failures: config.failures || [],
    folders: config.folders || [],
    pendingScan: config.pendingScan || [],
  };
  window.__FAKE_CALLS__ = [];

  class Channel {
    constructor() { this.onmessage = () => {}; }
  }

  const fold = (s) => String(s ?? '').toLowerCase();
  const sorters = {
    artist: (t) => [fold(t.artist), fold(t.album), t.track_no ?? 0],
    album: (t) => [fold(t.album), t.track_no ?? 0],
    title: (t) => [fold(t.title)],
    year: (t) => [t.year ?? -1],
    duration: (t) => [t.duration_s ?? -1],
    added: (t) => [t.id],
  };
  const compare = (a, b) => {
    for (let i = 0; i < a.length; i += 1) {
      if (a[i] < b[i]) return -1;
      if (a[i] > b[i]) return 1;
    }
    return 0;
  };
  function query(q) {
    const words = fold(q.search).split(/\s+/).filter(Boolean);
    let rows = lib.tracks.filter((t) => {
      const text = fold(`${t.title} ${t.artist} ${t.album}`);
      return words.every((w) => text.includes(w));
    });
    const key = sorters[q.sort || 'artist'];
    rows = rows.map((t) => [key(t), t]).sort((x, y) => compare(x[0], y[0]) || x[1].id - y[1].id).map((x) => x[1]);
    if (q.descending) rows.reverse();
    const offset = q.offset || 0;
    return { total: rows.length, rows: rows.slice(offset, q.limit ? offset + q.limit : undefined) };
  }

  const handlers = {
    library_overview: () => ({ tracks: lib.tracks.length, folders: lib.folders.length, failures: lib.failures.length }),
    list_tracks: ({ query: q }) => query(q),
    list_albums: ({ search }) => {
      const albums = new Map();
      for (const t of query({ search }).rows) {
        const a = albums.get(t.album) || { album: t.album, artist: t.artist, tracks: 0, year: t.year, cover: null };
        a.tracks += 1;
        albums.set(t.album, a);
      }
      return [...albums.values()];
    },
    list_failures: () => lib.failures,
    list_folders: () => lib.folders,
    add_folder: ({ path }) => {
      if (!path.startsWith('/')) throw { kind: 'folder', message: `music folder ${path}: No such file or directory` };
      lib.folders.push({ id: lib.folders.length + 1, path });
      return path;
    },
    pick_folder: () => null,
    cancel_scan: () => null,
    scan_library: async ({ onProgress }) => {
      const incoming = lib.pendingScan.splice(0);
      onProgress.onmessage({ event: 'scanning', phase: 'walking', done: 0, total: 0, current: null });
      for (let i = 0; i < incoming.length; i += 1) {
        await new Promise((r) => setTimeout(r, 20));
        lib.tracks.push(incoming[i]);
        onProgress.onmessage({ event: 'scanning', phase: 'reading', done: i + 1, total: incoming.length, current: incoming[i].path });
      }
      return { added: incoming.length, updated: 0, unchanged: 0, moved: 0, missing: 0, failed: lib.failures, walk_errors: [], seconds: 0.1, cancelled: false };
    },
  };

  async function invoke(command, args = {}) {
    window.__FAKE_CALLS__.push({ command, args });
    const handler = handlers[command];
    if (!handler) throw { kind: 'internal', message: `unknown command ${command}` };
    return handler(args);
  }

  window.__TAURI__ = { core: { invoke, Channel } };
})();
