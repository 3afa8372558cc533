//! The small dense linear algebra the estimators need: p x p systems with p the number of groups
//! or model terms, so plain loops are the right tool.

/// Solves `matrix x = right` by Gaussian elimination with partial pivoting (LAPACK's dgesv, as
/// R's `solve`); `None` when the matrix is singular.
#[allow(clippy::needless_range_loop, reason = "row operations between two rows of one matrix, as dgesv writes them")]
pub fn solve(mut matrix: Vec<Vec<f64>>, mut right: Vec<f64>) -> Option<Vec<f64>> {
    let size = right.len();
    let scale = matrix.iter().flatten().fold(0.0_f64, |largest, value| largest.max(value.abs()));
    let singular_below = scale * f64::EPSILON * size as f64;
    for column in 0..size {
        let pivot = (column..size).max_by(|a, b| matrix[*a][column].abs().total_cmp(&matrix[*b][column].abs()))?;
        if matrix[pivot][column].abs() <= singular_below {
            return None;
        }
        matrix.swap(column, pivot);
        right.swap(column, pivot);
        for row in column + 1..size {
            let factor = matrix[row][column] / matrix[column][column];
            for k in column..size {
                matrix[row][k] -= factor * matrix[column][k];
            }
            right[row] -= factor * right[column];
        }
    }
    let mut solution = vec![0.0; size];
    for row in (0..size).rev() {
        let known: f64 = (row + 1..size).map(|k| matrix[row][k] * solution[k]).sum();
        solution[row] = (right[row] - known) / matrix[row][row];
    }
    Some(solution)
}

/// survival's `cholesky2`: a Cholesky (L D L') factorisation that sets the pivots of columns
/// that are (near) linear combinations of earlier ones to zero instead of failing.
pub struct Cholesky {
    matrix: Vec<Vec<f64>>,
}

impl Cholesky {
    pub fn new(mut matrix: Vec<Vec<f64>>, tolerance: f64) -> Cholesky {
        let n = matrix.len();
        let largest = (0..n).map(|i| matrix[i][i]).fold(0.0_f64, f64::max);
        let threshold = if largest == 0.0 { tolerance } else { largest * tolerance };
        for i in 0..n {
            let pivot = matrix[i][i];
            if !pivot.is_finite() || pivot < threshold {
                matrix[i][i] = 0.0;
                continue;
            }
            for j in i + 1..n {
                let ratio = matrix[j][i] / pivot;
                matrix[j][i] = ratio;
                matrix[j][j] -= ratio * ratio * pivot;
                for row in &mut matrix[j + 1..n] {
                    row[j] -= ratio * row[i];
                }
            }
        }
        Cholesky { matrix }
    }

    /// Solves A x = y, with 0 for the components of dropped columns (`chsolve2`).
    pub fn solve(&self, right: &[f64]) -> Vec<f64> {
        let n = right.len();
        let m = &self.matrix;
        let mut y = right.to_vec();
        for i in 0..n {
            let known: f64 = (0..i).map(|j| y[j] * m[i][j]).sum();
            y[i] -= known;
        }
        for i in (0..n).rev() {
            if m[i][i] == 0.0 {
                y[i] = 0.0;
            } else {
                let mut value = y[i] / m[i][i];
                for j in i + 1..n {
                    value -= y[j] * m[j][i];
                }
                y[i] = value;
            }
        }
        y
    }

    /// The inverse of A, with zero rows and columns for dropped columns (`chinv2`).
    #[allow(clippy::needless_range_loop, reason = "the subscripts of survival's chinv2, line for line")]
    pub fn inverse(&self) -> Vec<Vec<f64>> {
        let n = self.matrix.len();
        let mut m = self.matrix.clone();
        for i in 0..n {
            if m[i][i] > 0.0 {
                m[i][i] = 1.0 / m[i][i];
                for j in i + 1..n {
                    m[j][i] = -m[j][i];
                    for k in 0..i {
                        m[j][k] += m[j][i] * m[i][k];
                    }
                }
            }
        }
        for i in 0..n {
            if m[i][i] == 0.0 {
                for row in m.iter_mut().take(i) {
                    row[i] = 0.0;
                }
                for value in m[i].iter_mut().skip(i) {
                    *value = 0.0;
                }
            } else {
                for j in i + 1..n {
                    let temp = m[j][i] * m[j][j];
                    m[i][j] = temp;
                    for k in i..j {
                        m[i][k] += temp * m[j][k];
                    }
                }
            }
        }
        // The upper triangle now holds the inverse.
        mirror_upper_triangle(&mut m);
        m
    }
}

/// Copies the upper triangle of a square matrix onto the lower one: `m[i][j] = m[j][i]` for j < i.
pub fn mirror_upper_triangle(matrix: &mut [Vec<f64>]) {
    for i in 1..matrix.len() {
        let (above, below) = matrix.split_at_mut(i);
        for (value, row_above) in below[0].iter_mut().zip(above.iter()) {
            *value = row_above[i];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn solve_matches_a_known_system() {
        let x = solve(vec![vec![2.0, 1.0], vec![1.0, 3.0]], vec![3.0, 5.0]).unwrap();
        assert!((x[0] - 0.8).abs() < 1e-15 && (x[1] - 1.4).abs() < 1e-15);
        assert_eq!(solve(vec![vec![1.0, 2.0], vec![2.0, 4.0]], vec![1.0, 1.0]), None);
    }

    #[test]
    fn cholesky_inverse_matches_a_known_inverse() {
        let factor = Cholesky::new(vec![vec![4.0, 2.0], vec![2.0, 3.0]], 1e-12);
        let inverse = factor.inverse();
        let expected = [[0.375, -0.25], [-0.25, 0.5]];
        for i in 0..2 {
            for j in 0..2 {
                assert!((inverse[i][j] - expected[i][j]).abs() < 1e-15);
            }
        }
        assert_eq!(factor.solve(&[2.0, 1.0]), vec![0.5, 0.0]);
    }
}

/// R's `qr()` default tolerance (`tol = 1e-07`).
pub const QR_TOLERANCE: f64 = 1e-7;

/// The rank of a matrix (given by rows) as R's `qr(x)$rank` finds it: LINPACK's `dqrdc2`
/// Householder decomposition with its limited pivoting, in which a column whose part not yet
/// explained by the columns before it has a norm below `tolerance` times its own norm is moved
/// to the end and not counted. The remaining norms are recomputed at each step rather than
/// downdated as LINPACK does, which can only differ on columns within rounding of the tolerance.
pub fn qr_rank(matrix: &[Vec<f64>], tolerance: f64) -> usize {
    let n_rows = matrix.len();
    let n_columns = matrix.first().map_or(0, Vec::len);
    // Columns, each the values of one column of the matrix.
    let mut columns: Vec<Vec<f64>> = (0..n_columns).map(|j| matrix.iter().map(|row| row[j]).collect()).collect();
    let norm = |values: &[f64]| values.iter().map(|value| value * value).sum::<f64>().sqrt();
    // dqrdc2 compares with 1 in place of a zero norm, so an all-zero column is negligible.
    let mut original: Vec<f64> =
        columns.iter().map(|column| norm(column)).map(|size| if size == 0.0 { 1.0 } else { size }).collect();
    let mut kept = n_columns; // columns [kept..] were moved to the end as negligible
    let mut step = 0;
    while step < kept.min(n_rows) {
        while step < kept && norm(&columns[step][step..]) < original[step] * tolerance {
            let column = columns.remove(step);
            let size = original.remove(step);
            columns.push(column);
            original.push(size);
            kept -= 1;
        }
        if step >= kept || step + 1 == n_rows {
            break;
        }
        // A Householder reflection taking column `step` to a multiple of the unit vector.
        let pivot = columns[step][step..].to_vec();
        let length = norm(&pivot);
        let mut reflector = pivot;
        reflector[0] += if reflector[0] >= 0.0 { length } else { -length };
        let reflector_norm_squared: f64 = reflector.iter().map(|value| value * value).sum();
        if reflector_norm_squared > 0.0 {
            for column in columns.iter_mut().skip(step) {
                let dot: f64 = reflector.iter().zip(&column[step..]).map(|(r, x)| r * x).sum();
                let factor = 2.0 * dot / reflector_norm_squared;
                for (value, r) in column[step..].iter_mut().zip(&reflector) {
                    *value -= factor * r;
                }
            }
        }
        step += 1;
    }
    kept.min(n_rows)
}

#[cfg(test)]
mod qr_tests {
    use super::*;

    #[test]
    fn rank_as_r_qr_finds_it() {
        assert_eq!(qr_rank(&[vec![2.0, 1.0], vec![1.0, 3.0]], QR_TOLERANCE), 2);
        assert_eq!(qr_rank(&[vec![1.0, 2.0], vec![2.0, 4.0]], QR_TOLERANCE), 1);
        // A column 1e-9 away from a multiple of the first: negligible at R's tolerance.
        assert_eq!(qr_rank(&[vec![1.0, 2.0], vec![2.0, 4.0 + 1e-9]], QR_TOLERANCE), 1);
        assert_eq!(qr_rank(&[vec![0.0, 0.0], vec![0.0, 1.0]], QR_TOLERANCE), 1);
        assert_eq!(qr_rank(&[vec![1.0, 0.0, 0.0], vec![0.0, 1.0, 0.0], vec![0.0, 0.0, 1.0]], QR_TOLERANCE), 3);
    }
}
