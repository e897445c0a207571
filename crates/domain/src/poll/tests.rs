use super::log::{PollLogEntry, PollLogLine, audit};
use super::*;
use std::collections::HashMap;
use uuid::Uuid;

fn id<T: From<Uuid>>(n: u128) -> T {
    T::from(Uuid::from_u128(n))
}

fn settings(kind: PollKind, rule: MajorityRule) -> PollSettings {
    PollSettings {
        title: "Dự thảo nghị quyết về dự toán ngân sách năm 2027".into(),
        kind,
        secret: true,
        rule,
        may_change: true,
        countdown_secs: None,
    }
}

fn tally(kind: &PollKind, ballots: &[&[u32]]) -> BallotTally {
    let mut tally = BallotTally::new(kind);
    for choice in ballots {
        tally.add(kind, choice);
    }
    tally
}

/// yes, no, abstain ballots of a yes / no / abstain poll.
fn yna(yes: usize, no: usize, abstain: usize) -> BallotTally {
    let kind = PollKind::YesNoAbstain;
    let mut ballots: Vec<&[u32]> = Vec::new();
    ballots.extend(std::iter::repeat_n(&[YES][..], yes));
    ballots.extend(std::iter::repeat_n(&[NO][..], no));
    ballots.extend(std::iter::repeat_n(&[ABSTAIN][..], abstain));
    tally(&kind, &ballots)
}

#[test]
fn every_majority_rule_decides_as_its_table_says() {
    use MajorityRule::*;
    // (rule, yes, no, abstain, entitled, members, passes, needed, why)
    let table = [
        (
            MoreForThanAgainst,
            5,
            4,
            20,
            29,
            30,
            true,
            5,
            "one more for than against, abstentions left out",
        ),
        (
            MoreForThanAgainst,
            4,
            4,
            1,
            9,
            10,
            false,
            5,
            "a tie is not more for",
        ),
        (
            MoreForThanAgainst,
            0,
            0,
            7,
            7,
            10,
            false,
            1,
            "everyone abstaining carries nothing",
        ),
        (
            MoreForThanAgainst,
            0,
            0,
            0,
            0,
            10,
            false,
            1,
            "nobody present carries nothing",
        ),
        (
            HalfOfCast,
            5,
            4,
            1,
            10,
            10,
            false,
            6,
            "5 of 10 cast is exactly half, not more",
        ),
        (
            HalfOfCast,
            6,
            4,
            0,
            10,
            10,
            true,
            6,
            "6 of 10 cast is more than half",
        ),
        (
            HalfOfCast,
            6,
            3,
            2,
            11,
            11,
            true,
            6,
            "abstentions count among the ballots cast",
        ),
        (
            HalfOfCast,
            0,
            0,
            5,
            5,
            10,
            false,
            3,
            "all abstain: nobody for",
        ),
        (
            HalfOfCast,
            0,
            0,
            0,
            0,
            10,
            false,
            1,
            "no ballot cast, nothing carried",
        ),
        (
            HalfOfPresent,
            6,
            0,
            0,
            12,
            20,
            false,
            7,
            "6 of 12 present is exactly half",
        ),
        (
            HalfOfPresent,
            7,
            0,
            0,
            12,
            20,
            true,
            7,
            "non-voters present count against",
        ),
        (HalfOfPresent, 0, 0, 0, 0, 20, false, 1, "nobody present"),
        (
            HalfOfMembers,
            25,
            0,
            0,
            30,
            50,
            false,
            26,
            "25 of 50 members is exactly half",
        ),
        (
            HalfOfMembers,
            26,
            0,
            0,
            30,
            50,
            true,
            26,
            "26 of 50 members",
        ),
        (
            HalfOfMembers,
            26,
            0,
            0,
            30,
            51,
            true,
            26,
            "more than half of 51 is 26",
        ),
        (
            HalfOfMembers,
            25,
            1,
            4,
            30,
            51,
            false,
            26,
            "absent members count against",
        ),
        (
            TwoThirdsOfMembers,
            6,
            0,
            0,
            9,
            9,
            true,
            6,
            "two thirds of 9 is 6 exactly",
        ),
        (
            TwoThirdsOfMembers,
            6,
            0,
            0,
            10,
            10,
            false,
            7,
            "two thirds of 10 rounds up to 7",
        ),
        (TwoThirdsOfMembers, 7, 3, 0, 10, 10, true, 7, "7 of 10"),
        (
            TwoThirdsOfMembers,
            34,
            0,
            0,
            50,
            50,
            true,
            34,
            "two thirds of 50 rounds up to 34",
        ),
        (
            TwoThirdsOfMembers,
            33,
            0,
            0,
            50,
            50,
            false,
            34,
            "33 of 50 is short",
        ),
        (
            TwoThirdsOfMembers,
            0,
            0,
            0,
            0,
            0,
            false,
            1,
            "a meeting of nobody carries nothing",
        ),
    ];
    for (rule, yes, no, abstain, entitled, members, passes, needed, why) in table {
        let settings = settings(PollKind::YesNoAbstain, rule);
        let result = PollResult::decide(&settings, &yna(yes, no, abstain), entitled, members, None);
        assert_eq!(
            result.passed, passes,
            "{rule:?} {yes}/{no}/{abstain}: {why}"
        );
        assert_eq!(
            result.needed, needed,
            "{rule:?} {yes}/{no}/{abstain}: {why}"
        );
        assert_eq!(
            result.chosen,
            if passes { vec![YES] } else { vec![] },
            "{why}"
        );
        assert_eq!(result.abstained, abstain as u64);
        assert_eq!(
            result.not_voted,
            entitled.saturating_sub((yes + no + abstain) as u64)
        );
    }
}

#[test]
fn options_are_carried_by_count_and_a_tie_for_the_last_seat_carries_neither() {
    let options = |n: usize| (0..n).map(|i| format!("Phương án {i}")).collect::<Vec<_>>();
    let one_of = PollKind::OneOf {
        options: options(3),
    };
    let plurality = settings(one_of.clone(), MajorityRule::MoreForThanAgainst);
    let result = PollResult::decide(
        &plurality,
        &tally(&one_of, &[&[0], &[1], &[1], &[]]),
        4,
        4,
        None,
    );
    assert_eq!(
        result.chosen,
        vec![1],
        "the most votes carries among options"
    );
    let result = PollResult::decide(&plurality, &tally(&one_of, &[&[0], &[1]]), 2, 2, None);
    assert!(
        result.tied && result.chosen.is_empty(),
        "a tie for the one seat carries neither"
    );

    let half = settings(one_of.clone(), MajorityRule::HalfOfCast);
    let result = PollResult::decide(
        &half,
        &tally(&one_of, &[&[0], &[0], &[1], &[2]]),
        4,
        4,
        None,
    );
    assert!(!result.passed, "2 of 4 ballots is not more than half");

    let election = PollKind::Election {
        candidates: options(4),
        seats: 2,
    };
    let members = settings(election.clone(), MajorityRule::HalfOfMembers);
    let ballots: [&[u32]; 5] = [&[0, 1], &[0, 1], &[0, 2], &[1, 2], &[3]];
    let result = PollResult::decide(&members, &tally(&election, &ballots), 5, 5, None);
    assert_eq!(result.chosen, vec![0, 1], "3 and 3 of 5 members elect two");
    let ballots: [&[u32]; 5] = [&[0, 1], &[0, 2], &[0, 3], &[1, 2], &[]];
    let result = PollResult::decide(&members, &tally(&election, &ballots), 5, 5, None);
    assert_eq!(
        result.chosen,
        vec![0],
        "only one candidate has more than half"
    );
    assert_eq!(result.abstained, 1, "an empty ballot abstains");
    let ballots: [&[u32]; 3] = [&[0, 1], &[0, 2], &[1, 2]];
    let result = PollResult::decide(&members, &tally(&election, &ballots), 3, 3, None);
    assert!(
        result.tied && result.chosen.is_empty(),
        "three tied for two seats: a new round"
    );
}

fn open_poll(may_change: bool) -> Poll {
    let mut s = settings(PollKind::YesNoAbstain, MajorityRule::HalfOfMembers);
    s.may_change = may_change;
    s.countdown_secs = Some(60);
    let mut poll = Poll::draft(id(1), id(2), id(3), s, id(4), Timestamp(1_000)).unwrap();
    poll.open(Timestamp(2_000), vec![id(11), id(10)], 3)
        .unwrap();
    poll
}

fn ballot(key: u8, version: u32, choice: &[u32]) -> Ballot {
    Ballot {
        key: BallotKey([key; 32]),
        version,
        choice: choice.to_vec(),
    }
}

#[test]
fn a_ballot_counts_once_only_from_an_entitled_voter_while_the_poll_is_open() {
    let poll = open_poll(true);
    let mut ballots = HashMap::new();
    let now = Timestamp(3_000);
    let first = ballot(1, 1, &[YES]);
    assert_eq!(
        poll.entitled,
        vec![id(10), id(11)],
        "entitled voters are kept sorted"
    );
    assert_eq!(
        poll.check_ballot(id(12), false, &first, now, &ballots),
        Err(BallotRefusal::NotEntitled),
        "a member who was not present at opening does not vote"
    );
    assert_eq!(
        poll.check_ballot(id(10), false, &first, now, &ballots),
        Ok((BallotOutcome::First, vec![YES]))
    );
    ballots.insert(
        first.receipt(poll.id),
        CastBallot {
            receipt: first.receipt(poll.id),
            choice: vec![YES],
            voter: None,
            replaced: false,
        },
    );
    assert_eq!(
        poll.check_ballot(id(10), true, &first, now, &ballots),
        Ok((BallotOutcome::Repeat, vec![YES])),
        "a retry is answered with what was recorded"
    );
    assert_eq!(
        poll.check_ballot(id(10), true, &ballot(1, 1, &[NO]), now, &ballots),
        Err(BallotRefusal::Conflict),
        "the same receipt never carries two choices"
    );
    assert_eq!(
        poll.check_ballot(id(10), true, &ballot(9, 1, &[NO]), now, &ballots),
        Err(BallotRefusal::AlreadyVoted),
        "a second key does not give a second ballot"
    );
    assert_eq!(
        poll.check_ballot(id(10), true, &ballot(1, 2, &[NO]), now, &ballots),
        Ok((BallotOutcome::Replaces(first.receipt(poll.id)), vec![NO])),
        "the holder of the key changes their ballot"
    );
    assert_eq!(
        poll.check_ballot(id(10), true, &ballot(1, 3, &[NO]), now, &ballots),
        Err(BallotRefusal::NotCurrent),
        "a change names the ballot it replaces"
    );
    assert_eq!(
        poll.check_ballot(id(11), false, &ballot(2, 1, &[0, 1]), now, &ballots),
        Err(BallotRefusal::TooManyChoices)
    );
    assert_eq!(
        poll.check_ballot(id(11), false, &ballot(2, 1, &[7]), now, &ballots),
        Err(BallotRefusal::NoSuchOption)
    );
    assert_eq!(
        poll.check_ballot(
            id(11),
            false,
            &ballot(2, 1, &[YES]),
            Timestamp(62_000),
            &ballots
        ),
        Err(BallotRefusal::Closed),
        "the countdown closes the poll by the server's clock"
    );
    let fixed = open_poll(false);
    assert_eq!(
        fixed.check_ballot(id(10), true, &ballot(1, 2, &[NO]), now, &ballots),
        Err(BallotRefusal::AlreadyVoted),
        "a poll that does not allow changes keeps the first ballot"
    );
    let mut closed = open_poll(true);
    closed.close(
        now,
        PollResult::decide(&closed.settings, &yna(0, 0, 0), 2, 3, None),
    );
    assert_eq!(
        closed.check_ballot(id(11), false, &ballot(2, 1, &[YES]), now, &ballots),
        Err(BallotRefusal::Closed)
    );
    let mut cancelled = open_poll(true);
    cancelled.cancel(now);
    assert_eq!(
        cancelled.check_ballot(id(11), false, &ballot(2, 1, &[YES]), now, &ballots),
        Err(BallotRefusal::Cancelled)
    );
}

#[test]
fn only_the_chair_steps_a_poll_and_settings_freeze_once_it_opens() {
    let mut poll = Poll::draft(
        id(1),
        id(2),
        id(3),
        settings(PollKind::YesNoAbstain, MajorityRule::HalfOfMembers),
        id(4),
        Timestamp(0),
    )
    .unwrap();
    let chair = Some(MeetingRole::Chair);
    let secretary = Some(MeetingRole::Secretary);
    let delegate = Some(MeetingRole::Delegate);
    assert_eq!(Poll::may_draft(secretary), Ok(()));
    assert_eq!(Poll::may_draft(delegate), Err(PollRefusal::NotSecretariat));
    assert_eq!(
        poll.check_step(secretary, PollStep::Open),
        Err(PollRefusal::NotChair)
    );
    assert_eq!(
        poll.check_step(delegate, PollStep::Open),
        Err(PollRefusal::NotSecretariat)
    );
    assert_eq!(
        poll.check_step(secretary, PollStep::Cancel),
        Ok(()),
        "the secretary withdraws a draft"
    );
    assert_eq!(
        poll.check_step(chair, PollStep::Close),
        Err(PollRefusal::NotOpen)
    );
    assert_eq!(
        poll.open(Timestamp(5), vec![], 3),
        Err(PollRefusal::NobodyPresent)
    );
    poll.open(Timestamp(5), vec![id(10)], 3).unwrap();
    let edited = settings(PollKind::YesNoAbstain, MajorityRule::HalfOfCast);
    assert_eq!(poll.edit(id(3), edited), Err(PollRefusal::NotDraft));
    assert_eq!(
        poll.check_step(secretary, PollStep::Cancel),
        Err(PollRefusal::NotChair)
    );
    assert_eq!(
        poll.check_step(chair, PollStep::Publish),
        Err(PollRefusal::NotClosed)
    );
    assert_eq!(poll.check_step(chair, PollStep::Close), Ok(()));
    poll.close(
        Timestamp(6),
        PollResult::decide(&poll.settings, &yna(1, 0, 0), 1, 3, None),
    );
    assert_eq!(poll.check_step(chair, PollStep::Publish), Ok(()));
    poll.publish(Timestamp(7));
    assert_eq!(
        poll.check_step(chair, PollStep::Cancel),
        Err(PollRefusal::Final)
    );
}

#[test]
fn settings_that_cannot_be_put_to_a_vote_are_refused() {
    let base = settings(PollKind::YesNoAbstain, MajorityRule::HalfOfMembers);
    let with = |f: &dyn Fn(&mut PollSettings)| {
        let mut s = base.clone();
        f(&mut s);
        s.check()
    };
    assert_eq!(with(&|_| {}), Ok(()));
    assert_eq!(with(&|s| s.title = "  ".into()), Err(PollRefusal::BadTitle));
    assert_eq!(
        with(&|s| s.kind = PollKind::OneOf {
            options: vec!["A".into()]
        }),
        Err(PollRefusal::BadOptions),
        "one option is no choice"
    );
    assert_eq!(
        with(&|s| s.kind = PollKind::OneOf {
            options: vec!["A".into(), " A ".into()]
        }),
        Err(PollRefusal::BadOptions),
        "options must be told apart"
    );
    assert_eq!(
        with(&|s| s.kind = PollKind::Election {
            candidates: vec!["A".into()],
            seats: 2
        }),
        Err(PollRefusal::BadOptions),
        "more seats than candidates"
    );
    assert_eq!(
        with(&|s| s.countdown_secs = Some(3)),
        Err(PollRefusal::BadCountdown)
    );
}

/// A secret poll's log: opened, three ballots (the second voter changes theirs), closed,
/// the result.
fn secret_log() -> Vec<PollLogLine> {
    let poll = open_poll(true);
    let mut lines: Vec<PollLogLine> = Vec::new();
    let mut push = |entry| {
        let line = PollLogLine::after(lines.last(), entry);
        lines.push(line);
    };
    push(PollLogEntry::Opened {
        poll_id: poll.id,
        meeting_id: poll.meeting_id,
        item_id: poll.item_id,
        settings: poll.settings.clone(),
        at: Timestamp(2_000),
        entitled: 2,
        members: 3,
        voters: None,
    });
    let receipt = |key, version| Receipt::of(poll.id, &BallotKey([key; 32]), version);
    push(PollLogEntry::Ballot {
        receipt: receipt(1, 1),
        choice: vec![YES],
        replaces: None,
        voter: None,
    });
    push(PollLogEntry::Ballot {
        receipt: receipt(2, 1),
        choice: vec![NO],
        replaces: None,
        voter: None,
    });
    push(PollLogEntry::Ballot {
        receipt: receipt(2, 2),
        choice: vec![YES],
        replaces: Some(receipt(2, 1)),
        voter: None,
    });
    push(PollLogEntry::Closed {
        at: Timestamp(9_000),
    });
    let result = PollResult::decide(&poll.settings, &yna(2, 0, 0), 2, 3, None);
    push(PollLogEntry::Result { result });
    lines
}

fn text(lines: &[PollLogLine]) -> String {
    lines
        .iter()
        .map(|l| serde_json::to_string(l).unwrap() + "\n")
        .collect()
}

#[test]
fn an_untouched_log_holds_and_recounts_to_its_result() {
    let audit = audit(&text(&secret_log()));
    assert!(audit.holds(), "{:?}", audit.faults);
    let recount = audit.recount.expect("closed");
    assert_eq!(
        recount.counts,
        vec![2, 0, 0],
        "the changed ballot counts as its last version"
    );
    assert!(recount.passed, "2 of 3 members is more than half");
}

#[test]
fn an_altered_removed_reordered_or_added_line_is_named() {
    let lines = secret_log();
    let faults = |text: String| -> Vec<usize> {
        let mut found: Vec<usize> = audit(&text).faults.iter().map(|f| f.line).collect();
        found.dedup();
        found
    };

    let mut altered = text(&lines);
    altered = altered.replacen("\"choice\":[1]", "\"choice\":[0]", 1);
    assert_eq!(
        faults(altered),
        vec![3],
        "the altered ballot's hash no longer matches"
    );

    let mut rehashed = lines.clone();
    if let PollLogEntry::Ballot { choice, .. } = &mut rehashed[1].entry {
        *choice = vec![NO];
    }
    rehashed[1].hash = rehashed[1].content_hash();
    assert_eq!(
        faults(text(&rehashed)),
        vec![3, 6],
        "a line re-hashed after altering breaks the next line's link, and the stated result no longer recounts"
    );

    let mut removed = lines.clone();
    removed.remove(2);
    assert!(
        faults(text(&removed)).contains(&3),
        "the line after the gap is named"
    );

    let mut reordered = lines.clone();
    reordered.swap(1, 2);
    assert_eq!(
        faults(text(&reordered))[0],
        2,
        "the first line out of place is named"
    );

    let mut added = lines.clone();
    let stuffed = PollLogLine::after(
        Some(&added[3]),
        PollLogEntry::Ballot {
            receipt: Receipt([7; 32]),
            choice: vec![YES],
            replaces: None,
            voter: None,
        },
    );
    added.insert(4, stuffed);
    let found = faults(text(&added));
    assert!(
        found.contains(&5) && found.contains(&6),
        "an added ballot outnumbers the entitled voters and breaks the next link: {found:?}"
    );

    let mut forged = lines.clone();
    let mut result = PollResult::decide(&open_poll(true).settings, &yna(0, 2, 0), 2, 3, None);
    result.passed = false;
    forged[5] = PollLogLine::after(Some(&forged[4]), PollLogEntry::Result { result });
    assert_eq!(
        faults(text(&forged)),
        vec![6],
        "a result that is not the count is named"
    );
}

#[test]
fn receipts_and_keys_do_not_print_the_key() {
    let key = BallotKey([0xab; 32]);
    assert_eq!(format!("{key:?}"), "BallotKey(…)");
    let receipt = Receipt::of(id(1), &key, 1);
    assert_ne!(
        receipt,
        Receipt::of(id(1), &key, 2),
        "each version has its own receipt"
    );
    assert_ne!(receipt, Receipt::of(id(2), &key, 1), "and each poll");
    let json = serde_json::to_string(&receipt).unwrap();
    assert_eq!(serde_json::from_str::<Receipt>(&json).unwrap(), receipt);
    assert_eq!(json.len(), 66, "64 hex digits in quotes");
}
