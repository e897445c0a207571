//! A full chamber for load tests: `serve --demo --demo-delegates N` adds N delegates
//! (`delegate0001` "Đại biểu 0001" to `delegateNNNN`) with the demo password, each sitting
//! and voting in the demo session, so a load generator can fill its sitting with thousands
//! of devices.
//!
//! Seeding is idempotent: an account that exists is left alone, and only participants the
//! session lacks are added. Before the session's packet is published the accounts are
//! enough, since the publish takes every member of the council. Once it is published, the
//! missing delegates join in the packet's next version with the same papers and programme,
//! as a secretary would by choosing the participants and publishing again.

use crate::{ServerState, auth, demo_packet};
use anyhow::Context;
use council_storage::{NewAccount, NewPacketVersion};
use ecabinet_domain::{CouncilId, MeetingRole, Member, MemberId, PacketVersion, Participant, Role};
use std::collections::HashSet;
use uuid::Uuid;

/// The most a four-digit user name can number.
pub const MAX_DELEGATES: u32 = 9_999;

/// The user name of the crowd's `n`th delegate (from 1).
pub fn username(n: u32) -> String {
    format!("delegate{n:04}")
}

/// The display name of the crowd's `n`th delegate (from 1).
pub fn display_name(n: u32) -> String {
    format!("Đại biểu {n:04}")
}

/// What a seed did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrowdSeeded {
    /// Accounts created now (0 when all existed).
    pub created: usize,
    /// The packet version published to seat delegates the session lacked, if one was.
    pub published: Option<u32>,
}

/// Adds the crowd's `count` delegates to the council and to the demo session's
/// participants, creating only the accounts that do not exist (with `password`, needed only
/// then) and publishing a version only when the published one lacks some of them.
pub async fn seed(
    state: &ServerState,
    council: CouncilId,
    count: u32,
    password: Option<&str>,
) -> anyhow::Result<CrowdSeeded> {
    anyhow::ensure!(
        count <= MAX_DELEGATES,
        "at most {MAX_DELEGATES} demo delegates, asked for {count}"
    );
    let storage = &state.storage;
    let now = state.clock.now();
    // Disabled accounts count as existing: their user names are taken.
    let taken: HashSet<String> = storage
        .account_details(council, now)
        .await?
        .into_iter()
        .map(|a| a.member.username)
        .collect();
    let missing: Vec<u32> = (1..=count)
        .filter(|n| !taken.contains(&username(*n)))
        .collect();
    if !missing.is_empty() {
        let password = password.context(
            "the demo password of this data dir is not recorded, so the demo delegates cannot be given it",
        )?;
        // One hash for all of them: they share the password, and argon2 is slow on purpose
        // (2,000 hashes would take minutes).
        let password = password.to_owned();
        let password_hash =
            tokio::task::spawn_blocking(move || auth::hash_password(&password, &mut rand::rng()))
                .await?
                .context("hashing the demo password")?;
        let accounts = missing
            .iter()
            .map(|n| NewAccount {
                member: Member {
                    id: MemberId(Uuid::new_v4()),
                    council_id: council,
                    username: username(*n),
                    display_name: display_name(*n),
                    role: Role::Delegate,
                },
                unit: String::new(),
                password_hash: password_hash.clone(),
                must_change_password: false,
            })
            .collect();
        let head = storage
            .create_accounts(council, accounts)
            .await
            .context("creating the demo delegates")?;
        state.live.announce(council, head);
    }
    let published = seat(state, council, count).await?;
    Ok(CrowdSeeded {
        created: missing.len(),
        published,
    })
}

/// Makes the crowd's enabled delegates participants of the demo session: in the working
/// list when the secretariat set one, and in a new version when the published one lacks
/// some. Returns the number of the version it published, if any.
async fn seat(state: &ServerState, council: CouncilId, count: u32) -> anyhow::Result<Option<u32>> {
    let storage = &state.storage;
    let now = state.clock.now();
    let Some(meeting) = demo_packet::upcoming_meeting(state, council).await? else {
        return Ok(None);
    };
    let names: HashSet<String> = (1..=count).map(username).collect();
    let members = storage.accounts(council, now).await?;
    let crowd: Vec<Participant> = members
        .iter()
        .filter(|(m, _)| names.contains(&m.username))
        .map(|(m, _)| Participant {
            member_id: m.id,
            display_name: m.display_name.clone(),
            meeting_role: MeetingRole::Delegate,
            votes: true,
        })
        .collect();
    let lacking = |participants: &[Participant]| -> Vec<Participant> {
        let seated: HashSet<MemberId> = participants.iter().map(|p| p.member_id).collect();
        crowd
            .iter()
            .filter(|p| !seated.contains(&p.member_id))
            .cloned()
            .collect()
    };
    let mut working = storage.participants(meeting).await?;
    let add = lacking(&working);
    if !working.is_empty() && !add.is_empty() {
        working.extend(add);
        let head = storage.put_participants(council, meeting, working).await?;
        state.live.announce(council, head);
    }
    let Some(latest) = storage.latest_packet(meeting).await? else {
        return Ok(None);
    };
    let add = lacking(&latest.participants);
    if add.is_empty() {
        return Ok(None);
    }
    let secretary = members
        .iter()
        .find(|(m, _)| m.role == Role::Secretary)
        .map(|(m, _)| m.id)
        .context("the demo council has no secretary")?;
    let mut participants = latest.participants.clone();
    participants.extend(add);
    // The published version again with more participants: papers and programme as they
    // were published, whatever the secretariat is preparing meanwhile.
    let version = PacketVersion {
        meeting_id: meeting,
        number: latest.number + 1,
        published_at: now,
        published_by: secretary,
        participants,
        entries: latest.entries.clone(),
        programme: latest.programme.clone(),
    };
    let number = version.number;
    let head = storage
        .publish_packet(NewPacketVersion { council, version })
        .await
        .context("publishing the demo session with its delegates")?;
    state.live.announce(council, head);
    Ok(Some(number))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_count_from_one_in_four_digits() {
        assert_eq!(username(1), "delegate0001");
        assert_eq!(username(2000), "delegate2000");
        assert_eq!(display_name(42), "Đại biểu 0042");
        assert!(
            !crate::demo::members()
                .iter()
                .any(|m| (1..=MAX_DELEGATES).any(|n| m.username == username(n))),
            "the crowd's user names never meet the demo's own"
        );
    }
}
