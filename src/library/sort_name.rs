//! How names sort in the library: a leading English article ("The", "A", "An") is set aside, so
//! The Beatles sort under B (as most players do; other languages' articles are often part of a
//! name: "Die Antwoord", "La Roux"). Case is ignored (`COLLATE NOCASE`); other scripts sort by code
//! point, which puts Hangul in 가나다 order.
//!
//! The rule is SQL, so stored sort columns and sorts of computed names (an album's owner, an
//! artist list) share it. Migration 14 holds a frozen copy.

/// An SQL expression: the sort name of the SQL expression `name` (evaluated up to six times, so
/// pass a column or a parameter).
pub fn sql(name: &str) -> String {
    let strip = |len: usize| {
        format!(
            "WHEN lower(substr({name}, 1, {len})) = '{article} ' AND length(trim(substr({name}, {next}))) > 0 \
             THEN trim(substr({name}, {next}))",
            article = ["a", "an", "the"][len - 2],
            next = len + 1,
        )
    };
    format!(
        "(CASE {} {} {} ELSE {name} END)",
        strip(4),
        strip(3),
        strip(2)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn articles_are_set_aside_and_nothing_else_is() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let sort = |name: &str| -> String {
            conn.query_row(&format!("SELECT {}", sql("?1")), [name], |r| r.get(0))
                .unwrap()
        };
        assert_eq!(sort("The Beatles"), "Beatles");
        assert_eq!(sort("the the"), "the");
        assert_eq!(sort("A Tribe Called Quest"), "Tribe Called Quest");
        assert_eq!(sort("An Horse"), "Horse");
        assert_eq!(sort("The"), "The");
        assert_eq!(sort("The "), "The ");
        assert_eq!(sort("Abba"), "Abba");
        assert_eq!(sort("Theatre of Tragedy"), "Theatre of Tragedy");
        assert_eq!(sort("Anathema"), "Anathema");
        assert_eq!(sort("아이유"), "아이유");
        let mut names =
            ["나비", "The Zombies", "가을", "Abba", "다람쥐", "coldplay"].map(String::from);
        names.sort_by_key(|n| sort(n).to_lowercase());
        assert_eq!(
            names,
            ["Abba", "coldplay", "The Zombies", "가을", "나비", "다람쥐"]
        );
    }
}
