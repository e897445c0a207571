//! Accounts: the administrator adds, imports, changes, disables and resets members; a
//! member whose password an administrator set changes it first; failed logins are
//! throttled; and a session that ends closes its live socket at once.

use super::*;
use futures_util::StreamExt;
use tokio_tungstenite::tungstenite::protocol::Message;

on_every_backend!(
    a_member_the_administrator_adds_must_choose_a_password_at_first_login,
    the_password_policy_refuses_short_common_and_user_name_passwords_with_their_codes,
    a_member_list_with_bad_rows_is_refused_whole_with_each_line_and_reason,
    a_good_member_list_is_imported_with_passwords_shown_once,
    failed_logins_lock_a_user_name_with_the_same_answer_whether_it_exists_or_not,
    the_throttle_decays_with_time_and_a_success_clears_it,
    many_failures_from_one_address_lock_that_address_whatever_the_names,
    disabling_a_member_ends_their_sessions_and_closes_their_live_socket_within_a_second,
    a_logged_out_or_reset_session_s_live_socket_closes_within_a_second,
);

impl Council {
    async fn login_with(&self, username: &str, password: &str) -> (StatusCode, Value) {
        self.json(
            "POST",
            "/api/v1/auth/login",
            None,
            json!({"username": username, "password": password}),
        )
        .await
    }

    async fn import_csv(&self, token: &str, csv: &str) -> (StatusCode, Value) {
        let request = Request::builder()
            .method("POST")
            .uri("/api/v1/admin/accounts/import")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "text/csv; charset=utf-8")
            .body(Body::from(csv.to_owned()))
            .unwrap();
        let response = self.app.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    }

    async fn account_list(&self, admin: &str) -> Vec<Value> {
        let (status, body) = self
            .call("GET", "/api/v1/admin/accounts", Some(admin), None)
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body.as_array().unwrap().clone()
    }
}

/// Waits at most a second for the server to close the socket; panics if it stays open.
async fn closes_within_a_second(socket: &mut LiveSocket, why: &str) {
    let closed = tokio::time::timeout(std::time::Duration::from_secs(1), async {
        loop {
            match socket.next().await {
                Some(Ok(Message::Close(frame))) => return frame.map(|f| u16::from(f.code)),
                None | Some(Err(_)) => return None,
                Some(Ok(_)) => {}
            }
        }
    })
    .await;
    match closed {
        Ok(code) => assert_eq!(
            code,
            Some(ecabinet_protocol::LIVE_CLOSE_SESSION_ENDED),
            "{why}: closed saying the session ended, so the app signs out rather than retries"
        ),
        Err(_) => panic!("{why}: the live socket was still open a second later"),
    }
}

async fn add_member(council: &Council, admin: &str, body: Value) -> (StatusCode, Value) {
    council
        .json("POST", "/api/v1/admin/accounts", Some(admin), body)
        .await
}

async fn a_member_the_administrator_adds_must_choose_a_password_at_first_login(backend: Backend) {
    let council = demo_council(backend).await;
    let admin = council.login("admin").await.token;
    let head_before = council.changes(&admin, 0).await.next_cursor;
    let (status, created) = add_member(
        &council,
        &admin,
        json!({"display_name": "Nguyễn Thị Hồng Nhung", "username": "nhung.nth",
               "role": "delegate", "unit": "Tổ đại biểu số 3", "password": "Hồ Tây lộng gió"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["account"]["unit"], "Tổ đại biểu số 3");
    assert_eq!(created["account"]["must_change_password"], true);
    assert_eq!(
        created["generated_password"],
        Value::Null,
        "the administrator chose it"
    );

    // What syncs to every client is the bare member: no unit, no state, no password data.
    let delegate = council.login("delegate01").await.token;
    let page = council.changes(&delegate, head_before).await;
    let logged: Vec<_> = page
        .changes
        .iter()
        .map(|c| serde_json::to_value(&c.record).unwrap())
        .collect();
    assert_eq!(logged.len(), 1, "{logged:?}");
    let mut keys: Vec<_> = logged[0]["data"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    keys.sort();
    assert_eq!(
        keys,
        ["council_id", "display_name", "id", "role", "username"],
        "a synced member carries nothing new"
    );

    let (status, login) = council.login_with("nhung.nth", "Hồ Tây lộng gió").await;
    assert_eq!(status, StatusCode::OK, "{login}");
    assert_eq!(login["must_change_password"], true);
    let token = login["token"].as_str().unwrap().to_owned();
    for (method, path) in [
        ("GET", "/api/v1/auth/me"),
        ("GET", "/api/v1/sync/changes"),
        ("GET", "/api/v1/live"),
    ] {
        let (status, body) = council.call(method, path, Some(&token), None).await;
        assert_eq!(
            (status, code(&body)),
            (StatusCode::FORBIDDEN, ErrorCode::PasswordChangeRequired),
            "{method} {path} waits for the new password"
        );
    }
    let change =
        |current: &str, new: &str| json!({"current_password": current, "new_password": new});
    let (status, body) = council
        .json(
            "POST",
            "/api/v1/auth/password",
            Some(&token),
            change("sai mật khẩu rồi", "Sông Hương mùa thu"),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::BAD_REQUEST, ErrorCode::WrongCurrentPassword)
    );
    let (status, _) = council
        .json(
            "POST",
            "/api/v1/auth/password",
            Some(&token),
            change("Hồ Tây lộng gió", "Sông Hương mùa thu"),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, me) = council
        .call("GET", "/api/v1/auth/me", Some(&token), None)
        .await;
    assert_eq!(
        (status, me["member"]["username"].as_str()),
        (StatusCode::OK, Some("nhung.nth")),
        "the same session goes on once the password is hers"
    );
    assert_eq!(
        council.login_with("nhung.nth", "Hồ Tây lộng gió").await.0,
        StatusCode::UNAUTHORIZED,
        "the administrator's password is gone"
    );
    let (status, again) = council.login_with("nhung.nth", "Sông Hương mùa thu").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(again["must_change_password"], false);

    // Nobody but the administrator adds members.
    let (status, body) = add_member(
        &council,
        &delegate,
        json!({"display_name": "Ai đó", "username": "ai.do", "role": "administrator"}),
    )
    .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::FORBIDDEN, ErrorCode::Forbidden)
    );
    let (status, body) = add_member(
        &council,
        &admin,
        json!({"display_name": "Hoàng Thị Lan", "username": "delegate01", "role": "delegate"}),
    )
    .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, ErrorCode::UsernameTaken)
    );
}

async fn the_password_policy_refuses_short_common_and_user_name_passwords_with_their_codes(
    backend: Backend,
) {
    let council = demo_council(backend).await;
    let admin = council.login("admin").await.token;
    for (password, expected) in [
        ("ngắn quá", ErrorCode::PasswordTooShort),
        ("Quang.VD-2026", ErrorCode::PasswordContainsUserName),
        ("Password123", ErrorCode::PasswordTooCommon),
        ("0000000000000", ErrorCode::PasswordTooCommon),
    ] {
        let (status, body) = add_member(
            &council,
            &admin,
            json!({"display_name": "Vũ Đình Quang", "username": "quang.vd",
                   "role": "guest", "password": password}),
        )
        .await;
        assert_eq!(
            (status, code(&body)),
            (StatusCode::BAD_REQUEST, expected),
            "{password:?}: {body}"
        );
        assert!(
            !body["message"].as_str().unwrap().is_empty(),
            "the refusal says why"
        );
    }
    assert!(
        !council
            .account_list(&admin)
            .await
            .iter()
            .any(|a| a["member"]["username"] == "quang.vd"),
        "no refused password made an account"
    );
    // A member choosing their own password meets the same policy.
    let delegate = council.login("delegate02").await.token;
    let (status, body) = council
        .json(
            "POST",
            "/api/v1/auth/password",
            Some(&delegate),
            json!({"current_password": PASSWORD, "new_password": "delegate02-mới"}),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::BAD_REQUEST, ErrorCode::PasswordContainsUserName)
    );
}

async fn a_member_list_with_bad_rows_is_refused_whole_with_each_line_and_reason(backend: Backend) {
    let council = demo_council(backend).await;
    let admin = council.login("admin").await.token;
    let before = council.account_list(&admin).await.len();
    let csv = "họ và tên,tên đăng nhập,vai trò,đơn vị,mật khẩu\n\
               Trịnh Văn Bảo,bao.tv,đại biểu,Tổ số 1,\n\
               Lý Thị Cúc,cuc.lt,thủ quỹ,Tổ số 2,\n\
               Hoàng Thị Lan,delegate01,đại biểu,Tổ số 3,\n\
               Mạc Văn Đức,duc.mv,khách mời,,12345\n";
    let (status, body) = council.import_csv(&admin, csv).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(code(&body), ErrorCode::ImportRejected);
    let problems: Vec<(u64, String)> = body["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["line"].as_u64().unwrap(),
                p["reason"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        problems.iter().map(|(line, _)| *line).collect::<Vec<_>>(),
        [3, 5],
        "the unknown role and the short password, by their line in the file: {problems:?}"
    );
    assert!(problems[0].1.contains("thủ quỹ"), "{problems:?}");
    assert!(problems[1].1.contains("at least 10"), "{problems:?}");
    assert_eq!(
        council.account_list(&admin).await.len(),
        before,
        "nothing of the list was imported, not even its good rows"
    );

    // With those fixed, the user name another member already has is found too.
    let csv = "display_name,username,role\n\
               Trịnh Văn Bảo,bao.tv,delegate\n\
               Hoàng Thị Lan,delegate01,delegate\n";
    let (status, body) = council.import_csv(&admin, csv).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["problems"][0]["line"], 3);
    assert!(
        body["problems"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("taken")
    );
    assert_eq!(council.account_list(&admin).await.len(), before);
    assert_eq!(
        council.login_with("bao.tv", PASSWORD).await.0,
        StatusCode::UNAUTHORIZED
    );
}

async fn a_good_member_list_is_imported_with_passwords_shown_once(backend: Backend) {
    let council = demo_council(backend).await;
    let admin = council.login("admin").await.token;
    let csv = "\u{feff}Họ và tên;Tên đăng nhập;Vai trò;Đơn vị;Mật khẩu\r\n\
               Trịnh Văn Bảo;bao.tv;Đại biểu;\"Tổ đại biểu số 1; phường Ba Đình\";\r\n\
               Lý Thị Cúc;cuc.lt;thư ký;Văn phòng HĐND;Hoa sữa cuối thu\r\n";
    let (status, body) = council.import_csv(&admin, csv).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let accounts = body["accounts"].as_array().unwrap();
    assert_eq!(accounts.len(), 2);
    assert_eq!(
        accounts[0]["account"]["unit"],
        "Tổ đại biểu số 1; phường Ba Đình"
    );
    assert_eq!(accounts[1]["account"]["member"]["role"], "secretary");
    assert_eq!(
        accounts[1]["generated_password"],
        Value::Null,
        "the list gave Cúc's"
    );
    let generated = accounts[0]["generated_password"]
        .as_str()
        .expect("Bảo's row had none, so the server made one")
        .to_owned();
    assert!(
        ecabinet_domain::check_password(&generated, "bao.tv").is_ok(),
        "a generated password passes the policy itself"
    );
    let listed = council.account_list(&admin).await;
    assert!(
        listed
            .iter()
            .all(|a| a.get("generated_password").is_none() && a.get("password_hash").is_none()),
        "the list never shows a password again"
    );
    let (status, login) = council.login_with("bao.tv", &generated).await;
    assert_eq!(status, StatusCode::OK, "{login}");
    assert_eq!(login["member"]["display_name"], "Trịnh Văn Bảo");
    assert_eq!(login["must_change_password"], true);
}

async fn failed_logins_lock_a_user_name_with_the_same_answer_whether_it_exists_or_not(
    backend: Backend,
) {
    let council = demo_council(backend).await;
    for username in ["delegate04", "nobody-here"] {
        for attempt in 1..=5 {
            let (status, body) = council.login_with(username, "đoán mò mật khẩu").await;
            assert_eq!(
                (status, code(&body)),
                (StatusCode::UNAUTHORIZED, ErrorCode::InvalidCredentials),
                "{username}: failure {attempt} is still only a wrong password"
            );
        }
    }
    let mut answers = Vec::new();
    for username in ["delegate04", "nobody-here"] {
        let request = Request::builder()
            .method("POST")
            .uri("/api/v1/auth/login")
            .header(header::CONTENT_TYPE, "application/json")
            // The right password changes nothing once the user name is locked.
            .body(Body::from(
                json!({"username": username, "password": PASSWORD}).to_string(),
            ))
            .unwrap();
        let response = council.app.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let retry_after = response
            .headers()
            .get(header::RETRY_AFTER)
            .map(|v| v.to_str().unwrap().to_owned());
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let mut body: Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(code(&body), ErrorCode::TooManyAttempts, "{username}");
        // Each answer names its own request; everything else must be the same.
        body.as_object_mut().unwrap().remove("request_id");
        answers.push((status, retry_after, body));
    }
    assert_eq!(answers[0].0, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(answers[0].1.as_deref(), Some("300"), "five minutes");
    assert_eq!(
        answers[0], answers[1],
        "a locked real account and a locked unknown name answer alike"
    );
    assert_eq!(
        council.login_with("delegate05", PASSWORD).await.0,
        StatusCode::OK,
        "other members log in as before"
    );
}

async fn the_throttle_decays_with_time_and_a_success_clears_it(backend: Backend) {
    let council = demo_council(backend).await;
    for _ in 0..5 {
        council.login_with("delegate06", "sai rồi").await;
        council.clock.advance_ms(10_000);
    }
    // The first failure was 50 s ago: the lock lasts until it is 5 minutes old.
    assert_eq!(
        council.login_with("delegate06", PASSWORD).await.0,
        StatusCode::TOO_MANY_REQUESTS
    );
    council.clock.advance_ms(250_000 - 1);
    assert_eq!(
        council.login_with("delegate06", PASSWORD).await.0,
        StatusCode::TOO_MANY_REQUESTS,
        "a millisecond before the oldest failure leaves the window"
    );
    council.clock.advance_ms(1);
    assert_eq!(
        council.login_with("delegate06", PASSWORD).await.0,
        StatusCode::OK,
        "the lock decayed by itself"
    );

    // A success forgets the failures before it.
    for _ in 0..4 {
        council.login_with("delegate06", "sai rồi").await;
    }
    assert_eq!(
        council.login_with("delegate06", PASSWORD).await.0,
        StatusCode::OK
    );
    for _ in 0..4 {
        council.login_with("delegate06", "sai rồi").await;
    }
    assert_eq!(
        council.login_with("delegate06", PASSWORD).await.0,
        StatusCode::OK,
        "four failures since the last success are not five"
    );
}

/// A login from `address`, as `council-server serve` sees each connection's peer.
async fn login_from(
    council: &Council,
    address: &str,
    username: &str,
    password: &str,
) -> StatusCode {
    let peer: std::net::SocketAddr = format!("{address}:50000").parse().unwrap();
    let request = Request::builder()
        .method("POST")
        .uri("/api/v1/auth/login")
        .header(header::CONTENT_TYPE, "application/json")
        .extension(axum::extract::ConnectInfo(peer))
        .body(Body::from(
            json!({"username": username, "password": password}).to_string(),
        ))
        .unwrap();
    council.app.clone().oneshot(request).await.unwrap().status()
}

async fn many_failures_from_one_address_lock_that_address_whatever_the_names(backend: Backend) {
    let council = demo_council(backend).await;
    // A guesser spreads 20 tries over names, four each: no name reaches its own limit.
    for name in ["an", "binh", "chi", "dung", "giang"] {
        for _ in 0..4 {
            assert_eq!(
                login_from(&council, "203.0.113.9", name, "đoán mò").await,
                StatusCode::UNAUTHORIZED
            );
        }
    }
    assert_eq!(
        login_from(&council, "203.0.113.9", "delegate05", PASSWORD).await,
        StatusCode::TOO_MANY_REQUESTS,
        "the address itself is locked, even for a right password"
    );
    assert_eq!(
        login_from(&council, "198.51.100.4", "delegate05", PASSWORD).await,
        StatusCode::OK,
        "the member logs in from the meeting room's own address"
    );
}

async fn disabling_a_member_ends_their_sessions_and_closes_their_live_socket_within_a_second(
    backend: Backend,
) {
    let council = demo_council(backend).await;
    let addr = council.serve().await;
    let admin = council.login("admin").await.token;
    let departed = council.login("delegate03").await;
    let staying = council.login("delegate02").await.token;
    let mut departed_socket = open_live(addr, &departed.token).await;
    let mut staying_socket = open_live(addr, &staying).await;

    let (status, body) = council
        .json(
            "PATCH",
            &format!("/api/v1/admin/accounts/{}", departed.member.id),
            Some(&admin),
            json!({"disabled": true}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["disabled"], true);
    assert_eq!(body["active_sessions"], 0);
    closes_within_a_second(&mut departed_socket, "the disabled member's socket").await;

    // The other member's socket is untouched: it still hears the change log grow.
    let signal = tokio::time::timeout(std::time::Duration::from_secs(1), async {
        loop {
            match staying_socket.next().await {
                Some(Ok(Message::Text(text))) => return text.to_string(),
                Some(Ok(Message::Ping(_) | Message::Pong(_))) => {}
                other => panic!("the other member's socket must stay open: {other:?}"),
            }
        }
    })
    .await
    .expect("the member change is signalled to the others");
    assert!(signal.contains("changed"), "{signal}");

    let (status, body) = council
        .call("GET", "/api/v1/auth/me", Some(&departed.token), None)
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNAUTHORIZED, ErrorCode::SessionExpired)
    );
    let (status, body) = council.login_with("delegate03", PASSWORD).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNAUTHORIZED, ErrorCode::InvalidCredentials),
        "a disabled account answers as a wrong password does"
    );

    // An administrator cannot lock the council out by disabling themself.
    let admin_id = council.login("admin").await.member.id;
    let (status, _) = council
        .json(
            "PATCH",
            &format!("/api/v1/admin/accounts/{admin_id}"),
            Some(&admin),
            json!({"disabled": true}),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    // Enabled again, the member logs in.
    council
        .json(
            "PATCH",
            &format!("/api/v1/admin/accounts/{}", departed.member.id),
            Some(&admin),
            json!({"disabled": false, "role": "guest"}),
        )
        .await;
    let back = council.login("delegate03").await;
    assert_eq!(back.member.role, ecabinet_domain::Role::Guest);
}

async fn a_logged_out_or_reset_session_s_live_socket_closes_within_a_second(backend: Backend) {
    let council = demo_council(backend).await;
    let addr = council.serve().await;
    let first = council.login("delegate01").await.token;
    let second = council.login("delegate01").await;
    let mut first_socket = open_live(addr, &first).await;
    let mut second_socket = open_live(addr, &second.token).await;

    let (status, _) = council
        .call("POST", "/api/v1/auth/logout", Some(&first), None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    closes_within_a_second(&mut first_socket, "the logged-out session's socket").await;

    // The administrator resets the member's password: the other session ends as well.
    let admin = council.login("admin").await.token;
    let (status, body) = council
        .json(
            "POST",
            &format!("/api/v1/admin/accounts/{}/password", second.member.id),
            Some(&admin),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    closes_within_a_second(&mut second_socket, "a reset member's socket").await;
    let generated = body["generated_password"].as_str().unwrap();
    let (status, login) = council.login_with("delegate01", generated).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(login["must_change_password"], true);
}
