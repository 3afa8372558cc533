//! The estimators, one file per method. Each takes plain slices and an options struct whose
//! defaults are R's, and knows nothing of files, JSON or the browser.

pub mod cif;
pub mod concordance;
pub mod cox;
pub mod cox_zph;
pub mod distribution;
pub mod finegray;
pub mod fisher;
pub mod fisher_simulated;
pub mod followup;
pub mod gray;
pub mod hypothesis_tests;
pub mod km;
pub mod linear_algebra;
pub mod logrank;
pub mod mantel_byar;
pub mod p_adjust;
pub mod r_random;
pub mod simon_makuch;
pub mod timefix;

/// `Some(value)` when it is a finite number: R's NA, NaN and Inf all become "not estimable".
pub fn finite(value: f64) -> Option<f64> {
    value.is_finite().then_some(value)
}
