//! Generating a Discover Daily for a 100,000-track library, end to end from the database: a real
//! SQLite file holding 100k tracks with analysis rows (200-d CNN embeddings, 50 sound tags, tempo,
//! key, loudness), two years of history (20,000 plays), likes and hides, imported item factors for
//! every track (64 factors, as the Spark job writes them) and 60 earlier days of lists with their
//! logged candidates. Times `discover::daily` (regenerating), and each stage on its own; then the
//! day's mixes, a radio and a path through the facade.
//! Behind BENCHMARKS.md.
//!
//! Run: `cargo bench --bench discover_daily`

use std::time::{Duration, Instant};

use chrono::Days;
use rusqlite::params;
use sonare::cf::import::store::{item_key, ItemKind};
use sonare::discover::{self, catalog::Catalog, engine, history::History};
use sonare::library::meta::TrackMeta;
use sonare::library::store::{self as q, FileFacts};

const TRACKS: usize = 100_000;
const ARTISTS: usize = 8_000;
const GENRES: [&str; 12] = [
    "ambient",
    "techno",
    "jazz",
    "hip hop",
    "folk",
    "metal",
    "soul",
    "k-pop",
    "classical",
    "house",
    "punk",
    "reggae",
];
const DIM: usize = 200;
const FACTORS: usize = 64;

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> f32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 40) as f32 / (1u64 << 24) as f32
    }
}

fn blob(v: &[f32]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_le_bytes()).collect()
}

fn build(conn: &mut rusqlite::Connection, today: i64) {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let folder = q::add_folder(conn, "/music").unwrap();
    let centres: Vec<Vec<f32>> = (0..GENRES.len())
        .map(|_| (0..DIM).map(|_| rng.next() * 2.0 - 1.0).collect())
        .collect();
    let tx = conn.transaction().unwrap();
    {
        let mut analysis = tx
            .prepare(
                "INSERT INTO track_analysis (track_id, version, analyzed_at, tempo_bpm, key_camelot,
                 loudness_lufs, tags, embedding) VALUES (?1, 'bench', 0, ?2, ?3, ?4, ?5, ?6)",
            )
            .unwrap();
        let mut item = tx
            .prepare("INSERT INTO ext_items (kind, key, artist, title, track_id) VALUES ('track', ?1, ?2, ?3, ?4)")
            .unwrap();
        let mut factor = tx
            .prepare(
                "INSERT INTO item_factors (item_id, model, vector) VALUES (?1, 'spark-als', ?2)",
            )
            .unwrap();
        for i in 0..TRACKS {
            let artist = (i * 7919) % ARTISTS;
            let genre = artist % GENRES.len();
            let meta = TrackMeta {
                title: format!("Song {i} of the night"),
                artist: format!("Artist {artist:04}"),
                album: format!("Album {:05}", i / 12),
                genre: Some(GENRES[genre].into()),
                year: Some(1960 + (i % 65) as i32),
                track_no: Some((i % 12) as u32 + 1),
                duration_ms: Some(200_000),
                codec: "flac".into(),
                ..Default::default()
            };
            let path = format!("/music/{i}.flac");
            let fingerprint = format!("{i:032x}");
            let facts = FileFacts {
                path: &path,
                folder_id: folder,
                size: 1000,
                mtime_ns: 0,
                fingerprint: &fingerprint,
                cover_id: None,
            };
            let id = q::insert_track(&tx, &facts, &meta).unwrap();
            let embedding: Vec<f32> = centres[genre]
                .iter()
                .map(|c| c + 0.8 * (rng.next() - 0.5))
                .collect();
            let tags: Vec<f32> = (0..50).map(|_| rng.next().powi(4)).collect();
            analysis
                .execute(params![
                    id,
                    70.0 + 10.0 * genre as f64 + 20.0 * rng.next() as f64,
                    2 + (i % 24) as i64,
                    -20.0 + 12.0 * rng.next() as f64,
                    blob(&tags),
                    blob(&embedding)
                ])
                .unwrap();
            let key = item_key(ItemKind::Track, &meta.artist, Some(&meta.title));
            item.execute(params![key, meta.artist, meta.title, id])
                .unwrap();
            let item_id = tx.last_insert_rowid();
            let f: Vec<f32> = (0..FACTORS).map(|_| rng.next() - 0.5).collect();
            factor.execute(params![item_id, blob(&f)]).unwrap();
        }
        tx.execute(
            "INSERT INTO factor_models (model, rank, regularization, alpha, meta, imported_at)
             VALUES ('spark-als', ?1, 0.1, 1.0, '# bench', 0)",
            [FACTORS as i64],
        )
        .unwrap();
        // Two years of history: 20,000 plays of 4,000 tracks from three genres, a tenth skipped.
        let mut play = tx
            .prepare(
                "INSERT INTO plays (track_id, started_at, ended_at, end_reason, context, heard_ms)
                 VALUES (?1, ?2, ?2 + 200, ?3, 'library', 200000)",
            )
            .unwrap();
        for p in 0..20_000i64 {
            let track = 1 + ((p * 104_729) % 4_000) * 25 % TRACKS as i64;
            let at = today - 730 * 86_400 + p * (730 * 86_400 / 20_000);
            let end = if p % 10 == 0 { "skipped" } else { "completed" };
            play.execute(params![track, at, end]).unwrap();
        }
        for t in 0..130i64 {
            let kind = if t < 100 { "like" } else { "hide" };
            tx.execute(
                "INSERT OR REPLACE INTO feedback (track_id, kind, at) VALUES (?1, ?2, ?3)",
                params![1 + t * 331, kind, today - 86_400 * (t % 50)],
            )
            .unwrap();
        }
    }
    tx.commit().unwrap();
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut last = None;
    for _ in 0..runs {
        let started = Instant::now();
        last = Some(f());
        best = best.min(started.elapsed());
    }
    (best, last.unwrap())
}

fn main() {
    // $SONARE_BENCH_DB keeps the built database for another run (building takes minutes).
    let dir = tempfile::tempdir().unwrap();
    let path = std::env::var_os("SONARE_BENCH_DB")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| dir.path().join("library.sqlite3"));
    let reuse = path.exists();
    let mut conn = sonare::db::open(&path).unwrap();
    let today = discover::today();
    let start = discover::local_start(today);
    let options = engine::Options::default();
    if !reuse {
        let started = Instant::now();
        build(&mut conn, start);
        // 60 earlier days of lists (30 shown + logged candidates each), generated as the app would.
        for back in (1..=60).rev() {
            discover::daily(&mut conn, today - Days::new(back), &options, true).unwrap();
        }
        println!(
            "built {TRACKS} tracks, 20,000 plays, 60 days of lists in {:.1} s",
            started.elapsed().as_secs_f64()
        );
    }

    let ms = |d: Duration| format!("{:.0} ms", d.as_secs_f64() * 1000.0);
    if std::env::var_os("SONARE_BENCH_PARTS").is_some() {
        let (t, _) = time(1, || sonare::analysis::store::embeddings(&conn).unwrap());
        println!("embeddings {}", ms(t));
        let (t, _) = time(1, || sonare::analysis::store::all_tags(&conn).unwrap());
        println!("tags {}", ms(t));
        let (t, text) = time(1, || {
            sonare::text::profile::LibraryText::load(&conn).unwrap()
        });
        println!("text profiles {}", ms(t));
        let (t, _) = time(1, || text.track_vectors());
        println!("text vectors {}", ms(t));
    }
    let (catalog_time, catalog) = time(3, || Catalog::load(&conn).unwrap());
    let (history_time, history) = time(3, || History::load(&conn, &catalog).unwrap());
    let (shared_time, _) = time(3, || discover::shared_scores(&conn, &catalog).unwrap());
    let key = today.format("%Y-%m-%d").to_string();
    let (blend_time, blend) = time(3, || {
        discover::learned_blend(&conn, &catalog, &history, &key, start + 43_200).unwrap()
    });
    let shared = discover::shared_scores(&conn, &catalog).unwrap();
    let inputs = engine::Inputs {
        catalog: &catalog,
        left_out: &Default::default(),
        history: &history,
        shared: &shared,
        as_of: start + 43_200,
        day_start: start,
        seed: 7,
    };
    let (engine_time, generated) = time(5, || {
        engine::generate(&inputs, &engine::Ranking::Blend(blend.clone()), &options)
    });
    let (total, list) = time(3, || {
        discover::daily(&mut conn, today, &options, true).unwrap()
    });
    let mut prepared = None;
    discover::daily_cached(
        &mut conn,
        today,
        &options,
        true,
        &mut prepared,
        &discover::load_model,
    )
    .unwrap();
    let (warm, _) = time(5, || {
        discover::daily_cached(
            &mut conn,
            today,
            &options,
            true,
            &mut prepared,
            &discover::load_model,
        )
        .unwrap()
    });
    println!("| stage | best of 3–5 |");
    println!("|---|---|");
    println!(
        "| load the catalog (tracks, analysis, text profiles) | {} |",
        ms(catalog_time)
    );
    println!("| load the history | {} |", ms(history_time));
    println!(
        "| CF: fold the listener into the imported factors | {} |",
        ms(shared_time)
    );
    println!(
        "| train the blend on {} outcomes | {} |",
        blend.samples,
        ms(blend_time)
    );
    println!(
        "| candidates, scores, shape, reasons ({} candidates) | {} |",
        generated.candidates,
        ms(engine_time)
    );
    println!(
        "| **`discover::daily`, end to end from the database, stored** | **{}** |",
        ms(total)
    );
    println!(
        "| **the same in the running app (catalog and shared model kept): refresh** | **{}** |",
        ms(warm)
    );
    assert_eq!(list.tracks.len(), 30);
    drop(conn);
    mixes(&path, today);
}

/// The mixes of issue 18 through the facade, as the running app makes them (the prepared library
/// kept between calls): all of the day's Daily Mixes and Rediscover, a radio's first tracks and its
/// next batch, and a path.
fn mixes(path: &std::path::Path, today: chrono::NaiveDate) {
    use sonare::app::{Seed, Sonare, RADIO_BATCH, RADIO_START};
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(path, dir.path().join(sonare::db::DB_FILE)).unwrap();
    let app = Sonare::open(sonare::data_dir::DataDir::resolve(Some(dir.path())).unwrap()).unwrap();
    app.prepare_discover().unwrap();
    let conn = sonare::db::open(path).unwrap();
    let key = today.format("%Y-%m-%d").to_string();
    let (mixes_time, made) = time(3, || {
        conn.execute("DELETE FROM mixes WHERE day = ?1", [&key])
            .unwrap();
        app.mixes(Some(today)).unwrap()
    });
    let (stored_time, _) = time(5, || app.mixes(Some(today)).unwrap());
    let seed: i64 = conn
        .query_row(
            "SELECT id FROM tracks ORDER BY id LIMIT 1 OFFSET 4321",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let (radio_time, first) = time(5, || {
        app.radio_start(&[Seed::Track { id: seed }], RADIO_START)
            .unwrap()
    });
    let (more_time, more) = time(5, || app.radio_more(RADIO_BATCH).unwrap());
    let artist: String = conn
        .query_row("SELECT artist FROM tracks WHERE id = ?1", [seed], |r| {
            r.get(0)
        })
        .unwrap();
    let (artist_time, _) = time(3, || {
        app.radio_start(
            &[Seed::Artist {
                name: artist.clone(),
            }],
            RADIO_START,
        )
        .unwrap()
    });
    let ms = |d: Duration| format!("{:.0} ms", d.as_secs_f64() * 1000.0);
    let (path_time, steps) = time(3, || app.path_between(seed, seed + 50_000, 12).unwrap());
    println!();
    println!("| mixes in the running app (100k tracks) | best of 3–5 |");
    println!("|---|---|");
    println!(
        "| **all of the day's mixes: {} Daily Mixes and Rediscover, {} tracks, made and stored** | **{}** |",
        made.iter().filter(|m| m.header.kind == sonare::mixes::MixKind::Daily).count(),
        made.iter().map(|m| m.tracks.len()).sum::<usize>(),
        ms(mixes_time)
    );
    println!("| the day's mixes again (stored) | {} |", ms(stored_time));
    println!(
        "| **radio from a song: its first {} tracks (the first plays at once)** | **{}** |",
        first.tracks.len(),
        ms(radio_time)
    );
    println!(
        "| the radio's next {} tracks (steered by skips and likes) | {} |",
        more.tracks.len(),
        ms(more_time)
    );
    println!("| radio from an artist | {} |", ms(artist_time));
    println!("| from A to B, {} songs | {} |", steps.len(), ms(path_time));
    assert!(!made.is_empty());
    assert_eq!(first.tracks.len(), RADIO_START);
}
