//! The real desktop app, driven through WebDriver like a person would use it.

use crate::{free_port, workspace_binary};
use fantoccini::{Client, ClientBuilder, Locator};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The screen every story runs on: the commonest laptop screen in council chambers, 1366×768.
pub const SCREEN: (u32, u32) = (1366, 768);

/// A private X display, so the test never depends on (or disturbs) anyone's screen.
struct Display {
    child: Child,
    number: u32,
}

/// Whether display `n` is free: no lock, or a lock left by an X server that is gone (a
/// killed run leaves its lock, which Xvfb replaces itself; hundreds of those must not use
/// up every number).
fn display_free(n: u32) -> bool {
    match std::fs::read_to_string(format!("/tmp/.X{n}-lock")) {
        Err(_) => !Path::new(&format!("/tmp/.X11-unix/X{n}")).exists(),
        Ok(pid) => pid
            .trim()
            .parse::<u32>()
            .is_ok_and(|pid| !Path::new(&format!("/proc/{pid}")).exists()),
    }
}

impl Display {
    fn start() -> Display {
        let number = (100..400)
            .find(|&n| display_free(n))
            .expect("a free X display number");
        let child = Command::new("Xvfb")
            .arg(format!(":{number}"))
            .args([
                "-screen",
                "0",
                &format!("{}x{}x24", SCREEN.0, SCREEN.1),
                "-nolisten",
                "tcp",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("starting Xvfb (Debian package xvfb; `make test` installs it)");
        wait_for(Duration::from_secs(10), "Xvfb to start", || {
            Path::new(&format!("/tmp/.X11-unix/X{number}")).exists()
        });
        Display { child, number }
    }
}

impl Drop for Display {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn wait_for(limit: Duration, what: &str, mut ready: impl FnMut() -> bool) {
    let deadline = Instant::now() + limit;
    while !ready() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// `tauri-driver` on a private display, launching the app with its own data dir.
pub struct AppDriver {
    driver: Child,
    port: u16,
    app: PathBuf,
    /// The driver's output, and the app's (its log at `warn`).
    log: PathBuf,
    _display: Display,
}

impl AppDriver {
    pub fn start(data_dir: &Path) -> AppDriver {
        let display = Display::start();
        let port = free_port();
        let native_port = free_port();
        let tauri_driver =
            which("tauri-driver").expect("tauri-driver is not installed: run `make test`");
        // Its own process group, so dropping the driver also ends the WebKitWebDriver and
        // app it started; otherwise they outlive the test and hold its output open.
        let log_path = data_dir.join("tauri-driver.log");
        let log = std::fs::File::create(&log_path).expect("creating the driver log");
        let driver = Command::new(tauri_driver)
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native_port.to_string(),
            ])
            .env("DISPLAY", format!(":{}", display.number))
            .env("ECABINET_DATA_DIR", data_dir)
            // A data home of its own: the webview's storage is this test's alone, and the app
            // must still find the PDF engine that setup installed under another data home.
            .env("XDG_DATA_HOME", data_dir.join("xdg-data"))
            // GTK's own windows (the file dialog) in one language whatever the machine's, so
            // the harness can find them by their title.
            .env("LC_ALL", "C.UTF-8")
            .env("ECABINET_LOG", "warn")
            // WebKit's compositor and sandbox need things a bare Xvfb lacks.
            .env("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
            .stdout(log.try_clone().expect("cloning the log handle"))
            .stderr(log)
            .process_group(0)
            .spawn()
            .expect("starting tauri-driver");
        wait_for(Duration::from_secs(20), "tauri-driver to be ready", || {
            driver_ready(port)
        });
        AppDriver {
            driver,
            port,
            app: workspace_binary("ecabinet"),
            log: log_path,
            _display: display,
        }
    }

    /// Answers the system's "open a file" dialog the app just opened with `path`, as a
    /// person would: the dialog is a GTK window WebDriver cannot reach, so `xdotool` types
    /// the path into it on this driver's display (GTK's file chooser takes a typed path that
    /// starts with `/`) and presses Enter.
    pub fn choose_file_in_dialog(&self, path: &Path) -> anyhow::Result<()> {
        let display = format!(":{}", self._display.number);
        let xdotool = |args: &[&str]| -> anyhow::Result<String> {
            let out = Command::new("xdotool")
                .args(args)
                .env("DISPLAY", &display)
                .output()
                .map_err(|e| {
                    anyhow::anyhow!(
                        "running xdotool (Debian package xdotool; `make test` installs it): {e}"
                    )
                })?;
            anyhow::ensure!(
                out.status.success(),
                "xdotool {args:?} failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
        };
        // GTK's file chooser, titled in the C locale the driver gives the app; wait for it to show.
        let deadline = Instant::now() + Duration::from_secs(15);
        let window = loop {
            let found = xdotool(&["search", "--onlyvisible", "--name", FILE_DIALOG_TITLE]);
            if let Ok(ids) = found
                && let Some(last) = ids.lines().last()
                && !last.is_empty()
            {
                break last.to_owned();
            }
            if Instant::now() > deadline {
                let windows =
                    xdotool(&["search", "--onlyvisible", "--name", ""]).unwrap_or_default();
                let names: Vec<String> = windows
                    .lines()
                    .map(|w| {
                        format!(
                            "{w} {:?}",
                            xdotool(&["getwindowname", w]).unwrap_or_default()
                        )
                    })
                    .collect();
                anyhow::bail!("no file dialog appeared; visible windows: {names:?}");
            }
            std::thread::sleep(Duration::from_millis(200));
        };
        // There is no window manager to give it the focus: give it directly.
        xdotool(&["windowfocus", "--sync", &window])?;
        std::thread::sleep(Duration::from_millis(300));
        // The first `/` opens the chooser's location field; the rest is typed into it once
        // it is there, and Enter is pressed once GTK has finished completing the path.
        xdotool(&["type", "/"])?;
        std::thread::sleep(Duration::from_millis(500));
        let rest = path.to_string_lossy();
        xdotool(&["type", "--delay", "30", rest.trim_start_matches('/')])?;
        for _ in 0..3 {
            std::thread::sleep(Duration::from_millis(1000));
            xdotool(&["key", "Return"])?;
            std::thread::sleep(Duration::from_millis(1000));
            let still_open = xdotool(&["search", "--onlyvisible", "--name", FILE_DIALOG_TITLE])
                .is_ok_and(|ids| !ids.is_empty());
            if !still_open {
                return Ok(());
            }
        }
        anyhow::bail!("the file dialog did not take {}", path.display())
    }

    /// The driver's process id: every process it starts (the app, its web and network
    /// processes, its PDF workers) descends from it.
    pub fn driver_pid(&self) -> u32 {
        self.driver.id()
    }

    /// Launches the app and connects to its window.
    pub async fn launch(&self) -> anyhow::Result<AppWindow> {
        self.launch_with(&[]).await
    }

    /// Launches the app with command-line arguments (a PDF to open, as "Open with" does).
    pub async fn launch_with(&self, args: &[&Path]) -> anyhow::Result<AppWindow> {
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), "wry".into());
        caps.insert(
            "tauri:options".into(),
            serde_json::json!({ "application": self.app, "args": args }),
        );
        let client = ClientBuilder::native()
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{}", self.port))
            .await?;
        // Without a window manager the window keeps its configured size and place; make it
        // fill the screen, as a maximised window on the delegate's laptop would.
        client.set_window_rect(0, 0, SCREEN.0, SCREEN.1).await?;
        // What goes wrong inside the window is kept for a failed step's message: WebDriver
        // does not pass the console on.
        client
            .execute(
                "window.__storyErrors = [];
                 addEventListener('error', (e) => __storyErrors.push(`${e.message} at ${e.filename}:${e.lineno}`));
                 addEventListener('unhandledrejection', (e) => __storyErrors.push(`unhandled: ${e.reason?.stack ?? e.reason}`));
                 const logError = console.error.bind(console);
                 console.error = (...args) => { __storyErrors.push(args.map((a) => a?.stack ?? String(a)).join(' ')); logError(...args); };",
                vec![],
            )
            .await?;
        Ok(AppWindow {
            client,
            log: self.log.clone(),
        })
    }
}

impl Drop for AppDriver {
    fn drop(&mut self) {
        // The group's id is the driver's pid (process_group(0) above).
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.driver.id())])
            .status();
        let _ = self.driver.wait();
    }
}

/// WebDriver's `GET /status`; the port opens before the driver behind it is ready.
fn driver_ready(port: u16) -> bool {
    use std::io::{Read, Write};
    let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let request =
        format!("GET /status HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
    let mut answer = String::new();
    stream.write_all(request.as_bytes()).is_ok()
        && stream.read_to_string(&mut answer).is_ok()
        && answer.contains("\"ready\":true")
}

fn which(name: &str) -> Option<PathBuf> {
    let home_bin = std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo/bin"));
    std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .chain(home_bin)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// One running app window.
pub struct AppWindow {
    pub client: Client,
    log: PathBuf,
}

/// GTK's "open a file" dialog, as `xdotool search --name` finds it under the C locale the
/// driver gives the app.
const FILE_DIALOG_TITLE: &str = "^Open File$";

/// How long the UI gets to show something before a step fails.
const STEP: Duration = Duration::from_secs(15);

impl AppWindow {
    /// Waits until `css` matches and returns the first element.
    pub async fn find(&self, css: &str) -> anyhow::Result<fantoccini::elements::Element> {
        Ok(self
            .client
            .wait()
            .at_most(STEP)
            .for_element(Locator::Css(css))
            .await?)
    }

    pub async fn type_into(&self, css: &str, text: &str) -> anyhow::Result<()> {
        let field = self.find(css).await?;
        field.clear().await?;
        field.send_keys(text).await?;
        Ok(())
    }

    pub async fn click(&self, css: &str) -> anyhow::Result<()> {
        let element = self.find(css).await?;
        self.click_element(&element, css).await
    }

    /// Clicks `element` as a person would: once it is on screen, has stopped moving and
    /// nothing covers it. WebDriver clicks where the element was when it looked, so a panel
    /// above it growing in between (a section loading) would send the click elsewhere;
    /// Playwright checks the same before each click.
    pub async fn click_element(
        &self,
        element: &fantoccini::elements::Element,
        what: &str,
    ) -> anyhow::Result<()> {
        let script = "const [element, done] = arguments;
            const box = () => { const r = element.getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; };
            const [left, top, width, height] = box();
            const [x, y] = [left + width / 2, top + height / 2];
            if (x < 0 || x >= innerWidth || y < 0 || y >= innerHeight) {
              element.scrollIntoView({ block: 'center', inline: 'nearest' });
            }
            const before = box();
            setTimeout(() => {
              const after = box();
              const hit = document.elementFromPoint(after[0] + after[2] / 2, after[1] + after[3] / 2);
              const name = (e) => e.tagName.toLowerCase() + (e.dataset.testid ? `[data-testid=${e.dataset.testid}]` : '')
                + (e.className && typeof e.className === 'string' ? '.' + e.className.split(' ')[0] : '');
              done({
                still: before.every((v, i) => v === after[i]),
                covered: hit === null ? 'off screen' : hit === element || element.contains(hit) ? null : name(hit),
              });
            }, 60);";
        let argument = serde_json::to_value(element)?;
        let deadline = Instant::now() + STEP;
        loop {
            let seen = self
                .client
                .execute_async(script, vec![argument.clone()])
                .await?;
            let still = seen["still"].as_bool().unwrap_or(false);
            let covered = seen["covered"].as_str();
            if still && covered.is_none() {
                break;
            }
            if Instant::now() > deadline {
                anyhow::bail!(
                    "{what} never stood still and uncovered to be clicked (moving: {}, covered by: {})",
                    !still,
                    covered.unwrap_or("nothing")
                );
            }
        }
        element.click().await?;
        Ok(())
    }

    /// The text of the element matching `css`, once there is one.
    pub async fn text(&self, css: &str) -> anyhow::Result<String> {
        Ok(self.find(css).await?.text().await?)
    }

    /// The texts of every element matching `css` right now.
    pub async fn texts(&self, css: &str) -> anyhow::Result<Vec<String>> {
        let mut out = Vec::new();
        for e in self.client.find_all(Locator::Css(css)).await? {
            out.push(e.text().await?);
        }
        Ok(out)
    }

    /// Polls until `check` holds, failing with `what` after the step limit.
    pub async fn until<F, Fut>(
        &self,
        what: &str,
        limit: Duration,
        mut check: F,
    ) -> anyhow::Result<()>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = anyhow::Result<bool>>,
    {
        let deadline = Instant::now() + limit;
        loop {
            if check().await.unwrap_or(false) {
                return Ok(());
            }
            if Instant::now() > deadline {
                anyhow::bail!("timed out after {limit:?} waiting for {what}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until some element matching `css` has a text for which `wanted` holds.
    pub async fn wait_for_text(
        &self,
        css: &str,
        limit: Duration,
        wanted: impl Fn(&str) -> bool,
    ) -> anyhow::Result<()> {
        self.until(&format!("a matching text in {css}"), limit, || async {
            Ok(self.texts(css).await?.iter().any(|t| wanted(t)))
        })
        .await
    }

    /// Waits until the first element matching `css` has `attr` set to `value`.
    pub async fn wait_attr(
        &self,
        css: &str,
        attr: &str,
        value: &str,
        limit: Duration,
    ) -> anyhow::Result<()> {
        self.until(&format!("{css} to have {attr}={value}"), limit, || async {
            Ok(self.find(css).await?.attr(attr).await?.as_deref() == Some(value))
        })
        .await
    }

    /// Signs in from the login form and waits for the meeting list.
    pub async fn sign_in(
        &self,
        server_url: &str,
        username: &str,
        password: &str,
    ) -> anyhow::Result<()> {
        self.type_into("#server-url", server_url).await?;
        self.type_into("#username", username).await?;
        self.type_into("#password", password).await?;
        self.click("[data-testid=login-submit]").await?;
        self.find("[data-testid=meeting-list]").await?;
        Ok(())
    }

    /// Opens the meeting whose list entry contains `title` once sync has brought it.
    pub async fn open_meeting(&self, title: &str) -> anyhow::Result<()> {
        self.wait_for_text("[data-testid=meeting-item]", STEP, |t| t.contains(title))
            .await?;
        for item in self
            .client
            .find_all(Locator::Css("[data-testid=meeting-item]"))
            .await?
        {
            if item.text().await?.contains(title) {
                self.click_element(&item, "the meeting's card").await?;
                break;
            }
        }
        self.find("[data-testid=agenda]").await?;
        // The live sitting's panel and its polls load after the agenda, above it: a step
        // taken before they have would act on a page still moving.
        self.until("the sitting panel to load", STEP, || async {
            Ok(self
                .eval(
                    "return document.querySelector('[data-testid=sitting-panel][data-state=loading], \
                     [data-testid=polls-panel][data-state=loading]') === null",
                )
                .await?
                .as_bool()
                .unwrap_or(false))
        })
        .await
    }

    /// Waits until the open meeting's packet is wholly on the device (its status says so).
    pub async fn wait_packet_complete(&self, limit: Duration) -> anyhow::Result<()> {
        self.wait_attr(
            "[data-testid=packet-status]",
            "data-complete",
            "true",
            limit,
        )
        .await
    }

    /// The connection badge's state (`online`, `offline`, ...).
    pub async fn connection_state(&self) -> anyhow::Result<String> {
        Ok(self
            .find("[data-testid=connection-state]")
            .await?
            .attr("data-state")
            .await?
            .unwrap_or_default())
    }

    pub async fn wait_connection(&self, state: &str, limit: Duration) -> anyhow::Result<()> {
        self.until(
            &format!("the connection badge to say {state}"),
            limit,
            || async { Ok(self.connection_state().await? == state) },
        )
        .await
    }

    /// Waits until the reader has drawn a page (the one it opens on) into its canvas.
    pub async fn wait_page_drawn(&self, limit: Duration) -> anyhow::Result<()> {
        let drawn = self
            .until("a page to be drawn", limit, || async {
                Ok(self
                    .find("[data-testid=paper-canvas]")
                    .await?
                    .attr("data-rendered-page")
                    .await?
                    .is_some())
            })
            .await;
        match drawn {
            Ok(()) => Ok(()),
            Err(error) => {
                let state = self
                    .reader_state()
                    .await
                    .unwrap_or_else(|e| format!("({e})"));
                let shot = std::env::temp_dir()
                    .join(format!("ecabinet-no-page-drawn-{}.png", std::process::id()));
                // WebKit answers a screenshot after its next frame, and an unchanging window
                // may not make one: never let the diagnosis hang the run.
                let _ = tokio::time::timeout(Duration::from_secs(5), self.screenshot(&shot)).await;
                Err(error.context(format!(
                    "the reader: {state}\nscreenshot: {}\nthe app's log ends:\n{}",
                    shot.display(),
                    self.log_tail(20)
                )))
            }
        }
    }

    /// The last `lines` lines of the driver's and the app's output.
    pub fn log_tail(&self, lines: usize) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let all: Vec<&str> = text.lines().collect();
        all[all.len().saturating_sub(lines)..].join("\n")
    }

    /// What the reader shows, for a failed step's message: its pages' canvases, what is
    /// rendered on them, and any error on screen.
    pub async fn reader_state(&self) -> anyhow::Result<String> {
        let script = "const all = (css) => [...document.querySelectorAll(css)];
            const viewport = document.querySelector('[data-testid=viewer-viewport]');
            return JSON.stringify({
              viewer: all('[data-testid=paper-viewer]').length,
              viewport: viewport === null ? null : [viewport.clientWidth, viewport.clientHeight],
              slots: all('[data-testid=viewer-page-slot]').map((s) => s.dataset.page + (s.dataset.offstage ? ' offstage' : '')),
              canvases: all('canvas[data-page]').map((c) => ({
                testid: c.dataset.testid, page: c.dataset.page, rendered: c.dataset.renderedPage ?? null,
                size: [c.width, c.height],
              })),
              alerts: all('[role=alert]').map((a) => a.textContent.trim()).filter((t) => t !== ''),
              // What a click on a paper's Open button would land on.
              openButtons: all('[data-testid=paper-open]').map((b) => {
                const r = b.getBoundingClientRect();
                const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
                return { at: [Math.round(r.x), Math.round(r.y)],
                  hit: hit === null ? null : hit === b ? 'itself' : hit.tagName + '.' + hit.className + ' ' + (hit.dataset.testid ?? '') + ' ' + (hit.textContent ?? '').slice(0, 60) };
              }),
              focused: document.activeElement === null ? null : document.activeElement.tagName + ' ' + (document.activeElement.dataset?.testid ?? ''),
              scroll: [window.scrollX, window.scrollY],
              visible: document.visibilityState,
              errors: window.__storyErrors ?? [],
            });";
        Ok(self
            .eval(script)
            .await?
            .as_str()
            .unwrap_or_default()
            .to_owned())
    }

    /// How many pixels of the reader's canvas are not white: text and lines drawn by PDFium.
    pub async fn canvas_ink(&self) -> anyhow::Result<u64> {
        let script = "const c = document.querySelector('[data-testid=paper-canvas]');
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            let ink = 0;
            for (let i = 0; i < d.length; i += 4) { if (d[i] < 200 || d[i + 1] < 200 || d[i + 2] < 200) ink++; }
            return ink;";
        Ok(self.eval(script).await?.as_u64().unwrap_or(0))
    }

    /// Presses and releases `key` as a person would: the window's focused element gets
    /// real keydown and keyup events from WebKit, not events made up in a script.
    pub async fn press(&self, key: fantoccini::key::Key) -> anyhow::Result<()> {
        use fantoccini::actions::{InputSource, KeyAction, KeyActions};
        let value = char::from(key);
        let actions = KeyActions::new("keyboard".into())
            .then(KeyAction::Down { value })
            .then(KeyAction::Up { value });
        self.client.perform_actions(actions).await?;
        Ok(())
    }

    /// Drags the mouse with its left button through `points` (CSS pixels from the window's
    /// top-left corner), as a person drawing or selecting does: real pointer events from
    /// WebKit, several moves between each pair of points.
    pub async fn drag(&self, points: &[(f64, f64)]) -> anyhow::Result<()> {
        use fantoccini::actions::{InputSource, MOUSE_BUTTON_LEFT, MouseActions, PointerAction};
        let Some(&(x, y)) = points.first() else {
            return Ok(());
        };
        let mut actions = MouseActions::new("mouse".into())
            .then(PointerAction::MoveTo {
                duration: None,
                x,
                y,
            })
            .then(PointerAction::Down {
                button: MOUSE_BUTTON_LEFT,
            });
        for pair in points.windows(2) {
            let ((x0, y0), (x1, y1)) = (pair[0], pair[1]);
            for step in 1..=4 {
                let t = f64::from(step) / 4.0;
                actions = actions.then(PointerAction::MoveTo {
                    duration: Some(Duration::from_millis(15)),
                    x: x0 + (x1 - x0) * t,
                    y: y0 + (y1 - y0) * t,
                });
            }
        }
        let actions = actions.then(PointerAction::Up {
            button: MOUSE_BUTTON_LEFT,
        });
        self.client.perform_actions(actions).await?;
        Ok(())
    }

    /// Runs `script` in the window and returns what it returns.
    pub async fn eval(&self, script: &str) -> anyhow::Result<serde_json::Value> {
        Ok(self.client.execute(script, vec![]).await?)
    }

    /// Saves a screenshot (PNG) for people reading a failed run.
    pub async fn screenshot(&self, path: &Path) -> anyhow::Result<()> {
        std::fs::write(path, self.client.screenshot().await?)?;
        Ok(())
    }

    /// Closes the window; the app process exits.
    pub async fn close(self) -> anyhow::Result<()> {
        self.client.close().await?;
        Ok(())
    }
}

/// The WCAG 2.0–2.2 A and AA rule sets of axe-core, which every screen must pass.
const WCAG_A_AND_AA: [&str; 6] = [
    "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa",
];

impl AppWindow {
    /// Runs axe-core (the UI's npm package, injected through WebDriver) on what the window
    /// shows now, with the WCAG 2.0–2.2 A and AA rules; each violation comes back as
    /// "rule: what to fix (where)".
    pub async fn accessibility_violations(&self) -> anyhow::Result<Vec<String>> {
        let axe = crate::repo_root().join("ui/node_modules/axe-core/axe.min.js");
        let source = std::fs::read_to_string(&axe).map_err(|e| {
            anyhow::anyhow!(
                "reading {} (installed with the UI's npm packages by `make test`): {e}",
                axe.display()
            )
        })?;
        // A script of the page itself would meet the app's CSP; WebDriver's does not.
        self.client
            .execute(
                &format!("if (!window.axe) {{ {source} }} return typeof window.axe;"),
                vec![],
            )
            .await?;
        let tags = serde_json::to_string(&WCAG_A_AND_AA)?;
        let script = format!(
            "const done = arguments[arguments.length - 1];
             window.axe
               .run(document, {{ runOnly: {{ type: 'tag', values: {tags} }}, resultTypes: ['violations'] }})
               .then((r) => done(r.violations.map((v) =>
                 `${{v.id}}: ${{v.help}} (${{v.nodes.map((n) => n.target.join(' ')).join(', ')}})`)))
               .catch((e) => done([`axe-core failed: ${{e}}`]));"
        );
        let found = self.client.execute_async(&script, vec![]).await?;
        Ok(serde_json::from_value(found)?)
    }
}
