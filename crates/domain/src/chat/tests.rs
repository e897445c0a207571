use super::*;
use uuid::Uuid;

fn id<T: From<Uuid>>(n: u128) -> T {
    T::from(Uuid::from_u128(n))
}

fn chatter(n: u128, role: Role) -> Chatter {
    Chatter {
        member: id(n),
        role,
        active: true,
    }
}

const AT: Timestamp = Timestamp(1_797_000_000_000);
const COUNCIL: CouncilId = CouncilId(Uuid::from_u128(0xc0));

#[test]
fn only_members_read_a_conversation_and_only_the_secretariat_posts_announcements() {
    let (lan, minh, hoa) = (
        chatter(1, Role::Delegate),
        chatter(2, Role::Delegate),
        chatter(3, Role::Delegate),
    );
    let secretary = chatter(9, Role::Secretary);
    let private = Conversation::private(COUNCIL, minh.member, lan.member, AT).unwrap();
    assert_eq!(
        private,
        Conversation::private(COUNCIL, lan.member, minh.member, AT).unwrap(),
        "either member names the same conversation, offline too"
    );
    assert!(private.id_fits(COUNCIL));
    assert_eq!(
        private.kind,
        ConversationKind::Private {
            pair: [lan.member, minh.member]
        },
        "either member opens the same conversation"
    );
    assert!(private.may_read(lan) && private.may_read(minh));
    assert!(
        !private.may_read(hoa),
        "a third member does not see a private conversation"
    );
    assert!(!private.may_read(secretary), "nor does the secretariat");
    assert_eq!(private.may_post(hoa), Err(ChatRefusal::NotMember));
    assert_eq!(
        Conversation::private(COUNCIL, lan.member, lan.member, AT),
        Err(ChatRefusal::WithSelf)
    );

    let announcements = Conversation {
        id: id(102),
        kind: ConversationKind::Announcements,
        members: Vec::new(),
        created_at: AT,
    };
    assert!(
        announcements.may_read(hoa),
        "every member reads announcements"
    );
    assert_eq!(
        announcements.may_post(hoa),
        Err(ChatRefusal::NotSecretariat)
    );
    assert_eq!(announcements.may_post(secretary), Ok(()));

    let help = Conversation {
        id: id(103),
        kind: ConversationKind::Secretariat { member: lan.member },
        members: Vec::new(),
        created_at: AT,
    };
    assert!(
        help.may_read(lan) && help.may_read(secretary),
        "any secretary answers"
    );
    assert!(!help.may_read(minh), "another delegate does not see it");

    let disabled = Chatter {
        active: false,
        ..lan
    };
    assert!(
        !private.may_read(disabled),
        "a disabled account reads nothing"
    );
    assert!(!announcements.may_read(disabled));
}

#[test]
fn a_group_s_owner_adds_and_removes_members_and_stays_in_it() {
    let owner = chatter(1, Role::Delegate);
    let (minh, hoa) = (chatter(2, Role::Delegate), chatter(3, Role::Delegate));
    let mut group = Conversation::group(
        id(200),
        owner.member,
        " Tổ đại biểu số 3 ",
        &[minh.member],
        AT,
    )
    .unwrap();
    assert_eq!(
        group.members,
        vec![owner.member, minh.member],
        "the owner is a member"
    );
    assert!(!group.may_read(hoa));
    assert_eq!(
        group.change_members(minh, &[hoa.member], &[]),
        Err(ChatRefusal::NotOwner)
    );
    group
        .change_members(owner, &[hoa.member], &[minh.member, owner.member])
        .unwrap();
    assert_eq!(
        group.members,
        vec![owner.member, hoa.member],
        "the owner cannot remove themself"
    );
    assert!(!group.may_read(minh), "a removed member reads nothing more");
    assert_eq!(
        Conversation::group(id(201), owner.member, "  ", &[], AT),
        Err(ChatRefusal::BadTitle)
    );
}

fn message(author: MemberId) -> Message {
    Message {
        id: id(300),
        conversation_id: id(100),
        seq: 1,
        author,
        body: "Tờ trình 112, trang 12 có bảng dự toán".into(),
        reply_to: None,
        paper: Some(PaperPage {
            paper_id: id(400),
            page: 11,
        }),
        sent_at: AT,
        edited_at: None,
        deleted_at: None,
    }
}

#[test]
fn a_message_is_edited_or_deleted_by_its_author_and_a_deletion_leaves_a_trace() {
    let (lan, minh): (MemberId, MemberId) = (id(1), id(2));
    assert_eq!(check_body("  \n "), Err(ChatRefusal::EmptyBody));
    assert_eq!(
        check_body(&"a".repeat(MAX_MESSAGE_CHARS + 1)),
        Err(ChatRefusal::BodyTooLong)
    );
    assert_eq!(check_body("a\0b"), Err(ChatRefusal::NulCharacter));
    assert_eq!(
        check_body("<script>alert(1)</script>"),
        Ok(()),
        "markup is text: the window shows it literally"
    );

    let mut sent = message(lan);
    assert_eq!(sent.edit(minh, "sửa", AT), Err(ChatRefusal::NotAuthor));
    sent.edit(lan, "Trang 13, không phải 12", Timestamp(AT.millis() + 5))
        .unwrap();
    assert_eq!(sent.edited_at, Some(Timestamp(AT.millis() + 5)));
    sent.delete(lan, Timestamp(AT.millis() + 9)).unwrap();
    assert!(
        sent.body.is_empty() && sent.paper.is_none(),
        "the text goes"
    );
    assert_eq!(
        sent.deleted_at,
        Some(Timestamp(AT.millis() + 9)),
        "the trace stays"
    );
    assert_eq!(sent.seq, 1, "in its place");
    assert_eq!(sent.edit(lan, "lại", AT), Err(ChatRefusal::Deleted));
}

#[test]
fn a_sender_gets_a_burst_then_one_message_a_second() {
    let rate = SendRate::default();
    let mut budget = SendBudget::full(rate, AT);
    for _ in 0..10 {
        budget.take(rate, AT).unwrap();
    }
    assert_eq!(
        budget.take(rate, AT),
        Err(ChatRefusal::TooFast { retry_ms: 1000 }),
        "the eleventh at once waits a second"
    );
    assert_eq!(
        budget.take(rate, Timestamp(AT.millis() + 400)),
        Err(ChatRefusal::TooFast { retry_ms: 600 })
    );
    assert_eq!(budget.take(rate, Timestamp(AT.millis() + 1000)), Ok(()));
    let mut later = budget;
    assert_eq!(
        later.take(rate, Timestamp(AT.millis() + 60_000)),
        Ok(()),
        "a minute refills the burst"
    );
    assert_eq!(
        ChatRefusal::TooFast { retry_ms: 600 }.to_string(),
        "too many messages: send again in 1 s"
    );
}

#[test]
fn well_known_conversations_have_ids_their_kind_makes_and_groups_do_not() {
    let other_council = CouncilId(Uuid::from_u128(0xc1));
    let lan: MemberId = id(1);
    let help = ConversationKind::Secretariat { member: lan };
    let here = help.derived_id(COUNCIL).unwrap();
    assert_eq!(here, help.derived_id(COUNCIL).unwrap(), "stable");
    assert_ne!(
        Some(here),
        help.derived_id(other_council),
        "another council's conversation is another"
    );
    assert_ne!(
        Some(here),
        ConversationKind::Secretariat { member: id(2) }.derived_id(COUNCIL),
        "another member's"
    );
    assert_ne!(
        ConversationKind::Announcements.derived_id(COUNCIL),
        ConversationKind::Meeting { meeting_id: id(1) }.derived_id(COUNCIL),
    );
    let group = ConversationKind::Group {
        owner: lan,
        title: "Tổ đại biểu số 3".into(),
    };
    assert_eq!(
        group.derived_id(COUNCIL),
        None,
        "a group's id is its owner's to make"
    );
    let (a, b): (MemberId, MemberId) = (id(1), id(2));
    assert!(
        ConversationKind::Private { pair: [a, b] }
            .derived_id(COUNCIL)
            .is_some()
    );
    assert_eq!(
        ConversationKind::Private { pair: [b, a] }.derived_id(COUNCIL),
        None,
        "a pair out of order would give one pair two ids"
    );
    let mut forged = Conversation::well_known(COUNCIL, help, Vec::new(), AT);
    assert!(forged.id_fits(COUNCIL));
    forged.id = id(77);
    assert!(
        !forged.id_fits(COUNCIL),
        "a device cannot create a secretariat conversation under an id of its choosing"
    );
}

#[test]
fn every_kind_of_conversation_reads_back_as_written() {
    let (lan, minh) = (id(1), id(2));
    let group = Conversation::group(id(50), lan, "Tổ 3", &[minh], AT).unwrap();
    for conversation in [
        Conversation::private(COUNCIL, lan, minh, AT).unwrap(),
        group,
        Conversation::well_known(
            COUNCIL,
            ConversationKind::Meeting { meeting_id: id(3) },
            vec![minh, lan],
            AT,
        ),
        Conversation::well_known(COUNCIL, ConversationKind::Announcements, Vec::new(), AT),
        Conversation::well_known(
            COUNCIL,
            ConversationKind::Secretariat { member: lan },
            Vec::new(),
            AT,
        ),
    ] {
        let json = serde_json::to_value(&conversation).unwrap();
        assert_eq!(
            serde_json::from_value::<Conversation>(json.clone()).unwrap(),
            conversation,
            "{json} reads back (a kind's fields must not share a name with the conversation's)"
        );
    }
}
