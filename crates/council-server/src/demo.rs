//! The demo council: a People's Council with its officers, twelve delegates and an upcoming
//! session, so `make run` shows a complete, believable product.
//!
//! The data lives in `assets/demo/council.json` and is compiled into the binary, so the
//! demo never depends on files outside the installed program. Ids are fresh on each seed;
//! meeting dates are relative to the seeding moment so the session is always upcoming.

use crate::auth;
use anyhow::Context;
use council_storage::{Account, CouncilSeed};
use ecabinet_domain::{
    AgendaItem, AgendaItemId, Council, CouncilId, Meeting, MeetingId, MeetingStatus, Member,
    MemberId, Role, Timestamp,
};
use rand::RngCore;
use serde::Deserialize;
use uuid::Uuid;

const DEMO_JSON: &str = include_str!("../../../assets/demo/council.json");

/// Vietnam has used UTC+7 all year since 1975.
const VIETNAM_OFFSET_MS: i64 = 7 * 60 * 60 * 1000;
const DAY_MS: i64 = 24 * 60 * 60 * 1000;

#[derive(Deserialize)]
struct DemoCouncil {
    council: String,
    members: Vec<DemoMember>,
    meetings: Vec<DemoMeeting>,
}

#[derive(Deserialize)]
pub struct DemoMember {
    pub username: String,
    pub display_name: String,
    pub role: Role,
}

#[derive(Deserialize)]
struct DemoMeeting {
    title: String,
    starts_in_days: i64,
    local_start: String,
    location: String,
    status: MeetingStatus,
    agenda: Vec<DemoItem>,
}

#[derive(Deserialize)]
struct DemoItem {
    title: String,
    presenter: Option<String>,
    minutes: Option<i32>,
    #[serde(default)]
    papers: Vec<String>,
    #[serde(default)]
    children: Vec<DemoItem>,
}

fn parse() -> DemoCouncil {
    serde_json::from_str(DEMO_JSON)
        .expect("assets/demo/council.json is valid (checked by a unit test)")
}

/// The demo accounts in the order they are printed.
pub fn members() -> Vec<DemoMember> {
    parse().members
}

/// Midnight of `now`'s day in Vietnam, plus `days`, at `hh:mm` Vietnam time, as UTC.
fn local_day_at(now: Timestamp, days: i64, hh_mm: &str) -> anyhow::Result<Timestamp> {
    let (h, m) = hh_mm.split_once(':').context("local_start is HH:MM")?;
    let minutes = h.parse::<i64>()? * 60 + m.parse::<i64>()?;
    let local_midnight = (now.millis() + VIETNAM_OFFSET_MS).div_euclid(DAY_MS) * DAY_MS;
    Ok(Timestamp(
        local_midnight + days * DAY_MS + minutes * 60_000 - VIETNAM_OFFSET_MS,
    ))
}

fn flatten(
    items: Vec<DemoItem>,
    meeting: MeetingId,
    parent: Option<AgendaItemId>,
    out: &mut Vec<AgendaItem>,
) {
    for (i, d) in items.into_iter().enumerate() {
        let id = AgendaItemId(Uuid::new_v4());
        out.push(AgendaItem {
            id,
            meeting_id: meeting,
            parent_id: parent,
            position: (i as i32 + 1) * 10,
            title: d.title,
            presenter: d.presenter,
            planned_minutes: d.minutes,
            paper_titles: d.papers,
        });
        flatten(d.children, meeting, Some(id), out);
    }
}

/// Builds the demo council, every account with `password`.
pub fn council_seed(
    now: Timestamp,
    password: &str,
    rng: &mut impl RngCore,
) -> anyhow::Result<CouncilSeed> {
    let demo = parse();
    let council = Council {
        id: CouncilId(Uuid::new_v4()),
        name: demo.council,
    };
    // One hash for every account: they share the password, and argon2 is slow on purpose.
    let password_hash = auth::hash_password(password, rng).context("hashing the demo password")?;
    let accounts = demo
        .members
        .into_iter()
        .map(|m| Account {
            member: Member {
                id: MemberId(Uuid::new_v4()),
                council_id: council.id,
                username: m.username,
                display_name: m.display_name,
                role: m.role,
            },
            password_hash: password_hash.clone(),
        })
        .collect();
    let mut meetings = Vec::new();
    let mut agenda_items = Vec::new();
    for m in demo.meetings {
        let meeting = Meeting {
            id: MeetingId(Uuid::new_v4()),
            council_id: council.id,
            title: m.title,
            starts_at: local_day_at(now, m.starts_in_days, &m.local_start)
                .with_context(|| format!("start time of demo meeting {:?}", m.local_start))?,
            location: m.location,
            status: m.status,
        };
        flatten(m.agenda, meeting.id, None, &mut agenda_items);
        meetings.push(meeting);
    }
    Ok(CouncilSeed {
        council,
        accounts,
        meetings,
        agenda_items,
    })
}

/// The demo council once more, as a second council on the same server: fresh ids, its
/// name marked with `prefix`, and every user name prefixed `prefix.` (user names are unique
/// server-wide). For tests that keep councils apart.
pub fn neighbour_council_seed(
    now: Timestamp,
    password: &str,
    prefix: &str,
    rng: &mut impl RngCore,
) -> anyhow::Result<CouncilSeed> {
    let mut seed = council_seed(now, password, rng)?;
    seed.council.name = format!("{} ({prefix})", seed.council.name);
    for account in &mut seed.accounts {
        account.member.username = format!("{prefix}.{}", account.member.username);
    }
    Ok(seed)
}

/// A readable random password for a demo whose operator did not choose one.
pub fn random_password(rng: &mut impl RngCore) -> String {
    const WORDS: [&str; 12] = [
        "sen", "mai", "dao", "lua", "song", "nui", "bien", "trang", "sao", "gio", "may", "hoa",
    ];
    let mut parts: Vec<String> = (0..3)
        .map(|_| WORDS[(rng.next_u32() % 12) as usize].to_owned())
        .collect();
    parts.push(format!("{:04}", rng.next_u32() % 10_000));
    parts.join("-")
}

/// The council's enabled members as they stand, for the demo's seeds that act in their name.
pub async fn council_members(
    state: &crate::ServerState,
    council: ecabinet_domain::CouncilId,
) -> anyhow::Result<Vec<Member>> {
    Ok(state
        .storage
        .accounts(council, state.clock.now())
        .await?
        .into_iter()
        .map(|(member, _)| member)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_council_has_every_role_and_twelve_delegates() {
        let seed = council_seed(Timestamp(1_795_000_000_000), "pw", &mut rand::rng()).unwrap();
        for role in Role::ALL {
            assert!(
                seed.accounts.iter().any(|a| a.member.role == role),
                "{role:?} missing from the demo"
            );
        }
        let delegates = seed
            .accounts
            .iter()
            .filter(|a| a.member.role == Role::Delegate)
            .count();
        assert!(
            delegates >= 12,
            "the issue asks for at least 12 delegates, got {delegates}"
        );
    }

    #[test]
    fn the_upcoming_session_has_a_nested_programme_of_at_least_five_items() {
        let now = Timestamp(1_795_000_000_000);
        let seed = council_seed(now, "pw", &mut rand::rng()).unwrap();
        let upcoming = seed
            .meetings
            .iter()
            .find(|m| m.starts_at > now)
            .expect("an upcoming meeting");
        let items: Vec<_> = seed
            .agenda_items
            .iter()
            .filter(|i| i.meeting_id == upcoming.id)
            .collect();
        assert!(items.iter().filter(|i| i.parent_id.is_none()).count() >= 5);
        assert!(
            items.iter().any(|i| i.parent_id.is_some()),
            "some items must be nested"
        );
    }

    #[test]
    fn meetings_start_at_vietnam_local_time() {
        // 2026-11-23T20:00:00Z is already 24 November, 03:00 in Hà Nội.
        let now = Timestamp(1_795_464_000_000);
        let start = local_day_at(now, 1, "08:00").unwrap();
        // 25 November 08:00 +07:00 = 25 November 01:00 UTC.
        assert_eq!(start, Timestamp(1_795_568_400_000));
    }
}
