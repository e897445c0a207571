//! `make bench-memory`: what the app's processes hold once a delegate has signed in and sits
//! on the meeting list, as proportional set size (PSS: shared pages divided among the
//! processes sharing them, so the sum is what the app costs the machine).
//!
//! The demo council's server, the app under Xvfb (driven by tauri-driver), a sign-in as
//! `delegate01`; the demo packet then downloads and is indexed for search in the background.
//! Measured twice: 3 s after the meeting list appears, and once the background work has had
//! 30 s to finish. Prints PSS per kind of process (the app, its PDF workers, WebKit's web and
//! network processes). Asserts nothing.

use ecabinet_stories::{AppDriver, CouncilServer, DEMO_PASSWORD};
use std::collections::BTreeMap;
use std::time::Duration;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let server_data = tempfile::tempdir()?;
    let app_data = tempfile::tempdir()?;
    let server = CouncilServer::start(server_data.path(), 0);
    let driver = AppDriver::start(app_data.path());
    let app = driver.launch().await?;
    app.sign_in(&server.url(), "delegate01", DEMO_PASSWORD)
        .await?;
    println!(
        "startup memory ({} build), PSS in MB, after delegate01 signs in to the demo council",
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        }
    );
    for (moment, wait) in [
        ("meeting list + 3 s", Duration::from_secs(3)),
        ("meeting list + 33 s", Duration::from_secs(30)),
    ] {
        tokio::time::sleep(wait).await;
        print_usage(moment, &usage_below(driver.driver_pid()));
    }
    app.close().await?;
    Ok(())
}

/// PSS in kB per kind of process, for every process descending from `root` that belongs to
/// the app.
fn usage_below(root: u32) -> BTreeMap<&'static str, (u32, u64)> {
    let mut parents = BTreeMap::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<u32>().ok())
        else {
            continue;
        };
        if let Some(ppid) = parent_of(pid) {
            parents.insert(pid, ppid);
        }
    }
    let descends = |mut pid: u32| {
        while let Some(&ppid) = parents.get(&pid) {
            if ppid == root {
                return true;
            }
            pid = ppid;
        }
        false
    };
    let mut usage = BTreeMap::new();
    for &pid in parents.keys().filter(|&&pid| descends(pid)) {
        let Some(kind) = kind_of(pid) else { continue };
        let pss = pss_kb(pid).unwrap_or(0);
        let entry = usage.entry(kind).or_insert((0, 0));
        entry.0 += 1;
        entry.1 += pss;
    }
    usage
}

fn parent_of(pid: u32) -> Option<u32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name is in parentheses and may hold spaces: fields follow the last ')'.
    let rest = &stat[stat.rfind(')')? + 2..];
    rest.split(' ').nth(1)?.parse().ok()
}

/// The app's processes by kind; the driver's own (WebKitWebDriver) are not the app's.
fn kind_of(pid: u32) -> Option<&'static str> {
    let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).ok()?;
    let args: Vec<String> = cmdline
        .split(|&b| b == 0)
        .map(|a| String::from_utf8_lossy(a).into_owned())
        .collect();
    let program = args.first()?.rsplit('/').next()?.to_owned();
    match program.as_str() {
        "ecabinet" if args.get(1).is_some_and(|a| a == "worker") => Some("PDF workers"),
        "ecabinet" => Some("the app"),
        "WebKitWebProcess" => Some("web process"),
        "WebKitNetworkProcess" => Some("network process"),
        _ => None,
    }
}

fn pss_kb(pid: u32) -> Option<u64> {
    let rollup = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).ok()?;
    rollup
        .lines()
        .find_map(|line| line.strip_prefix("Pss:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

fn print_usage(moment: &str, usage: &BTreeMap<&'static str, (u32, u64)>) {
    let total: u64 = usage.values().map(|(_, kb)| kb).sum();
    let parts: Vec<String> = ["the app", "web process", "network process", "PDF workers"]
        .iter()
        .map(|kind| {
            let (count, kb) = usage.get(kind).copied().unwrap_or((0, 0));
            format!("{kind} {} ({count})", kb / 1024)
        })
        .collect();
    println!("  {moment}: total {} = {}", total / 1024, parts.join(", "));
}
