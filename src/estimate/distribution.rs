//! The few distribution functions the estimators need, from statrs.
//!
//! statrs' normal quantile and chi-square tail agree with R's `qnorm` and `pchisq` to a few
//! units in the last place over the range used here; the golden tests hold them to that.

use statrs::distribution::{ChiSquared, ContinuousCDF, Normal};

/// z such that a standard normal lies within +-z with probability `level`:
/// R's `qnorm(1 - (1 - level) / 2)`.
pub fn two_sided_normal_quantile(level: f64) -> f64 {
    let standard = Normal::standard();
    standard.inverse_cdf(1.0 - (1.0 - level) / 2.0)
}

/// The two-sided p-value of a standard normal statistic: `2 * pnorm(-abs(z))`.
pub fn two_sided_normal_p(z: f64) -> f64 {
    2.0 * Normal::standard().cdf(-z.abs())
}

/// The upper tail of the chi-square distribution, `pchisq(statistic, df, lower.tail = FALSE)`;
/// `None` with no degrees of freedom or a statistic that is not a number.
pub fn chi_square_upper_tail(statistic: f64, df: usize) -> Option<f64> {
    if df == 0 || statistic.is_nan() {
        return None;
    }
    let distribution = ChiSquared::new(df as f64).ok()?;
    Some(distribution.sf(statistic.max(0.0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Values printed by R 4.2 with `print(x, digits = 17)`.
    #[test]
    fn agrees_with_r() {
        let relative = |a: f64, b: f64| ((a - b) / b).abs();
        assert!(relative(two_sided_normal_quantile(0.95), 1.959963984540054) < 1e-15);
        assert!(relative(two_sided_normal_quantile(0.90), 1.6448536269514715) < 1e-15);
        assert!(relative(chi_square_upper_tail(3.84, 1).unwrap(), 0.050043521248705224) < 1e-12);
        assert!(relative(chi_square_upper_tail(40.0, 3).unwrap(), 1.0655090334255863e-08) < 1e-10);
        assert_eq!(chi_square_upper_tail(1.0, 0), None);
    }
}
