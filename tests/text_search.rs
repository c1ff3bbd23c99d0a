//! "Find by words" and similar artists with the multilingual sentence model, through the core
//! facade on a real library: a Korean query finds an English-tagged song and an English query a
//! Korean-tagged one, which words alone cannot; the embedding stage is incremental; without the model
//! everything still works by words.

mod common;

use common::{retag, TempLibrary};
use lofty::tag::Accessor;

/// (file, artist, title, genre)
const SONGS: &[(&str, &str, &str, &str)] = &[
    ("storm.flac", "Thunderhead", "Iron Storm", "Heavy Metal"),
    ("steel.flac", "강철", "불꽃", "헤비메탈"),
    ("quiet.flac", "이수진", "새벽", "잔잔한 피아노 연주곡"),
    ("party.flac", "Neon Lights", "All Night", "Dance Pop"),
    ("dance.flac", "반짝", "토요일", "신나는 댄스"),
    ("island.flac", "Sunny Roots", "Island Breeze", "Reggae"),
];

fn library(with_model: bool) -> TempLibrary {
    let names: Vec<&str> = SONGS.iter().map(|s| s.0).collect();
    let lib = TempLibrary::retagged(&names, |i, tag| {
        let (_, artist, title, genre) = SONGS[i];
        tag.set_artist(artist.to_string());
        tag.set_title(title.to_string());
        tag.set_genre(genre.to_string());
        tag.set_album(format!("{title} album"));
    });
    if with_model {
        // The model where the app looks for it: <data>/models/use-m3-0.2.1.
        let models = lib.db.parent().unwrap().join("models");
        std::fs::create_dir_all(&models).unwrap();
        std::os::unix::fs::symlink(
            common::text_model(),
            models.join(sonare::text::embed::MODEL_ID),
        )
        .unwrap();
    }
    lib
}

fn titles(app: &sonare::app::Sonare, query: &str) -> Vec<String> {
    app.find(query, 3)
        .unwrap()
        .into_iter()
        .map(|f| f.track.title)
        .collect()
}

#[test]
fn a_query_in_one_language_finds_songs_tagged_in_another() {
    let lib = library(true);
    let app = lib.app();
    assert!(
        titles(&app, "헤비메탈 음악")
            .iter()
            .all(|t| t != "Iron Storm"),
        "before embedding, words alone"
    );

    let control = sonare::jobs::JobControl::default();
    let summary = app.embed_texts(&control, |_| {}).unwrap();
    assert_eq!(
        (summary.embedded, summary.current),
        (SONGS.len(), 0),
        "{summary:?}"
    );
    assert_eq!(summary.unavailable, None);

    let both = |found: Vec<String>, a: &str, b: &str| {
        let top2 = &found[..2];
        assert!(
            top2.contains(&a.to_owned()) && top2.contains(&b.to_owned()),
            "{found:?}"
        );
    };
    // Korean query: the Korean-tagged song by its words, the English-tagged one by meaning.
    both(titles(&app, "헤비메탈 음악"), "Iron Storm", "불꽃");
    assert_eq!(
        titles(&app, "quiet piano music")[0],
        "새벽",
        "English query, Korean tag"
    );
    both(titles(&app, "ヘビーメタル"), "Iron Storm", "불꽃");
    assert_eq!(titles(&app, "dance music")[0], "All Night");
    // Words still count: an exact title ranks first.
    assert_eq!(titles(&app, "Island Breeze")[0], "Island Breeze");

    // Artists alike by meaning across languages: the Korean heavy metal band for the English one.
    let like = app.artists_like("Thunderhead", 2).unwrap();
    assert_eq!(like[0].0, "강철", "{like:?}");
    let page = app.artist("Thunderhead").unwrap();
    assert_eq!(
        page.like_by_text.first().map(|a| a.0.as_str()),
        Some("강철"),
        "{:?}",
        page.like_by_text
    );
}

#[test]
fn only_changed_texts_are_embedded_again() {
    let lib = library(true);
    let app = lib.app();
    let control = sonare::jobs::JobControl::default();
    app.embed_texts(&control, |_| {}).unwrap();
    let again = app.embed_texts(&control, |_| {}).unwrap();
    assert_eq!((again.embedded, again.current), (0, SONGS.len()));

    retag(&lib.music.join("island.flac"), |tag| {
        tag.set_genre("Roots Reggae".into())
    });
    app.scan(None, &control, &mut |_| {}).unwrap();
    let after = app.embed_texts(&control, |_| {}).unwrap();
    assert_eq!((after.embedded, after.current), (1, SONGS.len() - 1));

    let cancelled = sonare::jobs::JobControl::default();
    cancelled.cancel();
    retag(&lib.music.join("island.flac"), |tag| {
        tag.set_genre("Dub".into())
    });
    app.scan(None, &control, &mut |_| {}).unwrap();
    let stopped = app.embed_texts(&cancelled, |_| {}).unwrap();
    assert!(stopped.cancelled && stopped.embedded == 0, "{stopped:?}");
}

#[test]
fn without_the_model_search_works_by_words_and_says_why() {
    let lib = library(false);
    let app = lib.app();
    let summary = app
        .embed_texts(&sonare::jobs::JobControl::default(), |_| {})
        .unwrap();
    let why = summary.unavailable.expect("no model");
    assert!(why.contains("fetch_text_model.sh"), "{why}");
    assert_eq!(titles(&app, "reggae")[0], "Island Breeze");
    assert!(app.artists_like("Thunderhead", 3).is_ok());
}

#[test]
fn discover_and_the_mixes_see_the_same_scene_across_languages() {
    let lib = library(true);
    let app = lib.app();
    app.embed_texts(&sonare::jobs::JobControl::default(), |_| {})
        .unwrap();
    let conn = sonare::db::open(&lib.db).unwrap();
    let catalog = sonare::discover::catalog::Catalog::load(&conn).unwrap();
    let at = |file: &str| catalog.index[&lib.track_id(file)];
    let (metal, steel, island) = (at("storm.flac"), at("steel.flac"), at("island.flac"));
    // By words the two metal songs share next to nothing ("Heavy Metal", "헤비메탈": only the
    // folder); by meaning they share the scene.
    assert!(catalog.text[metal].cosine(&catalog.text[steel]) < 0.01);
    let same_scene = catalog.text_similarity(metal, steel);
    let other_scene = catalog.text_similarity(metal, island);
    assert!(
        same_scene > other_scene,
        "metal–metal {same_scene} vs metal–reggae {other_scene}"
    );
    // A mix anchored on the English metal song finds the Korean one closest by text.
    let anchor = sonare::mixes::anchor::Anchor::new(
        &catalog,
        &[(metal, 1.0)],
        sonare::mixes::anchor::vocabulary(&catalog),
    );
    let closest = (0..catalog.len())
        .filter(|&i| i != metal)
        .max_by(|&a, &b| {
            anchor
                .text(&catalog, a)
                .total_cmp(&anchor.text(&catalog, b))
        })
        .unwrap();
    assert_eq!(closest, steel);
}
