# The two commands: `make run` (the product with a demo council) and `make test` (every test).
# Both install what is missing first; see scripts/setup.sh.

UI_SOURCES := $(shell find ui/src -type f) ui/index.html ui/package.json ui/package-lock.json ui/vite.config.ts

.PHONY: run test fuzz bench bench-pdf bench-search bench-reader bench-memory bench-reanchor bench-annotations bench-meeting bench-vote bench-chat lint ui-check bindings

run:
	@scripts/setup.sh run
	@$(MAKE) --no-print-directory ui/dist/index.html
	cargo build -p council-server -p ecabinet
	@scripts/run-demo.sh

test:
	@scripts/setup.sh test
	@# ui/dist first: the app crate embeds it at compile time, clippy included.
	@$(MAKE) --no-print-directory ui-check ui/dist/index.html lint
	cargo build -p council-server -p ecabinet
	cargo test --workspace
	@# schemathesis over the whole API, as each role, with a bounded budget (about a minute).
	scripts/fuzz-api.sh quick

# The same fuzzer, deeper: many more cases per operation and role, and the stateful phase.
fuzz:
	@scripts/setup.sh test
	cargo build -p council-server
	scripts/fuzz-api.sh deep

# Benchmarks print figures; they assert nothing (tests do that).
bench:
	@scripts/setup.sh bench
	cargo build --release -p council-server -p ecabinet-stories
	target/release/sync-bench
	target/release/packet-bench
	@$(MAKE) --no-print-directory bench-pdf
	@$(MAKE) --no-print-directory bench-search
	@$(MAKE) --no-print-directory bench-reader
	@$(MAKE) --no-print-directory bench-memory
	@$(MAKE) --no-print-directory bench-reanchor
	@$(MAKE) --no-print-directory bench-annotations
	@$(MAKE) --no-print-directory bench-meeting
	@$(MAKE) --no-print-directory bench-vote
	@$(MAKE) --no-print-directory bench-chat

# The PDF engine's render and text figures beside pdftoppm and mutool (crates/pdf/benches/render.rs).
bench-pdf:
	@scripts/setup.sh bench
	cargo bench -p ecabinet-pdf --bench render -- $(CURDIR)/../shared/fixtures/packet

# Search latency over a million page rows (cached in target/bench-search/) and indexing
# throughput of the fixture packet (crates/search/benches/search.rs).
bench-search:
	@scripts/setup.sh bench
	cargo bench -p ecabinet-search --bench search -- $(CURDIR)/../shared/fixtures/packet

# Page turns in the real app (release build under Xvfb), key press to the new page painted
# (tests/src/bin/reader_bench.rs).
bench-reader:
	@scripts/setup.sh test
	@$(MAKE) --no-print-directory ui/dist/index.html
	cargo build --release -p council-server -p ecabinet -p ecabinet-stories
	target/release/reader-bench

# What the app's processes hold (PSS) after a delegate signs in, release build under Xvfb
# (tests/src/bin/startup_memory.rs).
bench-memory:
	@scripts/setup.sh test
	@$(MAKE) --no-print-directory ui/dist/index.html
	cargo build --release -p council-server -p ecabinet -p ecabinet-stories
	target/release/startup-memory

# Annotations (issue 14): 10,000 of a member's reaching their second device, and new ones a
# following device, beside the same pulls without them (tests/src/bin/annotation_sync_bench.rs);
# a page with 500 marks in the real app: its layer, turns, zoom, pans and a new stroke, beside
# the same without marks and the engine's floor (tests/src/bin/annotation_layer_bench.rs).
bench-annotations:
	@scripts/setup.sh test
	@$(MAKE) --no-print-directory ui/dist/index.html
	cargo build --release -p council-server -p ecabinet -p ecabinet-stories
	target/release/annotation-sync-bench
	target/release/annotation-layer-bench

# Re-anchoring 1,000 annotations onto an amended 100-page version (crates/domain/benches/reanchor.rs).
bench-reanchor:
	cargo bench -p ecabinet-domain --bench reanchor

# The live sitting under load: 2,000 delegates' WebSockets follow the chair's page turns
# (check-in and page-follow p99, missed turns, the server's RSS), beside Mosquitto fanning
# out the same turns to 2,000 MQTT subscribers; meeting-load starts the release server
# itself on a temp data dir with --demo --demo-delegates 2000 (tests/src/bin/meeting_load.rs).
RELEASE_DIR := $(or $(CARGO_TARGET_DIR),target)/release
bench-meeting:
	@scripts/setup.sh bench
	cargo build --release -p council-server -p ecabinet-stories
	$(RELEASE_DIR)/meeting-load --delegates 2000 --mosquitto --json $(RELEASE_DIR)/bench-meeting.json

# Polls under load: 2,000 delegates on live WebSockets vote in 10 polls one after another,
# 10% of them sending their ballot twice and 5% losing their connection first; every
# ballot must count exactly once (poll-open and ballot-ack p99, result after close, the
# server's RSS), beside Mosquitto fanning one message out to 2,000 subscribers
# (tests/src/bin/vote_load.rs).
bench-vote:
	@scripts/setup.sh bench
	cargo build --release -p council-server -p ecabinet-stories
	$(RELEASE_DIR)/vote-load --delegates 2000 --duplicates 0.1 --disconnects 0.05 --secret --runs 10 --mosquitto --json $(RELEASE_DIR)/bench-vote.json

# Chat under load: 500 members of one group on live WebSockets, 50 messages a second for
# 60 s; every member must hear every message once and in order (delivery p50/p99 from the
# sender's PUT, the server's RSS and CPU), beside Mosquitto fanning the same messages out
# to 500 subscribers (tests/src/bin/chat_load.rs).
bench-chat:
	@scripts/setup.sh bench
	cargo build --release -p council-server -p ecabinet-stories
	$(RELEASE_DIR)/chat-load --members 500 --rate 50 --seconds 60 --mosquitto --json $(RELEASE_DIR)/bench-chat.json

lint:
	cargo fmt --all --check
	cargo clippy --workspace --all-targets --quiet -- -D warnings

ui-check:
	npm --prefix ui run --silent check
	npm --prefix ui run --silent test

# The app embeds ui/dist at compile time, so build it before the app.
ui/dist/index.html: $(UI_SOURCES)
	npm --prefix ui run --silent build

# Regenerates ui/src/lib/ipc/types.ts from the Rust IPC types.
bindings:
	UPDATE_BINDINGS=1 cargo test -p ecabinet-app --lib bindings
