//! Streaming over the elements of a JSON array (the whole document, or one field of the top-level
//! object) without holding the array in memory: Spotify exports and Million Playlist Dataset slices
//! are large, and a multi-gigabyte file must import in constant memory.

use std::cell::RefCell;
use std::fmt;
use std::io::Read;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

/// What went wrong while streaming.
#[derive(Debug)]
pub enum StreamError<E> {
    /// The JSON itself is malformed or not shaped as expected (serde_json's message names the line
    /// and column).
    Json(serde_json::Error),
    /// The callback stopped the stream.
    Callback(E),
}

struct Elements<'a, F, E> {
    field: Option<&'a str>,
    on_element: &'a RefCell<F>,
    failure: &'a RefCell<Option<E>>,
}

impl<'de, F, E> Visitor<'de> for Elements<'_, F, E>
where
    F: FnMut(usize, Value) -> Result<(), E>,
{
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self.field {
            None => write!(f, "a JSON array"),
            Some(name) => write!(f, "a JSON object with a {name:?} array"),
        }
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        if self.field.is_some() {
            return Err(de::Error::invalid_type(de::Unexpected::Seq, &self));
        }
        let mut index = 0;
        while let Some(value) = seq.next_element::<Value>()? {
            if let Err(e) = (self.on_element.borrow_mut())(index, value) {
                *self.failure.borrow_mut() = Some(e);
                return Err(de::Error::custom("stopped"));
            }
            index += 1;
        }
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let Some(field) = self.field else {
            return Err(de::Error::invalid_type(de::Unexpected::Map, &self));
        };
        let mut found = false;
        while let Some(key) = map.next_key::<String>()? {
            if key == field {
                found = true;
                map.next_value_seed(Elements {
                    field: None,
                    on_element: self.on_element,
                    failure: self.failure,
                })?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        if !found {
            return Err(de::Error::missing_field("the array field"));
        }
        Ok(())
    }
}

impl<'de, F, E> DeserializeSeed<'de> for Elements<'_, F, E>
where
    F: FnMut(usize, Value) -> Result<(), E>,
{
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

/// Calls `on_element(index, value)` for each element of the array that is the document (`field`
/// `None`) or the top-level object's `field`.
pub fn for_each_element<R: Read, E>(
    reader: R,
    field: Option<&str>,
    on_element: impl FnMut(usize, Value) -> Result<(), E>,
) -> Result<(), StreamError<E>> {
    let on_element = RefCell::new(on_element);
    let failure = RefCell::new(None);
    let mut de = serde_json::Deserializer::from_reader(std::io::BufReader::new(reader));
    let result = Elements {
        field,
        on_element: &on_element,
        failure: &failure,
    }
    .deserialize(&mut de)
    .and_then(|()| de.end());
    match (result, failure.into_inner()) {
        (_, Some(e)) => Err(StreamError::Callback(e)),
        (Err(e), None) => Err(StreamError::Json(e)),
        (Ok(()), None) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elements_of_a_top_level_array_or_a_field_arrive_one_by_one() {
        let mut seen = vec![];
        for_each_element::<_, ()>(&b"[1, {\"a\": 2}, 3]"[..], None, |i, v| {
            seen.push((i, v));
            Ok(())
        })
        .unwrap();
        assert_eq!(seen.len(), 3);
        let mut n = 0;
        let doc = br#"{"info": {"x": [1,2]}, "playlists": [{"pid": 1}, {"pid": 2}], "z": 0}"#;
        for_each_element::<_, ()>(&doc[..], Some("playlists"), |_, _| {
            n += 1;
            Ok(())
        })
        .unwrap();
        assert_eq!(n, 2);
    }

    #[test]
    fn wrong_shapes_truncation_and_callback_errors_are_told_apart() {
        let r = for_each_element::<_, ()>(&b"{\"a\": 1}"[..], None, |_, _| Ok(()));
        assert!(matches!(r, Err(StreamError::Json(_))));
        let r = for_each_element::<_, ()>(&b"[1, 2"[..], None, |_, _| Ok(()));
        match r {
            Err(StreamError::Json(e)) => assert!(e.to_string().contains("line 1"), "{e}"),
            other => panic!("{other:?}"),
        }
        let r = for_each_element(&b"[1, 2, 3]"[..], None, |i, _| {
            if i == 1 {
                Err("no")
            } else {
                Ok(())
            }
        });
        assert!(matches!(r, Err(StreamError::Callback("no"))));
        let r =
            for_each_element::<_, ()>(&b"{\"other\": []}"[..], Some("playlists"), |_, _| Ok(()));
        assert!(matches!(r, Err(StreamError::Json(_))));
    }
}
