//! A secretary's watched folder: PDFs dropped or changed there become draft papers of the
//! meeting being prepared.
//!
//! The matching rule is one the secretary can see in the folder itself: a subfolder per
//! agenda item, named by the item's number as the programme shows it (`2`, `2.1`, or
//! `2.1 Tờ trình…`; leading zeros are ignored). PDFs directly in the folder, or under a
//! subfolder without a number, are reported without an item so the secretary can place
//! them. Each file is identified by its path relative to the folder, so a changed file
//! is reported again under the same name (the caller makes it a new revision of the same
//! paper, never a duplicate).
//!
//! This crate only watches and reports: it knows nothing of papers, uploads or the server.
//! Events come after a quiet period, so a file still being copied is reported once, whole.

use notify::{RecursiveMode, Watcher};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, SystemTime};

/// A PDF found in the watched folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FolderPaper {
    /// Its path relative to the folder, with `/` separators: the paper's stable source key.
    pub relative: String,
    /// The agenda item number its subfolder names (`"2.1"`), if any.
    pub item_number: Option<String>,
    pub path: PathBuf,
    pub size: u64,
    pub modified: Option<SystemTime>,
}

/// What the watcher reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FolderEvent {
    /// A PDF is there, new or changed (also sent for every PDF found at start).
    Present(FolderPaper),
    /// A PDF that was reported is gone.
    Gone { relative: String },
    /// The folder cannot be watched or read any more (removed, unplugged drive…).
    Failed(String),
}

/// Where a file under the folder belongs: `None` when it is not a paper to import
/// (not a PDF, hidden, or a temporary file of an editor or browser download).
pub fn placement(relative: &Path) -> Option<(String, Option<String>)> {
    let parts: Vec<&str> = relative
        .components()
        .map(|c| match c {
            Component::Normal(part) => part.to_str(),
            _ => None,
        })
        .collect::<Option<_>>()?;
    let (file, folders) = parts.split_last()?;
    let lower = file.to_lowercase();
    let temporary = file.starts_with('.') || file.starts_with("~$");
    if temporary || !lower.ends_with(".pdf") || parts.iter().any(|p| p.starts_with('.')) {
        return None;
    }
    let item_number = folders.first().and_then(|folder| item_number(folder));
    Some((parts.join("/"), item_number))
}

/// The agenda number a folder name starts with: `"2.1 Tờ trình"` → `"2.1"`, `"02"` → `"2"`.
pub fn item_number(folder: &str) -> Option<String> {
    let end = folder
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(folder.len());
    let head = folder[..end].trim_end_matches('.');
    let rest = &folder[end..];
    if head.is_empty() || !(rest.is_empty() || rest.starts_with([' ', '-', '_'])) {
        return None;
    }
    let mut numbers = Vec::new();
    for part in head.split('.') {
        let n: u32 = part.parse().ok()?;
        if n == 0 {
            return None;
        }
        numbers.push(n.to_string());
    }
    Some(numbers.join("."))
}

fn paper_at(root: &Path, path: &Path) -> Option<FolderPaper> {
    let relative = path.strip_prefix(root).ok()?;
    let (relative, item_number) = placement(relative)?;
    let meta = std::fs::metadata(path).ok().filter(|m| m.is_file())?;
    Some(FolderPaper {
        relative,
        item_number,
        path: path.to_owned(),
        size: meta.len(),
        modified: meta.modified().ok(),
    })
}

/// Every PDF under `root` now, in path order.
pub fn scan(root: &Path) -> std::io::Result<Vec<FolderPaper>> {
    let mut found = Vec::new();
    let mut pending = vec![root.to_owned()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let entry = entry?;
            let kind = entry.file_type()?;
            if kind.is_dir() {
                pending.push(entry.path());
            } else if let Some(paper) = paper_at(root, &entry.path()) {
                found.push(paper);
            }
        }
    }
    found.sort_by(|a, b| a.relative.cmp(&b.relative));
    Ok(found)
}

/// A running watch; dropping it stops watching.
pub struct FolderWatch {
    root: PathBuf,
    _watcher: notify::RecommendedWatcher,
}

impl std::fmt::Debug for FolderWatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FolderWatch")
            .field("root", &self.root)
            .finish()
    }
}

impl FolderWatch {
    /// Reports every PDF under `root`, then follows changes. `quiet` is how long a file must
    /// stay unchanged before it is reported (a copy in progress keeps changing it).
    pub fn start(
        root: &Path,
        quiet: Duration,
        mut report: impl FnMut(FolderEvent) + Send + 'static,
    ) -> notify::Result<FolderWatch> {
        let root = root.canonicalize().map_err(notify::Error::io)?;
        let (tx, rx) = mpsc::channel();
        let mut watcher = notify::recommended_watcher(tx)?;
        watcher.watch(&root, RecursiveMode::Recursive)?;
        let thread_root = root.clone();
        std::thread::Builder::new()
            .name("folder-watch".into())
            .spawn(move || {
                let mut known = Known::new();
                match scan(&thread_root) {
                    Ok(papers) => {
                        for paper in papers {
                            known.present(paper, &mut report);
                        }
                    }
                    Err(e) => report(FolderEvent::Failed(format!(
                        "cannot read {}: {e}",
                        thread_root.display()
                    ))),
                }
                follow(&thread_root, &rx, quiet, &mut known, &mut report);
            })
            .map_err(notify::Error::io)?;
        Ok(FolderWatch {
            root,
            _watcher: watcher,
        })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }
}

/// What was last reported per file, so a file is reported again only when it changed.
struct Known(BTreeMap<String, (u64, Option<SystemTime>)>);

impl Known {
    fn new() -> Known {
        Known(BTreeMap::new())
    }

    fn present(&mut self, paper: FolderPaper, report: &mut impl FnMut(FolderEvent)) {
        let stamp = (paper.size, paper.modified);
        if self.0.insert(paper.relative.clone(), stamp) != Some(stamp) {
            report(FolderEvent::Present(paper));
        }
    }

    fn gone(&mut self, relative: String, report: &mut impl FnMut(FolderEvent)) {
        if self.0.remove(&relative).is_some() {
            report(FolderEvent::Gone { relative });
        }
    }
}

type RawEvents = mpsc::Receiver<notify::Result<notify::Event>>;

/// Collects changed paths until the folder has been quiet for `quiet`, then reports each.
/// Ends when the watcher is dropped (its sender closes the channel).
fn follow(
    root: &Path,
    rx: &RawEvents,
    quiet: Duration,
    known: &mut Known,
    report: &mut impl FnMut(FolderEvent),
) {
    let mut dirty: BTreeSet<PathBuf> = BTreeSet::new();
    loop {
        let next = if dirty.is_empty() {
            rx.recv().map_err(|_| mpsc::RecvTimeoutError::Disconnected)
        } else {
            rx.recv_timeout(quiet)
        };
        match next {
            Ok(Ok(event)) => dirty.extend(event.paths),
            Ok(Err(e)) => report(FolderEvent::Failed(e.to_string())),
            Err(mpsc::RecvTimeoutError::Timeout) => {
                for path in std::mem::take(&mut dirty) {
                    settle(root, &path, known, report);
                }
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => return,
        }
    }
}

fn settle(root: &Path, path: &Path, known: &mut Known, report: &mut impl FnMut(FolderEvent)) {
    if path.is_dir() {
        // A folder moved in whole: report what it holds.
        if let Ok(papers) = scan(root) {
            for paper in papers.into_iter().filter(|p| p.path.starts_with(path)) {
                known.present(paper, report);
            }
        }
        return;
    }
    if let Some(paper) = paper_at(root, path) {
        known.present(paper, report);
        return;
    }
    if let Some((relative, _)) = path.strip_prefix(root).ok().and_then(placement) {
        known.gone(relative, report);
    }
}
