use super::*;
use uuid::Uuid;

const CHAIR: u128 = 1;
const SECRETARY: u128 = 2;
const GUEST: u128 = 3;
const OUTSIDER: u128 = 99;
/// Delegates are 10, 11, 12, …
const FIRST_DELEGATE: u128 = 10;

fn member(n: u128) -> MemberId {
    MemberId(Uuid::from_u128(n))
}

fn delegate(n: u128) -> MemberId {
    member(FIRST_DELEGATE + n)
}

fn item(n: u128) -> AgendaItemId {
    AgendaItemId(Uuid::from_u128(1000 + n))
}

const PAPER: PaperId = PaperId(Uuid::from_u128(500));

/// A meeting with a chair, a secretary, a guest, `delegates` delegates, three items and one
/// paper of 12 pages.
struct Meeting {
    delegates: u128,
}

impl SittingContext for Meeting {
    fn has_item(&self, id: AgendaItemId) -> bool {
        (0..3).any(|n| item(n) == id)
    }

    fn meeting_role(&self, m: MemberId) -> Option<MeetingRole> {
        let n = m.0.as_u128();
        match n {
            CHAIR => Some(MeetingRole::Chair),
            SECRETARY => Some(MeetingRole::Secretary),
            GUEST => Some(MeetingRole::Guest),
            n if (FIRST_DELEGATE..FIRST_DELEGATE + self.delegates).contains(&n) => {
                Some(MeetingRole::Delegate)
            }
            _ => None,
        }
    }

    fn page_count(&self, paper: PaperId) -> Option<u32> {
        (paper == PAPER).then_some(12)
    }
}

impl Meeting {
    fn voters(&self) -> Vec<MemberId> {
        std::iter::once(member(CHAIR))
            .chain((0..self.delegates).map(delegate))
            .collect()
    }
}

/// A sitting driven as the server drives it: each action decided, then recorded as the next
/// event at the given minute.
struct Chamber {
    meeting: Meeting,
    sitting: Sitting,
    events: Vec<SittingEvent>,
}

impl Chamber {
    fn new(delegates: u128) -> Chamber {
        Chamber {
            meeting: Meeting { delegates },
            sitting: Sitting::default(),
            events: Vec::new(),
        }
    }

    fn act(
        &mut self,
        who: MemberId,
        minute: i64,
        action: SittingAction,
    ) -> Result<(), SittingRefusal> {
        let actor = Actor {
            member: who,
            meeting_role: self.meeting.meeting_role(who),
        };
        self.sitting.decide(actor, &action, &self.meeting)?;
        let event = SittingEvent {
            seq: self.sitting.seq + 1,
            at: at(minute),
            actor: who,
            action,
        };
        self.sitting.apply(&event);
        self.events.push(event);
        Ok(())
    }

    fn ok(&mut self, who: MemberId, minute: i64, action: SittingAction) {
        if let Err(refusal) = self.act(who, minute, action.clone()) {
            panic!("{action:?} by {who} at minute {minute} was refused: {refusal}");
        }
    }

    fn quorum(&self) -> Quorum {
        self.sitting.quorum(&self.meeting.voters())
    }
}

fn at(minute: i64) -> Timestamp {
    Timestamp(1_800_000_000_000 + minute * 60_000)
}

const MINUTE: i64 = 60_000;

#[test]
fn the_quorum_is_two_thirds_of_all_voters_rounded_up_and_holds_as_they_check_in() {
    assert_eq!(QuorumRule::default().needed(30), 20);
    assert_eq!(QuorumRule::default().needed(31), 21, "20.67 voters is 21");
    assert_eq!(QuorumRule::default().needed(0), 0);

    // The chair and five delegates vote: four of six make two thirds.
    let mut chamber = Chamber::new(5);
    assert_eq!(chamber.quorum().needed, 4);
    chamber.ok(member(CHAIR), 0, SittingAction::CheckIn { remote: false });
    chamber.ok(delegate(0), 1, SittingAction::CheckIn { remote: false });
    chamber.ok(delegate(1), 1, SittingAction::CheckIn { remote: false });
    chamber.ok(member(GUEST), 1, SittingAction::CheckIn { remote: false });
    assert_eq!(chamber.quorum().present, 3, "a guest does not count");
    assert!(!chamber.quorum().holds);
    chamber.ok(delegate(2), 2, SittingAction::CheckIn { remote: false });
    assert!(chamber.quorum().holds, "four of six present");
    chamber.ok(delegate(2), 3, SittingAction::CheckOut);
    assert!(!chamber.quorum().holds, "one left: three of six");
}

#[test]
fn remote_check_in_needs_the_rules_to_allow_it_and_outsiders_and_closed_sittings_are_refused() {
    let mut chamber = Chamber::new(3);
    assert_eq!(
        chamber.act(delegate(0), 0, SittingAction::CheckIn { remote: true }),
        Err(SittingRefusal::RemoteNotAllowed)
    );
    let rules = SittingRules {
        remote_allowed: true,
        ..SittingRules::default()
    };
    assert_eq!(
        chamber.act(delegate(0), 0, SittingAction::SetRules { rules }),
        Err(SittingRefusal::NotSecretariat),
        "a delegate does not set the rules"
    );
    chamber.ok(member(SECRETARY), 0, SittingAction::SetRules { rules });
    chamber.ok(delegate(0), 1, SittingAction::CheckIn { remote: true });
    assert_eq!(chamber.sitting.present(delegate(0)), Some(Presence::Remote));

    assert_eq!(
        chamber.act(
            member(OUTSIDER),
            1,
            SittingAction::CheckIn { remote: false }
        ),
        Err(SittingRefusal::NotParticipant)
    );

    chamber.ok(member(CHAIR), 2, SittingAction::Open);
    chamber.ok(member(CHAIR), 90, SittingAction::Close);
    assert_eq!(
        chamber.act(delegate(1), 91, SittingAction::CheckIn { remote: false }),
        Err(SittingRefusal::Closed),
        "nothing is recorded after the close"
    );
}

#[test]
fn the_secretariat_records_a_delegate_without_a_device_and_the_record_says_so_with_times() {
    let mut chamber = Chamber::new(3);
    chamber.ok(delegate(0), 0, SittingAction::CheckIn { remote: false });
    chamber.ok(member(CHAIR), 5, SittingAction::Open);
    let by_hand = SittingAction::RecordAttendance {
        member: delegate(1),
        present: true,
    };
    assert_eq!(
        chamber.act(delegate(0), 6, by_hand.clone()),
        Err(SittingRefusal::NotSecretariat)
    );
    chamber.ok(member(SECRETARY), 7, by_hand);
    chamber.ok(delegate(0), 40, SittingAction::CheckOut);

    let record = &chamber.sitting.attendance[&delegate(1)].record;
    assert_eq!(record.len(), 1);
    assert_eq!(record[0].presence, Some(Presence::ByHand));
    assert_eq!(record[0].recorded_by, Some(member(SECRETARY)));
    assert!(
        record[0].late,
        "recorded after the chair opened the sitting"
    );
    assert_eq!(record[0].at, at(7));

    let early = &chamber.sitting.attendance[&delegate(0)].record;
    assert!(!early[0].late, "checked in before the opening");
    assert_eq!(early[1].presence, None, "checked out");
    assert_eq!(early[1].at, at(40));

    assert_eq!(
        chamber.act(
            member(SECRETARY),
            41,
            SittingAction::RecordAttendance {
                member: member(OUTSIDER),
                present: true
            }
        ),
        Err(SittingRefusal::NotParticipant),
        "only a participant is recorded present"
    );
}

#[test]
fn only_the_chair_runs_the_programme_and_an_item_s_clock_stops_while_paused() {
    let mut chamber = Chamber::new(3);
    for (who, action) in [
        (delegate(0), SittingAction::Open),
        (member(SECRETARY), SittingAction::Open),
    ] {
        assert_eq!(chamber.act(who, 0, action), Err(SittingRefusal::NotChair));
    }
    assert_eq!(
        chamber.act(member(CHAIR), 0, SittingAction::MoveTo { item: item(0) }),
        Err(SittingRefusal::NotOpen),
        "not before the opening"
    );
    chamber.ok(member(CHAIR), 0, SittingAction::Open);
    assert_eq!(
        chamber.act(member(CHAIR), 0, SittingAction::Open),
        Err(SittingRefusal::AlreadyOpened)
    );
    assert_eq!(
        chamber.act(delegate(0), 1, SittingAction::MoveTo { item: item(0) }),
        Err(SittingRefusal::NotChair)
    );
    assert_eq!(
        chamber.act(
            member(CHAIR),
            1,
            SittingAction::MoveTo {
                item: AgendaItemId(Uuid::from_u128(7))
            }
        ),
        Err(SittingRefusal::NoSuchItem)
    );
    chamber.ok(member(CHAIR), 1, SittingAction::MoveTo { item: item(0) });
    chamber.ok(member(CHAIR), 11, SittingAction::Pause);
    chamber.ok(member(CHAIR), 31, SittingAction::Resume);
    let current = chamber.sitting.current.unwrap();
    assert_eq!(
        current.clock.elapsed_ms(at(36)),
        15 * MINUTE,
        "10 minutes before the pause and 5 after: the 20 paused are not the item's"
    );

    chamber.ok(member(CHAIR), 36, SittingAction::MoveTo { item: item(1) });
    assert_eq!(chamber.sitting.items_done, vec![item(0)]);
    chamber.ok(member(CHAIR), 40, SittingAction::MoveTo { item: item(0) });
    assert_eq!(
        chamber.sitting.current.unwrap().clock.elapsed_ms(at(42)),
        17 * MINUTE,
        "back on an item, its clock goes on from where it stopped"
    );
    assert_eq!(chamber.sitting.items_done, vec![item(1)]);
    assert_eq!(
        chamber.sitting.clock.elapsed_ms(at(42)),
        22 * MINUTE,
        "the sitting's own time leaves the pause out"
    );
}

#[test]
fn the_list_of_speakers_puts_a_point_of_order_on_top_and_the_chair_orders_and_grants() {
    let mut chamber = Chamber::new(4);
    for n in 0..4 {
        chamber.ok(delegate(n), 0, SittingAction::CheckIn { remote: false });
    }
    chamber.ok(member(GUEST), 0, SittingAction::CheckIn { remote: false });
    chamber.ok(member(CHAIR), 1, SittingAction::Open);
    let ask = SittingAction::RequestFloor {
        point_of_order: false,
    };
    assert_eq!(
        chamber.act(delegate(0), 1, ask.clone()),
        Err(SittingRefusal::NoCurrentItem),
        "the floor is asked for on an item"
    );
    chamber.ok(member(CHAIR), 1, SittingAction::MoveTo { item: item(0) });
    assert_eq!(
        chamber.act(member(GUEST), 2, ask.clone()),
        Err(SittingRefusal::MayNotSpeak),
        "a guest does not take the floor"
    );
    chamber.ok(delegate(0), 2, ask.clone());
    chamber.ok(delegate(1), 3, ask.clone());
    chamber.ok(
        delegate(2),
        4,
        SittingAction::RequestFloor {
            point_of_order: true,
        },
    );
    let order = |chamber: &Chamber| -> Vec<MemberId> {
        chamber
            .sitting
            .speakers_list()
            .iter()
            .map(|r| r.member)
            .collect()
    };
    assert_eq!(
        order(&chamber),
        vec![delegate(2), delegate(0), delegate(1)],
        "the point of order goes first"
    );
    chamber.ok(
        member(CHAIR),
        5,
        SittingAction::OrderRequest {
            member: delegate(1),
            position: 1,
        },
    );
    assert_eq!(order(&chamber), vec![delegate(2), delegate(1), delegate(0)]);

    chamber.ok(delegate(0), 6, SittingAction::WithdrawRequest);
    assert_eq!(
        chamber.act(
            member(CHAIR),
            6,
            SittingAction::GrantFloor {
                member: delegate(0),
                allowed_secs: None
            }
        ),
        Err(SittingRefusal::NoSuchRequest),
        "a request withdrawn a moment ago is not granted from a stale screen"
    );
    assert_eq!(
        chamber.act(
            delegate(3),
            6,
            SittingAction::GrantFloor {
                member: delegate(2),
                allowed_secs: None
            }
        ),
        Err(SittingRefusal::NotChair)
    );
    chamber.ok(
        member(CHAIR),
        6,
        SittingAction::GrantFloor {
            member: delegate(2),
            allowed_secs: Some(120),
        },
    );
    let speech = chamber.sitting.speech.unwrap();
    assert_eq!((speech.member, speech.allowed_secs), (delegate(2), 120));
    assert_eq!(
        order(&chamber),
        vec![delegate(1)],
        "off the list once granted"
    );

    // Granting the next ends the speech under way.
    chamber.ok(
        member(CHAIR),
        8,
        SittingAction::GrantFloor {
            member: delegate(1),
            allowed_secs: None,
        },
    );
    assert_eq!(
        chamber.sitting.speech.unwrap().allowed_secs,
        DEFAULT_SPEECH_SECS,
        "the rules' time when the chair does not say"
    );
    chamber.ok(member(CHAIR), 11, SittingAction::EndSpeech);
    assert_eq!(chamber.sitting.spoken_ms(delegate(2), at(20)), 2 * MINUTE);
    assert_eq!(chamber.sitting.spoken_ms(delegate(1), at(20)), 3 * MINUTE);
    assert_eq!(
        chamber.act(member(CHAIR), 12, SittingAction::EndSpeech),
        Err(SittingRefusal::NoSpeech)
    );

    // Speaking again on another item adds to the sitting's total.
    chamber.ok(member(CHAIR), 12, SittingAction::MoveTo { item: item(1) });
    chamber.ok(delegate(2), 13, ask);
    chamber.ok(
        member(CHAIR),
        13,
        SittingAction::GrantFloor {
            member: delegate(2),
            allowed_secs: None,
        },
    );
    assert_eq!(chamber.sitting.spoken_ms(delegate(2), at(14)), 3 * MINUTE);
    chamber.ok(delegate(2), 14, SittingAction::EndSpeech);
    assert_eq!(chamber.sitting.spoken_ms(delegate(2), at(30)), 3 * MINUTE);
}

#[test]
fn asking_for_the_floor_needs_a_check_in_and_leaving_withdraws_the_request() {
    let mut chamber = Chamber::new(2);
    chamber.ok(member(CHAIR), 0, SittingAction::Open);
    chamber.ok(member(CHAIR), 0, SittingAction::MoveTo { item: item(0) });
    let ask = SittingAction::RequestFloor {
        point_of_order: false,
    };
    assert_eq!(
        chamber.act(delegate(0), 1, ask.clone()),
        Err(SittingRefusal::NotPresent)
    );
    chamber.ok(delegate(0), 1, SittingAction::CheckIn { remote: false });
    chamber.ok(delegate(0), 2, ask);
    chamber.ok(delegate(0), 3, SittingAction::CheckOut);
    assert!(chamber.sitting.speakers_list().is_empty());
}

#[test]
fn the_chair_or_whoever_has_the_floor_presents_a_page_that_exists() {
    let mut chamber = Chamber::new(2);
    chamber.ok(delegate(0), 0, SittingAction::CheckIn { remote: false });
    chamber.ok(member(CHAIR), 0, SittingAction::Open);
    chamber.ok(member(CHAIR), 0, SittingAction::MoveTo { item: item(0) });
    let page = |page| SittingAction::Present {
        paper_id: PAPER,
        page,
    };
    chamber.ok(member(CHAIR), 1, page(3));
    assert_eq!(
        chamber.act(member(CHAIR), 1, page(12)),
        Err(SittingRefusal::NoSuchPage),
        "a 12-page paper ends at page 11"
    );
    assert_eq!(
        chamber.act(delegate(0), 1, page(4)),
        Err(SittingRefusal::NotPresenter)
    );
    chamber.ok(
        delegate(0),
        2,
        SittingAction::RequestFloor {
            point_of_order: false,
        },
    );
    chamber.ok(
        member(CHAIR),
        2,
        SittingAction::GrantFloor {
            member: delegate(0),
            allowed_secs: None,
        },
    );
    chamber.ok(delegate(0), 3, page(7));
    let shown = chamber.sitting.presentation.unwrap();
    assert_eq!((shown.presenter, shown.page), (delegate(0), 7));
    chamber.ok(member(CHAIR), 5, SittingAction::EndSpeech);
    assert_eq!(
        chamber.sitting.presentation, None,
        "a speaker's presentation ends with the speech"
    );
}

#[test]
fn a_device_that_replays_the_events_shows_the_server_s_state_and_the_state_travels_as_json() {
    let mut chamber = Chamber::new(3);
    chamber.ok(delegate(0), 0, SittingAction::CheckIn { remote: false });
    chamber.ok(delegate(1), 0, SittingAction::CheckIn { remote: false });
    chamber.ok(member(CHAIR), 1, SittingAction::Open);
    chamber.ok(member(CHAIR), 1, SittingAction::MoveTo { item: item(2) });
    chamber.ok(
        delegate(1),
        2,
        SittingAction::RequestFloor {
            point_of_order: false,
        },
    );
    chamber.ok(
        member(CHAIR),
        3,
        SittingAction::Present {
            paper_id: PAPER,
            page: 2,
        },
    );
    chamber.ok(member(CHAIR), 4, SittingAction::Pause);

    let mut device = Sitting::default();
    for event in &chamber.events {
        let wire = serde_json::to_string(event).unwrap();
        device.apply(&serde_json::from_str(&wire).unwrap());
    }
    assert_eq!(
        device, chamber.sitting,
        "the same events fold to the same state"
    );
    assert_eq!(device.seq, 7);

    let snapshot = serde_json::to_value(&chamber.sitting).unwrap();
    let back: Sitting = serde_json::from_value(snapshot).unwrap();
    assert_eq!(back, chamber.sitting);

    let json = serde_json::to_value(&chamber.events[0]).unwrap();
    assert_eq!(
        json["action"], "check_in",
        "an event is its action, flattened"
    );
    assert_eq!(json["remote"], false);
}

#[test]
fn rules_out_of_range_are_refused() {
    let mut chamber = Chamber::new(1);
    for rules in [
        SittingRules {
            quorum: QuorumRule {
                numerator: 4,
                denominator: 3,
            },
            ..SittingRules::default()
        },
        SittingRules {
            quorum: QuorumRule {
                numerator: 0,
                denominator: 3,
            },
            ..SittingRules::default()
        },
        SittingRules {
            speech_secs: 0,
            ..SittingRules::default()
        },
    ] {
        assert_eq!(
            chamber.act(member(CHAIR), 0, SittingAction::SetRules { rules }),
            Err(SittingRefusal::BadRules),
            "{rules:?}"
        );
    }
    assert_eq!(
        chamber.act(
            member(CHAIR),
            0,
            SittingAction::GrantFloor {
                member: delegate(0),
                allowed_secs: Some(0)
            }
        ),
        Err(SittingRefusal::NotOpen)
    );
}
