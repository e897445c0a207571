//! The council server as a separate process, on either storage backend.

use crate::{DEMO_PASSWORD, workspace_binary};
use ecabinet_domain::{AgendaItem, Paper};
use ecabinet_protocol::{AgendaItemPatch, ChangesPage, LoginResponse, SyncRecord};
use ecabinet_test_postgres::TestDatabase;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Where a council server keeps the council's data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// `council.db` in the data dir (the default).
    Sqlite,
    /// A database of its own on the tests' PostgreSQL server (see `ecabinet-test-postgres`),
    /// passed with `--database-url`.
    Postgres,
}

/// A running `council-server serve --demo` on 127.0.0.1. Killed on drop.
pub struct CouncilServer {
    child: Option<Child>,
    data_dir: PathBuf,
    port: u16,
    /// Given to `serve` after the harness's own arguments (and again on a restart).
    extra_args: Vec<String>,
    // Declared after `child`: dropped after the server process is killed.
    database: Option<TestDatabase>,
}

impl CouncilServer {
    /// Starts a server on `port` (0 for any) over `data_dir`, on SQLite, seeding the demo
    /// council.
    pub fn start(data_dir: &Path, port: u16) -> CouncilServer {
        CouncilServer::start_with(Backend::Sqlite, data_dir, port)
    }

    /// Starts a server on `port` (0 for any) with the council's data on `backend`, seeding
    /// the demo council. The data dir holds what is not in the database (the demo password).
    pub fn start_with(backend: Backend, data_dir: &Path, port: u16) -> CouncilServer {
        CouncilServer::start_with_args(backend, data_dir, port, &[])
    }

    /// Starts a server as [`start_with`](Self::start_with) does, with more arguments for
    /// `serve` (`--demo-delegates 2000`).
    pub fn start_with_args(
        backend: Backend,
        data_dir: &Path,
        port: u16,
        extra_args: &[&str],
    ) -> CouncilServer {
        let extra_args: Vec<String> = extra_args.iter().map(|a| a.to_string()).collect();
        let database = match backend {
            Backend::Sqlite => None,
            Backend::Postgres => {
                Some(TestDatabase::create().expect("a PostgreSQL database for the council server"))
            }
        };
        let (child, port) = spawn(data_dir, port, database.as_ref(), &extra_args);
        CouncilServer {
            child: Some(child),
            data_dir: data_dir.to_owned(),
            port,
            extra_args,
            database,
        }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The server process's id, while it runs.
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// Kill -9: no graceful shutdown, as when the server machine loses power.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts the server again on the same port and data (and database).
    pub fn restart(&mut self) {
        self.kill();
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            // The port may linger for a moment after the kill.
            if std::net::TcpListener::bind(("127.0.0.1", self.port)).is_ok()
                || Instant::now() > deadline
            {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let (child, port) = spawn(
            &self.data_dir,
            self.port,
            self.database.as_ref(),
            &self.extra_args,
        );
        self.child = Some(child);
        self.port = port;
    }
}

/// Runs `council-server serve --demo` and waits for the port it reports.
fn spawn(
    data_dir: &Path,
    port: u16,
    database: Option<&TestDatabase>,
    extra_args: &[String],
) -> (Child, u16) {
    let mut command = Command::new(workspace_binary("council-server"));
    command
        .args(["serve", "--demo", "--data-dir"])
        .arg(data_dir)
        .args(["--listen", &format!("127.0.0.1:{port}")])
        .args(extra_args)
        .env("ECABINET_DEMO_PASSWORD", DEMO_PASSWORD)
        .env("ECABINET_LOG", "warn")
        // Whatever the environment says, the backend is the one this test asked for.
        .env_remove("ECABINET_DATABASE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    if let Some(database) = database {
        command.env("ECABINET_DATABASE_URL", database.url());
    }
    let mut child = command.spawn().expect("starting council-server");
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(addr) = line.strip_prefix("council-server listening on http://127.0.0.1:") {
                let _ = tx.send(addr.trim().parse::<u16>().unwrap());
            }
        }
    });
    let port = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("council-server did not report its port in 30 s");
    (child, port)
}

impl Drop for CouncilServer {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Enough of the API to play a secretary (or anyone) from a test.
pub struct SecretaryApi {
    http: reqwest::Client,
    base: String,
    pub token: String,
}

impl SecretaryApi {
    pub async fn login(base: &str, username: &str) -> anyhow::Result<SecretaryApi> {
        let http = reqwest::Client::new();
        let login: LoginResponse = http
            .post(format!("{base}/api/v1/auth/login"))
            .json(&serde_json::json!({"username": username, "password": DEMO_PASSWORD}))
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        Ok(SecretaryApi {
            http,
            base: base.to_owned(),
            token: login.token,
        })
    }

    /// The programme item whose title is `title`.
    pub async fn agenda_item(&self, title: &str) -> anyhow::Result<AgendaItem> {
        self.records()
            .await?
            .into_iter()
            .rev()
            .find_map(|r| match r {
                SyncRecord::AgendaItem(i) if i.title == title => Some(i),
                _ => None,
            })
            .ok_or_else(|| anyhow::anyhow!("no agenda item titled {title:?}"))
    }

    /// The papers being prepared (the secretariat's working copies), as the log has them now.
    pub async fn papers(&self) -> anyhow::Result<Vec<Paper>> {
        let mut papers: Vec<Paper> = Vec::new();
        for record in self.records().await? {
            if let SyncRecord::Paper(paper) = record {
                papers.retain(|p| p.id != paper.id);
                papers.push(paper);
            }
        }
        Ok(papers)
    }

    /// Every record of the council's change log, as this member receives it, page by page.
    async fn records(&self) -> anyhow::Result<Vec<SyncRecord>> {
        let mut records = Vec::new();
        let mut after = 0;
        loop {
            let page: ChangesPage = self
                .http
                .get(format!("{}/api/v1/sync/changes", self.base))
                .query(&[("after", after)])
                .bearer_auth(&self.token)
                .send()
                .await?
                .error_for_status()?
                .json()
                .await?;
            records.extend(page.changes.into_iter().map(|c| c.record));
            after = page.next_cursor;
            if !page.has_more {
                return Ok(records);
            }
        }
    }

    pub async fn rename_agenda_item(&self, item: &AgendaItem, title: &str) -> anyhow::Result<()> {
        let patch = AgendaItemPatch {
            title: Some(title.to_owned()),
            ..Default::default()
        };
        self.http
            .patch(format!("{}/api/v1/agenda-items/{}", self.base, item.id))
            .bearer_auth(&self.token)
            .json(&patch)
            .send()
            .await?
            .error_for_status()?;
        Ok(())
    }

    /// Renames a programme item and publishes the next packet version, so participants see it.
    pub async fn rename_and_publish(&self, item: &AgendaItem, title: &str) -> anyhow::Result<u32> {
        self.rename_agenda_item(item, title).await?;
        self.publish(item.meeting_id).await
    }

    /// Publishes the meeting's next packet version (its papers and programme as they are now).
    pub async fn publish(&self, meeting: ecabinet_domain::MeetingId) -> anyhow::Result<u32> {
        let latest = self
            .records()
            .await?
            .into_iter()
            .filter_map(|r| match r {
                SyncRecord::PacketVersion(v) if v.meeting_id == meeting => Some(v.number),
                _ => None,
            })
            .max()
            .unwrap_or(0);
        self.http
            .post(format!("{}/api/v1/meetings/{meeting}/packets", self.base))
            .bearer_auth(&self.token)
            .json(&serde_json::json!({"expected_number": latest + 1}))
            .send()
            .await?
            .error_for_status()?;
        Ok(latest + 1)
    }

    /// Approves a paper, as the chair does (log in as `chair`).
    pub async fn approve_paper(&self, paper_id: &str) -> anyhow::Result<()> {
        self.http
            .post(format!("{}/api/v1/papers/{paper_id}/approval", self.base))
            .bearer_auth(&self.token)
            .send()
            .await?
            .error_for_status()?;
        Ok(())
    }

    /// Revokes a session token, as logging out elsewhere or an administrator would.
    pub async fn revoke(&self, token: &str) -> anyhow::Result<()> {
        self.http
            .post(format!("{}/api/v1/auth/logout", self.base))
            .bearer_auth(token)
            .send()
            .await?
            .error_for_status()?;
        Ok(())
    }
}
