//! Session expiry: a login lasts as long as the server says (`session_ttl_ms` of its
//! clock), and an administrator can end it by disabling the account. Either way the app
//! hears of it the next time it talks to the server, forgets the token and shows the
//! sign-in screen; what it already holds of the council (the store, the paper files) stays
//! on the device, so the same member signing in again reads at once, with nothing to fetch.

use crate::harness::{Council, DEMO_PASSWORD, DEMO_SESSION, Device, refused};
use ecabinet_app::dto::{AccountChanges, ConnectionState, DownloaderState, IpcErrorCode};

/// Waits for the sync loop to tell the window that the session ended.
async fn signed_out(device: &Device) {
    device
        .until("the window to be told the member is signed out", || async {
            let told = device.events.borrow().sync.clone()?;
            (told.connection == ConnectionState::SignedOut).then_some(())
        })
        .await;
}

/// Nobody is signed in: the snapshot the window starts from says so, and the council's
/// data is not shown to whoever sits down at the device.
async fn assert_nobody_signed_in(device: &Device) {
    let snapshot = device.core.snapshot().await.unwrap();
    assert!(snapshot.session.is_none(), "no session is kept");
    assert_eq!(snapshot.sync.connection, ConnectionState::SignedOut);
    assert_eq!(
        refused("listing meetings signed out", device.core.meetings()),
        IpcErrorCode::NotSignedIn
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_past_its_lifetime_signs_the_app_out_and_the_papers_stay() {
    let council = Council::demo().await;
    let device = Device::new();
    device.sign_in(&council, "delegate04").await;
    let packet = device.packet_held(DEMO_SESSION).await;

    // A month passes on the server; the app is still connected.
    council
        .clock
        .advance_ms(council.state.session_ttl_ms + 60_000);
    // The next word from the server (here: the secretary, signing in afresh, moves an item)
    // makes the app pull, and the server refuses the expired token.
    let secretary = Device::new();
    secretary.sign_in(&council, "secretary").await;
    let meeting = secretary.meeting_id(DEMO_SESSION).await;
    let item = secretary.core.agenda(&meeting).unwrap().items[1].id.clone();
    secretary
        .core
        .move_agenda_item(&item, ecabinet_app::dto::AgendaMove::Down)
        .await
        .expect("the secretary changes the programme");

    signed_out(&device).await;
    let told = device.events.borrow().sync.clone().unwrap();
    assert!(
        told.detail
            .as_deref()
            .is_some_and(|d| d.contains("session has expired")),
        "the window is told why: {told:?}"
    );
    assert_nobody_signed_in(&device).await;
    assert_eq!(
        device.core.download_progress().await.state,
        DownloaderState::SignedOut,
        "nothing is fetched for nobody"
    );

    // The papers stayed: signing in again, the packet is complete on the device before
    // the first pull, with the same files.
    device.sign_in(&council, "delegate04").await;
    let again = device
        .core
        .meeting_packet(&meeting)
        .unwrap()
        .expect("the packet stayed in the store");
    assert_eq!(
        again.held_bytes, packet.total_bytes,
        "every paper file stayed on the device"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_account_the_administrator_disables_is_signed_out_at_once() {
    let council = Council::demo().await;
    let device = Device::new();
    let delegate = device.sign_in(&council, "delegate06").await;
    let packet = device.packet_held(DEMO_SESSION).await;
    let meeting = packet.meeting_id.clone();

    let admin = Device::new();
    let session = admin.sign_in(&council, "admin").await;
    assert!(session.may.manage_accounts);
    let disabled = admin
        .core
        .update_account(
            &delegate.member.id,
            AccountChanges {
                disabled: Some(true),
                ..Default::default()
            },
        )
        .await
        .expect("the administrator disables the account");
    assert!(disabled.disabled);

    // The server closes the delegate's live connection saying the session ended.
    signed_out(&device).await;
    assert_nobody_signed_in(&device).await;
    assert_eq!(
        refused(
            "signing in to a disabled account",
            device
                .core
                .login(&council.url, "delegate06", DEMO_PASSWORD)
                .await
        ),
        IpcErrorCode::InvalidCredentials,
        "a disabled account answers as a wrong password does"
    );

    // Enabled again, the member finds their papers where they left them.
    admin
        .core
        .update_account(
            &delegate.member.id,
            AccountChanges {
                disabled: Some(false),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    device.sign_in(&council, "delegate06").await;
    let again = device
        .core
        .meeting_packet(&meeting)
        .unwrap()
        .expect("the packet stayed in the store");
    assert_eq!(again.held_bytes, packet.total_bytes);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_app_started_after_its_session_expired_opens_signed_out() {
    let council = Council::demo().await;
    let data = tempfile::tempdir().unwrap();
    {
        let device = Device::open(data.path());
        device.sign_in(&council, "delegate07").await;
        device.packet_held(DEMO_SESSION).await;
        // The app is closed: its sync loop ends with the core.
        let core = std::sync::Arc::into_inner(device.core)
            .expect("nothing else holds the core (the indexer is not running)");
        drop(core);
    }
    council
        .clock
        .advance_ms(council.state.session_ttl_ms + 60_000);

    let device = Device::open(data.path());
    let snapshot = device.core.snapshot().await.unwrap();
    assert!(
        snapshot.session.is_some(),
        "the stored session is what the app starts from"
    );
    device.core.resume().await.unwrap();
    signed_out(&device).await;
    assert_nobody_signed_in(&device).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changing_the_password_on_one_device_signs_the_member_out_on_the_others() {
    let council = Council::demo().await;
    let laptop = Device::new();
    let tablet = Device::new();
    laptop.sign_in(&council, "delegate09").await;
    let packet = laptop.packet_held(DEMO_SESSION).await;
    tablet.sign_in(&council, "delegate09").await;
    tablet.packet_held(DEMO_SESSION).await;

    tablet
        .core
        .change_own_password(DEMO_PASSWORD, "Hoa sữa nồng nàn phố cổ")
        .await
        .expect("the member chooses a new password on the tablet");

    signed_out(&laptop).await;
    assert_nobody_signed_in(&laptop).await;
    let tablet_now = tablet.core.snapshot().await.unwrap();
    assert!(
        tablet_now.session.is_some(),
        "the device the password was changed on stays signed in"
    );
    assert_ne!(tablet_now.sync.connection, ConnectionState::SignedOut);
    assert!(
        tablet
            .core
            .meeting_packet(&packet.meeting_id)
            .unwrap()
            .is_some(),
        "and goes on showing the packet"
    );
    assert_eq!(
        refused(
            "the old password on the laptop",
            laptop
                .core
                .login(&council.url, "delegate09", DEMO_PASSWORD)
                .await
        ),
        IpcErrorCode::InvalidCredentials
    );
    laptop
        .core
        .login(&council.url, "delegate09", "Hoa sữa nồng nàn phố cổ")
        .await
        .expect("the new password signs the laptop in again");
    let again = laptop
        .core
        .meeting_packet(&packet.meeting_id)
        .unwrap()
        .expect("the packet stayed on the laptop");
    assert_eq!(again.held_bytes, packet.total_bytes);
}
