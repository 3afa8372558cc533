//! Adjusting p-values for multiple comparisons, as R's `p.adjust`.
//!
//! With m non-missing p-values sorted ascending, p_(1) <= ... <= p_(m):
//!   bonferroni: min(1, m p)
//!   holm:       p~_(i) = min(1, max over j <= i of (m - j + 1) p_(j))
//!   BH:         p~_(i) = min(1, min over j >= i of (m / j) p_(j))
//! Missing p-values stay missing and do not count in m (R's default `n = length(p[!is.na(p)])`).
//!
//! Reference: Holm (1979); Benjamini & Hochberg (1995).
//! Reproduces `p.adjust(p, method = c("none", "holm", "bonferroni", "BH"))`.

use serde::{Deserialize, Serialize};

/// The adjustment for multiple comparisons; the default is none, as `pairwise_survdiff` users
/// expect the raw p alongside.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Adjust {
    #[default]
    None,
    Holm,
    Bonferroni,
    /// Benjamini-Hochberg false discovery rate, R's `"BH"`.
    Bh,
}

impl Adjust {
    pub fn name(self) -> &'static str {
        match self {
            Adjust::None => "none",
            Adjust::Holm => "holm",
            Adjust::Bonferroni => "bonferroni",
            Adjust::Bh => "bh",
        }
    }
}

/// The adjusted p-values, in the order given.
///
/// # Examples
/// ```
/// use survkit::estimate::p_adjust::{p_adjust, Adjust};
/// let adjusted = p_adjust(&[Some(0.01), Some(0.04), Some(0.03)], Adjust::Holm);
/// assert_eq!(adjusted, vec![Some(0.03), Some(0.06), Some(0.06)]);
/// ```
pub fn p_adjust(p: &[Option<f64>], method: Adjust) -> Vec<Option<f64>> {
    let present: Vec<(usize, f64)> = p.iter().enumerate().filter_map(|(index, p)| p.map(|p| (index, p))).collect();
    let m = present.len() as f64;
    let mut adjusted = p.to_vec();
    match method {
        Adjust::None => {}
        Adjust::Bonferroni => {
            for (index, p) in &present {
                adjusted[*index] = Some((m * p).min(1.0));
            }
        }
        Adjust::Holm => {
            let mut ascending = present.clone();
            ascending.sort_by(|a, b| a.1.total_cmp(&b.1));
            let mut running_max = 0.0_f64;
            for (rank, (index, p)) in ascending.iter().enumerate() {
                running_max = running_max.max((m - rank as f64) * p);
                adjusted[*index] = Some(running_max.min(1.0));
            }
        }
        Adjust::Bh => {
            let mut descending = present.clone();
            descending.sort_by(|a, b| b.1.total_cmp(&a.1));
            let mut running_min = f64::INFINITY;
            for (position, (index, p)) in descending.iter().enumerate() {
                let rank = m - position as f64;
                running_min = running_min.min(m / rank * p);
                adjusted[*index] = Some(running_min.min(1.0));
            }
        }
    }
    adjusted
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `p.adjust(c(0.01, 0.02, 0.03, 0.04, 0.05), "BH")` is 0.05 for all five.
    #[test]
    fn benjamini_hochberg_by_hand() {
        let p: Vec<Option<f64>> = [0.01, 0.02, 0.03, 0.04, 0.05].into_iter().map(Some).collect();
        for value in p_adjust(&p, Adjust::Bh) {
            assert!((value.unwrap() - 0.05).abs() < 1e-15);
        }
    }

    #[test]
    fn missing_values_do_not_count() {
        assert_eq!(p_adjust(&[Some(0.2), None, Some(0.3)], Adjust::Bonferroni), vec![Some(0.4), None, Some(0.6)]);
        assert_eq!(p_adjust(&[Some(0.6), Some(0.7)], Adjust::Bonferroni), vec![Some(1.0), Some(1.0)]);
    }
}
