//! Aalen-Johansen cumulative incidence of one cause in the presence of competing causes.
//!
//! At each distinct time t_j with n_j at risk, d1_j events of the cause and d2_j of other causes
//! (d_j = d1_j + d2_j), with S(t_j-) the Kaplan-Meier of all causes just before t_j:
//!   F(t) = sum over t_j <= t of S(t_j-) d1_j / n_j
//! Variance: Aalen's (1978) estimator with the ties correction, as cmprsk::cuminc (Fortran `cinc`)
//! computes it. With S_j = S(t_j-), S'_j = S_j (n_j - d_j) / n_j and, for an event type with e
//! events at t_j, c = 1 - (e - 1) / (n_j - 1) (c = 1 when e = 1) and w = S_j^2 c e / n_j^2:
//!   competing events (e = d2_j):  a = F(t_j) / S'_j,  b = 1 / S'_j
//!   cause events (e = d1_j):      a = 1 + F(t_j) / S'_j,  b = 1 / S'_j (0 when S'_j = 0)
//!   V1 += a^2 w,  V2 += a b w,  V3 += b^2 w
//!   var F(t_j) = V1 + F(t_j)^2 V3 - 2 F(t_j) V2     (updated at the cause's event times only)
//! Pointwise interval on the log(-log) scale: F^exp(+-z sqrt(var) / (F log F)).
//! Ties: all events at a time form one step; no jitter.
//!
//! Reference: Aalen (1978); Gray (1988); Kalbfleisch & Prentice (2002), sec. 8.2.
//! Reproduces `cmprsk::cuminc(ftime, fstatus, group)$est and $var` and `timepoints(fit, times)`.

use serde::Serialize;

/// The cumulative incidence of one cause in one group.
#[derive(Debug, Clone, PartialEq)]
pub struct CumulativeIncidence {
    pub n: usize,
    /// Events of this cause.
    pub events: usize,
    /// Every distinct time at which an event of any cause happens.
    pub time: Vec<f64>,
    pub cif: Vec<f64>,
    /// The variance after the last event of this cause at or before each time.
    pub variance: Vec<f64>,
    /// The largest observed time (event or censoring) of the group.
    pub last_time: f64,
    /// Censored rows at each distinct censoring time, for censor ticks.
    pub censor_time: Vec<f64>,
    /// The number at risk at each time in `time`.
    pub n_risk: Vec<usize>,
}

/// The estimate at a chosen time, as `timepoints()`: `None` past the last observed time (also
/// the JSON's `at` entries).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct IncidenceAt {
    pub time: f64,
    pub cif: Option<f64>,
    pub variance: Option<f64>,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
}

/// The cumulative incidence of `cause` from rows `(time, status)`, where status 0 is censored and
/// any other code is a cause.
///
/// # Examples
/// Without competing events it is one minus the Kaplan-Meier estimate:
/// ```
/// use survkit::estimate::cif::aalen_johansen;
/// let incidence = aalen_johansen(&[1.0, 2.0, 3.0, 4.0], &[1, 0, 1, 1], 1);
/// let expected = [0.25, 0.25 + 0.75 / 2.0, 1.0];
/// for (value, wanted) in incidence.cif.iter().zip(expected) { assert!((value - wanted).abs() < 1e-15); }
/// ```
pub fn aalen_johansen(time: &[f64], status: &[u32], cause: u32) -> CumulativeIncidence {
    let mut rows: Vec<(f64, u32)> = time.iter().copied().zip(status.iter().copied()).collect();
    rows.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
    let n = rows.len();
    let mut result = CumulativeIncidence {
        n,
        events: rows.iter().filter(|row| row.1 == cause).count(),
        time: Vec::new(),
        cif: Vec::new(),
        variance: Vec::new(),
        last_time: rows.last().map_or(0.0, |row| row.0),
        censor_time: Vec::new(),
        n_risk: Vec::new(),
    };
    let (mut survival, mut incidence, mut variance) = (1.0_f64, 0.0_f64, 0.0_f64);
    let (mut v1, mut v2, mut v3) = (0.0_f64, 0.0_f64, 0.0_f64);
    let mut start = 0;
    while start < n {
        let current = rows[start].0;
        let end = start + rows[start..].iter().take_while(|row| row.0 == current).count();
        let at_risk = (n - start) as f64;
        let cause_events = rows[start..end].iter().filter(|row| row.1 == cause).count() as f64;
        let other_events = rows[start..end].iter().filter(|row| row.1 != cause && row.1 != 0).count() as f64;
        if rows[start..end].iter().any(|row| row.1 == 0) {
            result.censor_time.push(current);
        }
        let events = cause_events + other_events;
        if events > 0.0 {
            let survival_after = survival * (at_risk - events) / at_risk;
            if cause_events > 0.0 {
                incidence += survival * cause_events / at_risk;
            }
            let weight = |count: f64| {
                let ties = if count > 1.0 { 1.0 - (count - 1.0) / (at_risk - 1.0) } else { 1.0 };
                survival * survival * ties * count / (at_risk * at_risk)
            };
            if other_events > 0.0 && survival_after > 0.0 {
                let (a, b, w) = (incidence / survival_after, 1.0 / survival_after, weight(other_events));
                v1 += a * a * w;
                v2 += a * b * w;
                v3 += b * b * w;
            }
            if cause_events > 0.0 {
                let b = if survival_after > 0.0 { 1.0 / survival_after } else { 0.0 };
                let (a, w) = (1.0 + b * incidence, weight(cause_events));
                v1 += a * a * w;
                v2 += a * b * w;
                v3 += b * b * w;
                variance = v1 + incidence * incidence * v3 - 2.0 * incidence * v2;
            }
            survival = survival_after;
            result.time.push(current);
            // Rounding can carry cuminc's arithmetic a unit past 1 or below 0; the estimate is a
            // probability and the variance is not negative.
            result.cif.push(incidence.min(1.0));
            result.variance.push(variance.max(0.0));
            result.n_risk.push(n - start);
        }
        start = end;
    }
    result
}

impl CumulativeIncidence {
    /// The estimate at `time` with its log(-log) interval at `z` (`timepoints()`).
    pub fn at(&self, time: f64, z: f64) -> IncidenceAt {
        if time > self.last_time || self.n == 0 {
            return IncidenceAt { time, cif: None, variance: None, lower: None, upper: None };
        }
        let index = self.time.partition_point(|step| *step <= time);
        let (cif, variance) = match index.checked_sub(1) {
            None => (0.0, 0.0),
            Some(index) => (self.cif[index], self.variance[index]),
        };
        let (lower, upper) = log_log_interval(cif, variance, z);
        IncidenceAt { time, cif: Some(cif), variance: Some(variance), lower, upper }
    }
}

/// F^exp(+-z sd / (F log F)); no interval at F = 0 or 1.
pub fn log_log_interval(cif: f64, variance: f64, z: f64) -> (Option<f64>, Option<f64>) {
    if cif <= 0.0 || cif >= 1.0 || !variance.is_finite() || variance < 0.0 {
        return (None, None);
    }
    let exponent = z * variance.sqrt() / (cif * super::distribution::ln(cif));
    let (a, b) = (
        super::distribution::pow(cif, super::distribution::exp(-exponent)),
        super::distribution::pow(cif, super::distribution::exp(exponent)),
    );
    (Some(a.min(b)), Some(a.max(b)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The causes' incidences and the overall Kaplan-Meier add up to one at every time.
    #[test]
    fn causes_and_survival_sum_to_one() {
        let time = [1.0, 2.0, 2.0, 3.0, 4.0, 5.0, 5.0, 6.0];
        let status = [1, 2, 0, 1, 2, 1, 0, 2];
        let first = aalen_johansen(&time, &status, 1);
        let second = aalen_johansen(&time, &status, 2);
        let any: Vec<bool> = status.iter().map(|s| *s != 0).collect();
        let km = super::super::km::kaplan_meier(&time, &any, &Default::default());
        for (index, t) in first.time.iter().enumerate() {
            let s = km.surv[km.time.iter().position(|k| k == t).unwrap()];
            assert!((first.cif[index] + second.cif[index] + s - 1.0).abs() < 1e-15);
        }
    }

    #[test]
    fn landmarks_past_the_end_are_not_estimable() {
        let incidence = aalen_johansen(&[1.0, 2.0], &[1, 0], 1);
        assert_eq!(incidence.at(3.0, 1.96).cif, None);
        assert_eq!(incidence.at(0.5, 1.96).cif, Some(0.0));
        assert_eq!(incidence.at(1.5, 1.96).cif, Some(0.5));
    }
}
