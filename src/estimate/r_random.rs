//! R's default uniform random numbers, so that a Monte Carlo result can be rerun in R and agree
//! to the last draw: `set.seed(seed)` followed by `runif()` (or any C code calling `unif_rand()`),
//! under R's default `RNGkind("Mersenne-Twister", "Inversion", "Rejection")`.
//!
//! # Method
//! - **Generator:** the Mersenne-Twister MT19937 of Matsumoto & Nishimura (1998): 624 32-bit
//!   words, regenerated in one pass every 624 draws, each draw tempered; a word y gives
//!   y * 2.3283064365386963e-10 (= y / 2^32), in [0, 1).
//! - **Open interval:** as R's `unif_rand`, a draw of exactly 0 becomes 2^-33 / (1 - 2^-32) and
//!   one that rounds to 1 becomes 1 minus that (R's `fixup`); neither 0 nor 1 is ever returned.
//! - **Seeding, as `set.seed(seed)`:** the integer seed, read as an unsigned 32-bit word, is
//!   scrambled by fifty steps of the congruential generator s -> 69069 s + 1; the next 625 steps
//!   fill R's seed vector, whose first word (the position in the state) is then set to 624, so
//!   the first draw regenerates the state from the other 624.
//!
//! Reference: Matsumoto M, Nishimura T (1998), ACM TOMACS 8:3-30. R Core Team, R's `?RNGkind`
//! and `?set.seed`. Reproduces `set.seed(seed); runif(n)` (checked draw for draw in the tests).

/// Words in the generator's state.
const STATE_WORDS: usize = 624;
/// The offset of the word mixed into each regenerated one.
const SHIFT: usize = 397;
const MATRIX_A: u32 = 0x9908_b0df;
const UPPER_MASK: u32 = 0x8000_0000;
const LOWER_MASK: u32 = 0x7fff_ffff;
/// 2^-32: a word to [0, 1).
const WORD_TO_UNIT: f64 = 2.328_306_436_538_696_3e-10;
/// 1 / (2^32 - 1): R's `i2_32m1`, half of which replaces a draw of 0 or 1.
const INVERSE_WORD_MAX: f64 = 2.328_306_437_080_797e-10;

/// R's Mersenne-Twister stream after `set.seed(seed)`.
pub struct RRandom {
    state: [u32; STATE_WORDS],
    /// The next word to temper; `STATE_WORDS` means the state must be regenerated first.
    position: usize,
}

impl RRandom {
    /// The stream R has after `set.seed(seed)`.
    pub fn set_seed(seed: i32) -> RRandom {
        let step = |s: u32| s.wrapping_mul(69069).wrapping_add(1);
        // R reads the integer seed as an unsigned 32-bit word.
        let mut scrambled = u32::from_ne_bytes(seed.to_ne_bytes());
        for _ in 0..50 {
            scrambled = step(scrambled);
        }
        // R's seed vector has 625 words: the position, then the state. The position word is
        // filled like the others and then overwritten with 624.
        scrambled = step(scrambled);
        let mut state = [0u32; STATE_WORDS];
        for word in state.iter_mut() {
            scrambled = step(scrambled);
            *word = scrambled;
        }
        RRandom { state, position: STATE_WORDS }
    }

    /// The next draw of R's `unif_rand()`, in (0, 1).
    pub fn uniform(&mut self) -> f64 {
        let value = f64::from(self.next_word()) * WORD_TO_UNIT;
        if value <= 0.0 {
            0.5 * INVERSE_WORD_MAX
        } else if 1.0 - value <= 0.0 {
            1.0 - 0.5 * INVERSE_WORD_MAX
        } else {
            value
        }
    }

    fn next_word(&mut self) -> u32 {
        if self.position >= STATE_WORDS {
            self.regenerate();
        }
        let mut y = self.state[self.position];
        self.position += 1;
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c_5680;
        y ^= (y << 15) & 0xefc6_0000;
        y ^ (y >> 18)
    }

    /// One pass of the twist over the whole state.
    fn regenerate(&mut self) {
        let twist = |upper: u32, lower: u32, far: u32| {
            let y = (upper & UPPER_MASK) | (lower & LOWER_MASK);
            far ^ (y >> 1) ^ if y & 1 == 1 { MATRIX_A } else { 0 }
        };
        for k in 0..STATE_WORDS {
            let far = self.state[(k + SHIFT) % STATE_WORDS];
            self.state[k] = twist(self.state[k], self.state[(k + 1) % STATE_WORDS], far);
        }
        self.position = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Draws 1, 2, 624, 625 (the first of the second regenerated block), 626 and 1250 of
    /// `set.seed(seed); runif(1250)`, printed by R 4.2.2 with `sprintf("%.17g", u)`: the
    /// seeding, the tempering and two regenerations, for seeds that are small, negative and the
    /// largest integer. Equality is exact: the draws are ratios of 32-bit words.
    #[test]
    #[allow(clippy::excessive_precision)] // R's values as R prints them
    fn draws_are_r_runif() {
        let cases: [(i32, [f64; 6]); 4] = [
            (
                1,
                [
                    0.26550866314209998,
                    0.37212389963679016,
                    0.13648758619092405,
                    0.32486514048650861,
                    0.62107629375532269,
                    0.065966630121693015,
                ],
            ),
            (
                42,
                [
                    0.91480604349635541,
                    0.93707541329786181,
                    0.7340297200717032,
                    0.15048409905284643,
                    0.69755336688831449,
                    0.75470757484436035,
                ],
            ),
            (
                -7,
                [
                    0.32649485557340086,
                    0.53986111702397466,
                    0.27813431923277676,
                    0.14276628708466887,
                    0.44117619120515883,
                    0.50307834008708596,
                ],
            ),
            (
                i32::MAX,
                [
                    0.68966742674820125,
                    0.98787517822347581,
                    0.46012574597261846,
                    0.10062019852921367,
                    0.83519564894959331,
                    0.02343530859798193,
                ],
            ),
        ];
        for (seed, expected) in cases {
            let mut random = RRandom::set_seed(seed);
            let draws: Vec<f64> = (0..1250).map(|_| random.uniform()).collect();
            let picked = [draws[0], draws[1], draws[623], draws[624], draws[625], draws[1249]];
            assert_eq!(picked, expected, "set.seed({seed}); runif(1250)");
        }
    }

    /// Never 0 or 1, whatever the seed.
    #[test]
    fn draws_stay_inside_the_unit_interval() {
        for seed in [0, 1, -1, i32::MIN, i32::MAX] {
            let mut random = RRandom::set_seed(seed);
            assert!((0..5000).map(|_| random.uniform()).all(|u| u > 0.0 && u < 1.0), "seed {seed}");
        }
    }
}
