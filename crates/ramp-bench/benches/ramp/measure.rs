//! One measured round: the SDK and its baseline, interleaved, in the same process.

use super::*;

/// One round of one path, as criterion measures it.
pub(crate) struct Paired {
    /// The SDK's median time per call.
    pub(crate) sdk: f64,
    /// The baseline's median time per call.
    pub(crate) baseline: f64,
    /// The median, over the samples, of the sample's SDK/baseline ratio.
    pub(crate) ratio: f64,
}

/// One criterion benchmark of one path in one round. Each sample criterion takes runs the
/// SDK's `iters` calls and the baseline's `iters` calls back to back (which goes first
/// alternates from sample to sample) and times each; criterion is handed the sum. The
/// round's numbers come from the samples criterion measured after its warm-up (the last
/// `sample_size` timings it asked for): both medians, and the median of the per-sample
/// ratios, which compares the two candidates within milliseconds of each other.
pub(crate) fn measure(
    criterion: &mut Criterion,
    case: &Case,
    round: usize,
) -> Result<Paired, String> {
    let samples = if case.slow { 10 } else { 30 };
    let timings: Rc<RefCell<Vec<(u64, Duration, Duration)>>> = Rc::default();
    let mut group = criterion.benchmark_group(&case.id);
    group.sample_size(samples);
    if case.slow {
        group.sampling_mode(SamplingMode::Flat);
    }
    let record = Rc::clone(&timings);
    let mut sdk_first = round.is_multiple_of(2);
    group.bench_function(BenchmarkId::new("sdk+baseline", round), |b| {
        b.iter_custom(|iters| {
            let (sdk, baseline) = if sdk_first {
                let sdk = (case.run)(Candidate::Sdk, iters);
                (sdk, (case.run)(Candidate::Baseline, iters))
            } else {
                let baseline = (case.run)(Candidate::Baseline, iters);
                ((case.run)(Candidate::Sdk, iters), baseline)
            };
            sdk_first = !sdk_first;
            record.borrow_mut().push((iters, sdk, baseline));
            sdk + baseline
        })
    });
    group.finish();
    let timings = timings.borrow();
    if timings.len() < samples {
        return Err(format!(
            "{}: criterion took {} timings, fewer than its {samples} samples",
            case.id,
            timings.len()
        ));
    }
    let measured = &timings[timings.len() - samples..];
    let per_call = |pick: fn(&(u64, Duration, Duration)) -> Duration| {
        let values: Vec<f64> = measured
            .iter()
            .map(|t| pick(t).as_nanos() as f64 / t.0.max(1) as f64)
            .collect();
        Spread::of(&values).map(|s| s.median)
    };
    let ratios: Vec<f64> = measured
        .iter()
        .filter(|(_, _, baseline)| !baseline.is_zero())
        .map(|(_, sdk, baseline)| sdk.as_secs_f64() / baseline.as_secs_f64())
        .collect();
    match (
        per_call(|t| t.1),
        per_call(|t| t.2),
        Spread::of(&ratios).map(|s| s.median),
    ) {
        (Some(sdk), Some(baseline), Some(ratio)) => Ok(Paired {
            sdk,
            baseline,
            ratio,
        }),
        _ => Err(format!("{}: no timings", case.id)),
    }
}

/// How many chunks of sessions each round of the load run alternates between the SDK and
/// the baseline.
pub(crate) const LOAD_CHUNKS: usize = 8;

/// One round of the sandbox load run: `sessions` SDK sessions and as many plain requests, in
/// [`LOAD_CHUNKS`] chunks each, alternating (which goes first alternates with the round);
/// each chunk's time per call, and the median ratio of the paired chunks.
pub(crate) fn load_round(
    runtime: &tokio::runtime::Runtime,
    base: &str,
    clients: &ramp_bench::load::Clients,
    plain: &ramp_core::http::reqwest::Client,
    sessions: usize,
    round: usize,
) -> Result<Paired, String> {
    let per_call = |outcome: ramp_bench::load::Outcome| {
        if outcome.errors > 0 {
            return Err(format!(
                "the load run had {} errors, the first: {}",
                outcome.errors,
                outcome.first_error.unwrap_or_default()
            ));
        }
        Ok(outcome.elapsed.as_nanos() as f64 / outcome.calls.max(1) as f64)
    };
    let (concurrency, chunk) = (400, (sessions / LOAD_CHUNKS).max(1));
    let (mut sdk, mut baseline, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    runtime.block_on(async {
        for i in 0..LOAD_CHUNKS {
            let sdk_first = (round + i).is_multiple_of(2);
            let (s, b) = if sdk_first {
                let s = per_call(clients.sessions(chunk, concurrency).await)?;
                let b = per_call(
                    ramp_bench::load::plain_requests(plain, base, chunk, concurrency).await,
                )?;
                (s, b)
            } else {
                let b = per_call(
                    ramp_bench::load::plain_requests(plain, base, chunk, concurrency).await,
                )?;
                (per_call(clients.sessions(chunk, concurrency).await)?, b)
            };
            sdk.push(s);
            baseline.push(b);
            ratios.push(s / b);
        }
        Ok::<(), String>(())
    })?;
    let median = |values: &[f64]| Spread::of(values).map_or(f64::NAN, |s| s.median);
    Ok(Paired {
        sdk: median(&sdk),
        baseline: median(&baseline),
        ratio: median(&ratios),
    })
}

/// Times `iters` calls of `f`.
pub(crate) fn timed<T>(iters: u64, mut f: impl FnMut() -> T) -> Duration {
    let start = Instant::now();
    for _ in 0..iters {
        black_box(f());
    }
    start.elapsed()
}
