//! The benchmark report: per path, the SDK's and the baseline's median time in each round,
//! the ratio per round, and their median, min and max; as a table and as JSON.

use serde::Serialize;

/// One measured path: the SDK's time and the baseline's, one median per round (nanoseconds
/// per call).
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// The path measured, such as `kryptonim sign path`.
    pub path: String,
    /// What the baseline is.
    pub baseline: String,
    /// The SDK's median time per call in each round, in nanoseconds.
    pub sdk_ns: Vec<f64>,
    /// The baseline's median time per call in each round, in nanoseconds.
    pub baseline_ns: Vec<f64>,
    /// The SDK/baseline ratio of each round: the median of the round's paired samples (each
    /// sample times both back to back).
    pub ratios: Vec<f64>,
    /// The ratio the SDK should stay within, if there is one.
    pub target: Option<f64>,
}

/// Median, min and max of a series.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Spread {
    /// The median (the mean of the middle two for an even count).
    pub median: f64,
    /// The smallest value.
    pub min: f64,
    /// The largest value.
    pub max: f64,
}

impl Spread {
    /// The spread of `values`; `None` when there are none.
    pub fn of(values: &[f64]) -> Option<Self> {
        let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
        if sorted.is_empty() {
            return None;
        }
        sorted.sort_by(f64::total_cmp);
        let mid = sorted.len() / 2;
        let median = if sorted.len().is_multiple_of(2) {
            (sorted[mid - 1] + sorted[mid]) / 2.0
        } else {
            sorted[mid]
        };
        Some(Self {
            median,
            min: sorted[0],
            max: sorted[sorted.len() - 1],
        })
    }
}

impl Row {
    /// The spread of the per-round ratios.
    pub fn ratio(&self) -> Option<Spread> {
        Spread::of(&self.ratios)
    }

    /// Whether the median ratio is within the target (`None` without a target or data).
    pub fn within_target(&self) -> Option<bool> {
        Some(self.ratio()?.median <= self.target?)
    }
}

/// How a path's time grows with its input: the SDK's median time at each size, and the
/// growth exponent between consecutive sizes (`log(t2/t1) / log(n2/n1)`: 1.0 is linear,
/// a little above 1 is `n log n`, 2.0 quadratic).
#[derive(Debug, Clone, Serialize)]
pub struct Growth {
    /// The path, such as `onramper sign_url`.
    pub path: String,
    /// `(size, median ns)` for the SDK, sizes ascending.
    pub sdk: Vec<(u64, f64)>,
    /// `(size, median ns)` for the baseline.
    pub baseline: Vec<(u64, f64)>,
}

impl Growth {
    /// The exponent between each pair of consecutive sizes, for the SDK.
    pub fn exponents(&self) -> Vec<f64> {
        self.sdk
            .windows(2)
            .map(|w| {
                let ((n1, t1), (n2, t2)) = (w[0], w[1]);
                (t2 / t1).ln() / (n2 as f64 / n1 as f64).ln()
            })
            .collect()
    }
}

/// A duration in ns, µs, ms or s with three significant digits.
pub fn duration(ns: f64) -> String {
    let (value, unit) = if ns < 1e3 {
        (ns, "ns")
    } else if ns < 1e6 {
        (ns / 1e3, "µs")
    } else if ns < 1e9 {
        (ns / 1e6, "ms")
    } else {
        (ns / 1e9, "s")
    };
    let decimals = if value < 10.0 {
        2
    } else if value < 100.0 {
        1
    } else {
        0
    };
    format!("{value:.decimals$} {unit}")
}

/// The table: one line per path, then the growth of the paths measured at several sizes.
pub fn table(rows: &[Row], growth: &[Growth], rounds: usize) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "SDK against its hand-written baseline, measured in the same process: medians of \
         {rounds} interleaved rounds\n\n"
    ));
    let header = [
        "path", "SDK", "baseline", "ratio", "min", "max", "target", "",
    ];
    let mut lines: Vec<[String; 8]> = vec![header.map(str::to_owned)];
    for row in rows {
        let sdk = Spread::of(&row.sdk_ns).map_or("-".into(), |s| duration(s.median));
        let base = Spread::of(&row.baseline_ns).map_or("-".into(), |s| duration(s.median));
        let (ratio, min, max) = row
            .ratio()
            .map_or(("-".into(), "-".into(), "-".into()), |r| {
                (
                    format!("{:.3}", r.median),
                    format!("{:.3}", r.min),
                    format!("{:.3}", r.max),
                )
            });
        let target = row.target.map_or(String::new(), |t| format!("≤ {t:.2}"));
        let verdict = match row.within_target() {
            Some(true) => "ok",
            Some(false) => "OVER",
            None => "",
        };
        lines.push([
            row.path.clone(),
            sdk,
            base,
            ratio,
            min,
            max,
            target,
            verdict.to_owned(),
        ]);
    }
    let mut widths = [0usize; 8];
    for line in &lines {
        for (width, cell) in widths.iter_mut().zip(line) {
            *width = (*width).max(cell.chars().count());
        }
    }
    for line in &lines {
        let mut text = String::new();
        for (i, (cell, width)) in line.iter().zip(widths).enumerate() {
            let pad = width - cell.chars().count();
            if i == 0 {
                text.push_str(cell);
                text.push_str(&" ".repeat(pad));
            } else {
                text.push_str("  ");
                text.push_str(&" ".repeat(pad));
                text.push_str(cell);
            }
        }
        out.push_str(text.trim_end());
        out.push('\n');
    }
    out.push_str("\nbaselines:\n");
    for row in rows {
        out.push_str(&format!("  {}: {}\n", row.path, row.baseline));
    }
    for g in growth {
        out.push_str(&format!(
            "\ngrowth of {} (SDK median per call; exponent 1.0 is linear):\n",
            g.path
        ));
        let exponents = g.exponents();
        for (i, (n, ns)) in g.sdk.iter().enumerate() {
            let per = duration(ns / *n as f64);
            let exponent = match i.checked_sub(1).and_then(|j| exponents.get(j)) {
                Some(e) => format!("exponent {e:.2}"),
                None => String::new(),
            };
            out.push_str(&format!(
                "  n = {n:>7}  {:>10}  {:>10} per pair  {exponent}\n",
                duration(*ns),
                per
            ));
        }
    }
    out
}

/// The report as JSON: rows with their per-round values and spreads, and the growth curves.
pub fn json(rows: &[Row], growth: &[Growth], rounds: usize) -> serde_json::Value {
    let rows: Vec<serde_json::Value> = rows
        .iter()
        .map(|row| {
            serde_json::json!({
                "path": row.path,
                "baseline": row.baseline,
                "sdk_ns": row.sdk_ns,
                "baseline_ns": row.baseline_ns,
                "sdk_median_ns": Spread::of(&row.sdk_ns).map(|s| s.median),
                "baseline_median_ns": Spread::of(&row.baseline_ns).map(|s| s.median),
                "ratios": row.ratios,
                "ratio": row.ratio(),
                "target": row.target,
                "within_target": row.within_target(),
            })
        })
        .collect();
    let growth: Vec<serde_json::Value> = growth
        .iter()
        .map(|g| {
            serde_json::json!({
                "path": g.path,
                "sdk": g.sdk,
                "baseline": g.baseline,
                "exponents": g.exponents(),
            })
        })
        .collect();
    serde_json::json!({ "rounds": rounds, "rows": rows, "growth": growth })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spreads_take_the_middle_value() {
        assert_eq!(Spread::of(&[]), None);
        let odd = Spread::of(&[3.0, 1.0, 2.0]).unwrap();
        assert_eq!((odd.median, odd.min, odd.max), (2.0, 1.0, 3.0));
        let even = Spread::of(&[4.0, 1.0, 3.0, 2.0]).unwrap();
        assert_eq!((even.median, even.min, even.max), (2.5, 1.0, 4.0));
    }

    #[test]
    fn the_ratio_is_the_spread_of_the_rounds() {
        let row = Row {
            path: "p".into(),
            baseline: "b".into(),
            sdk_ns: vec![110.0, 200.0, 105.0],
            baseline_ns: vec![100.0, 100.0, 100.0],
            ratios: vec![1.1, 2.0, 1.05],
            target: Some(1.1),
        };
        let ratio = row.ratio().unwrap();
        assert_eq!((ratio.median, ratio.min, ratio.max), (1.1, 1.05, 2.0));
        assert_eq!(row.within_target(), Some(true));
    }

    #[test]
    fn linear_growth_has_exponent_one() {
        let g = Growth {
            path: "p".into(),
            sdk: vec![(10, 100.0), (100, 1000.0), (1000, 40_000.0)],
            baseline: vec![],
        };
        let e = g.exponents();
        assert!((e[0] - 1.0).abs() < 1e-9);
        assert!((e[1] - 1.602).abs() < 1e-3);
    }

    #[test]
    fn durations_print_with_their_unit() {
        assert_eq!(duration(512.0), "512 ns");
        assert_eq!(duration(1_234.0), "1.23 µs");
        assert_eq!(duration(45_600_000.0), "45.6 ms");
    }
}
