//! Tests only: a PostgreSQL database of its own for each test.
//!
//! [`TestDatabase::create`] hands out an empty schema; its [`url`](TestDatabase::url) makes
//! that schema the connection's only `search_path`, so to the code under test it is an empty
//! database of its own: tables, sequences and sqlx's migration records all land in it.
//! Tests stay independent and can run in parallel, and a schema costs milliseconds where
//! `CREATE DATABASE` costs half a second on a busy two-core machine. The schemas live on:
//!
//! * the database named by `ECABINET_TEST_DATABASE_URL`, when it is set (a
//!   `postgres://user:password@host:port/database` URL of a role that may create schemas
//!   there); nothing is started then, and each schema is dropped when its test ends;
//! * otherwise a throwaway cluster that the first `create` in a test binary starts and every
//!   later one reuses: a copy of a freshly `initdb`ed data dir (made once and cached beside
//!   the test binaries, since `initdb` takes seconds and a copy a tenth of one) in a temp
//!   dir, started by `pg_ctl` on a free loopback port with its socket inside that dir and
//!   durability switched off, since nothing here must survive a crash. Its schemas are made
//!   sixteen at a time and never dropped: the whole cluster goes when the binary exits.
//!
//! The cluster runs as the `postgres` user when the tests run as root (PostgreSQL refuses to
//! run as root), and as the current user otherwise. It is stopped and its dir deleted when
//! the test binary exits, however it exits: a small reaper process waits for a pipe from
//! the test binary to close (which the kernel does on any exit, even `kill -9`) and then
//! cleans up. A static holds the cluster, and Rust never drops statics, so `Drop` could not.

use anyhow::{Context, bail};
use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{ChildStdin, Command, Output, Stdio};
use std::sync::{Mutex, OnceLock};

/// Set to use an existing PostgreSQL server instead of starting a throwaway one.
pub const DATABASE_URL_VAR: &str = "ECABINET_TEST_DATABASE_URL";

/// An empty database (a schema, see the crate docs) that exists for as long as this value.
pub struct TestDatabase {
    schema: String,
    url: String,
    server: &'static Server,
}

impl TestDatabase {
    /// Hands out an empty schema on the test server, starting the server first if this is
    /// the first one of the test binary.
    pub fn create() -> anyhow::Result<TestDatabase> {
        let server = SERVER
            .get_or_init(|| Server::start().map_err(|e| format!("{e:#}")))
            .as_ref()
            .map_err(|e| anyhow::anyhow!("{e}"))
            .context("starting the PostgreSQL server for tests")?;
        let schema = server.take_schema()?;
        let url = with_search_path(&server.admin_url, &schema)?;
        Ok(TestDatabase {
            schema,
            url,
            server,
        })
    }

    /// The URL to connect to, password included.
    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn schema(&self) -> &str {
        &self.schema
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if self.server.throwaway {
            return;
        }
        // The lock timeout keeps a connection that a test left inside a transaction from
        // hanging the drop; the schema is then left behind with a warning.
        let drop = format!(
            "SET lock_timeout = '10s'; DROP SCHEMA IF EXISTS {} CASCADE",
            self.schema
        );
        if let Err(e) = self.server.psql(&drop) {
            eprintln!("warning: could not drop test schema {}: {e:#}", self.schema);
        }
    }
}

static SERVER: OnceLock<Result<Server, String>> = OnceLock::new();

struct Server {
    /// A URL of the database the schemas are made in, as a role that may make them.
    admin_url: String,
    psql: PathBuf,
    /// A cluster of our own, deleted at exit: schemas are made in batches, never dropped.
    throwaway: bool,
    /// Schemas made and not yet handed out.
    spare: Mutex<Vec<String>>,
    /// Closing this (at exit) tells the reaper to stop the throwaway cluster.
    _reaper: Option<ChildStdin>,
}

impl Server {
    fn start() -> anyhow::Result<Server> {
        if let Some(url) = std::env::var(DATABASE_URL_VAR)
            .ok()
            .filter(|u| !u.trim().is_empty())
        {
            return Ok(Server {
                admin_url: url,
                psql: tool(bindir().as_deref(), "psql"),
                throwaway: false,
                spare: Mutex::new(Vec::new()),
                _reaper: None,
            });
        }
        start_cluster()
    }

    /// An empty schema nobody else has. On a throwaway cluster one `psql` makes a batch,
    /// since starting `psql` costs more than the schemas; on a shared server, one at a time,
    /// so that none is left behind unused.
    fn take_schema(&self) -> anyhow::Result<String> {
        let mut spare = self.spare.lock().unwrap_or_else(|e| e.into_inner());
        if spare.is_empty() {
            let batch: Vec<_> = (0..if self.throwaway { 16 } else { 1 })
                .map(|_| format!("test_{}", uuid::Uuid::new_v4().simple()))
                .collect();
            let sql: String = batch
                .iter()
                .map(|s| format!("CREATE SCHEMA {s};"))
                .collect();
            self.psql(&sql).context("creating test schemas")?;
            spare.extend(batch);
        }
        Ok(spare.pop().expect("a schema was just made"))
    }

    /// Runs SQL on the database the schemas are made in.
    fn psql(&self, sql: &str) -> anyhow::Result<()> {
        let output = Command::new(&self.psql)
            .args([
                "-X",
                "-q",
                "-v",
                "ON_ERROR_STOP=1",
                "-d",
                &self.admin_url,
                "-c",
                sql,
            ])
            .env("PGCONNECT_TIMEOUT", "10")
            .stdin(Stdio::null())
            .output()
            .with_context(|| format!("running {}", self.psql.display()))?;
        check(&output, "psql")
    }
}

/// The directory of PostgreSQL's server tools: Debian's newest
/// `/usr/lib/postgresql/<version>/bin`, else wherever `initdb` is on the `PATH`.
fn bindir() -> Option<PathBuf> {
    let debian = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let version: u32 = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((version, bin))
        })
        .max()
        .map(|(_, bin)| bin);
    debian.or_else(|| {
        std::env::var_os("PATH")
            .and_then(|path| std::env::split_paths(&path).find(|dir| dir.join("initdb").exists()))
    })
}

fn tool(bindir: Option<&Path>, name: &str) -> PathBuf {
    bindir
        .map(|dir| dir.join(name))
        .filter(|path| path.exists())
        .unwrap_or_else(|| PathBuf::from(name))
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// A command that runs `program` as the cluster's owner: `postgres` under root, else us.
fn as_owner(root: bool, program: &Path) -> Command {
    if root {
        let mut command = Command::new("runuser");
        command.args(["-u", "postgres", "--"]).arg(program);
        command
    } else {
        Command::new(program)
    }
}

fn check(output: &Output, what: &str) -> anyhow::Result<()> {
    if output.status.success() {
        return Ok(());
    }
    bail!(
        "{what} failed ({}): {}{}",
        output.status,
        String::from_utf8_lossy(&output.stderr).trim(),
        String::from_utf8_lossy(&output.stdout).trim()
    )
}

fn start_cluster() -> anyhow::Result<Server> {
    let bin = bindir().context(
        "PostgreSQL's server tools (initdb, pg_ctl) are not installed: run \
         `scripts/setup.sh test` (Debian package postgresql), or set \
         ECABINET_TEST_DATABASE_URL to a server the tests may create schemas on",
    )?;
    let root = is_root();
    let dir = tempfile::Builder::new()
        .prefix("ecabinet-pg-")
        .tempdir()
        .context("making a temp dir for the test cluster")?
        .keep();
    let (data, sockets, log) = (dir.join("data"), dir.join("run"), dir.join("postgres.log"));
    std::fs::create_dir(&sockets).context("making the socket dir")?;
    if root {
        chown_to_postgres(&dir)?;
    }

    // The reaper first, so whatever happens below, the dir goes when this process ends.
    let pg_ctl = tool(Some(&bin), "pg_ctl");
    let mut reaper = Command::new("sh");
    reaper
        .args([
            "-c",
            r#"read -r _; "$@" >/dev/null 2>&1; rm -rf -- "$ECABINET_PG_TMP""#,
            "ecabinet-pg-reaper",
        ])
        .env("ECABINET_PG_TMP", &dir);
    if root {
        reaper.args(["runuser", "-u", "postgres", "--"]);
    }
    let reaper = reaper
        .arg(&pg_ctl)
        .arg("-D")
        .arg(&data)
        .args(["-m", "immediate", "stop"])
        .current_dir("/")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        // Its own process group, so a Ctrl-C meant for the tests does not kill the
        // cleanup before it runs.
        .process_group(0)
        .spawn()
        .context("starting the test cluster's reaper")?
        .stdin;

    make_data_dir(&bin, root, &dir, &data)?;

    let mut last_error = None;
    for _ in 0..5 {
        let port = free_port()?;
        let options = format!(
            "-p {port} -k {} -c listen_addresses=127.0.0.1 -c max_connections=200 \
             -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
            sockets.display()
        );
        let started = as_owner(root, &pg_ctl)
            .arg("-D")
            .arg(&data)
            .arg("-l")
            .arg(&log)
            .args(["-w", "-t", "60", "-o", &options, "start"])
            .current_dir(&dir)
            .stdin(Stdio::null())
            .process_group(0)
            .output()
            .context("running pg_ctl start")?;
        if started.status.success() {
            // A password of this cluster's own, even though it is thrown away: other users
            // of the machine can reach the loopback port. Set over the socket, which only
            // the cluster's owner (and root) can reach, where login needs no password.
            let password = uuid::Uuid::new_v4().simple().to_string();
            let socket_url = format!(
                "postgresql://postgres@/postgres?host={}&port={port}",
                sockets.display()
            );
            let output = Command::new(tool(Some(&bin), "psql"))
                .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", &socket_url, "-c"])
                .arg(format!("ALTER ROLE postgres PASSWORD '{password}'"))
                .stdin(Stdio::null())
                .output()
                .context("running psql")?;
            check(&output, "setting the test cluster's password")?;
            return Ok(Server {
                admin_url: format!("postgres://postgres:{password}@127.0.0.1:{port}/postgres"),
                psql: tool(Some(&bin), "psql"),
                throwaway: true,
                spare: Mutex::new(Vec::new()),
                _reaper: reaper,
            });
        }
        let log_text = std::fs::read_to_string(&log).unwrap_or_default();
        let tail: Vec<_> = log_text.lines().rev().take(10).collect();
        let error = anyhow::anyhow!(
            "pg_ctl start on port {port} failed: {}; log: {}",
            String::from_utf8_lossy(&started.stderr).trim(),
            tail.into_iter().rev().collect::<Vec<_>>().join(" | ")
        );
        // Another process may have taken the port between our probe and the start.
        if !log_text.contains("could not bind") {
            return Err(error);
        }
        last_error = Some(error);
    }
    Err(last_error.unwrap())
}

/// Fills `data` (inside the cluster's temp `dir`) with a fresh cluster: a copy of the cached
/// one if there is one, else `initdb`, whose result is then cached.
///
/// The cache sits beside the test binaries (`target/debug/`), so `cargo clean` clears it
/// and no other user of the machine can plant one. `initdb` runs in the temp dir all the
/// same, since under root it runs as `postgres`, who may not be able to reach the target
/// dir; the copies are made by us.
fn make_data_dir(bin: &Path, root: bool, dir: &Path, data: &Path) -> anyhow::Result<()> {
    let cached = template_path(bin, root);
    if let Some(cached) = cached.as_ref().filter(|c| c.join("PG_VERSION").exists()) {
        return copy_dir(cached, data);
    }
    let pwfile = dir.join("password");
    // initdb wants a password for password authentication; the cluster gets its own later.
    std::fs::write(&pwfile, uuid::Uuid::new_v4().simple().to_string())
        .context("writing the initdb password file")?;
    if root {
        chown_to_postgres(&pwfile)?;
    }
    let initdb = as_owner(root, &tool(Some(bin), "initdb"))
        .arg("-D")
        .arg(data)
        .args(["-U", "postgres", "-E", "UTF8", "--locale=C"])
        .args(["--auth-local=trust", "--auth-host=scram-sha-256"])
        .arg(format!("--pwfile={}", pwfile.display()))
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .context("running initdb")?;
    let _ = std::fs::remove_file(&pwfile);
    check(&initdb, "initdb")?;
    if let Some(cached) = cached {
        // Copied under another name, then renamed: a binary starting meanwhile sees no cache
        // or a whole one, and when two race, the second rename fails harmlessly.
        let partial = cached.with_extension(format!("partial-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&partial);
        if copy_dir(data, &partial).is_err() || std::fs::rename(&partial, &cached).is_err() {
            let _ = std::fs::remove_dir_all(&partial);
        }
    }
    Ok(())
}

/// Where the data dir made by this PostgreSQL version for this owner is cached, if the
/// test binary's dir is known.
fn template_path(bin: &Path, root: bool) -> Option<PathBuf> {
    let version = Command::new(bin.join("pg_ctl"))
        .arg("--version")
        .output()
        .ok()?;
    // "pg_ctl (PostgreSQL) 15.18 (Debian ...)": the third word.
    let version = String::from_utf8_lossy(&version.stdout)
        .split_whitespace()
        .nth(2)?
        .to_owned();
    let owner = if root { "postgres" } else { "self" };
    let exe = std::env::current_exe().ok()?;
    let mut target = exe.parent()?.to_path_buf();
    if target.ends_with("deps") {
        target.pop();
    }
    // The `v1` changes whenever the initdb options above do.
    Some(target.join(format!("ecabinet-test-postgres-v1-{version}-{owner}")))
}

/// `cp -a`: keeps owners (the cluster's files belong to `postgres` under root) and modes
/// (PostgreSQL refuses a data dir that others may read).
fn copy_dir(from: &Path, to: &Path) -> anyhow::Result<()> {
    let output = Command::new("cp")
        .arg("-a")
        .arg(from)
        .arg(to)
        .output()
        .context("running cp")?;
    check(&output, "copying a PostgreSQL data dir")
}

fn chown_to_postgres(path: &Path) -> anyhow::Result<()> {
    let output = Command::new("chown")
        .args(["-R", "postgres:"])
        .arg(path)
        .output()
        .context("running chown")?;
    check(
        &output,
        "chown (is there a `postgres` user? the postgresql package makes it)",
    )
}

/// A free loopback port (bound then released; another process could take it first, which
/// the caller retries on).
fn free_port() -> anyhow::Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").context("finding a free port")?;
    Ok(listener.local_addr()?.port())
}

/// `url` with `schema` as the only schema in the connection's `search_path` (the
/// `options` parameter, which both libpq and sqlx understand).
fn with_search_path(url: &str, schema: &str) -> anyhow::Result<String> {
    if !url.starts_with("postgres://") && !url.starts_with("postgresql://") {
        bail!("{DATABASE_URL_VAR} must be a postgres:// URL");
    }
    let separator = if url.contains('?') { '&' } else { '?' };
    Ok(format!(
        "{url}{separator}options=-c%20search_path%3D{schema}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_url_of_a_test_database_selects_its_schema() {
        assert_eq!(
            with_search_path("postgres://u:p@h:5432/postgres", "test_1").unwrap(),
            "postgres://u:p@h:5432/postgres?options=-c%20search_path%3Dtest_1"
        );
        assert_eq!(
            with_search_path("postgresql://u@h/db?sslmode=require", "test_1").unwrap(),
            "postgresql://u@h/db?sslmode=require&options=-c%20search_path%3Dtest_1"
        );
        assert!(with_search_path("not a url", "x").is_err());
    }

    fn query(server: &Server, url: &str, sql: &str) -> String {
        let output = Command::new(&server.psql)
            .args(["-X", "-At", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql])
            .output()
            .unwrap();
        check(&output, "psql").unwrap();
        String::from_utf8_lossy(&output.stdout).trim().to_owned()
    }

    #[test]
    fn two_test_databases_are_separate() {
        let a = TestDatabase::create().unwrap();
        let b = TestDatabase::create().unwrap();
        let server = a.server;
        query(server, a.url(), "CREATE TABLE councils (id INTEGER)");
        query(server, b.url(), "CREATE TABLE councils (id INTEGER)");
        query(server, a.url(), "INSERT INTO councils VALUES (1)");
        assert_eq!(
            query(server, b.url(), "SELECT count(*) FROM councils"),
            "0",
            "one test's rows are invisible to another"
        );
    }
}
