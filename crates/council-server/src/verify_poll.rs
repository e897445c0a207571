//! `council-server verify-poll LOG.jsonl`: what an audit of a poll's public log found, as a
//! person reads it (`ecabinet_domain::poll::log::audit` does the checking).

use ecabinet_domain::poll::log::audit;
use ecabinet_domain::poll::{MajorityRule, PollKind, PollResult, PollSettings};
use std::fmt::Write as _;

/// The report, and whether the log holds.
pub fn report(text: &str) -> (String, bool) {
    let audit = audit(text);
    let mut out = String::new();
    if let (Some(id), Some(settings)) = (audit.poll_id, &audit.settings) {
        let _ = writeln!(out, "poll {id}: {}", settings.title);
        let secrecy = if settings.secret { "secret" } else { "named" };
        let _ = writeln!(out, "{secrecy}, rule: {}", rule_name(settings.rule));
    }
    let _ = writeln!(out, "{} lines read", audit.lines);
    match (&audit.recount, &audit.settings) {
        (Some(result), Some(settings)) => write_count(&mut out, settings, result),
        _ => {
            let _ = writeln!(out, "the log does not close the poll: no count");
        }
    }
    for fault in &audit.faults {
        let _ = writeln!(out, "line {}: {}", fault.line, fault.problem);
    }
    if audit.holds() {
        let _ = writeln!(
            out,
            "the log holds: its chain is unbroken and its result is the count of its ballots"
        );
    } else {
        let _ = writeln!(
            out,
            "the log does NOT hold: {} problem(s) above",
            audit.faults.len()
        );
    }
    (out, audit.holds())
}

fn rule_name(rule: MajorityRule) -> &'static str {
    match rule {
        MajorityRule::MoreForThanAgainst => "more for than against",
        MajorityRule::HalfOfCast => "more than half of the ballots cast",
        MajorityRule::HalfOfPresent => "more than half of the voters present",
        MajorityRule::HalfOfMembers => "more than half of all members",
        MajorityRule::TwoThirdsOfMembers => "two thirds of all members",
    }
}

fn write_count(out: &mut String, settings: &PollSettings, result: &PollResult) {
    let names: Vec<String> = match &settings.kind {
        PollKind::YesNoAbstain => vec!["for".into(), "against".into(), "abstain".into()],
        kind => kind.option_names().to_vec(),
    };
    let _ = writeln!(
        out,
        "recount: {} ballots of {} entitled ({} members), {} abstained, {} did not vote",
        result.ballots, result.entitled, result.members, result.abstained, result.not_voted
    );
    for (name, count) in names.iter().zip(&result.counts) {
        let _ = writeln!(out, "  {name}: {count}");
    }
    let chosen: Vec<&str> = result
        .chosen
        .iter()
        .filter_map(|&i| names.get(i as usize).map(String::as_str))
        .collect();
    let verdict = match (&settings.kind, result.passed) {
        (PollKind::YesNoAbstain, true) => "passed".to_owned(),
        (PollKind::YesNoAbstain, false) => "not passed".to_owned(),
        (_, true) => format!("carried: {}", chosen.join(", ")),
        (_, false) if result.tied => "nothing carried: a tie".to_owned(),
        (_, false) => "nothing carried".to_owned(),
    };
    let _ = writeln!(
        out,
        "result: {verdict} (needed {} of {})",
        result.needed, result.base
    );
}
