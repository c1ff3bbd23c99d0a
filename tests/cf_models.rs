//! Every CF model against one conformance suite, on small samples derived from real co-listening
//! data (`benches/cf_sample.py`), and tuning's choice on a planted case. Item tags (side
//! information rows) are part of every case where the sample has them.

use std::path::PathBuf;

use sonare::cf::eval::{self, Choice, Interactions};
use sonare::cf::matrix::Csr;
use sonare::cf::model::{top_k, ModelSpec, Trained};
use sonare::cf::tags::tag_rows;
use sonare::cf::tune::{self, Recipe, TuneOptions};
use sonare::jobs::JobControl;

fn sample(name: &str) -> Interactions {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/cf")
        .join(name);
    let mut data = Interactions::default();
    eval::read_triples(&path, &mut data).unwrap();
    let tags = path.with_file_name(name.replace(".tsv", "-tags.tsv"));
    if tags.exists() {
        eval::read_item_tags(&tags, &mut data).unwrap();
    }
    data
}

/// Every model, with settings that suit a few dozen listeners, and a blend of three.
fn recipes() -> Vec<Recipe> {
    let mut out: Vec<Recipe> = ModelSpec::NAMES
        .iter()
        .map(|n| {
            let mut spec = ModelSpec::by_name(n).unwrap();
            if let ModelSpec::Ease { lambda, .. } = &mut spec {
                *lambda = 10.0;
            }
            if let ModelSpec::Als { params, .. } = &mut spec {
                params.factors = 8;
            }
            Recipe::Single(spec)
        })
        .collect();
    // The families that weigh item tags, with them.
    for spec in [out[0].clone(), out[3].clone()] {
        if let Recipe::Single(mut spec) = spec {
            match &mut spec {
                ModelSpec::Als { tags, .. } => *tags = 6.0,
                ModelSpec::Knn { tags, .. } => *tags = 0.5,
                _ => unreachable!(),
            }
            out.push(Recipe::Single(spec));
        }
    }
    let parts = out[..3]
        .iter()
        .zip([0.5, 0.3, 0.2])
        .map(|(r, w)| match r {
            Recipe::Single(s) => (w, *s),
            Recipe::Blend(_) => unreachable!(),
        })
        .collect();
    out.push(Recipe::Blend(parts));
    out
}

/// The sample with a listener who has one item and an item only that listener has (and no
/// tag), with the sample's tag rows over those columns.
fn with_singletons(data: &Interactions) -> (Csr, Option<Csr>) {
    let m = data.matrix();
    let mut triples = data.triples.clone();
    let (lone_user, lone_item) = (m.rows as u32, m.cols as u32);
    triples.push((lone_user, lone_item, 1.0));
    let tags = tag_rows(
        data.item_tags.iter().map(|(i, t)| (*i, t.as_str())),
        m.cols + 1,
    );
    (Csr::from_triples(m.rows + 1, m.cols + 1, &triples), tags)
}

#[test]
fn every_model_ranks_only_unseen_items_deterministically_and_copes_with_singletons() {
    for file in ["hetrec-sample.tsv", "mpd-sample.tsv"] {
        let data = sample(file);
        let (m, tags) = with_singletons(&data);
        assert_eq!(tags.is_some(), file.starts_with("hetrec"));
        for recipe in recipes() {
            let name = recipe.describe();
            let model = recipe.fit(&m, tags.as_ref()).unwrap();
            let again = recipe.fit(&m, tags.as_ref()).unwrap();
            for u in 0..m.rows {
                let scores = model.scores_for_user(u, &m);
                assert_eq!(scores.len(), m.cols, "{file} {name}");
                assert!(
                    scores.iter().all(|s| s.is_finite()),
                    "{file} {name} user {u}"
                );
                assert_eq!(
                    scores,
                    again.scores_for_user(u, &m),
                    "{file} {name}: same seed"
                );
                let seen = m.row(u).0;
                let top = top_k(&scores, 10, seen);
                assert_eq!(top.len(), 10.min(m.cols - seen.len()), "{file} {name}");
                assert!(top.iter().all(|i| seen.binary_search(i).is_err()));
            }
            // A new listener with one item is folded in; one with none gets finite scores.
            for items in [&[0u32][..], &[]] {
                let s = model.scores_for_new(items, &vec![3.0; items.len()]);
                assert!(
                    s.len() == m.cols && s.iter().all(|v| v.is_finite()),
                    "{name}"
                );
            }
        }
    }
}

#[test]
fn every_model_finds_held_out_items_better_than_popularity_on_real_listeners() {
    // The held-out protocol on the real-data samples: each learning model must beat the
    // most-popular floor (the samples are small, so by a margin, not by the datasets' figures).
    for file in ["hetrec-sample.tsv", "mpd-sample.tsv"] {
        let data = sample(file);
        let (m, tags) = (data.matrix(), data.tags());
        let holdout = sonare::cf::holdout::Holdout::cut(&m, 1000, 3);
        let mean = |r: &Recipe| {
            let model = r.fit(&holdout.train, tags.as_ref()).unwrap();
            let v = holdout.per_user(&model);
            v.iter().sum::<f64>() / v.len() as f64
        };
        let popular = mean(&Recipe::Single(ModelSpec::Popular));
        for recipe in recipes().into_iter().filter(|r| r.name() != "popular") {
            let score = mean(&recipe);
            assert!(
                score > popular,
                "{file}: {} {score:.3} vs popular {popular:.3}",
                recipe.describe()
            );
        }
    }
}

#[test]
fn recommend_never_returns_a_train_item() {
    let data = sample("hetrec-sample.tsv");
    let users: Vec<String> = (0..45).map(|u| format!("u{u}")).collect();
    for recipe in recipes() {
        let (lists, _) = eval::recommend(&data, &users, 20, &Choice::Fixed(recipe)).unwrap();
        for (user, items) in lists {
            let u = data.users.get(&user).unwrap();
            let seen: Vec<&str> = data
                .triples
                .iter()
                .filter(|t| t.0 == u)
                .map(|t| data.items.name(t.1))
                .collect();
            assert_eq!(items.len(), 20);
            assert!(items.iter().all(|i| !seen.contains(&i.as_str())), "{user}");
        }
    }
}

/// Two scenes of listeners (items 0-29 and 30-59) who also all play a few hits (60-64): the hits
/// are what popularity recommends, the scene is what the listener goes on to play.
fn planted() -> Csr {
    let mut rng = fastrand::Rng::with_seed(11);
    let mut t = vec![];
    for u in 0..200u32 {
        let base = if u % 2 == 0 { 0 } else { 30 };
        for i in 0..30 {
            if rng.f32() < 0.3 {
                t.push((u, base + i, 1.0 + rng.u32(0..5) as f32));
            }
        }
        for hit in 60..65 {
            if rng.f32() < 0.5 {
                t.push((u, hit, 1.0));
            }
        }
    }
    Csr::from_triples(200, 65, &t)
}

#[test]
fn tuning_picks_the_better_of_two_models_whichever_comes_first() {
    let knn = ModelSpec::by_name("item-knn").unwrap();
    let options = TuneOptions {
        blend: false,
        ..Default::default()
    };
    for order in [[ModelSpec::Popular, knn], [knn, ModelSpec::Popular]] {
        let tuned = tune::tune_among(
            &planted(),
            None,
            &order,
            &options,
            &JobControl::default(),
            |_| {},
        )
        .unwrap();
        assert_eq!(tuned.winner.model, "item-knn", "{tuned:?}");
        let runner_up = tuned.runner_up.unwrap();
        assert_eq!(runner_up.model, "popular");
        assert!(tuned.winner.score > runner_up.score + 2.0 * runner_up.se);
    }
}

#[test]
fn tuning_reports_progress_obeys_cancel_and_refuses_too_little_data() {
    let control = JobControl::default();
    let mut seen = vec![];
    let tuned = tune::tune(&planted(), None, &TuneOptions::default(), &control, |p| {
        seen.push((p.done, p.total))
    })
    .unwrap();
    assert!(seen.windows(2).all(|w| w[0].0 <= w[1].0), "{seen:?}");
    assert_eq!(seen.last().map(|p| p.0), seen.last().map(|p| p.1));
    assert!(
        tuned.trials.len() >= 4,
        "every family was tried: {:?}",
        tuned.trials
    );
    let cancelled = JobControl::default();
    cancelled.cancel();
    let err = tune::tune(
        &planted(),
        None,
        &TuneOptions::default(),
        &cancelled,
        |_| {},
    )
    .unwrap_err();
    assert!(matches!(err, tune::TuneError::Cancelled), "{err}");
    let tiny = Csr::from_triples(3, 4, &[(0, 0, 1.0), (1, 1, 1.0), (2, 2, 1.0)]);
    let err = tune::tune(&tiny, None, &TuneOptions::default(), &control, |_| {}).unwrap_err();
    assert!(err.to_string().contains("too little shared data"), "{err}");
    // Trained models of the trial kinds round-trip through the tuned recipe.
    let model: Trained = tuned.winner.recipe.fit(&planted(), None).unwrap();
    assert_eq!(model.scores_for_new(&[0], &[1.0]).len(), 65);
}

/// Two scenes (items 0-19 and 20-39, each tagged with its scene) and two items that the same
/// two listeners played, one of each scene: 40, tagged like the first scene, and 41 like the
/// second. By co-listening alone the two are twins.
fn scenes_and_two_twins() -> (Csr, Csr) {
    let mut rng = fastrand::Rng::with_seed(5);
    let mut t = vec![];
    for u in 0..100u32 {
        let base = if u % 2 == 0 { 0 } else { 20 };
        for i in 0..20 {
            if rng.f32() < 0.4 {
                t.push((u, base + i, 1.0 + rng.u32(0..20) as f32));
            }
        }
    }
    for twin in [40, 41] {
        t.push((0, twin, 3.0));
        t.push((1, twin, 3.0));
    }
    let mut pairs: Vec<(u32, &str)> = (0..40)
        .map(|i| (i, if i < 20 { "first" } else { "second" }))
        .collect();
    pairs.extend([(40, "first"), (41, "second")]);
    (Csr::from_triples(100, 42, &t), tag_rows(pairs, 42).unwrap())
}

#[test]
fn tags_pull_a_barely_played_item_towards_its_scene() {
    let (m, tags) = scenes_and_two_twins();
    // How many listeners of each scene score the first scene's twin above the second's.
    let prefer_first = |model: &Trained, scene: usize| {
        (2..100)
            .filter(|u| u % 2 == scene)
            .filter(|&u| {
                let s = model.scores_for_user(u, &m);
                s[40] > s[41]
            })
            .count()
    };
    for name in ["als", "item-knn"] {
        let mut spec = ModelSpec::by_name(name).unwrap();
        if let ModelSpec::Als { params, .. } = &mut spec {
            params.factors = 8;
        }
        // Without a tag weight the tags are not used: the twins score alike (ALS up to its
        // random start).
        let plain = Trained::fit_with_tags(&spec, &m, Some(&tags)).unwrap();
        for u in 2..100 {
            let s = plain.scores_for_user(u, &m);
            let scale = s.iter().fold(0f32, |a, &b| a.max(b.abs()));
            assert!(
                (s[40] - s[41]).abs() <= 0.02 * scale,
                "{name} without tags, listener {u}: {} vs {}",
                s[40],
                s[41]
            );
        }
        match &mut spec {
            ModelSpec::Als { tags, .. } => *tags = 6.0,
            ModelSpec::Knn { tags, .. } => *tags = 0.5,
            _ => unreachable!(),
        }
        let tagged = Trained::fit_with_tags(&spec, &m, Some(&tags)).unwrap();
        let (first, second) = (prefer_first(&tagged, 0), prefer_first(&tagged, 1));
        assert!(
            first >= 45 && second <= 4,
            "{name} with tags: {first} of 49 first-scene and {second} of 49 second-scene \
             listeners put the first scene's twin first"
        );
    }
}

#[test]
fn a_malformed_tag_line_is_an_error_naming_it_and_tags_of_unknown_items_are_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let (train, tags) = (dir.path().join("train.tsv"), dir.path().join("tags.tsv"));
    std::fs::write(&train, "u1\ta\t3\nu1\tb\t1\nu2\tb\t2\n").unwrap();
    std::fs::write(
        &tags,
        "# item, tag, count\na\trock\t4\nzz\trock\t1\nb\trock\n",
    )
    .unwrap();
    let mut data = Interactions::default();
    eval::read_triples(&train, &mut data).unwrap();
    eval::read_item_tags(&tags, &mut data).unwrap();
    assert_eq!(data.item_tags.len(), 2, "{:?}", data.item_tags);
    assert_eq!(data.tags().unwrap().row(0).0, &[0, 1]);
    for (bad, reason) in [
        ("a\trock\t4\nb\n", "expected item<TAB>tag"),
        ("a\trock\t4\nb\tpop\tmany\n", "not a positive number"),
        ("a\trock\t4\nb\t \t2\n", "the tag is empty"),
    ] {
        std::fs::write(&tags, bad).unwrap();
        let err = eval::read_item_tags(&tags, &mut Interactions::default()).unwrap_err();
        let message = err.to_string();
        assert!(
            message.contains("tags.tsv:2:") && message.contains(reason),
            "{message}"
        );
    }
}
