//! The role matrix: every route of the served OpenAPI document, called by every kind of
//! caller, must answer as the table beside this file (`role_matrix.txt`) says.
//!
//! A route the document lists and the table does not fails the test, and so does a table
//! row for a route that no longer exists: a new endpoint cannot ship unclassified, and the
//! table cannot keep promises about endpoints that are gone.
//!
//! Path parameters are real ids of the demo council (its upcoming meeting, an item of its
//! programme, a published paper and that paper's file), so a refusal means the caller was
//! refused, not that the id was wrong. Routes that take a body get a minimal valid one
//! (`payload`), because role checks run after the body is parsed: with a broken body a
//! delegate would get 400 where the rule says 403, and the matrix would read "allowed".

use super::*;
use ecabinet_domain::Role;
use ecabinet_domain::annotation::{Anchor, TextAnchor, TextPosition, TextQuote};
use ecabinet_domain::poll::{
    Ballot, BallotKey, MajorityRule, PollId, PollKind, PollSettings, PollStep,
};
use ecabinet_domain::sitting::SittingAction;
use ecabinet_domain::{
    AgendaItem, AnnotationId, AnnotationKind, MadeOn, Meeting, MemberId, OpinionId, PacketVersion,
    Paper, PaperId, Sharing, Visibility,
};
use ecabinet_protocol::{
    AccountPatch, AnnotationWrite, LoginRequest, MeetingPatch, NewAccountRequest, NewAgendaItem,
    NewMeeting, NewPaper, OpinionWrite, PaperPatch, ParticipantEntry, PasswordChange,
    PasswordReset, PublishRequest, ReturnPaper, SittingRequest,
};
use ecabinet_protocol::{
    ChatEdit, ChatMarksUpdate, ChatPost, GroupMembersChange, NewGroup, PollDraft, PollStepRequest,
};

/// delegate01's question to the secretariat.
const ASKED: &str = "Bảng dự toán ngân sách ở tài liệu nào?";
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;
use uuid::Uuid;

on_every_backend!(every_route_answers_every_caller_as_the_role_matrix_says);

const TABLE: &str = include_str!("role_matrix.txt");

/// How a caller gets the token it sends.
enum Who {
    /// No `Authorization` header at all.
    Anonymous,
    /// Logs in with the demo password under this user name.
    Member(&'static str),
    /// Logs in under this user name, then the administrator disables the account: the
    /// token it holds must open nothing any more.
    Disabled(&'static str),
}

/// Every caller, by the name of its column in `role_matrix.txt`.
const CALLERS: &[(&str, Who)] = &[
    ("anonymous", Who::Anonymous),
    ("guest", Who::Member("guest")),
    ("delegate", Who::Member("delegate01")),
    ("chair", Who::Member("chair")),
    ("secretary", Who::Member("secretary")),
    ("administrator", Who::Member("admin")),
    // Another council's officers on this server: its secretary passes every "prepares
    // meetings" check and its chair every "approves papers" check, so what stops them at
    // the demo council's ids is that the ids belong to another council.
    ("other-council-secretary", Who::Member("khac.secretary")),
    ("other-council-chair", Who::Member("khac.chair")),
    // A delegate whose account was disabled after logging in.
    ("disabled", Who::Disabled("delegate10")),
];

/// What one cell of the table expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cell {
    /// Anything but 401, 403 and 404: the caller got past authentication, their role and
    /// their council (a 2xx, or a 4xx/409/422 about the request or the paper's state).
    Allowed,
    /// 401: no token, or one that is no longer valid.
    Unauthenticated,
    /// 403: the caller's role may not do this.
    Forbidden,
    /// 404: the thing named belongs to another council, or the caller may not know it exists.
    NotFound,
}

impl Cell {
    fn parse(text: &str) -> Option<Cell> {
        Some(match text {
            "allowed" => Cell::Allowed,
            "401" => Cell::Unauthenticated,
            "403" => Cell::Forbidden,
            "404" => Cell::NotFound,
            _ => return None,
        })
    }

    fn of(status: StatusCode) -> Cell {
        match status {
            StatusCode::UNAUTHORIZED => Cell::Unauthenticated,
            StatusCode::FORBIDDEN => Cell::Forbidden,
            StatusCode::NOT_FOUND => Cell::NotFound,
            _ => Cell::Allowed,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Cell::Allowed => "allowed",
            Cell::Unauthenticated => "401",
            Cell::Forbidden => "403",
            Cell::NotFound => "404",
        }
    }
}

/// A route as the table and the document name it: `("PATCH", "/api/v1/papers/{paper_id}")`.
type Route = (String, String);

/// The table: its caller columns in order, and one row of cells per route.
struct Table {
    columns: Vec<String>,
    rows: BTreeMap<Route, Vec<Cell>>,
}

fn table() -> Table {
    let mut lines = TABLE
        .lines()
        .enumerate()
        .map(|(i, line)| (i + 1, line.trim()))
        .filter(|(_, line)| !line.is_empty() && !line.starts_with('#'));
    let (_, header) = lines
        .next()
        .expect("role_matrix.txt starts with its header row");
    let header: Vec<&str> = header.split_whitespace().collect();
    assert_eq!(
        header[..2],
        ["method", "path"],
        "the header row names the method and path columns first"
    );
    let columns: Vec<String> = header[2..].iter().map(|c| c.to_string()).collect();
    let mut rows = BTreeMap::new();
    for (number, line) in lines {
        let words: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(
            words.len(),
            columns.len() + 2,
            "role_matrix.txt:{number}: a method, a path and one cell per caller ({})",
            columns.join(" ")
        );
        let cells = words[2..]
            .iter()
            .map(|w| {
                Cell::parse(w).unwrap_or_else(|| {
                    panic!("role_matrix.txt:{number}: {w:?} is not allowed, 401, 403 or 404")
                })
            })
            .collect();
        let route = (words[0].to_owned(), words[1].to_owned());
        assert!(
            rows.insert(route.clone(), cells).is_none(),
            "role_matrix.txt:{number}: {} {} is listed twice",
            route.0,
            route.1
        );
    }
    Table { columns, rows }
}

/// Every (method, path) the served document lists, with whether it declares a body.
fn documented_routes(doc: &Value) -> Vec<(Route, bool)> {
    let mut routes = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("the document has paths") {
        for (method, operation) in item.as_object().unwrap() {
            if [
                "get", "put", "post", "delete", "patch", "head", "options", "trace",
            ]
            .contains(&method.as_str())
            {
                let has_body = operation.get("requestBody").is_some();
                routes.push(((method.to_uppercase(), path.clone()), has_body));
            }
        }
    }
    // Logging out revokes the caller's token, so it comes after everything else they call.
    routes.sort_by_key(|((method, path), _)| {
        (path.ends_with("/auth/logout"), path.clone(), method.clone())
    });
    routes
}

/// The demo council's real ids and the bodies built from them.
struct DemoIds {
    meeting: Meeting,
    item: AgendaItem,
    paper: Paper,
    version: PacketVersion,
    /// A member no caller logs in as, for routes about one account.
    bystander: MemberId,
    /// The bytes of `paper`'s file, for the upload route.
    pdf: Vec<u8>,
    /// delegate01's private highlight on `paper`: its author's alone.
    annotation: AnnotationId,
    /// delegate01's opinion on `item`: read by its author, the secretariat and the chair.
    opinion: OpinionId,
    /// The secretary's draft poll on `item`: nobody is entitled to vote in a draft.
    poll: PollId,
    /// delegate01's conversation with the secretariat, and their first message in it.
    conversation: ecabinet_domain::ConversationId,
    message: ecabinet_domain::MessageId,
}

impl DemoIds {
    /// `path` with each `{parameter}` replaced by a real id, or the parameter no id is known for.
    fn fill(&self, path: &str) -> Result<String, String> {
        let mut filled = String::new();
        let mut rest = path;
        while let Some(open) = rest.find('{') {
            let close = rest[open..].find('}').expect("a closed parameter") + open;
            filled.push_str(&rest[..open]);
            let id = match &rest[open + 1..close] {
                "meeting_id" => self.meeting.id.to_string(),
                "item_id" => self.item.id.to_string(),
                "paper_id" => self.paper.id.to_string(),
                "hash" => self.paper.file.hash.to_string(),
                "member_id" | "account_id" => self.bystander.to_string(),
                "annotation_id" => self.annotation.to_string(),
                "opinion_id" => self.opinion.to_string(),
                "poll_id" => self.poll.to_string(),
                "conversation_id" => self.conversation.to_string(),
                "message_id" => self.message.to_string(),
                other => return Err(other.to_owned()),
            };
            filled.push_str(&id);
            rest = &rest[close + 1..];
        }
        filled.push_str(rest);
        Ok(filled)
    }
}

/// What a call sends besides its token.
enum Payload {
    Json(Value),
    Csv(String),
    Pdf(Vec<u8>),
    /// The headers of a WebSocket handshake (the in-process router cannot complete one).
    Upgrade,
}

/// A minimal valid request for `route`, so an allowed call can really succeed; `None` for
/// a route that takes nothing. A route the document gives a body and this leaves out fails
/// the test: add an arm here when adding such a route.
fn payload(route: &Route, ids: &DemoIds) -> Option<Payload> {
    let json = |v: serde_json::Result<Value>| Some(Payload::Json(v.unwrap()));
    match (route.0.as_str(), route.1.as_str()) {
        ("POST", "/api/v1/auth/login") => json(serde_json::to_value(LoginRequest {
            username: "delegate11".into(),
            password: PASSWORD.into(),
        })),
        ("GET", "/api/v1/live") => Some(Payload::Upgrade),
        ("POST", "/api/v1/meetings") => json(serde_json::to_value(NewMeeting {
            title: "Kỳ họp chuyên đề về đầu tư công".into(),
            starts_at: NOW.plus_millis(7 * 24 * 3600 * 1000),
            location: "Hội trường tầng 3".into(),
        })),
        ("PATCH", "/api/v1/meetings/{meeting_id}") => json(serde_json::to_value(MeetingPatch {
            location: Some(ids.meeting.location.clone()),
            ..Default::default()
        })),
        ("POST", "/api/v1/meetings/{meeting_id}/agenda-items") => {
            json(serde_json::to_value(NewAgendaItem {
                parent_id: None,
                position: 990,
                title: "Các vấn đề khác".into(),
                presenter: None,
                planned_minutes: Some(10),
                paper_titles: Vec::new(),
            }))
        }
        ("PATCH", "/api/v1/agenda-items/{item_id}") => {
            json(serde_json::to_value(AgendaItemPatch {
                title: Some(ids.item.title.clone()),
                ..Default::default()
            }))
        }
        ("PUT", "/api/v1/blobs/{hash}") => Some(Payload::Pdf(ids.pdf.clone())),
        ("PUT", "/api/v1/annotations/{annotation_id}") => {
            json(serde_json::to_value(highlight(&ids.paper, 1)))
        }
        ("PUT", "/api/v1/opinions/{opinion_id}") => json(serde_json::to_value(opinion(ids, 2))),
        // The same draft again changes nothing; publishing a draft is refused for its
        // state (409) to the chair, for their place (403) to anyone else; nobody is
        // entitled to vote in a draft.
        ("PUT", "/api/v1/meetings/{meeting_id}/polls/{poll_id}") => {
            json(serde_json::to_value(poll_draft(ids)))
        }
        ("POST", "/api/v1/polls/{poll_id}/steps") => json(serde_json::to_value(PollStepRequest {
            step: PollStep::Publish,
        })),
        ("POST", "/api/v1/polls/{poll_id}/ballots") => json(serde_json::to_value(Ballot {
            key: BallotKey([7; 32]),
            version: 1,
            choice: vec![0],
        })),
        // The author's retry is answered with the stored message; the secretary's post under
        // the author's id is a conflict.
        ("PUT", "/api/v1/chat/messages/{message_id}") => json(serde_json::to_value(ChatPost {
            conversation_id: ids.conversation,
            kind: None,
            body: ASKED.into(),
            reply_to: None,
            paper: None,
        })),
        ("PATCH", "/api/v1/chat/messages/{message_id}") => json(serde_json::to_value(ChatEdit {
            body: "Bảng dự toán ngân sách ở tài liệu nào ạ?".into(),
        })),
        // The id is taken: a conflict to those who read the conversation it names.
        ("PUT", "/api/v1/chat/groups/{conversation_id}") => json(serde_json::to_value(NewGroup {
            title: "Tổ đại biểu số 3".into(),
            members: vec![],
        })),
        // Not a group: nobody owns it.
        ("POST", "/api/v1/chat/conversations/{conversation_id}/members") => {
            json(serde_json::to_value(GroupMembersChange::default()))
        }
        ("POST", "/api/v1/chat/conversations/{conversation_id}/marks") => {
            json(serde_json::to_value(ChatMarksUpdate {
                read: Some(1),
                ..Default::default()
            }))
        }
        // Checking in is what every participant may do; the chair's and the secretariat's
        // acts are refused to the others by `sittings.rs`'s tests.
        ("POST", "/api/v1/meetings/{meeting_id}/sitting") => {
            json(serde_json::to_value(SittingRequest {
                action_id: Uuid::new_v4(),
                action: SittingAction::CheckIn { remote: false },
            }))
        }
        ("POST", "/api/v1/meetings/{meeting_id}/papers") => json(serde_json::to_value(NewPaper {
            id: PaperId(Uuid::new_v4()),
            place: ids.paper.place,
            position: 990,
            title: "Báo cáo bổ sung".into(),
            kind: ids.paper.kind,
            visibility: Visibility::AllParticipants,
            hash: ids.paper.file.hash.clone(),
            file_name: "bao-cao-bo-sung.pdf".into(),
            source: None,
        })),
        ("PATCH", "/api/v1/papers/{paper_id}") => json(serde_json::to_value(PaperPatch {
            title: Some(ids.paper.title.clone()),
            ..Default::default()
        })),
        ("POST", "/api/v1/papers/{paper_id}/return") => json(serde_json::to_value(ReturnPaper {
            reason: "Đề nghị bổ sung số liệu quyết toán năm trước".into(),
        })),
        ("PUT", "/api/v1/meetings/{meeting_id}/participants") => json(serde_json::to_value(
            ids.version
                .participants
                .iter()
                .map(|p| ParticipantEntry {
                    member_id: p.member_id,
                    meeting_role: p.meeting_role,
                    votes: p.votes,
                })
                .collect::<Vec<_>>(),
        )),
        ("POST", "/api/v1/meetings/{meeting_id}/packets") => {
            json(serde_json::to_value(PublishRequest {
                expected_number: ids.version.number + 1,
            }))
        }
        ("POST", "/api/v1/auth/password") => json(serde_json::to_value(PasswordChange {
            current_password: PASSWORD.into(),
            new_password: "Một mật khẩu đủ dài cho năm 2027".into(),
        })),
        ("POST", "/api/v1/admin/accounts") => json(serde_json::to_value(NewAccountRequest {
            display_name: "Lưu Thị Hạnh".into(),
            username: "hanh.lt".into(),
            role: Role::Delegate,
            unit: "Tổ đại biểu số 4".into(),
            password: None,
        })),
        ("PATCH", "/api/v1/admin/accounts/{member_id}") => {
            json(serde_json::to_value(AccountPatch {
                unit: Some("Tổ đại biểu số 3".into()),
                ..Default::default()
            }))
        }
        ("POST", "/api/v1/admin/accounts/{member_id}/password") => {
            json(serde_json::to_value(PasswordReset { password: None }))
        }
        ("POST", "/api/v1/admin/accounts/import") => Some(Payload::Csv(
            "họ và tên,tên đăng nhập,vai trò,đơn vị\nTrịnh Văn Bảo,bao.tv,đại biểu,Tổ số 1\n"
                .into(),
        )),
        _ => None,
    }
}

impl Council {
    async fn status_of(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        payload: Option<Payload>,
    ) -> StatusCode {
        let mut req = Request::builder().method(method).uri(path);
        if let Some(t) = token {
            req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        let body = match payload {
            None => Body::empty(),
            Some(Payload::Json(value)) => {
                req = req.header(header::CONTENT_TYPE, "application/json");
                Body::from(value.to_string())
            }
            Some(Payload::Csv(text)) => {
                req = req.header(header::CONTENT_TYPE, "text/csv; charset=utf-8");
                Body::from(text)
            }
            Some(Payload::Pdf(bytes)) => {
                req = req
                    .header(header::CONTENT_TYPE, "application/pdf")
                    .header(header::CONTENT_LENGTH, bytes.len());
                Body::from(bytes)
            }
            Some(Payload::Upgrade) => {
                req = req
                    .header(header::CONNECTION, "upgrade")
                    .header(header::UPGRADE, "websocket")
                    .header(header::SEC_WEBSOCKET_VERSION, "13")
                    .header(header::SEC_WEBSOCKET_KEY, "dGhlIHNhbXBsZSBub25jZQ==");
                Body::empty()
            }
        };
        let response = self
            .app
            .clone()
            .oneshot(req.body(body).unwrap())
            .await
            .unwrap();
        response.status()
    }
}

/// The demo council with its packet published, and a second council on the same server
/// whose user names start with `khac.` ("other").
async fn two_councils(backend: Backend) -> Council {
    let (storage, dir, database) = empty_storage(backend).await;
    let demo = demo::council_seed(NOW, PASSWORD, &mut rand::rng()).unwrap();
    let demo_id = demo.council.id;
    storage.seed_council(demo).await.unwrap();
    let mut other = demo::council_seed(NOW, PASSWORD, &mut rand::rng()).unwrap();
    other.council.name = "Hội đồng nhân dân xã Tân Lập".into();
    for account in &mut other.accounts {
        account.member.username = format!("khac.{}", account.member.username);
    }
    storage.seed_council(other).await.unwrap();
    let clock = Arc::new(ManualClock::at(NOW));
    let blobs = FsBlobStore::open(&dir.path().join("blobs")).unwrap();
    let state = ServerState::new(storage, clock.clone(), Arc::new(blobs), paper_check());
    council_server::demo_packet::publish(&state, demo_id)
        .await
        .unwrap();
    Council {
        app: router(state),
        clock,
        _dir: dir,
        _database: database,
    }
}

fn poll_draft(ids: &DemoIds) -> PollDraft {
    PollDraft {
        item_id: ids.item.id,
        settings: PollSettings {
            title: "Thông qua dự thảo nghị quyết".into(),
            kind: PollKind::YesNoAbstain,
            secret: true,
            rule: MajorityRule::HalfOfMembers,
            may_change: false,
            countdown_secs: None,
        },
    }
}

async fn demo_ids(council: &Council) -> DemoIds {
    let secretary = council.login("secretary").await.token;
    let records: Vec<SyncRecord> = council
        .changes(&secretary, 0)
        .await
        .changes
        .into_iter()
        .map(|c| c.record)
        .collect();
    let version = records
        .iter()
        .find_map(|r| match r {
            SyncRecord::PacketVersion(v) => Some(v.clone()),
            _ => None,
        })
        .expect("the demo publishes a packet for its upcoming session");
    let meeting = records
        .iter()
        .find_map(|r| match r {
            SyncRecord::Meeting(m) if m.id == version.meeting_id => Some(m.clone()),
            _ => None,
        })
        .unwrap();
    let item = records
        .iter()
        .find_map(|r| match r {
            SyncRecord::AgendaItem(i) if i.meeting_id == meeting.id => Some(i.clone()),
            _ => None,
        })
        .unwrap();
    let paper = records
        .iter()
        .find_map(|r| match r {
            SyncRecord::Paper(p)
                if p.meeting_id == meeting.id && p.visibility == Visibility::AllParticipants =>
            {
                Some(p.clone())
            }
            _ => None,
        })
        .expect("the demo session has a paper every participant reads");
    let bystander = records
        .iter()
        .find_map(|r| match r {
            SyncRecord::Member(m) if m.username == "delegate12" => Some(m.id),
            _ => None,
        })
        .unwrap();
    let (delegate_id, council_id) = records
        .iter()
        .find_map(|r| match r {
            SyncRecord::Member(m) if m.username == "delegate01" => Some((m.id, m.council_id)),
            _ => None,
        })
        .unwrap();
    let response = council
        .app
        .clone()
        .oneshot(
            Request::builder()
                .uri(format!("/api/v1/blobs/{}", paper.file.hash))
                .header(header::AUTHORIZATION, format!("Bearer {secretary}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "the secretary reads the paper's file"
    );
    let pdf = response
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    let annotation = AnnotationId(Uuid::new_v4());
    let delegate = council.login("delegate01").await.token;
    let (status, body) = council
        .json(
            "PUT",
            &format!("/api/v1/annotations/{annotation}"),
            Some(&delegate),
            serde_json::to_value(highlight(&paper, 0)).unwrap(),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "delegate01 highlights the paper: {body}"
    );
    let mut ids = DemoIds {
        meeting,
        item,
        paper,
        version,
        bystander,
        pdf,
        annotation,
        opinion: OpinionId(Uuid::new_v4()),
        poll: PollId(Uuid::new_v4()),
        conversation: ecabinet_domain::chat::ConversationKind::Secretariat {
            member: delegate_id,
        }
        .derived_id(council_id)
        .unwrap(),
        message: ecabinet_domain::MessageId(Uuid::new_v4()),
    };
    let (status, body) = council
        .json(
            "PUT",
            &format!("/api/v1/chat/messages/{}", ids.message),
            Some(&delegate),
            serde_json::to_value(ChatPost {
                conversation_id: ids.conversation,
                kind: Some(ecabinet_domain::chat::ConversationKind::Secretariat {
                    member: delegate_id,
                }),
                body: ASKED.into(),
                reply_to: None,
                paper: None,
            })
            .unwrap(),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "delegate01 asks the secretariat: {body}"
    );
    let (status, body) = council
        .json(
            "PUT",
            &format!("/api/v1/meetings/{}/polls/{}", ids.meeting.id, ids.poll),
            Some(&secretary),
            serde_json::to_value(poll_draft(&ids)).unwrap(),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "the secretary drafts a poll: {body}"
    );
    let (status, body) = council
        .json(
            "PUT",
            &format!("/api/v1/opinions/{}", ids.opinion),
            Some(&delegate),
            serde_json::to_value(opinion(&ids, 1)).unwrap(),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "delegate01 sends an opinion on the first item: {body}"
    );
    ids.opinion = serde_json::from_value::<ecabinet_domain::Opinion>(body)
        .unwrap()
        .id;
    ids
}

/// delegate01's opinion on the session's first item, as their device sends `version`.
fn opinion(ids: &DemoIds, version: u32) -> OpinionWrite {
    OpinionWrite {
        version,
        meeting_id: ids.meeting.id,
        item_id: ids.item.id,
        paper: None,
        body: "Tán thành với chương trình kỳ họp.".into(),
        withdrawn: false,
    }
}

/// A private highlight on the first words of `paper`, edited from `base_revision`.
fn highlight(paper: &Paper, base_revision: u32) -> AnnotationWrite {
    AnnotationWrite {
        base_revision,
        paper_id: paper.id,
        made_on: MadeOn {
            packet_version: Some(1),
            hash: paper.file.hash.clone(),
        },
        anchor: Anchor::Text(TextAnchor {
            quote: TextQuote {
                exact: "Ủy ban nhân dân".into(),
                prefix: String::new(),
                suffix: " thành phố".into(),
            },
            position: TextPosition { start: 0, end: 15 },
            page: 0,
        }),
        kind: AnnotationKind::Highlight,
        colour: "#ffd54f".into(),
        thickness: 1.0,
        body: "Xem lại trước phiên họp".into(),
        sharing: Sharing::Private,
    }
}

async fn every_route_answers_every_caller_as_the_role_matrix_says(backend: Backend) {
    let council = two_councils(backend).await;
    let table = table();
    let names: Vec<&str> = CALLERS.iter().map(|(name, _)| *name).collect();
    assert_eq!(
        table.columns, names,
        "role_matrix.txt has one column per caller, in the order of CALLERS"
    );
    let ids = demo_ids(&council).await;
    let mut tokens = Vec::new();
    let admin = council.login("admin").await.token;
    for (_, who) in CALLERS {
        tokens.push(match who {
            Who::Anonymous => None,
            Who::Member(username) => Some(council.login(username).await.token),
            Who::Disabled(username) => {
                let token = council.login(username).await.token;
                let member = records_member(&council, &admin, username).await;
                let (status, body) = council
                    .json(
                        "PATCH",
                        &format!("/api/v1/admin/accounts/{member}"),
                        Some(&admin),
                        serde_json::json!({"disabled": true}),
                    )
                    .await;
                assert_eq!(status, StatusCode::OK, "disabling {username}: {body}");
                Some(token)
            }
        });
    }

    let (status, doc) = council.call("GET", "/api/openapi.json", None, None).await;
    assert_eq!(status, StatusCode::OK);
    let routes = documented_routes(&doc);
    let mut problems = Vec::new();
    for (route, _) in &routes {
        if !table.rows.contains_key(route) {
            problems.push(format!(
                "{} {} is served but not in role_matrix.txt: classify it for every caller",
                route.0, route.1
            ));
        }
    }
    for route in table.rows.keys() {
        if !routes.iter().any(|(r, _)| r == route) {
            problems.push(format!(
                "{} {} is in role_matrix.txt but the server no longer documents it: remove the row",
                route.0, route.1
            ));
        }
    }

    let mut grid = String::new();
    let mut cells = 0;
    for (route, has_body) in &routes {
        let Some(expected) = table.rows.get(route) else {
            continue;
        };
        let path = match ids.fill(&route.1) {
            Ok(path) => path,
            Err(parameter) => {
                problems.push(format!(
                    "{} {}: no demo id for {{{parameter}}}: add one to DemoIds::fill",
                    route.0, route.1
                ));
                continue;
            }
        };
        if *has_body && payload(route, &ids).is_none() {
            problems.push(format!(
                "{} {} takes a body: add a minimal valid one to `payload`, or role checks behind the body's parsing go untested",
                route.0, route.1
            ));
            continue;
        }
        write!(grid, "{:6} {:50}", route.0, route.1).unwrap();
        for (column, token) in tokens.iter().enumerate() {
            let status = council
                .status_of(&route.0, &path, token.as_deref(), payload(route, &ids))
                .await;
            cells += 1;
            let got = Cell::of(status);
            write!(grid, " {:>3}", status.as_u16()).unwrap();
            if got != expected[column] {
                problems.push(format!(
                    "{} {} as {}: expected {}, got {} ({status})",
                    route.0,
                    route.1,
                    names[column],
                    expected[column].name(),
                    got.name()
                ));
            }
        }
        grid.push('\n');
    }
    println!("{}\n{grid}", names.join(" "));
    // Straight to stderr, past the test harness's capture, so `make test` shows the size.
    let _ = writeln!(
        std::io::stderr(),
        "role matrix ({backend:?}): {} routes × {} callers = {cells} cells",
        table.rows.len(),
        names.len()
    );
    assert!(
        problems.is_empty(),
        "the server and role_matrix.txt disagree:\n  {}",
        problems.join("\n  ")
    );
    assert_eq!(
        cells,
        routes.len() * names.len(),
        "every route was called by every caller"
    );
}

/// The id of the member `username` of the caller's council, from the change log.
async fn records_member(council: &Council, token: &str, username: &str) -> MemberId {
    council
        .changes(token, 0)
        .await
        .changes
        .into_iter()
        .find_map(|c| match c.record {
            SyncRecord::Member(m) if m.username == username => Some(m.id),
            _ => None,
        })
        .unwrap_or_else(|| panic!("the demo council has {username}"))
}
