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

  const fold = (s) => String(s ?? '').toLowerCase();
  const sorters = {
    artist: (t) => [fold(t.artist), fold(t.album), t.track_no ?? 0],
    album: (t) => [fold(t.album), t.track_no ?? 0],
    title: (t) => [fold(t.title)],
    year: (t) => [t.year ?? -1],
    duration: (t) => [t.duration_s ?? -1],
    added: (t) => [t.id],
    // Unanalysed rows last in both directions, as in the Rust query.
    bpm: (t, desc) => [t.bpm == null ? (desc ? -1 : 1) : 0, t.bpm ?? 0],
    key: (t, desc) => [t.camelot == null ? (desc ? -1 : 1) : 0, camelotOrder(t.camelot)],
  };
  function camelotOrder(code) {
    if (!code) return 0;
    return Number(code.slice(0, -1)) * 2 + (code.endsWith('B') ? 1 : 0);
  }
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
    rows = rows.map((t) => [key(t, q.descending), t]).sort((x, y) => compare(x[0], y[0]) || x[1].id - y[1].id).map((x) => x[1]);
    if (q.descending) rows.reverse();
    const offset = q.offset || 0;
    return { total: rows.length, rows: rows.slice(offset, q.limit ? offset + q.limit : undefined) };
  }

  const importing = { stop: null };
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
  };

  // The player, simulated: commands change this state and come back as `player` events, as in the app.
  const listeners = new Map();
  const emit = (name, payload) => (listeners.get(name) || []).forEach((cb) => cb({ event: name, payload }));
  window.__FAKE_EMIT__ = emit;
  const pl = { queue: [], current: null, status: 'stopped', volume: 1, shuffle: false, repeat: 'off', position: 0 };
  const trackById = (id) => lib.tracks.find((t) => t.id === id);
  const nowPlaying = (id) => {
    const t = trackById(id);
    return t && { id: t.id, path: t.path, title: t.title, artist: t.artist, album: t.album, duration_ms: (t.duration_s || 0) * 1000, cover: t.cover };
  };
  const sendState = () => emit('player', { event: 'state', status: pl.status, volume: pl.volume, shuffle: pl.shuffle, repeat: pl.repeat });
  const sendQueue = () => emit('player', { event: 'queue_changed', tracks: [...pl.queue], current: pl.current });
  const sendTrack = () => emit('player', { event: 'track_changed', track: pl.current === null ? null : nowPlaying(pl.queue[pl.current]), index: pl.current });
  const sendPosition = () => emit('player', { event: 'position', position_ms: pl.position * 1000, duration_ms: pl.current === null ? null : (trackById(pl.queue[pl.current])?.duration_s || 0) * 1000 });
  function playQueue(ids, start) {
    Object.assign(pl, { queue: [...ids], current: start, status: 'playing', position: 0 });
    sendQueue();
    sendState();
    sendTrack();
    sendPosition();
  }
  const controls = {
    toggle_pause: () => { pl.status = pl.status === 'playing' ? 'paused' : 'playing'; sendState(); },
    pause: () => { pl.status = 'paused'; sendState(); },
    resume: () => { pl.status = 'playing'; sendState(); },
    next: () => { if (pl.current + 1 < pl.queue.length) { pl.current += 1; pl.position = 0; sendTrack(); sendPosition(); } },
    previous: () => { if (pl.current > 0) { pl.current -= 1; pl.position = 0; sendTrack(); sendPosition(); } },
    seek: ({ seconds }) => { pl.position = seconds; sendPosition(); },
    seek_by: ({ seconds }) => { pl.position = Math.max(0, pl.position + seconds); sendPosition(); },
    set_volume: ({ volume }) => { pl.volume = volume; sendState(); },
    set_shuffle: ({ on }) => { pl.shuffle = on; sendState(); },
    set_repeat: ({ repeat }) => { pl.repeat = repeat; sendState(); },
    play_index: ({ index }) => { pl.current = index; sendTrack(); },
    remove: ({ index }) => { pl.queue.splice(index, 1); if (index < pl.current) pl.current -= 1; sendQueue(); },
    enqueue: ({ tracks }) => { pl.queue.push(...tracks); if (pl.current === null) pl.current = 0; sendQueue(); },
    move: ({ from, to }) => {
      const [id] = pl.queue.splice(from, 1);
      pl.queue.splice(to, 0, id);
      if (pl.current === from) pl.current = to;
      else if (from < pl.current && to >= pl.current) pl.current -= 1;
      else if (from > pl.current && to <= pl.current) pl.current += 1;
      sendQueue();
    },
  };
  Object.assign(handlers, {
    play_view: ({ query: q, index }) => playQueue(query(q).rows.map((t) => t.id), index),
    play_album: ({ album }) => playQueue(lib.tracks.filter((t) => t.album === album).map((t) => t.id), 0),
    tracks_by_ids: ({ ids }) => ids.map(trackById).filter(Boolean),
    player_control: ({ action }) => { (controls[action.action] || (() => {}))(action); },
    player_refresh: () => { sendState(); if (pl.queue.length) { sendQueue(); sendTrack(); sendPosition(); } },
  });

  // The job runner, simulated as in the app: jobs run one after another, each followed by the
  // analysis (one track every 40 ms, pausable) and `prepared`; every step is a `job` event. A job
  // asked for while another runs makes the analysis stop early ("make way"); the next job goes on.
  const job = { running: false, paused: false, cancelled: false, makeWay: false, queue: Promise.resolve() };
  const sendJob = (payload) => emit('job', payload);
  const pendingAnalysis = () => lib.tracks.filter((t) => !t.analysed && !t.analysisError);
  const stopped = () => job.cancelled || job.makeWay;
  async function runAnalysis() {
    const todo = pendingAnalysis();
    let done = 0;
    let failed = 0;
    for (const t of todo) {
      while (job.paused && !stopped()) await new Promise((r) => setTimeout(r, 20));
      if (stopped()) break;
      await new Promise((r) => setTimeout(r, 40));
      if (t.breaks) { t.analysisError = `${t.path}: no audio could be decoded`; failed += 1; }
      else Object.assign(t, { analysed: true, bpm: 60 + ((t.id * 37) % 120), key: t.id % 2 ? 'A minor' : 'C major', camelot: t.id % 2 ? '8A' : '8B' });
      done += 1;
      sendJob({ event: 'analysing', done, total: todo.length, failed, current: t.path, state: job.paused ? 'paused' : 'running' });
    }
    sendJob({ event: 'analysed', version: 'dsp3', analysed: done - failed, up_to_date: lib.tracks.length - todo.length, failed: todo.filter((t) => t.analysisError).map((t) => ({ track_id: t.id, path: t.path, reason: t.analysisError })), remaining: todo.length - done, cancelled: job.cancelled, cnn_unavailable: config.cnnUnavailable || null, seconds: 1, audio_seconds: 100 });
  }
  async function scanStage() {
    const incoming = lib.pendingScan.splice(0);
    sendJob({ event: 'scanning', phase: 'walking', done: 0, total: 0, current: null });
    for (let i = 0; i < incoming.length; i += 1) {
      await new Promise((r) => setTimeout(r, 20));
      lib.tracks.push(incoming[i]);
      sendJob({ event: 'scanning', phase: 'reading', done: i + 1, total: incoming.length, current: incoming[i].path });
    }
    const report = { added: incoming.length, updated: 0, unchanged: 0, moved: 0, missing: 0, failed: lib.failures, walk_errors: [], seconds: 0.1, cancelled: false };
    sendJob({ event: 'scanned', ...report });
    return report;
  }
  /** Queues a job: `stage` runs first and its result answers the caller; the analysis follows. */
  function submit(stage) {
    if (job.running) job.makeWay = true;
    let answer;
    const answered = new Promise((resolve, reject) => { answer = { resolve, reject }; });
    job.queue = job.queue.then(async () => {
      Object.assign(job, { running: true, paused: false, cancelled: false, makeWay: false });
      try {
        answer.resolve(await stage());
        if (!job.cancelled) {
          await runAnalysis();
          if (!stopped()) sendJob({ event: 'prepared' });
        }
      } catch (e) {
        answer.reject(e);
      } finally {
        job.running = false;
      }
    });
    return answered;
  }
  // The app's start: Discover's inputs, a rescan of the library folders, then the analysis.
  const catchUp = () => submit(async () => {
    sendJob({ event: 'prepared' });
    if (lib.folders.length) await scanStage();
  });
  let started = false;
  Object.assign(handlers, {
    scan_library: () => submit(scanStage),
    job_control: ({ action }) => {
      if (action === 'pause') job.paused = true;
      else if (action === 'resume') job.paused = false;
      else if (action === 'cancel') { job.cancelled = true; importing.stop?.(); }
      if (job.running) sendJob({ event: 'state', state: job.cancelled ? 'cancelled' : job.paused ? 'paused' : 'running' });
      return null;
    },
    track_details: ({ id }) => {
      const t = trackById(id);
      if (!t) throw { kind: 'not_found', message: `no track with id ${id}` };
      const analysis = t.analysisError ? { error: t.analysisError } : t.analysed ? {
        error: null, tempo_bpm: t.bpm, key: t.key, camelot: t.camelot,
        metre: ['4/4', '3/4', null][t.id % 3], metre_confident: t.id % 2 === 0,
        loudness_lufs: -11.25, loudness_range_lu: 6.5, version: 'dsp3+musicnn',
      } : null;
      const tags = t.analysed ? (t.tags || [['rock', 0.6], ['guitar', 0.3], ['<b>loud</b>', 0.2]]) : [];
      return { track: t, analysis, top_tags: tags, lyrics: t.lyrics || null };
    },
    similar_tracks: ({ id, k }) => {
      const t = trackById(id);
      if (!t?.analysed) throw { kind: 'not_analysed', message: `track ${id} has no audio embedding yet` };
      return lib.tracks.filter((o) => o.analysed && o.id !== id)
        .map((o) => ({ track: o, similarity: 1 - Math.abs(o.bpm - t.bpm) / 200 }))
        .sort((a, b) => b.similarity - a.similarity).slice(0, k);
    },
    play_tracks: ({ ids, index }) => playQueue(ids, index),
    // Taste: a word match over title, artist and `words` stands in for the Rust text model.
    find_tracks: ({ query, k }) => {
      const words = fold(query).split(/\s+/).filter(Boolean);
      return lib.tracks
        .map((t) => {
          const text = fold(`${t.title} ${t.artist} ${(t.words || []).join(' ')}`);
          return { track: t, score: words.filter((w) => text.includes(w)).length };
        })
        .filter((r) => r.score > 0)
        .sort((a, b) => b.score - a.score || a.track.id - b.track.id)
        .slice(0, k);
    },
    for_you: ({ k }) => lib.tracks.filter((t) => t.because !== undefined).slice(0, k)
      .map((t, i) => ({ track: t, cf: 1 - i / 100, session: 0, because: t.because })),
    // `config.importProgress`: `importing` events sent one by one while the import "runs"; it then
    // waits for a cancel (job_control) when `config.importWaitsForCancel` is set. Without
    // `config.importReports` or progress, the listener closed the file picker: nothing runs.
    import_listening_data: async ({ kind, format }) => {
      void kind; void format;
      if (!config.importReports && !config.importProgress) return null;
      return submit(async () => {
        for (const event of config.importProgress || []) {
          sendJob({ event: 'importing', ...event });
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        if (config.importWaitsForCancel) {
          await new Promise((resolve) => { importing.stop = resolve; });
          const outcome = { reports: [], errors: [], cancelled: true };
          sendJob({ event: 'imported', ...outcome });
          return outcome;
        }
        for (const event of config.tuningProgress || []) {
          sendJob({ event: 'tuning', ...event });
          await new Promise((resolve) => setTimeout(resolve, 30));
        }
        const outcome = {
          reports: config.importReports, errors: config.importErrors || [], cancelled: false,
          tuning: config.importTuning || null,
        };
        if (config.afterImport) {
          for (const [id, because] of config.afterImport) trackById(id).because = because;
        }
        sendJob({ event: 'imported', ...outcome });
        return outcome;
      });
    },
  });

  // Discover Daily: `config.discover` = {today, mode, samples, picks: [{id, kind, reason}], past: {day: picks}}.
  const discoverConfig = config.discover || {};
  const discover = { feedback: new Map(), lists: new Map() };
  function buildList(day, picks) {
    const tracks = picks
      .filter((p) => discover.feedback.get(p.id) !== 'hide')
      .map((p, position) => ({
        position,
        track: trackById(p.id),
        score: 1 - position / 100,
        scores: { cf: 0.5, session: 0, artist: 0.2, audio: 0.8, text: 0.4, popular: 0.1, novelty: 1 },
        reason_kind: p.kind,
        reason: p.reason,
        reason_track: null,
        feedback: null,
      }));
    return { day, mode: discoverConfig.mode || 'learned', generated_at: 0, as_of: 0, candidates: lib.tracks.length,
      blend: { weights: [3, 2, 2, 3, 2, 1, 0.5], bias: -5, samples: discoverConfig.samples ?? 42, positives: 7 }, tracks };
  }
  for (const [day, picks] of Object.entries(discoverConfig.past || {})) discover.lists.set(day, buildList(day, picks));
  const withFeedback = (list) => ({ ...list, tracks: list.tracks.map((t) => ({ ...t, feedback: discover.feedback.get(t.track.id) ?? null })) });
  Object.assign(handlers, {
    discover_daily: ({ day, refresh }) => {
      // `today: 'clock'` follows the page's (possibly faked) local date, as the Rust side does.
      const now = new Date();
      const clockDay = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
      const today = discoverConfig.today === 'clock' ? clockDay : discoverConfig.today || '2026-11-29';
      if (day != null && !/^\d{4}-\d{2}-\d{2}$/.test(day)) throw { kind: 'bad_date', message: `not a date (YYYY-MM-DD): "${day}"` };
      const key = day ?? today;
      if (refresh || !discover.lists.has(key)) discover.lists.set(key, buildList(key, discoverConfig.picks || []));
      return withFeedback(discover.lists.get(key));
    },
    discover_days: () => [...discover.lists.keys()].sort().reverse()
      .map((day) => ({ day, generated_at: 0, tracks: discover.lists.get(day).tracks.length })),
    discover_feedback: ({ trackId, verdict }) => {
      if (!['like', 'hide', 'unhide', 'unlike', 'clear'].includes(verdict)) throw { kind: 'bad_feedback', message: `unknown feedback "${verdict}"` };
      if (!trackById(trackId)) throw { kind: 'unknown_track', message: `no track with id ${trackId} in the library` };
      if (['unhide', 'unlike', 'clear'].includes(verdict)) discover.feedback.delete(trackId);
      else discover.feedback.set(trackId, verdict);
      return null;
    },
  });

  // The listener's places, as the Rust side keeps them: `config.playlists` = [{id, name, source,
  // entries: [{track_id} | {artist, title, location}]}], `config.plays` = [{track_id, started_at,
  // heard_ms, end, source}], exclusions in memory.
  const places = {
    playlists: (config.playlists || []).map((p) => ({ source: null, ...p, entries: p.entries.map((e) => ({ ...e })) })),
    nextId: 100,
    exclusions: [],
  };
  const playlistById = (id) => {
    const p = places.playlists.find((x) => x.id === id);
    if (!p) throw { kind: 'not_found', message: `no playlist with id ${id}` };
    return p;
  };
  const checkName = (name) => {
    const n = String(name ?? '').trim();
    if (!n || n.length > 200) throw { kind: 'bad_argument', message: 'a playlist needs a name (1 to 200 characters)' };
    return n;
  };
  const entriesOf = (ids) => ids.map((id) => {
    if (!trackById(id)) throw { kind: 'unknown_track', message: `no track with id ${id}` };
    return { track_id: id };
  });
  const showPlaylist = (p) => {
    const entries = p.entries.map((e, position) => {
      const track = e.track_id ? trackById(e.track_id) || null : null;
      return { position, track, artist: track ? track.artist : e.artist, title: track ? track.title : e.title, location: e.location ?? null };
    });
    return {
      id: p.id, name: p.name, source: p.source, updated_at: 0,
      entries: entries.length, unmatched: entries.filter((e) => !e.track).length,
      duration_s: entries.reduce((sum, e) => sum + (e.track?.duration_s || 0), 0),
      covers: [...new Set(entries.map((e) => e.track?.cover).filter(Boolean))].slice(0, 4),
      entriesList: entries,
    };
  };
  const summary = (p) => { const { entriesList, ...rest } = showPlaylist(p); void entriesList; return rest; };
  const owner = (t) => (t.album_artist && t.album_artist.trim()) || t.artist;
  const playCount = (id) => (config.plays || []).filter((p) => p.track_id === id).length;
  const albumsOf = (tracks) => {
    const albums = new Map();
    for (const t of tracks) {
      const key = `${t.album}\u0000${t.album_artist || ''}`;
      const a = albums.get(key) || { album: t.album, album_artist: t.album_artist || null, artist: owner(t), tracks: 0, year: t.year, cover: t.cover };
      a.tracks += 1;
      albums.set(key, a);
    }
    return [...albums.values()];
  };
  Object.assign(handlers, {
    list_playlists: () => [...places.playlists].sort((a, b) => a.name.localeCompare(b.name) || a.id - b.id).map(summary),
    show_playlist: ({ id }) => { const { entriesList, ...rest } = showPlaylist(playlistById(id)); return { ...rest, entries: entriesList }; },
    create_playlist: ({ name, trackIds }) => {
      const p = { id: places.nextId++, name: checkName(name), source: null, entries: entriesOf(trackIds) };
      places.playlists.push(p);
      return p.id;
    },
    rename_playlist: ({ id, name }) => { playlistById(id).name = checkName(name); return null; },
    delete_playlist: ({ id }) => { playlistById(id); places.playlists = places.playlists.filter((p) => p.id !== id); return null; },
    duplicate_playlist: ({ id }) => {
      const p = playlistById(id);
      const copy = { id: places.nextId++, name: `${p.name} (copy)`, source: null, entries: p.entries.map((e) => ({ ...e })) };
      places.playlists.push(copy);
      return copy.id;
    },
    add_to_playlist: ({ id, trackIds, at }) => {
      const p = playlistById(id);
      p.entries.splice(at ?? p.entries.length, 0, ...entriesOf(trackIds));
      return p.entries.length;
    },
    remove_from_playlist: ({ id, positions }) => {
      const p = playlistById(id);
      p.entries = p.entries.filter((_, i) => !positions.includes(i));
      return p.entries.length;
    },
    move_in_playlist: ({ id, from, to }) => {
      const p = playlistById(id);
      const [e] = p.entries.splice(from, 1);
      p.entries.splice(to, 0, e);
      return null;
    },
    export_playlist: ({ id }) => {
      const p = playlistById(id);
      if (!config.exportPath) return null;
      return { path: config.exportPath, written: p.entries.filter((e) => e.track_id).length, left_out: p.entries.filter((e) => !e.track_id && !e.location).length };
    },
    save_discover_playlist: ({ day }) => {
      const list = handlers.discover_daily({ day, refresh: false });
      return handlers.create_playlist({ name: `Discover Daily ${list.day}`, trackIds: list.tracks.map((t) => t.track.id) });
    },
    list_artists: ({ search, sort }) => {
      const byName = new Map();
      for (const t of lib.tracks.filter((x) => !x.missing)) {
        const name = owner(t);
        const a = byName.get(fold(name)) || { name, songs: 0, albumSet: new Set(), plays: 0, covers: [] };
        a.songs += 1;
        a.albumSet.add(fold(t.album));
        a.plays += playCount(t.id);
        if (t.cover && a.covers.length < 4 && !a.covers.includes(t.cover)) a.covers.push(t.cover);
        byName.set(fold(name), a);
      }
      const words = fold(search).split(/\s+/).filter(Boolean);
      const rows = [...byName.values()].filter((a) => words.every((w) => fold(a.name).includes(w)))
        .map(({ albumSet, ...a }) => ({ ...a, albums: albumSet.size }));
      const by = { name: (a, b) => a.name.localeCompare(b.name), songs: (a, b) => b.songs - a.songs || a.name.localeCompare(b.name),
        albums: (a, b) => b.albums - a.albums || a.name.localeCompare(b.name), plays: (a, b) => b.plays - a.plays || a.name.localeCompare(b.name) };
      return rows.sort(by[sort] || by.name);
    },
    artist_page: ({ name }) => {
      const mine = lib.tracks.filter((t) => !t.missing && (fold(owner(t)) === fold(name) || fold(t.artist) === fold(name)));
      if (!mine.length) throw { kind: 'not_found', message: `no artist "${name}" in the library` };
      const owned = mine.filter((t) => fold(owner(t)) === fold(name));
      const most = mine.map((t) => ({ track: t, plays: playCount(t.id) })).filter((m) => m.plays > 0).sort((a, b) => b.plays - a.plays).slice(0, 10);
      return {
        name: owner(owned[0] || mine[0]) === name ? name : (owned[0] ? owner(owned[0]) : mine[0].artist),
        albums: albumsOf(owned), appears_on: albumsOf(mine.filter((t) => fold(owner(t)) !== fold(name))),
        most_played: most, tracks: mine,
        like_by_text: (config.artistsLike?.[name]?.text) || [], like_by_listeners: (config.artistsLike?.[name]?.listeners) || [],
      };
    },
    recent_plays: ({ limit }) => (config.plays || []).slice().sort((a, b) => b.started_at - a.started_at).slice(0, limit)
      .map((p, i) => ({ track: trackById(p.track_id), play_id: i + 1, started_at: p.started_at, heard_ms: p.heard_ms ?? 0, end: p.end ?? null, source: p.source || 'local', context: 'library' }))
      .filter((p) => p.track),
    liked_tracks: () => [...discover.feedback.entries()].filter(([, v]) => v === 'like').reverse()
      .map(([id]) => ({ track: trackById(id), liked_at: 1764400000 })).filter((l) => l.track),
    liked_among: ({ ids }) => ids.filter((id) => discover.feedback.get(id) === 'like'),
    list_exclusions: () => [...places.exclusions].reverse(),
    exclude: ({ kind, label }) => {
      if (!['artist', 'genre', 'folder'].includes(kind)) throw { kind: 'bad_argument', message: `unknown kind ${kind}` };
      const found = places.exclusions.find((e) => e.kind === kind && fold(e.label) === fold(label));
      if (found) return found.id;
      const e = { id: places.nextId++, kind, label: label.trim(), at: 0 };
      places.exclusions.push(e);
      return e.id;
    },
    include: ({ id }) => {
      if (!places.exclusions.some((e) => e.id === id)) throw { kind: 'not_found', message: `no exclusion with id ${id}` };
      places.exclusions = places.exclusions.filter((e) => e.id !== id);
      return null;
    },
  });
  window.__FAKE_PLACES__ = places;

  // Settings, checked as the core checks them; `config.devices`, `config.pickFolder`.
  const settings = {
    watch_folders: true, normalisation: 'track', crossfade_seconds: 0, output_device: null, analysis_threads: 0,
    analysis_pause: 'never', fresh_days: 30, discover_size: 30, language: null, ...(config.settings || {}),
  };
  const defaults = { ...settings, language: null };
  const checks = {
    watch_folders: (v) => typeof v === 'boolean',
    normalisation: (v) => ['off', 'track', 'album'].includes(v),
    crossfade_seconds: (v) => Number.isInteger(v) && v >= 0 && v <= 12,
    output_device: (v) => v === null || (typeof v === 'string' && v.trim() !== ''),
    analysis_threads: (v) => Number.isInteger(v) && v >= 0 && v <= 64,
    analysis_pause: (v) => ['never', 'on_battery', 'while_playing'].includes(v),
    fresh_days: (v) => Number.isInteger(v) && v >= 0 && v <= 365,
    discover_size: (v) => Number.isInteger(v) && v >= 1 && v <= 200,
    language: (v) => v === null || (typeof v === 'string' && /^[A-Za-z0-9]{2,8}(-[A-Za-z0-9]{1,8})*$/.test(v)),
  };
  Object.assign(handlers, {
    settings_view: () => ({
      settings: Object.keys(checks).map((key) => ({ key, value: settings[key], default: defaults[key], about: `about ${key}` })),
      data_dir: '/home/me/.local/share/sonare', devices: config.devices || [], cores: 2,
    }),
    set_setting: ({ key, value, reset }) => {
      if (!(key in checks)) throw { kind: 'setting', message: `no setting "${key}"` };
      if (reset) settings[key] = defaults[key];
      else if (!checks[key](value)) throw { kind: 'setting', message: `setting ${key}: ${JSON.stringify(value)} is not allowed` };
      else settings[key] = value;
      return { ...settings };
    },
    remove_folder: ({ path }) => {
      if (!lib.folders.some((f) => f.path === path)) throw { kind: 'not_found', message: `${path} is not a library folder` };
      lib.folders = lib.folders.filter((f) => f.path !== path);
      return null;
    },
    reanalyse_all: () => lib.tracks.length,
    pick_folder: () => config.pickFolder ?? null,
    backup_library: ({ folder }) => ({ path: `${folder}/sonare-backup-2026-11-29.sqlite3`, bytes: 204800, seconds: 0.1 }),
    export_learned: ({ folder }) => ({ folder, plays: 4, likes: 2, hides: 1, exclusions: 0, playlists: 2 }),
    restore_learned: () => ({
      plays_added: 3, plays_already_there: 1, plays_unmatched: 2, verdicts: 2, verdicts_unmatched: 0, exclusions: 0,
      playlists_added: 1, playlists_already_there: 1, settings: 0, settings_refused: [], skipped_lines: [{ line: 7, reason: 'expected value' }],
    }),
  });
  window.__FAKE_SETTINGS__ = settings;

  // Mixes, radio and paths: `config.mixes` = [{kind, title, subtitle, ids, reasons}]; the radio
  // plays the seeds' first track, then the library in id order past what it queued (skipped tracks
  // are what it was told); a path walks ids from one end to the other.
  const radio = { running: null };
  const mixTrack = (id, reason, kind = 'sounds') => ({ track: trackById(id), reason_kind: kind, reason, reason_track: null });
  const seedIds = (seed) => {
    if (seed.kind === 'track') return [seed.id];
    if (seed.kind === 'artist') return lib.tracks.filter((t) => t.artist === seed.name).map((t) => t.id);
    if (seed.kind === 'album') return lib.tracks.filter((t) => t.album === seed.album).map((t) => t.id);
    if (seed.kind === 'playlist') return playlistById(seed.id).entries.map((e) => e.track_id).filter(Boolean);
    throw { kind: 'bad_argument', message: `unknown seed ${seed.kind}` };
  };
  const radioNext = (count) => {
    const r = radio.running;
    const next = lib.tracks.map((t) => t.id).filter((id) => !r.queued.includes(id)).slice(0, count);
    r.queued.push(...next);
    return { title: r.title, tracks: next.map((id) => mixTrack(id, `often played with ${trackById(r.seeds[0]).title}`, 'played')) };
  };
  Object.assign(handlers, {
    daily_mixes: () => (config.mixes || []).map((m, slot) => ({
      day: '2026-11-29', slot, kind: m.kind || 'daily', title: m.title, subtitle: m.subtitle || '',
      tracks: m.ids.map((id, i) => mixTrack(id, (m.reasons || [])[i] || 'one of your favourites', 'played')),
    })),
    save_mix_playlist: ({ slot, name }) => {
      const m = (config.mixes || [])[slot];
      if (!m) throw { kind: 'not_found', message: `no mix ${slot} today` };
      return handlers.create_playlist({ name: name || `${m.title} (2026-11-29)`, trackIds: m.ids });
    },
    start_radio: ({ seeds }) => {
      if (!seeds.length) throw { kind: 'bad_argument', message: 'a radio needs at least one seed' };
      const ids = seeds.flatMap(seedIds);
      if (!ids.length) throw { kind: 'not_found', message: 'the seeds have no tracks in the library' };
      const first = seeds.length === 1 && seeds[0].kind === 'track' ? [ids[0]] : [];
      radio.running = { title: `Radio: ${trackById(ids[0]).title}`, seeds: ids, queued: [...first] };
      const batch = radioNext(5 - first.length);
      batch.tracks.unshift(...first.map((id) => mixTrack(id, 'where the radio starts', 'start')));
      return batch;
    },
    radio_more: () => {
      if (!radio.running) throw { kind: 'not_found', message: 'no radio is playing' };
      return radioNext(10);
    },
    path_between: ({ from, to, length }) => {
      if (from === to) throw { kind: 'bad_argument', message: 'a path needs two different songs' };
      const step = (to - from) / (length - 1);
      return Array.from({ length }, (_, i) => Math.round(from + i * step))
        .map((id, i) => mixTrack(id, i === 0 ? 'where the path starts' : `${Math.round((100 * i) / (length - 1))}% of the way`));
    },
  });

  async function invoke(command, args = {}) {
    window.__FAKE_CALLS__.push({ command, args });
    const handler = handlers[command];
    if (!handler) throw { kind: 'internal', message: `unknown command ${command}` };
    return handler(args);
  }

  window.__TAURI__ = {
    core: { invoke },
    event: {
      listen: async (name, cb) => {
        if (!listeners.has(name)) listeners.set(name, []);
        listeners.get(name).push(cb);
        // The app starts its catch-up job at launch; here once the window listens for jobs.
        if (name === 'job' && !started) {
          started = true;
          setTimeout(catchUp, 0);
        }
        return () => listeners.set(name, listeners.get(name).filter((x) => x !== cb));
      },
    },
  };
})();
