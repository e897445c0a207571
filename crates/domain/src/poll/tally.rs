//! Counting ballots and deciding under a poll's majority rule.

use super::{MajorityRule, NO, PollKind, PollSettings, YES};
use crate::MemberId;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// The running count of a poll's current ballots.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
pub struct BallotTally {
    /// Ballots choosing each option, by index.
    pub counts: Vec<u64>,
    /// Current ballots (a changed ballot counts once, as its last version).
    pub ballots: u64,
    /// Ballots that abstain (see [`PollKind::abstains`]).
    pub abstained: u64,
}

impl BallotTally {
    pub fn new(kind: &PollKind) -> BallotTally {
        BallotTally {
            counts: vec![0; kind.option_count()],
            ballots: 0,
            abstained: 0,
        }
    }

    /// Counts a ballot (its choice checked by [`PollKind::check_choice`]).
    pub fn add(&mut self, kind: &PollKind, choice: &[u32]) {
        self.ballots += 1;
        if kind.abstains(choice) {
            self.abstained += 1;
        }
        for &option in choice {
            if let Some(count) = self.counts.get_mut(option as usize) {
                *count += 1;
            }
        }
    }

    /// Stops counting a ballot that a later version replaced.
    pub fn remove(&mut self, kind: &PollKind, choice: &[u32]) {
        self.ballots = self.ballots.saturating_sub(1);
        if kind.abstains(choice) {
            self.abstained = self.abstained.saturating_sub(1);
        }
        for &option in choice {
            if let Some(count) = self.counts.get_mut(option as usize) {
                *count = count.saturating_sub(1);
            }
        }
    }
}

/// A closed poll's count and what it decided, with the rule that decided it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PollResult {
    pub rule: MajorityRule,
    /// Ballots choosing each option, by index.
    pub counts: Vec<u64>,
    /// Ballots cast (each voter's last).
    pub ballots: u64,
    pub abstained: u64,
    /// Entitled voters who cast no ballot.
    pub not_voted: u64,
    /// Voters present when the poll opened.
    pub entitled: u64,
    /// All the meeting's voting members.
    pub members: u64,
    /// What the rule measures against: ballots cast, voters present or all members (for
    /// "more for than against", the for and against ballots).
    pub base: u64,
    /// The fewest ballots an option needs (for "more for than against", one more than the
    /// ballots against; among options, 1).
    pub needed: u64,
    /// The options carried: `[YES]` for a passed yes / no / abstain poll, the options or
    /// candidates chosen otherwise (most votes first).
    pub chosen: Vec<u32>,
    pub passed: bool,
    /// Options tied at the last place that could be carried, so none of them was.
    pub tied: bool,
    /// Who voted what, in a named poll.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roll: Option<BTreeMap<MemberId, Vec<u32>>>,
}

impl PollResult {
    /// Decides the count under the poll's rule. `entitled` are the voters present at
    /// opening, `members` all voting members; `roll` who voted what (named polls).
    pub fn decide(
        settings: &PollSettings,
        tally: &BallotTally,
        entitled: u64,
        members: u64,
        roll: Option<BTreeMap<MemberId, Vec<u32>>>,
    ) -> PollResult {
        let count = |option: u32| tally.counts.get(option as usize).copied().unwrap_or(0);
        let rule = settings.rule;
        let base = match rule {
            MajorityRule::MoreForThanAgainst => match settings.kind {
                PollKind::YesNoAbstain => count(YES) + count(NO),
                _ => tally.ballots - tally.abstained,
            },
            MajorityRule::HalfOfCast => tally.ballots,
            MajorityRule::HalfOfPresent => entitled,
            MajorityRule::HalfOfMembers | MajorityRule::TwoThirdsOfMembers => members,
        };
        let needed = match rule {
            MajorityRule::MoreForThanAgainst => match settings.kind {
                PollKind::YesNoAbstain => count(NO) + 1,
                _ => 1,
            },
            MajorityRule::TwoThirdsOfMembers => (2 * base).div_ceil(3).max(1),
            _ => base / 2 + 1,
        };
        let (chosen, tied) = match settings.kind {
            PollKind::YesNoAbstain => {
                let yes = count(YES);
                (if yes >= needed { vec![YES] } else { Vec::new() }, false)
            }
            _ => carried(&tally.counts, needed, settings.kind.max_choices()),
        };
        PollResult {
            rule,
            counts: tally.counts.clone(),
            ballots: tally.ballots,
            abstained: tally.abstained,
            not_voted: entitled.saturating_sub(tally.ballots),
            entitled,
            members,
            base,
            needed,
            passed: !chosen.is_empty(),
            chosen,
            tied,
            roll,
        }
    }
}

/// The options with at least `needed` ballots, most first, at most `seats` of them; options
/// tied for the last seat are all left out (the council votes again), which `tied` says.
fn carried(counts: &[u64], needed: u64, seats: usize) -> (Vec<u32>, bool) {
    let mut ranked: Vec<(u32, u64)> = counts
        .iter()
        .enumerate()
        .filter(|(_, c)| **c >= needed.max(1))
        .map(|(i, &c)| (i as u32, c))
        .collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    if ranked.len() <= seats {
        return (ranked.into_iter().map(|(i, _)| i).collect(), false);
    }
    let cut = ranked[seats - 1].1;
    let tied = ranked[seats].1 == cut;
    let chosen = ranked
        .iter()
        .take(seats)
        .filter(|(_, c)| !tied || *c > cut)
        .map(|(i, _)| *i)
        .collect();
    (chosen, tied)
}
