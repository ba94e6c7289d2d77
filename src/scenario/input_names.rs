//! The names of a forecast's ranged inputs, written one after another in one string. A scenario
//! may range a value in each of 100,000 workloads; a name then costs its bytes and one offset,
//! where a `String` apiece would add a header and an allocation.

/// Names in the order they were pushed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InputNames {
    text: String,
    /// Where each name ends in `text`; it starts where the one before it ends.
    ends: Vec<usize>,
}

impl InputNames {
    /// Room for `n` names.
    pub fn with_capacity(n: usize) -> InputNames {
        InputNames {
            text: String::new(),
            ends: Vec::with_capacity(n),
        }
    }

    /// Adds a name after the others.
    pub fn push(&mut self, name: &str) {
        self.text.push_str(name);
        self.ends.push(self.text.len());
    }

    /// The `i`th name.
    pub fn get(&self, i: usize) -> &str {
        let start = i.checked_sub(1).map_or(0, |j| self.ends[j]);
        &self.text[start..self.ends[i]]
    }

    /// How many names.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Every name, in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }

    /// Gives back the room no name uses.
    pub fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
        self.ends.shrink_to_fit();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gives_back_each_name_as_pushed_including_empty_and_multibyte_ones() {
        let mut n = InputNames::with_capacity(2);
        assert!(n.is_empty());
        for s in ["monthly_growth", "", "workload.客服.requests_per_day", "x"] {
            n.push(s);
        }
        assert_eq!(n.len(), 4);
        assert_eq!(n.get(0), "monthly_growth");
        assert_eq!(n.get(1), "");
        assert_eq!(n.get(2), "workload.客服.requests_per_day");
        assert_eq!(
            n.iter().collect::<Vec<_>>(),
            ["monthly_growth", "", "workload.客服.requests_per_day", "x"]
        );
    }
}
