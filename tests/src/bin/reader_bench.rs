//! `make bench-reader`: page turns in the real app, key press to the new page painted.
//!
//! The council server publishes the fixture packet, the release app (under Xvfb, driven by
//! tauri-driver) signs in as a delegate and downloads it, then the 460-page compendium is
//! read by pressing → (and ←) through WebDriver, as real key events. The reader itself
//! times each turn from the keydown's timestamp to the frame after the new page was
//! painted (`window.__ecabinetPageTurns`); a pause between presses leaves time for the next
//! page to be rendered ahead, as when a person reads. Prints p50, p95 and max per view
//! mode, and how many turns were served from the pre-rendered cache. Asserts nothing.
//!
//! Beside them, the engine's own floor, measured the same way in the same window: a frame
//! with nothing to do, and a frame in which a script swaps two pages already drawn. Under
//! Xvfb, WebKitGTK paints and composites in software, and this floor is most of a turn.

use ecabinet_stories::frames::{self, SWAP_DRAWN_PAGES, quantile};
use ecabinet_stories::{AppDriver, AppWindow, CouncilServer, DEMO_PASSWORD, Secretariat};
use fantoccini::key::Key;
use std::time::Duration;

const TURNS: usize = 60;
use ecabinet_stories::SESSION_TITLE;
/// A reader's pause is seconds; this is enough for the pages ahead to be rendered and the pages
/// around the new one to be mounted (with 250 ms, some turns met that work still running).
const PAUSE: Duration = Duration::from_millis(600);

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let server_data = tempfile::tempdir()?;
    let app_data = tempfile::tempdir()?;
    let server = CouncilServer::start(server_data.path(), 0);
    let packet = Secretariat::login(&server.url())
        .await?
        .publish_fixture_packet()
        .await?;
    let driver = AppDriver::start(app_data.path());
    let app = driver.launch().await?;
    app.sign_in(&server.url(), "delegate01", DEMO_PASSWORD)
        .await?;
    app.open_meeting(SESSION_TITLE).await?;
    app.wait_packet_complete(Duration::from_secs(120)).await?;
    let compendium = packet.paper("90-tai-lieu-tong-hop-lon.pdf");
    let row = format!("[data-testid=paper][data-paper-id=\"{}\"]", compendium.id);
    app.click(&format!("{row} [data-testid=paper-open]"))
        .await?;
    app.wait_attr(
        "[data-testid=paper-canvas]",
        "data-rendered-page",
        "0",
        Duration::from_secs(15),
    )
    .await?;

    // The engine's own floor under any page turn, measured the way a turn is (from a moment
    // unrelated to the frame clock to after the next paint): a frame with nothing to do, and a
    // frame in which a script swaps two pages already drawn (single-page view, no reader code).
    let idle = frame_costs(&app, "").await?;
    app.click("[data-testid=viewer-mode-single]").await?;
    tokio::time::sleep(Duration::from_millis(1000)).await;
    let swap = frame_costs(&app, SWAP_DRAWN_PAGES).await?;
    println!("the engine's floor here (script → after the next paint, {FLOOR_RUNS} runs):");
    println!(
        "  a frame with nothing to do                 p50 {:.1} ms, p95 {:.1} ms",
        quantile(&idle, 0.5),
        quantile(&idle, 0.95)
    );
    println!(
        "  a frame swapping two drawn pages (no app)  p50 {:.1} ms, p95 {:.1} ms",
        quantile(&swap, 0.5),
        quantile(&swap, 0.95)
    );
    println!(
        "page turn in the real app ({} build, WebKitGTK under Xvfb, {} pages of {}), key press → new page painted; goal p95 ≤ 16 ms for an adjacent pre-rendered page",
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        },
        TURNS,
        compendium.title
    );
    println!(
        "{:<12} {:>6} {:>9} {:>8} {:>8} {:>8}",
        "mode", "turns", "cached", "p50 ms", "p95 ms", "max ms"
    );
    // `reader-bench single` measures one view only (quicker while working on it).
    let only: Vec<String> = std::env::args().skip(1).collect();
    for mode in ["continuous", "single", "spread"] {
        if !only.is_empty() && !only.iter().any(|wanted| wanted == mode) {
            continue;
        }
        app.click(&format!("[data-testid=viewer-mode-{mode}]"))
            .await?;
        app.press(Key::Home).await?;
        tokio::time::sleep(Duration::from_millis(500)).await;
        app.eval("window.__ecabinetPageTurns = []").await?;
        for turn in 0..TURNS {
            // Forward mostly, and back now and then, as people re-read.
            let key = if turn % 10 == 9 {
                Key::Left
            } else {
                Key::Right
            };
            app.press(key).await?;
            tokio::time::sleep(PAUSE).await;
        }
        let turns = app
            .eval("return (window.__ecabinetPageTurns || []).map((t) => [t.ms, t.fromCache])")
            .await?;
        let mut frames: Vec<f64> = serde_json::from_value(
            app.eval("return (window.__ecabinetPageTurns || []).map((t) => t.frameMs)")
                .await?,
        )?;
        frames.sort_by(f64::total_cmp);
        // The same turns with the key event made inside the page: what the reader itself
        // costs, without the way from the X server through WebKit's UI process.
        app.eval("window.__ecabinetPageTurns = []").await?;
        for _ in 0..TURNS / 2 {
            app.eval(
                "document.querySelector('[data-testid=paper-viewer]').dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowRight', bubbles: true}))",
            )
            .await?;
            tokio::time::sleep(PAUSE).await;
        }
        let mut scripted: Vec<f64> = serde_json::from_value(
            app.eval("return (window.__ecabinetPageTurns || []).map((t) => t.ms)")
                .await?,
        )?;
        scripted.sort_by(f64::total_cmp);
        let turns: Vec<(f64, bool)> = serde_json::from_value(turns)?;
        let cached = turns.iter().filter(|(_, c)| *c).count();
        let mut cached_ms: Vec<f64> = turns
            .iter()
            .filter(|(_, c)| *c)
            .map(|(ms, _)| *ms)
            .collect();
        cached_ms.sort_by(f64::total_cmp);
        let mut all_ms: Vec<f64> = turns.iter().map(|(ms, _)| *ms).collect();
        all_ms.sort_by(f64::total_cmp);
        println!(
            "{:<12} {:>6} {:>9} {:>8.1} {:>8.1} {:>8.1}   (pre-rendered turns only)",
            mode,
            turns.len(),
            cached,
            quantile(&cached_ms, 0.5),
            quantile(&cached_ms, 0.95),
            cached_ms.last().copied().unwrap_or(f64::NAN),
        );
        println!(
            "{:<12} {:>6} {:>9} {:>8.1} {:>8.1} {:>8.1}   (every turn)",
            "",
            all_ms.len(),
            "",
            quantile(&all_ms, 0.5),
            quantile(&all_ms, 0.95),
            all_ms.last().copied().unwrap_or(f64::NAN),
        );
        println!(
            "{:<12} {:>6} {:>9} {:>8.1} {:>8.1} {:>8.1}   (of which the frame showing the page: style, layout, paint)",
            "",
            frames.len(),
            "",
            quantile(&frames, 0.5),
            quantile(&frames, 0.95),
            frames.last().copied().unwrap_or(f64::NAN),
        );
        println!(
            "{:<12} {:>6} {:>9} {:>8.1} {:>8.1} {:>8.1}   (key event made in the page)",
            "",
            scripted.len(),
            "",
            quantile(&scripted, 0.5),
            quantile(&scripted, 0.95),
            scripted.last().copied().unwrap_or(f64::NAN),
        );
    }
    app.close().await?;
    Ok(())
}

const FLOOR_RUNS: usize = 60;

/// The engine's floor, `FLOOR_RUNS` runs 100 ms apart (see [`frames::frame_costs`]).
async fn frame_costs(app: &AppWindow, change: &str) -> anyhow::Result<Vec<f64>> {
    frames::frame_costs(app, change, FLOOR_RUNS, Duration::from_millis(100)).await
}
