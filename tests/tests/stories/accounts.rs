//! A council's new members, end to end over a real council server: the administrator
//! imports a member list (CSV, Vietnamese names) and sees the new members in the app's
//! accounts screen; one of them signs in on a device with the password the list gave, is
//! made to choose their own (a weak one is refused with the policy's reason), and reaches
//! the session.
//!
//! The list is chosen in the system's file dialog, as the administrator would: WebDriver
//! cannot reach that window, so the harness types the file's path into it (`xdotool`).

use crate::ONE_WINDOW;
use ecabinet_stories::{AppDriver, CouncilServer, DEMO_PASSWORD};
use ecabinet_sync::CouncilClient;
use std::time::Duration;

use ecabinet_stories::SESSION_TITLE;
const FIRST_PASSWORD: &str = "Mùa thu Hà Nội 2026";
const OWN_PASSWORD: &str = "Hoa sữa nồng nàn phố cổ";
const MEMBER_LIST: &str = "Họ và tên,Tên đăng nhập,Vai trò,Đơn vị,Mật khẩu\n\
    Trịnh Thị Ngọc Bích,bich.ttn,đại biểu,Tổ đại biểu phường Ba Đình,Mùa thu Hà Nội 2026\n\
    Lương Văn Đạt,dat.lv,khách mời,Sở Tư pháp,\n";

#[tokio::test]
async fn the_administrator_imports_members_and_a_new_member_chooses_a_password_and_reaches_the_session()
 {
    let _turn = ONE_WINDOW.lock().await;
    let server_data = tempfile::tempdir().unwrap();
    let app_data = tempfile::tempdir().unwrap();
    let server = CouncilServer::start(server_data.path(), 0);
    let driver = AppDriver::start(app_data.path());

    // 1. The administrator signs in and opens the member accounts.
    let app = driver.launch().await.unwrap();
    app.sign_in(&server.url(), "admin", DEMO_PASSWORD)
        .await
        .unwrap();
    app.click("[data-testid=open-accounts]").await.unwrap();
    app.find("[data-account=delegate01]")
        .await
        .expect("the council's accounts are listed");

    // 2. The member list is imported: both rows in one go, Bích with the password the
    //    list gives, Đạt with one the server makes and shows once.
    let list = app_data.path().join("danh-sach-dai-bieu.csv");
    std::fs::write(&list, MEMBER_LIST).unwrap();
    app.click("[data-testid=members-import]").await.unwrap();
    driver
        .choose_file_in_dialog(&list)
        .expect("the member list is chosen in the file dialog");
    let done = app.text("[data-testid=members-imported]").await.unwrap();
    assert!(
        done.contains("danh-sach-dai-bieu.csv"),
        "the import names the file it read: {done:?}"
    );
    let issued = app
        .texts("[data-testid=issued-passwords] code")
        .await
        .unwrap();
    assert_eq!(
        issued.len(),
        1,
        "Đạt's list row had no password: the server made one, shown once ({issued:?})"
    );

    // The administrator's screen shows them as the change log brings them, waiting for
    // their own passwords.
    app.wait_for_text(
        "[data-account=\"bich.ttn\"]",
        Duration::from_secs(15),
        |row| row.contains("Trịnh Thị Ngọc Bích") && row.contains("Tổ đại biểu phường Ba Đình"),
    )
    .await
    .expect("the imported member appears in the accounts screen");
    app.wait_for_text(
        "[data-account=\"bich.ttn\"]",
        Duration::from_secs(5),
        |row| row.contains("Chờ đổi mật khẩu"),
    )
    .await
    .expect("an imported member must change the password the list gave");
    // The administrator's screen, with the temporary password of a member added here, passes
    // the same accessibility audit as the rest of the app.
    app.click("[data-testid=account-add-open]").await.unwrap();
    app.type_into("#account-name", "Phan Thị Hạnh")
        .await
        .unwrap();
    app.type_into("#account-username", "hanh.pt").await.unwrap();
    app.type_into("#account-unit", "Văn phòng HĐND")
        .await
        .unwrap();
    app.click("[data-testid=account-add]").await.unwrap();
    app.find("[data-testid=issued-passwords] code[data-username=\"hanh.pt\"]")
        .await
        .expect("the password the server made is shown once");
    let violations = app.accessibility_violations().await.unwrap();
    assert!(violations.is_empty(), "accounts screen: {violations:#?}");

    app.click("[data-testid=logout]").await.unwrap();
    app.find("#username").await.unwrap();

    // 3. Bích signs in with the list's password and is asked for her own.
    app.type_into("#server-url", &server.url()).await.unwrap();
    app.type_into("#username", "bich.ttn").await.unwrap();
    app.type_into("#password", FIRST_PASSWORD).await.unwrap();
    app.click("[data-testid=login-submit]").await.unwrap();
    app.find("[data-testid=choose-password]")
        .await
        .expect("a first login with an administrator's password asks for a new one");
    assert!(
        app.texts("[data-testid=meeting-list]")
            .await
            .unwrap()
            .is_empty(),
        "nothing of the council is shown before the password is hers"
    );

    let violations = app.accessibility_violations().await.unwrap();
    assert!(
        violations.is_empty(),
        "choosing a password: {violations:#?}"
    );

    // A password with her user name in it is refused with the policy's reason.
    app.type_into("#new-password", "bich.ttn-2026-mới")
        .await
        .unwrap();
    app.type_into("#repeated-password", "bich.ttn-2026-mới")
        .await
        .unwrap();
    app.click("[data-testid=choose-submit]").await.unwrap();
    app.wait_for_text("[data-testid=login-error]", Duration::from_secs(10), |t| {
        t.contains("không được chứa tên đăng nhập")
    })
    .await
    .expect("the refusal says why");

    // 4. Her own password: she reaches the council's sessions and opens the one to come.
    app.type_into("#new-password", OWN_PASSWORD).await.unwrap();
    app.type_into("#repeated-password", OWN_PASSWORD)
        .await
        .unwrap();
    app.click("[data-testid=choose-submit]").await.unwrap();
    app.find("[data-testid=meeting-list]")
        .await
        .expect("with her own password she is signed in");
    app.open_meeting(SESSION_TITLE).await.unwrap();
    app.screenshot(&std::env::temp_dir().join("ecabinet-e2e-first-login.png"))
        .await
        .unwrap();

    // The list's password is gone; hers works, with nothing left to change.
    let client = CouncilClient::new(&server.url()).unwrap();
    assert!(client.login("bich.ttn", FIRST_PASSWORD).await.is_err());
    let again = client.login("bich.ttn", OWN_PASSWORD).await.unwrap();
    assert!(!again.must_change_password);
    app.close().await.unwrap();
}
