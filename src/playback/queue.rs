//! The play queue: tracks in the listener's order, a play order (shuffled or not), and repeat.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Repeat {
    #[default]
    Off,
    All,
    One,
}

/// The queue. `order` lists indices into `items` in play order; `position` points into `order`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Queue {
    items: Vec<i64>,
    order: Vec<usize>,
    position: Option<usize>,
    shuffle: bool,
    repeat: Repeat,
    #[serde(skip, default = "seed")]
    rng_seed: u64,
}

fn seed() -> u64 {
    fastrand::u64(..)
}

impl Queue {
    /// A queue of `items` starting at `start` (an index into `items`).
    pub fn new(items: Vec<i64>, start: usize) -> Self {
        let mut queue = Queue {
            order: (0..items.len()).collect(),
            position: (start < items.len()).then_some(start),
            items,
            rng_seed: seed(),
            ..Default::default()
        };
        queue.position = queue.position.filter(|_| !queue.items.is_empty());
        queue
    }

    pub fn items(&self) -> &[i64] {
        &self.items
    }

    pub fn shuffle(&self) -> bool {
        self.shuffle
    }

    pub fn repeat(&self) -> Repeat {
        self.repeat
    }

    pub fn set_repeat(&mut self, repeat: Repeat) {
        self.repeat = repeat;
    }

    /// Index into `items` of the current track.
    pub fn current_index(&self) -> Option<usize> {
        self.position.map(|p| self.order[p])
    }

    pub fn current(&self) -> Option<i64> {
        self.current_index().map(|i| self.items[i])
    }

    /// Index into `items` of the track after the current one, following shuffle and repeat.
    pub fn next_index(&self) -> Option<usize> {
        let position = self.position?;
        match self.repeat {
            Repeat::One => Some(self.order[position]),
            _ if position + 1 < self.order.len() => Some(self.order[position + 1]),
            Repeat::All if !self.order.is_empty() => Some(self.order[0]),
            _ => None,
        }
    }

    /// Moves to the next track (as [`Self::next_index`]); `false` at the end of the queue.
    /// A listener's "next" leaves a repeat-one track; the end of a repeat-one track replays it.
    pub fn advance(&mut self, by_listener: bool) -> bool {
        let Some(position) = self.position else {
            return false;
        };
        if self.repeat == Repeat::One && !by_listener {
            return true;
        }
        if position + 1 < self.order.len() {
            self.position = Some(position + 1);
            true
        } else if matches!(self.repeat, Repeat::All | Repeat::One) && !self.order.is_empty() {
            self.position = Some(0);
            true
        } else {
            false
        }
    }

    /// Moves to the previous track; stays on the first.
    pub fn back(&mut self) {
        if let Some(position) = self.position {
            self.position = Some(match position {
                0 if self.repeat == Repeat::All => self.order.len() - 1,
                0 => 0,
                p => p - 1,
            });
        }
    }

    /// Jumps to `index` (into `items`).
    pub fn jump(&mut self, index: usize) -> bool {
        match self.order.iter().position(|&i| i == index) {
            Some(p) => {
                self.position = Some(p);
                true
            }
            None => false,
        }
    }

    /// Shuffle keeps the current track playing and shuffles the rest; turning it off restores the
    /// listener's order at the current track.
    pub fn set_shuffle(&mut self, on: bool) {
        self.shuffle = on;
        let current = self.current_index();
        self.order = (0..self.items.len()).collect();
        if on {
            let mut rng = fastrand::Rng::with_seed(self.rng_seed);
            self.rng_seed = rng.u64(..);
            rng.shuffle(&mut self.order);
            if let Some(c) = current {
                let at = self.order.iter().position(|&i| i == c).unwrap_or(0);
                self.order.swap(0, at);
            }
        }
        self.position = current.and_then(|c| self.order.iter().position(|&i| i == c));
    }

    /// Appends tracks; with shuffle on they go at the end of the play order.
    pub fn enqueue(&mut self, tracks: &[i64]) {
        for &track in tracks {
            self.items.push(track);
            self.order.push(self.items.len() - 1);
        }
        if self.position.is_none() && !self.items.is_empty() {
            self.position = Some(self.order.len() - tracks.len());
        }
    }

    /// Removes the item at `index` (into `items`). Returns whether it was the current track.
    pub fn remove(&mut self, index: usize) -> bool {
        if index >= self.items.len() {
            return false;
        }
        let was_current = self.current_index() == Some(index);
        let order_at = self.order.iter().position(|&i| i == index);
        self.items.remove(index);
        if let Some(p) = order_at {
            self.order.remove(p);
            if let Some(position) = self.position {
                if p < position {
                    self.position = Some(position - 1);
                }
            }
        }
        for i in &mut self.order {
            if *i > index {
                *i -= 1;
            }
        }
        if self.order.is_empty() {
            self.position = None;
        } else if let Some(position) = self.position {
            self.position = Some(position.min(self.order.len() - 1));
        }
        was_current
    }

    /// Moves the item at `from` to `to` (indices into `items`). The current track stays current.
    pub fn move_item(&mut self, from: usize, to: usize) {
        if from >= self.items.len() || to >= self.items.len() || from == to {
            return;
        }
        let current = self.current_index();
        let item = self.items.remove(from);
        self.items.insert(to, item);
        let remap = |i: usize| {
            if i == from {
                to
            } else if from < to && i > from && i <= to {
                i - 1
            } else if to < from && i >= to && i < from {
                i + 1
            } else {
                i
            }
        };
        if self.shuffle {
            for i in &mut self.order {
                *i = remap(*i);
            }
        } else {
            self.order = (0..self.items.len()).collect();
        }
        if let Some(c) = current.map(remap) {
            self.position = self.order.iter().position(|&i| i == c);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plays_in_order_and_stops_at_the_end() {
        let mut q = Queue::new(vec![10, 20, 30], 1);
        assert_eq!(q.current(), Some(20));
        assert_eq!(q.next_index(), Some(2));
        assert!(q.advance(false));
        assert_eq!(q.current(), Some(30));
        assert_eq!(q.next_index(), None);
        assert!(!q.advance(false));
        q.back();
        assert_eq!(q.current(), Some(20));
    }

    #[test]
    fn repeat_all_wraps_and_repeat_one_replays_until_the_listener_moves_on() {
        let mut q = Queue::new(vec![1, 2], 1);
        q.set_repeat(Repeat::All);
        assert_eq!(q.next_index(), Some(0));
        assert!(q.advance(false));
        assert_eq!(q.current(), Some(1));
        q.set_repeat(Repeat::One);
        assert!(q.advance(false));
        assert_eq!(q.current(), Some(1));
        assert!(q.advance(true));
        assert_eq!(q.current(), Some(2));
    }

    #[test]
    fn shuffle_keeps_the_current_track_and_plays_every_track_once() {
        let mut q = Queue::new((0..50).collect(), 7);
        q.set_shuffle(true);
        assert_eq!(q.current(), Some(7));
        let mut seen = vec![q.current().unwrap()];
        while q.advance(false) {
            seen.push(q.current().unwrap());
        }
        seen.sort();
        assert_eq!(seen, (0..50).collect::<Vec<_>>());
        let last = q.current();
        q.set_shuffle(false);
        assert_eq!(q.current(), last, "unshuffling keeps the current track");
        let at = q.current_index().unwrap();
        assert_eq!(q.next_index(), (at + 1 < 50).then_some(at + 1));
    }

    #[test]
    fn remove_and_move_keep_the_current_track() {
        let mut q = Queue::new(vec![1, 2, 3, 4], 2);
        assert!(!q.remove(0));
        assert_eq!(q.current(), Some(3));
        assert_eq!(q.items(), [2, 3, 4]);
        q.move_item(1, 0);
        assert_eq!(q.items(), [3, 2, 4]);
        assert_eq!(q.current(), Some(3));
        assert_eq!(q.next_index().map(|i| q.items()[i]), Some(2));
        assert!(q.remove(0));
        assert_eq!(q.current(), Some(2));
        q.enqueue(&[9]);
        assert_eq!(q.items(), [2, 4, 9]);
    }
}
