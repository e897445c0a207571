//! Frame costs in the real window, for the benchmarks that measure the reader: the time from
//! a script's change to after the next paint, and the engine's own floor measured the same
//! way (a frame with nothing to do, a frame swapping two pages already drawn).

use crate::AppWindow;
use std::time::Duration;

/// Shows the next page, kept drawn offstage by the single-page view, and hides the current one,
/// or (every other run) undoes that: what a turn asks of the engine, without the reader's code.
pub const SWAP_DRAWN_PAGES: &str = "
    const shown = document.querySelector('[data-testid=viewer-page-slot]:not([data-offstage])');
    const next = document.querySelector(`[data-testid=viewer-page-slot][data-offstage][data-page='${Number(shown.dataset.page) + 1}']`);
    const hide = shown.style.visibility !== 'hidden';
    shown.style.visibility = hide ? 'hidden' : '';
    next.style.visibility = hide ? 'visible' : '';";

/// Sorted times from running `change` (JavaScript) to after the next frame is painted, `runs`
/// times (`pause` apart, as key presses are); an even number of runs, so a change that toggles
/// leaves the page as it found it. `change` may read `run`, the run's number from 0.
pub async fn frame_costs(
    app: &AppWindow,
    change: &str,
    runs: usize,
    pause: Duration,
) -> anyhow::Result<Vec<f64>> {
    let mut times = Vec::with_capacity(runs);
    for run in 0..runs {
        let ms = app
            .client
            .execute_async(
                &format!(
                    "const done = arguments[arguments.length - 1];
                     const run = {run};
                     const t = performance.now();
                     {change}
                     requestAnimationFrame(() => {{
                         const c = new MessageChannel();
                         c.port1.onmessage = () => done(performance.now() - t);
                         c.port2.postMessage(null);
                     }});"
                ),
                vec![],
            )
            .await?
            .as_f64()
            .unwrap_or(f64::NAN);
        times.push(ms);
        tokio::time::sleep(pause).await;
    }
    times.sort_by(f64::total_cmp);
    Ok(times)
}

/// The `q` quantile of sorted values (nearest rank), NaN when there are none.
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}
