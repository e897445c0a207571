//! Where to look for `libpdfium.so`.
//!
//! The order is a pure function of the environment and the executable's directory so it can be
//! tested without touching the real environment; [`search_order_from_process`] is the thin
//! wrapper that reads them.

use std::ffi::OsString;
use std::fmt;
use std::path::{Path, PathBuf};

/// File name of the PDFium shared library on this platform.
#[cfg(target_os = "linux")]
pub const LIBRARY_FILE_NAME: &str = "libpdfium.so";
#[cfg(target_os = "macos")]
pub const LIBRARY_FILE_NAME: &str = "libpdfium.dylib";
#[cfg(target_os = "windows")]
pub const LIBRARY_FILE_NAME: &str = "pdfium.dll";
#[cfg(not(any(target_os = "linux", target_os = "macos", target_os = "windows")))]
pub const LIBRARY_FILE_NAME: &str = "libpdfium.so";

/// The environment variables the search order depends on. Empty values count as unset, as they
/// do in `scripts/fetch-pdfium.sh` (`${VAR:-default}`), so both always agree on the install dir.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LocatorEnv {
    /// `ECABINET_PDFIUM`: the library file itself, or a directory containing it.
    pub pdfium: Option<OsString>,
    /// `ECABINET_PDFIUM_DIR`: where `fetch-pdfium.sh` installs the library.
    pub pdfium_dir: Option<OsString>,
    /// `XDG_DATA_HOME`.
    pub xdg_data_home: Option<OsString>,
    /// `HOME`.
    pub home: Option<OsString>,
}

impl LocatorEnv {
    /// Reads the variables from the current process environment.
    pub fn from_process() -> Self {
        Self {
            pdfium: std::env::var_os("ECABINET_PDFIUM"),
            pdfium_dir: std::env::var_os("ECABINET_PDFIUM_DIR"),
            xdg_data_home: std::env::var_os("XDG_DATA_HOME"),
            home: std::env::var_os("HOME"),
        }
    }
}

/// Why a path is in the search order; shown in the error when nothing loads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum LocationOrigin {
    /// Named by `ECABINET_PDFIUM`.
    EnvOverride,
    /// Next to the running executable (how a packaged app ships it).
    BesideExecutable,
    /// Where `scripts/fetch-pdfium.sh` installs it.
    InstallDir,
}

impl fmt::Display for LocationOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::EnvOverride => "from ECABINET_PDFIUM",
            Self::BesideExecutable => "beside the executable",
            Self::InstallDir => "install dir of fetch-pdfium.sh",
        })
    }
}

/// One place the library may be. For [`LocationOrigin::EnvOverride`] the path may be a
/// directory; binding resolves it to the library file inside (see [`PdfiumLocation::library_path`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PdfiumLocation {
    pub origin: LocationOrigin,
    pub path: PathBuf,
}

impl PdfiumLocation {
    /// The library file this location designates: the path itself, or `LIBRARY_FILE_NAME`
    /// inside it when it is a directory. This touches the file system, which is why it is kept
    /// out of [`search_order`].
    pub fn library_path(&self) -> PathBuf {
        if self.path.is_dir() {
            self.path.join(LIBRARY_FILE_NAME)
        } else {
            self.path.clone()
        }
    }
}

fn non_empty(value: Option<&OsString>) -> Option<&OsString> {
    value.filter(|value| !value.is_empty())
}

/// The directory `scripts/fetch-pdfium.sh` installs into:
/// `${ECABINET_PDFIUM_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/ecabinet/pdfium}`.
/// `None` when none of those variables is set.
pub fn install_dir(env: &LocatorEnv) -> Option<PathBuf> {
    if let Some(dir) = non_empty(env.pdfium_dir.as_ref()) {
        return Some(PathBuf::from(dir));
    }
    let data_home = match non_empty(env.xdg_data_home.as_ref()) {
        Some(data_home) => PathBuf::from(data_home),
        None => Path::new(non_empty(env.home.as_ref())?).join(".local/share"),
    };
    Some(data_home.join("ecabinet").join("pdfium"))
}

/// The places to try, in order.
///
/// When `ECABINET_PDFIUM` is set it is the only candidate: someone who points the app at a
/// specific build wants that build or a loud failure, not a silent fallback to another copy.
/// Otherwise: beside the executable (a packaged app), then the install dir of
/// `scripts/fetch-pdfium.sh` (a developer machine), then that script's default install dir
/// under `$HOME`: the app started with another `XDG_DATA_HOME` than the setup had still
/// finds the engine `make run` installed.
pub fn search_order(env: &LocatorEnv, exe_dir: Option<&Path>) -> Vec<PdfiumLocation> {
    if let Some(explicit) = non_empty(env.pdfium.as_ref()) {
        return vec![PdfiumLocation {
            origin: LocationOrigin::EnvOverride,
            path: PathBuf::from(explicit),
        }];
    }
    let beside_executable = exe_dir.map(|dir| PdfiumLocation {
        origin: LocationOrigin::BesideExecutable,
        path: dir.join(LIBRARY_FILE_NAME),
    });
    let default_env = LocatorEnv {
        home: env.home.clone(),
        ..LocatorEnv::default()
    };
    let mut installed: Vec<PdfiumLocation> = Vec::new();
    for dir in [install_dir(env), install_dir(&default_env)]
        .into_iter()
        .flatten()
    {
        let path = dir.join(LIBRARY_FILE_NAME);
        if !installed.iter().any(|l| l.path == path) {
            installed.push(PdfiumLocation {
                origin: LocationOrigin::InstallDir,
                path,
            });
        }
    }
    beside_executable.into_iter().chain(installed).collect()
}

/// [`search_order`] for this process: its environment and the directory of its executable.
pub fn search_order_from_process() -> Vec<PdfiumLocation> {
    let exe = std::env::current_exe().ok();
    let exe_dir = exe.as_deref().and_then(Path::parent);
    search_order(&LocatorEnv::from_process(), exe_dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> LocatorEnv {
        let get = |name: &str| {
            pairs
                .iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| OsString::from(value))
        };
        LocatorEnv {
            pdfium: get("ECABINET_PDFIUM"),
            pdfium_dir: get("ECABINET_PDFIUM_DIR"),
            xdg_data_home: get("XDG_DATA_HOME"),
            home: get("HOME"),
        }
    }

    fn paths(locations: &[PdfiumLocation]) -> Vec<(LocationOrigin, &Path)> {
        locations
            .iter()
            .map(|location| (location.origin, location.path.as_path()))
            .collect()
    }

    #[test]
    fn explicit_override_is_the_only_candidate() {
        let order = search_order(
            &env(&[("ECABINET_PDFIUM", "/opt/pdfium"), ("HOME", "/home/a")]),
            Some(Path::new("/usr/bin")),
        );
        assert_eq!(
            paths(&order),
            [(LocationOrigin::EnvOverride, Path::new("/opt/pdfium"))]
        );
    }

    #[test]
    fn without_override_executable_dir_comes_before_install_dir() {
        let order = search_order(&env(&[("HOME", "/home/a")]), Some(Path::new("/usr/bin")));
        assert_eq!(
            paths(&order),
            [
                (
                    LocationOrigin::BesideExecutable,
                    Path::new("/usr/bin/libpdfium.so")
                ),
                (
                    LocationOrigin::InstallDir,
                    Path::new("/home/a/.local/share/ecabinet/pdfium/libpdfium.so")
                ),
            ]
        );
    }

    #[test]
    fn another_data_home_than_the_setup_had_still_finds_the_default_install() {
        // `make run` installed PDFium with XDG_DATA_HOME unset; the app runs with it set.
        let order = search_order(
            &env(&[("HOME", "/home/a"), ("XDG_DATA_HOME", "/xdg")]),
            None,
        );
        assert_eq!(
            paths(&order),
            [
                (
                    LocationOrigin::InstallDir,
                    Path::new("/xdg/ecabinet/pdfium/libpdfium.so")
                ),
                (
                    LocationOrigin::InstallDir,
                    Path::new("/home/a/.local/share/ecabinet/pdfium/libpdfium.so")
                ),
            ]
        );
    }

    #[test]
    fn install_dir_follows_the_fetch_script() {
        assert_eq!(
            install_dir(&env(&[
                ("ECABINET_PDFIUM_DIR", "/srv/pdfium"),
                ("XDG_DATA_HOME", "/xdg"),
                ("HOME", "/home/a"),
            ])),
            Some(PathBuf::from("/srv/pdfium"))
        );
        assert_eq!(
            install_dir(&env(&[("XDG_DATA_HOME", "/xdg"), ("HOME", "/home/a")])),
            Some(PathBuf::from("/xdg/ecabinet/pdfium"))
        );
        assert_eq!(
            install_dir(&env(&[("HOME", "/home/a")])),
            Some(PathBuf::from("/home/a/.local/share/ecabinet/pdfium"))
        );
        assert_eq!(install_dir(&env(&[])), None);
    }

    #[test]
    fn empty_variables_count_as_unset() {
        let order = search_order(
            &env(&[
                ("ECABINET_PDFIUM", ""),
                ("ECABINET_PDFIUM_DIR", ""),
                ("XDG_DATA_HOME", ""),
                ("HOME", "/home/a"),
            ]),
            None,
        );
        assert_eq!(
            paths(&order),
            [(
                LocationOrigin::InstallDir,
                Path::new("/home/a/.local/share/ecabinet/pdfium/libpdfium.so")
            )]
        );
    }

    #[test]
    fn nothing_known_gives_no_candidates() {
        assert!(search_order(&env(&[]), None).is_empty());
    }

    #[test]
    fn a_directory_override_resolves_to_the_library_inside() {
        let dir = tempfile::tempdir().unwrap();
        let location = PdfiumLocation {
            origin: LocationOrigin::EnvOverride,
            path: dir.path().to_path_buf(),
        };
        assert_eq!(location.library_path(), dir.path().join(LIBRARY_FILE_NAME));

        let file = dir.path().join("pdfium-8149.so");
        let location = PdfiumLocation {
            origin: LocationOrigin::EnvOverride,
            path: file.clone(),
        };
        assert_eq!(location.library_path(), file);
    }
}
