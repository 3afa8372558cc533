//! The few transcendental and distribution functions the estimators need, computed the same way
//! on every target.
//!
//! Architecture Invariant: the engine's numbers are bit-for-bit the same natively and in Wasm.
//! `f64::exp`/`ln`/`powf` call the platform's libm (glibc natively, a Rust port of musl in Wasm),
//! which differ in the last bit; so every transcendental goes through the `libm` crate here.
//!
//! - `two_sided_normal_quantile`: Wichura's AS 241 (PPND16), the algorithm of R's `qnorm`.
//! - `two_sided_normal_p`: `erfc(|z| / sqrt 2)`, R's `2 * pnorm(-abs(z))`.
//! - `chi_square_upper_tail`: the regularized upper incomplete gamma Q(df/2, x/2) by its series
//!   or Lentz's continued fraction (Numerical Recipes §6.2), R's `pchisq(x, df, lower.tail = FALSE)`.
//!
//! clippy.toml forbids `f64::exp`, `ln`, `powf`, `powi` and their relatives everywhere, so that a
//! call to the platform's libm cannot creep back in; this is the one module allowed to name them,
//! should it ever need to (it calls the `libm` crate instead).
#![allow(clippy::disallowed_methods)]

/// `e^x`, the same on every target.
#[inline]
pub fn exp(x: f64) -> f64 {
    libm::exp(x)
}

/// The natural logarithm, the same on every target.
#[inline]
pub fn ln(x: f64) -> f64 {
    libm::log(x)
}

/// `x^y`, the same on every target.
#[inline]
pub fn pow(x: f64, y: f64) -> f64 {
    libm::pow(x, y)
}

/// The base-10 logarithm, the same on every target.
#[inline]
pub fn log10(x: f64) -> f64 {
    libm::log10(x)
}

/// `x * x`: one rounding, the same on every target (`powi`'s rounding is unspecified).
#[inline]
pub fn square(x: f64) -> f64 {
    x * x
}

/// ln Gamma(x) for x > 0, the same on every target.
#[inline]
pub fn ln_gamma(x: f64) -> f64 {
    libm::lgamma(x)
}

/// z such that a standard normal lies within +-z with probability `level`:
/// R's `qnorm(1 - (1 - level) / 2)`.
pub fn two_sided_normal_quantile(level: f64) -> f64 {
    normal_quantile(1.0 - (1.0 - level) / 2.0)
}

/// AS 241, PPND16: the normal quantile to about 1e-16 relative. The coefficients are written as
/// Wichura (1988) and R's `qnorm.c` print them, more digits than an f64 holds, so that they can be
/// checked against the source digit for digit.
#[allow(clippy::excessive_precision)]
fn normal_quantile(p: f64) -> f64 {
    if p.is_nan() || !(0.0..=1.0).contains(&p) {
        return f64::NAN;
    }
    if p == 0.0 {
        return f64::NEG_INFINITY;
    }
    if p == 1.0 {
        return f64::INFINITY;
    }
    let q = p - 0.5;
    if q.abs() <= 0.425 {
        let r = 0.180625 - q * q;
        return q
            * (((((((r * 2509.0809287301226727 + 33430.575583588128105) * r + 67265.770927008700853) * r
                + 45921.953931549871457)
                * r
                + 13731.693765509461125)
                * r
                + 1971.5909503065514427)
                * r
                + 133.14166789178437745)
                * r
                + 3.387132872796366608)
            / (((((((r * 5226.495278852545925 + 28729.085735721942674) * r + 39307.89580009271061) * r
                + 21213.794301586595867)
                * r
                + 5394.1960214247511077)
                * r
                + 687.1870074920579083)
                * r
                + 42.313330701600911252)
                * r
                + 1.0);
    }
    let tail = if q < 0.0 { p } else { 1.0 - p };
    let mut r = libm::sqrt(-ln(tail));
    let value = if r <= 5.0 {
        r -= 1.6;
        (((((((r * 7.7454501427834140764e-4 + 0.0227238449892691845833) * r + 0.24178072517745061177) * r
            + 1.27045825245236838258)
            * r
            + 3.64784832476320460504)
            * r
            + 5.7694972214606914055)
            * r
            + 4.6303378461565452959)
            * r
            + 1.42343711074968357734)
            / (((((((r * 1.05075007164441684324e-9 + 5.475938084995344946e-4) * r + 0.0151986665636164571966) * r
                + 0.14810397642748007459)
                * r
                + 0.68976733498510000455)
                * r
                + 1.6763848301838038494)
                * r
                + 2.05319162663775882187)
                * r
                + 1.0)
    } else {
        r -= 5.0;
        (((((((r * 2.01033439929228813265e-7 + 2.71155556874348757815e-5) * r + 0.0012426609473880784386) * r
            + 0.026532189526576123093)
            * r
            + 0.29656057182850489123)
            * r
            + 1.7848265399172913358)
            * r
            + 5.4637849111641143699)
            * r
            + 6.6579046435011037772)
            / (((((((r * 2.04426310338993978564e-15 + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r
                + 7.868691311456132591e-4)
                * r
                + 0.0148753612908506148525)
                * r
                + 0.13692988092273580531)
                * r
                + 0.59983220655588793769)
                * r
                + 1.0)
    };
    if q < 0.0 {
        -value
    } else {
        value
    }
}

/// The two-sided p-value of a standard normal statistic: `2 * pnorm(-abs(z))`.
pub fn two_sided_normal_p(z: f64) -> f64 {
    libm::erfc(z.abs() / std::f64::consts::SQRT_2)
}

/// The upper tail of the chi-square distribution, `pchisq(statistic, df, lower.tail = FALSE)`;
/// `None` with no degrees of freedom or a statistic that is not a number.
pub fn chi_square_upper_tail(statistic: f64, df: usize) -> Option<f64> {
    if df == 0 || statistic.is_nan() {
        return None;
    }
    let x = statistic.max(0.0);
    if x == f64::INFINITY {
        return Some(0.0);
    }
    if df == 1 {
        // Q(1/2, x/2) = erfc(sqrt(x/2)), exact to the last bits and fast.
        return Some(libm::erfc(libm::sqrt(x / 2.0)));
    }
    Some(upper_regularized_gamma(df as f64 / 2.0, x / 2.0))
}

/// Q(a, x) = Γ(a, x) / Γ(a) for a > 0, x >= 0.
fn upper_regularized_gamma(a: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 1.0;
    }
    let log_prefactor = a * ln(x) - x - ln_gamma(a);
    if x < a + 1.0 {
        // The series for P(a, x); Q = 1 - P is accurate here because P is not close to 1.
        let (mut term, mut sum, mut n) = (1.0 / a, 1.0 / a, a);
        for _ in 0..10_000 {
            n += 1.0;
            term *= x / n;
            sum += term;
            if term.abs() < sum.abs() * 1e-17 {
                break;
            }
        }
        (1.0 - sum * exp(log_prefactor)).max(0.0)
    } else {
        // Lentz's continued fraction for Q(a, x).
        let tiny = 1e-300;
        let mut b = x + 1.0 - a;
        let mut c = 1.0 / tiny;
        let mut d = 1.0 / b;
        let mut h = d;
        for i in 1..10_000 {
            let an = -(i as f64) * (i as f64 - a);
            b += 2.0;
            d = an * d + b;
            if d.abs() < tiny {
                d = tiny;
            }
            c = b + an / c;
            if c.abs() < tiny {
                c = tiny;
            }
            d = 1.0 / d;
            let delta = d * c;
            h *= delta;
            if (delta - 1.0).abs() < 1e-16 {
                break;
            }
        }
        exp(log_prefactor) * h
    }
}

/// The two-sided p-value of Student's t: `2 * pt(-abs(t), df)` = I_{df/(df+t^2)}(df/2, 1/2).
pub fn student_t_two_sided_p(t: f64, df: f64) -> Option<f64> {
    if !t.is_finite() || df.is_nan() || df <= 0.0 {
        return None;
    }
    Some(regularized_beta(df / 2.0, 0.5, df / (df + t * t)).clamp(0.0, 1.0))
}

/// The upper tail of the F distribution, `pf(f, d1, d2, lower.tail = FALSE)`
/// = I_{d2/(d2+d1 f)}(d2/2, d1/2).
pub fn f_upper_tail(f: f64, d1: f64, d2: f64) -> Option<f64> {
    if !f.is_finite() || d1.is_nan() || d1 <= 0.0 || d2.is_nan() || d2 <= 0.0 {
        return None;
    }
    if f <= 0.0 {
        return Some(1.0);
    }
    Some(regularized_beta(d2 / 2.0, d1 / 2.0, d2 / (d2 + d1 * f)).clamp(0.0, 1.0))
}

/// The regularized incomplete beta I_x(a, b), by Lentz's continued fraction on whichever of
/// I_x(a, b) and 1 - I_{1-x}(b, a) converges fast (Numerical Recipes, sec. 6.4).
pub fn regularized_beta(a: f64, b: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let log_front = ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * ln(x) + b * ln(1.0 - x);
    if x < (a + 1.0) / (a + b + 2.0) {
        exp(log_front) * beta_continued_fraction(a, b, x) / a
    } else {
        1.0 - exp(log_front) * beta_continued_fraction(b, a, 1.0 - x) / b
    }
}

fn beta_continued_fraction(a: f64, b: f64, x: f64) -> f64 {
    let tiny = 1e-300;
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 - qab * x / qap;
    if d.abs() < tiny {
        d = tiny;
    }
    d = 1.0 / d;
    let mut h = d;
    for m in 1..10_000 {
        let m = m as f64;
        let m2 = 2.0 * m;
        let even = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + even * d;
        if d.abs() < tiny {
            d = tiny;
        }
        c = 1.0 + even / c;
        if c.abs() < tiny {
            c = tiny;
        }
        d = 1.0 / d;
        h *= d * c;
        let odd = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + odd * d;
        if d.abs() < tiny {
            d = tiny;
        }
        c = 1.0 + odd / c;
        if c.abs() < tiny {
            c = tiny;
        }
        d = 1.0 / d;
        let delta = d * c;
        h *= delta;
        if (delta - 1.0).abs() < 1e-16 {
            break;
        }
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use statrs::distribution::{ChiSquared, ContinuousCDF, FisherSnedecor, Normal, StudentsT};

    /// Our libm-based functions against statrs over a grid: two independent implementations.
    #[test]
    fn agrees_with_statrs() {
        let relative = |a: f64, b: f64| ((a - b) / b).abs();
        for level in [0.5, 0.8, 0.9, 0.95, 0.99, 0.999] {
            let statrs = Normal::standard().inverse_cdf(1.0 - (1.0 - level) / 2.0);
            assert!(relative(two_sided_normal_quantile(level), statrs) < 1e-13, "{level}");
        }
        for df in [1usize, 2, 3, 5, 10, 30] {
            for x in [0.01, 0.5, 1.0, 3.84, 10.0, 40.0] {
                let statrs = ChiSquared::new(df as f64).unwrap().sf(x);
                assert!(relative(chi_square_upper_tail(x, df).unwrap(), statrs) < 1e-10, "{df} {x}");
            }
        }
        for df in [1.5, 4.0, 17.3, 120.0] {
            for t in [0.1, 1.0, 2.5, 6.0] {
                let statrs = 2.0 * StudentsT::new(0.0, 1.0, df).unwrap().cdf(-t);
                assert!(relative(student_t_two_sided_p(t, df).unwrap(), statrs) < 1e-10, "{df} {t}");
            }
        }
        for (d1, d2) in [(1.0, 10.0), (2.0, 117.0), (4.0, 30.0)] {
            for f in [0.2, 1.0, 3.0, 9.0] {
                let statrs = FisherSnedecor::new(d1, d2).unwrap().sf(f);
                assert!(relative(f_upper_tail(f, d1, d2).unwrap(), statrs) < 1e-10, "{d1} {d2} {f}");
            }
        }
    }

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
