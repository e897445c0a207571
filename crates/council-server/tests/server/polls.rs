//! Polls in the demo session: the secretary drafts, the chair opens it on the delegates
//! checked in, each entitled voter's ballot counts once (a retry is answered with its
//! receipt, a change replaces it), the chair closes and publishes, and the public log
//! checks out with `verify-poll` while a tampered copy does not. A secret poll leaves
//! nothing in the database that ties a ballot to its voter, and a restarted server keeps
//! every ballot and takes more.

use super::sittings::{Chamber, chamber};
use super::*;
use ecabinet_domain::poll::log::PollLogLine;
use ecabinet_domain::poll::{
    ABSTAIN, Ballot, BallotKey, MajorityRule, NO, PollId, PollKind, PollSettings, PollState,
    PollStep, YES,
};
use ecabinet_domain::sitting::SittingAction;
use ecabinet_protocol::{BallotReceipt, PollDraft, PollStatus, PollStepRequest, PollsSnapshot};
use uuid::Uuid;

on_every_backend!(
    a_secret_poll_counts_each_entitled_voter_once_and_its_log_verifies,
    a_secret_poll_leaves_nothing_that_ties_a_ballot_to_its_voter,
    a_restarted_server_keeps_the_ballots_and_voting_goes_on,
    a_countdown_that_ran_out_while_the_server_was_down_closes_the_poll_when_it_starts,
);

fn settings(secret: bool) -> PollSettings {
    PollSettings {
        title: "Dự thảo nghị quyết về dự toán ngân sách năm 2027".into(),
        kind: PollKind::YesNoAbstain,
        secret,
        rule: MajorityRule::HalfOfMembers,
        may_change: true,
        countdown_secs: None,
    }
}

/// Tokens of the chair and the secretary, with delegates 01–03 and the chair checked in
/// and the sitting open.
async fn sitting_open(chamber: &Chamber) -> (String, String) {
    let chair = chamber.council.login("chair").await.token;
    let secretary = chamber.council.login("secretary").await.token;
    for name in ["delegate01", "delegate02", "delegate03", "chair"] {
        let token = chamber.council.login(name).await.token;
        chamber
            .act(&token, SittingAction::CheckIn { remote: false })
            .await;
    }
    chamber.act(&chair, SittingAction::Open).await;
    (chair, secretary)
}

async fn draft(chamber: &Chamber, token: &str, secret: bool) -> (StatusCode, Value, PollId) {
    let id = PollId(Uuid::new_v4());
    let draft = PollDraft {
        item_id: chamber.first_item(),
        settings: settings(secret),
    };
    let path = format!("/api/v1/meetings/{}/polls/{id}", chamber.meeting);
    let (status, body) = chamber
        .council
        .json(
            "PUT",
            &path,
            Some(token),
            serde_json::to_value(draft).unwrap(),
        )
        .await;
    (status, body, id)
}

async fn step(chamber: &Chamber, token: &str, id: PollId, step: PollStep) -> (StatusCode, Value) {
    chamber
        .council
        .json(
            "POST",
            &format!("/api/v1/polls/{id}/steps"),
            Some(token),
            serde_json::to_value(PollStepRequest { step }).unwrap(),
        )
        .await
}

async fn vote(chamber: &Chamber, token: &str, id: PollId, ballot: &Ballot) -> (StatusCode, Value) {
    chamber
        .council
        .json(
            "POST",
            &format!("/api/v1/polls/{id}/ballots"),
            Some(token),
            serde_json::to_value(ballot).unwrap(),
        )
        .await
}

fn ballot(key: u8, version: u32, choice: &[u32]) -> Ballot {
    Ballot {
        key: BallotKey([key; 32]),
        version,
        choice: choice.to_vec(),
    }
}

async fn recorded(chamber: &Chamber, token: &str, id: PollId, ballot: &Ballot) -> BallotReceipt {
    let (status, body) = vote(chamber, token, id, ballot).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    serde_json::from_value(body).unwrap()
}

async fn polls(chamber: &Chamber, token: &str) -> PollsSnapshot {
    let path = format!("/api/v1/meetings/{}/polls", chamber.meeting);
    let (status, body) = chamber.council.call("GET", &path, Some(token), None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    serde_json::from_value(body).unwrap()
}

async fn log_text(chamber: &Chamber, token: &str, id: PollId) -> String {
    let request = Request::get(format!("/api/v1/polls/{id}/log"))
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap();
    let response = chamber.council.app.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()[header::CONTENT_TYPE],
        "application/x-ndjson"
    );
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// `council-server verify-poll` on `text`: its exit code and what it printed.
fn verify_poll(text: &str) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("poll.jsonl");
    std::fs::write(&file, text).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_council-server"))
        .arg("verify-poll")
        .arg(&file)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

async fn a_secret_poll_counts_each_entitled_voter_once_and_its_log_verifies(backend: Backend) {
    let chamber = chamber(backend).await;
    let (chair, secretary) = sitting_open(&chamber).await;
    let delegate = |name: &'static str| chamber.council.login(name);
    let (d1, d2, d3, d4) = (
        delegate("delegate01").await.token,
        delegate("delegate02").await.token,
        delegate("delegate03").await.token,
        delegate("delegate04").await.token,
    );
    let (status, body, _) = draft(&chamber, &d1, true).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::FORBIDDEN, ErrorCode::Forbidden),
        "a delegate drafts no poll"
    );
    let (status, body, id) = draft(&chamber, &secretary, true).await;
    assert_eq!(status, StatusCode::OK, "the secretary drafts: {body}");
    let (status, body) = vote(&chamber, &d1, id, &ballot(1, 1, &[YES])).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::FORBIDDEN, ErrorCode::NotEntitled),
        "nobody votes in a draft"
    );
    let (status, body) = step(&chamber, &secretary, id, PollStep::Open).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::FORBIDDEN, ErrorCode::Forbidden),
        "only the chair opens"
    );

    let (status, body) = step(&chamber, &chair, id, PollStep::Open).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let opened: PollStatus = serde_json::from_value(body).unwrap();
    assert_eq!(opened.poll.state, PollState::Open);
    assert_eq!(
        opened.entitled, 4,
        "the three delegates and the chair checked in"
    );
    assert!(
        opened.poll.entitled.is_empty(),
        "the roll stays on the server"
    );

    let (status, body) = vote(&chamber, &d4, id, &ballot(4, 1, &[YES])).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::FORBIDDEN, ErrorCode::NotEntitled),
        "delegate04 was not checked in at opening"
    );
    let guest = delegate("guest").await.token;
    let (status, body) = vote(&chamber, &guest, id, &ballot(5, 1, &[YES])).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::FORBIDDEN, ErrorCode::NotEntitled),
        "a guest does not vote"
    );

    let first = recorded(&chamber, &d1, id, &ballot(1, 1, &[YES])).await;
    let retried = recorded(&chamber, &d1, id, &ballot(1, 1, &[YES])).await;
    assert_eq!(
        retried, first,
        "a retry is answered with the same receipt and line"
    );
    let (status, body) = vote(&chamber, &d1, id, &ballot(9, 1, &[NO])).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, ErrorCode::AlreadyVoted),
        "a second key is no second vote"
    );
    recorded(&chamber, &d2, id, &ballot(2, 1, &[NO])).await;
    let changed = recorded(&chamber, &d2, id, &ballot(2, 2, &[YES])).await;
    assert_eq!(changed.version, 2, "delegate02 changes their vote");
    let (status, body) = vote(&chamber, &d3, id, &ballot(3, 1, &[7])).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::BAD_REQUEST, ErrorCode::BadRequest),
        "no such option"
    );
    let (status, body) = vote(&chamber, &d3, id, &ballot(3, 1, &[YES, NO])).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::BAD_REQUEST, ErrorCode::BadRequest),
        "one choice only"
    );
    recorded(&chamber, &d3, id, &ballot(3, 1, &[ABSTAIN])).await;

    let seen = polls(&chamber, &d1).await;
    let status = &seen.polls[0];
    assert_eq!(
        (status.voted, status.has_voted, status.may_vote),
        (3, Some(true), true),
        "a device that reconnects sees its vote counted"
    );
    assert_eq!(status.not_voted, None, "a secret poll lists no one");

    let (status, body) = step(&chamber, &secretary, id, PollStep::Close).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::FORBIDDEN, ErrorCode::Forbidden)
    );
    let (status, body) = step(&chamber, &chair, id, PollStep::Close).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let closed: PollStatus = serde_json::from_value(body).unwrap();
    let result = closed.poll.result.expect("a closed poll has its count");
    assert_eq!(
        result.counts,
        vec![2, 0, 1],
        "delegate02's change counts as yes, once"
    );
    assert_eq!(
        (result.ballots, result.not_voted),
        (3, 1),
        "the chair did not vote"
    );
    assert_eq!(
        result.passed,
        2 > result.members / 2,
        "more than half of all members decides"
    );
    let (status, body) = vote(&chamber, &d4, id, &ballot(4, 1, &[YES])).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let chair_member = chamber.council.login("chair").await.token;
    let (status, body) = vote(&chamber, &chair_member, id, &ballot(6, 1, &[YES])).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, ErrorCode::PollClosed),
        "no ballot after closing"
    );
    let (status, body) = step(&chamber, &chair, id, PollStep::Publish).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = step(&chamber, &chair, id, PollStep::Cancel).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, ErrorCode::Conflict),
        "a published result stands"
    );

    let log = log_text(&chamber, &d1, id).await;
    let lines: Vec<PollLogLine> = log
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let mine = &lines[first.seq as usize - 1];
    assert_eq!(
        (mine.seq, mine.hash),
        (first.seq, first.line_hash),
        "delegate01 finds their receipt's line unchanged"
    );
    assert!(
        !log.contains(
            &chamber
                .council
                .login("delegate01")
                .await
                .member
                .id
                .to_string()
        ),
        "a secret poll's log names no voter"
    );
    let (exit, report) = verify_poll(&log);
    assert_eq!(exit, 0, "the log holds:\n{report}");
    assert!(
        report.contains("for: 2") && report.contains("abstain: 1"),
        "{report}"
    );
    let tampered = log.replacen("\"choice\":[2]", "\"choice\":[1]", 1);
    assert_ne!(tampered, log);
    let (exit, report) = verify_poll(&tampered);
    assert_eq!(exit, 1, "a tampered log fails:\n{report}");
    let abstain_line = lines
        .iter()
        .position(|l| {
            serde_json::to_string(&l.entry)
                .unwrap()
                .contains("\"choice\":[2]")
        })
        .unwrap()
        + 1;
    assert!(
        report.contains(&format!("line {abstain_line}: was altered")),
        "the altered line is named:\n{report}"
    );
}

/// Every row of the database as text, table by table, in each table's own order.
async fn database_dump(
    chamber: &Chamber,
    backend: Backend,
    poll: PollId,
) -> (Vec<String>, Vec<String>) {
    let (ballots, voted): (Vec<String>, Vec<String>) = match backend {
        Backend::Sqlite => {
            let url = format!(
                "sqlite://{}",
                chamber.council._dir.path().join("council.db").display()
            );
            let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
            let ballots = sqlx::query_as::<_, (String, String, Option<String>, i64)>(
                "SELECT receipt, choice, voter_id, replaced FROM poll_ballots WHERE poll_id = ?",
            )
            .bind(poll.to_string())
            .fetch_all(&pool)
            .await
            .unwrap()
            .into_iter()
            .map(|row| format!("{row:?}"))
            .collect();
            let voted = sqlx::query_scalar("SELECT voted FROM polls WHERE id = ?")
                .bind(poll.to_string())
                .fetch_all(&pool)
                .await
                .unwrap();
            (ballots, voted)
        }
        Backend::Postgres => {
            let url = chamber.council._database.as_ref().unwrap().url().to_owned();
            let pool = sqlx::PgPool::connect(&url).await.unwrap();
            let ballots = sqlx::query_as::<_, (String, String, Option<Uuid>, bool)>(
                "SELECT receipt, choice::text, voter_id, replaced FROM poll_ballots
                 WHERE poll_id = $1 ORDER BY ctid",
            )
            .bind(poll.as_uuid())
            .fetch_all(&pool)
            .await
            .unwrap()
            .into_iter()
            .map(|row| format!("{row:?}"))
            .collect();
            let voted = sqlx::query_scalar("SELECT voted FROM polls WHERE id = $1")
                .bind(poll.as_uuid())
                .fetch_all(&pool)
                .await
                .unwrap();
            (ballots, voted)
        }
    };
    (ballots, voted)
}

async fn a_secret_poll_leaves_nothing_that_ties_a_ballot_to_its_voter(backend: Backend) {
    let chamber = chamber(backend).await;
    let (chair, secretary) = sitting_open(&chamber).await;
    let mut voters = Vec::new();
    for name in ["delegate01", "delegate02", "delegate03", "chair"] {
        voters.push(chamber.council.login(name).await);
    }
    // Two secret polls, the same voters voting the same way, in opposite orders.
    let mut polls = Vec::new();
    for order in [[0, 1, 2, 3], [3, 2, 1, 0]] {
        let (_, _, id) = draft(&chamber, &secretary, true).await;
        let (status, body) = step(&chamber, &chair, id, PollStep::Open).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        for (n, &who) in order.iter().enumerate() {
            let choice = [YES, NO, ABSTAIN, YES][who];
            recorded(
                &chamber,
                &voters[who].token,
                id,
                &ballot(n as u8 + 10 * polls.len() as u8, 1, &[choice]),
            )
            .await;
        }
        polls.push(id);
    }
    let ids: Vec<String> = voters.iter().map(|v| v.member.id.to_string()).collect();
    let mut voted_sets = Vec::new();
    for &poll in &polls {
        let (ballots, voted) = database_dump(&chamber, backend, poll).await;
        assert_eq!(ballots.len(), 4);
        for row in &ballots {
            assert!(row.contains("None"), "a secret ballot has no voter: {row}");
            assert!(
                !ids.iter().any(|id| row.contains(id.as_str())),
                "nor any voter's id: {row}"
            );
        }
        let log = chamber.storage.poll_log(poll).await.unwrap();
        let text = serde_json::to_string(&log).unwrap();
        assert!(
            !ids.iter().any(|id| text.contains(id.as_str())),
            "the secret poll's log names no voter"
        );
        voted_sets.push(voted);
    }
    assert_eq!(
        voted_sets[0], voted_sets[1],
        "who has voted is stored the same whatever order they voted in: it carries no order to match the ballots' against"
    );
    // The ballots' columns are all there is: no time, no sequence, no session.
    let columns = match backend {
        Backend::Sqlite => {
            let url = format!(
                "sqlite://{}",
                chamber.council._dir.path().join("council.db").display()
            );
            let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
            sqlx::query_scalar::<_, String>(
                "SELECT name FROM pragma_table_info('poll_ballots') ORDER BY cid",
            )
            .fetch_all(&pool)
            .await
            .unwrap()
        }
        Backend::Postgres => {
            let url = chamber.council._database.as_ref().unwrap().url().to_owned();
            let pool = sqlx::PgPool::connect(&url).await.unwrap();
            sqlx::query_scalar::<_, String>(
                "SELECT column_name::text FROM information_schema.columns
                 WHERE table_name = 'poll_ballots' AND table_schema = current_schema()
                 ORDER BY ordinal_position",
            )
            .fetch_all(&pool)
            .await
            .unwrap()
        }
    };
    assert_eq!(
        columns,
        ["poll_id", "receipt", "choice", "voter_id", "replaced"]
    );
    if let Backend::Sqlite = backend {
        let (ballots, _) = database_dump(&chamber, backend, polls[0]).await;
        let mut sorted = ballots.clone();
        sorted.sort();
        assert_eq!(
            ballots, sorted,
            "SQLite keeps ballots in receipt order (WITHOUT ROWID), not in the order they came"
        );
    }
}

async fn a_restarted_server_keeps_the_ballots_and_voting_goes_on(backend: Backend) {
    let mut chamber = chamber(backend).await;
    let (chair, secretary) = sitting_open(&chamber).await;
    let (_, _, id) = draft(&chamber, &secretary, false).await;
    step(&chamber, &chair, id, PollStep::Open).await;
    let d1 = chamber.council.login("delegate01").await.token;
    let d2 = chamber.council.login("delegate02").await.token;
    let first = recorded(&chamber, &d1, id, &ballot(1, 1, &[YES])).await;

    chamber.restart();
    assert_eq!(
        recorded(&chamber, &d1, id, &ballot(1, 1, &[YES])).await,
        first,
        "after the restart a retry still finds its ballot"
    );
    let (status, body) = vote(&chamber, &d1, id, &ballot(8, 1, &[NO])).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, ErrorCode::AlreadyVoted),
        "and the voter's bit"
    );
    recorded(&chamber, &d2, id, &ballot(2, 1, &[NO])).await;
    let seen = polls(&chamber, &d2).await;
    assert_eq!(seen.polls[0].voted, 2);
    assert_eq!(
        seen.polls[0].not_voted.as_ref().map(Vec::len),
        Some(2),
        "a named poll says who has not voted"
    );
    let (status, body) = step(&chamber, &chair, id, PollStep::Close).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let closed: PollStatus = serde_json::from_value(body).unwrap();
    let result = closed.poll.result.unwrap();
    assert_eq!(result.counts, vec![1, 1, 0]);
    assert_eq!(
        result.roll.map(|r| r.len()),
        Some(2),
        "a named poll's result says who voted what"
    );
    let (exit, report) = verify_poll(&log_text(&chamber, &d1, id).await);
    assert_eq!(exit, 0, "{report}");
}

async fn a_countdown_that_ran_out_while_the_server_was_down_closes_the_poll_when_it_starts(
    backend: Backend,
) {
    let mut chamber = chamber(backend).await;
    let (chair, _) = sitting_open(&chamber).await;
    let id = PollId(Uuid::new_v4());
    let mut with_countdown = settings(true);
    with_countdown.countdown_secs = Some(10);
    let draft = PollDraft {
        item_id: chamber.first_item(),
        settings: with_countdown,
    };
    let path = format!("/api/v1/meetings/{}/polls/{id}", chamber.meeting);
    let (status, body) = chamber
        .council
        .json(
            "PUT",
            &path,
            Some(&chair),
            serde_json::to_value(draft).unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    step(&chamber, &chair, id, PollStep::Open).await;
    let d1 = chamber.council.login("delegate01").await.token;
    recorded(&chamber, &d1, id, &ballot(1, 1, &[YES])).await;

    // The server goes down; its countdown runs out meanwhile.
    chamber.council.clock.advance_ms(11_000);
    chamber.restart();
    let resumed = chamber
        .state
        .polls
        .resume_countdowns(
            &chamber.storage,
            &chamber.state.live,
            NOW.plus_millis(11_000),
        )
        .await
        .unwrap();
    assert_eq!(resumed, 1, "the open poll's countdown is taken up again");
    let mut state = PollState::Open;
    for _ in 0..100 {
        state = polls(&chamber, &d1).await.polls[0].poll.state;
        if state == PollState::Closed {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(
        state,
        PollState::Closed,
        "a countdown that ran out closes the poll at once"
    );
    let closed = polls(&chamber, &d1).await.polls.remove(0);
    assert_eq!(
        closed.poll.closed_at, closed.poll.closes_at,
        "closed as of its countdown, not of the restart"
    );
    assert_eq!(closed.poll.result.unwrap().counts, vec![1, 0, 0]);
    let (exit, report) = verify_poll(&log_text(&chamber, &d1, id).await);
    assert_eq!(exit, 0, "{report}");
}
