//! Accounts and sessions ([`AccountStore`]).

use crate::prelude::*;
use crate::{AccountChange, AccountDetails, NewAccount, NewSession, SessionHolder};
use ecabinet_domain::{Member, MemberId, Role};
use ecabinet_protocol::SyncRecord;
use std::sync::Arc;
use uuid::Uuid;

use super::{Fixture, NOW, expect_conflict, expect_not_found};

/// Every method of [`AccountStore`] on a small council: what goes in comes back equal,
/// each write is logged and returns the new head, and misuse maps to the error the API
/// turns into a code.
pub async fn accounts_and_sessions_round_trip_and_errors_map(storage: Arc<dyn CouncilStorage>) {
    let fx = Fixture::new("records");
    storage.seed_council(fx.seed()).await.unwrap();

    // Accounts and sessions.
    let found = storage
        .account_by_username(&fx.delegate.username)
        .await
        .unwrap()
        .expect("the delegate's account");
    assert_eq!(found.member, fx.delegate);
    assert_eq!(found.password_hash, "$argon2id$not-a-real-hash");
    assert!(
        storage
            .account_by_username("nobody")
            .await
            .unwrap()
            .is_none()
    );
    let session = |token: &str, expires_at| NewSession {
        token_hash: token.into(),
        member_id: fx.delegate.id,
        created_at: NOW,
        expires_at,
    };
    storage
        .create_session(session("live", NOW.plus_millis(1000)))
        .await
        .unwrap();
    storage
        .create_session(session("revoked", NOW.plus_millis(1000)))
        .await
        .unwrap();
    storage
        .create_session(session("expired", NOW))
        .await
        .unwrap();
    expect_conflict(
        storage
            .create_session(session("live", NOW.plus_millis(1000)))
            .await,
        "a token hash used twice",
    );
    storage.revoke_session("revoked", NOW).await.unwrap();
    storage.revoke_session("no-such-token", NOW).await.unwrap();
    assert_eq!(
        storage.session_member("live", NOW).await.unwrap(),
        Some(SessionHolder {
            member: fx.delegate.clone(),
            must_change_password: false,
        })
    );
    for token in ["revoked", "expired", "no-such-token"] {
        assert_eq!(
            storage.session_member(token, NOW).await.unwrap(),
            None,
            "session {token:?} lets nobody in"
        );
    }
    let accounts = storage.accounts(fx.council, NOW).await.unwrap();
    assert_eq!(
        accounts
            .iter()
            .map(|(m, n)| (m.username.as_str(), *n))
            .collect::<Vec<_>>(),
        [
            (fx.delegate.username.as_str(), 1),
            (fx.secretary.username.as_str(), 0)
        ],
        "accounts are sorted by user name and count only live sessions"
    );
}

/// Accounts an administrator manages: created in one transaction (a taken user name fails
/// the whole batch), changed and logged as bare members (no unit, state or password in the
/// log), disabled with every session ended, and passwords replaced with the sessions of the
/// member ended but the one kept.
pub async fn accounts_are_created_whole_changed_disabled_and_their_passwords_replaced(
    storage: Arc<dyn CouncilStorage>,
) {
    let fx = Fixture::new("acc");
    storage.seed_council(fx.seed()).await.unwrap();
    let head_before = storage.log_head(fx.council).await.unwrap();
    let new = |username: &str, role| NewAccount {
        member: Member {
            id: MemberId(Uuid::new_v4()),
            council_id: fx.council,
            username: username.into(),
            display_name: format!("Nguyễn Thị {username}"),
            role,
        },
        unit: "Ban Kinh tế - Ngân sách".into(),
        password_hash: "$argon2id$set-by-the-administrator".into(),
        must_change_password: true,
    };

    // A batch with one taken user name writes nothing.
    let clash = vec![
        new("acc-new-1", Role::Delegate),
        new(&fx.delegate.username, Role::Guest),
    ];
    expect_conflict(
        storage.create_accounts(fx.council, clash).await,
        "a batch with a taken user name",
    );
    assert!(
        storage
            .account_by_username("acc-new-1")
            .await
            .unwrap()
            .is_none(),
        "the batch is one transaction: its first account was not kept"
    );
    assert_eq!(storage.log_head(fx.council).await.unwrap(), head_before);

    let lan = new("acc-lan", Role::Delegate);
    let minh = new("acc-minh", Role::Guest);
    let head = storage
        .create_accounts(fx.council, vec![lan.clone(), minh.clone()])
        .await
        .unwrap();
    let logged = storage
        .changes_since(fx.council, head_before, 100)
        .await
        .unwrap();
    assert_eq!(
        logged.iter().map(|c| c.record.clone()).collect::<Vec<_>>(),
        [
            SyncRecord::Member(lan.member.clone()),
            SyncRecord::Member(minh.member.clone())
        ],
        "each new member is logged, as a bare Member"
    );
    assert_eq!(head, logged.last().unwrap().seq);
    assert_eq!(
        storage.account(lan.member.id, NOW).await.unwrap(),
        AccountDetails {
            member: lan.member.clone(),
            unit: "Ban Kinh tế - Ngân sách".into(),
            disabled: false,
            must_change_password: true,
            active_sessions: 0,
        }
    );
    expect_not_found(
        storage.account(MemberId(Uuid::new_v4()), NOW).await,
        "an account nobody created",
    );

    // Sessions of Lan: her password is replaced, keeping the session that replaced it.
    for token in ["acc-lan-1", "acc-lan-2"] {
        storage
            .create_session(NewSession {
                token_hash: token.into(),
                member_id: lan.member.id,
                created_at: NOW,
                expires_at: NOW.plus_millis(60_000),
            })
            .await
            .unwrap();
    }
    assert_eq!(
        storage.session_member("acc-lan-1", NOW).await.unwrap(),
        Some(SessionHolder {
            member: lan.member.clone(),
            must_change_password: true
        })
    );
    let head_before_password = storage.log_head(fx.council).await.unwrap();
    storage
        .set_password(
            lan.member.id,
            "$argon2id$chosen-by-lan".into(),
            false,
            Some("acc-lan-1"),
            NOW,
        )
        .await
        .unwrap();
    assert_eq!(
        storage.log_head(fx.council).await.unwrap(),
        head_before_password,
        "passwords never reach the change log"
    );
    assert_eq!(
        storage
            .account_by_username("acc-lan")
            .await
            .unwrap()
            .unwrap()
            .password_hash,
        "$argon2id$chosen-by-lan"
    );
    assert_eq!(
        storage.session_member("acc-lan-1", NOW).await.unwrap(),
        Some(SessionHolder {
            member: lan.member.clone(),
            must_change_password: false
        }),
        "the session that changed the password goes on, no longer held back"
    );
    assert_eq!(
        storage.session_member("acc-lan-2", NOW).await.unwrap(),
        None,
        "every other session of the member ended"
    );
    expect_not_found(
        storage
            .set_password(MemberId(Uuid::new_v4()), "x".into(), true, None, NOW)
            .await,
        "a password for an account nobody created",
    );

    // An administrator changes Lan's role and unit, then disables her.
    let head = storage
        .update_account(
            lan.member.id,
            AccountChange {
                role: Some(Role::Chair),
                unit: Some("Thường trực".into()),
                ..AccountChange::default()
            },
            NOW,
        )
        .await
        .unwrap();
    let promoted = Member {
        role: Role::Chair,
        ..lan.member.clone()
    };
    let last = storage
        .changes_since(fx.council, head - 1, 1)
        .await
        .unwrap();
    assert_eq!(last[0].record, SyncRecord::Member(promoted.clone()));
    storage
        .update_account(
            lan.member.id,
            AccountChange {
                disabled: Some(true),
                ..AccountChange::default()
            },
            NOW,
        )
        .await
        .unwrap();
    let disabled = storage.account(lan.member.id, NOW).await.unwrap();
    assert!(disabled.disabled);
    assert_eq!(disabled.unit, "Thường trực");
    assert_eq!(disabled.active_sessions, 0, "disabling ended every session");
    assert_eq!(
        storage.session_member("acc-lan-1", NOW).await.unwrap(),
        None
    );
    assert!(
        !storage
            .accounts(fx.council, NOW)
            .await
            .unwrap()
            .iter()
            .any(|(m, _)| m.id == lan.member.id),
        "a disabled member is not among the council's (enabled) accounts"
    );
    let listed = storage.account_details(fx.council, NOW).await.unwrap();
    assert_eq!(
        listed
            .iter()
            .map(|a| (a.member.username.as_str(), a.disabled))
            .collect::<Vec<_>>(),
        [
            ("acc-delegate", false),
            ("acc-lan", true),
            ("acc-minh", false),
            ("acc-secretary", false)
        ],
        "the administrator's list has every account, sorted by user name"
    );
    storage
        .update_account(
            lan.member.id,
            AccountChange {
                disabled: Some(false),
                ..AccountChange::default()
            },
            NOW,
        )
        .await
        .unwrap();
    assert!(!storage.account(lan.member.id, NOW).await.unwrap().disabled);
    expect_not_found(
        storage
            .update_account(MemberId(Uuid::new_v4()), AccountChange::default(), NOW)
            .await,
        "changing an account nobody created",
    );
}
