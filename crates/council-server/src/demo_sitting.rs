//! The demo session's sitting, ready for the chamber: the secretariat allows check-ins from
//! outside the chamber, a few delegates have checked in (one of them remote, and one without
//! a device recorded present by the secretary), so whoever signs in to the demo finds the sitting's
//! panel with its quorum under way; the chair opens it. Recorded through the same path as a
//! device's `POST /api/v1/meetings/{id}/sitting`, under fixed action ids: a restart records
//! nothing twice, and a council reshaped since is skipped with a warning.

use crate::ServerState;
use crate::api::polls::draft_as;
use crate::api::sittings::act_as;
use ecabinet_domain::AgendaItemId;
use ecabinet_domain::CouncilId;
use ecabinet_domain::poll::{MajorityRule, PollId, PollKind, PollSettings};
use ecabinet_domain::sitting::{SittingAction, SittingRules};
use ecabinet_protocol::PollDraft;
use ecabinet_protocol::SittingRequest;
use uuid::Uuid;

/// Who does what, in order, under which fixed action id.
fn steps() -> Vec<(u128, &'static str, SittingAction)> {
    let check_in = |remote| SittingAction::CheckIn { remote };
    vec![
        (
            0x5177_0001,
            "secretary",
            SittingAction::SetRules {
                rules: SittingRules {
                    remote_allowed: true,
                    ..SittingRules::default()
                },
            },
        ),
        (0x5177_0002, "delegate02", check_in(false)),
        (0x5177_0003, "delegate03", check_in(false)),
        (0x5177_0004, "delegate04", check_in(true)),
        (0x5177_0005, "delegate05", check_in(false)),
        (
            0x5177_0006,
            "secretary",
            SittingAction::CheckIn { remote: false },
        ),
    ]
}

/// Records the demo's first check-ins in the sitting of the council's published session.
pub async fn seed(state: &ServerState, council: CouncilId) -> anyhow::Result<()> {
    let storage = &state.storage;
    let members = crate::demo::council_members(state, council).await?;
    let mut session = None;
    for meeting in storage.meetings(council).await? {
        if storage.latest_packet(meeting.id).await?.is_some() {
            session = Some(meeting);
        }
    }
    let Some(session) = session else {
        tracing::warn!("the demo has no published session; its sitting is not seeded");
        return Ok(());
    };
    let mut steps = steps();
    // delegate06 has no device today: the secretary records her present by hand.
    if let Some(delegate06) = members.iter().find(|m| m.username == "delegate06") {
        steps.push((
            0x5177_0007,
            "secretary",
            SittingAction::RecordAttendance {
                member: delegate06.id,
                present: true,
            },
        ));
    }
    for (id, username, action) in steps {
        let Some(member) = members.iter().find(|m| m.username == username) else {
            tracing::warn!(
                username,
                "the demo's sitting names a member it no longer has"
            );
            continue;
        };
        let request = SittingRequest {
            action_id: Uuid::from_u128(id),
            action,
        };
        if let Err(e) = act_as(state, session.clone(), member.id, request).await {
            tracing::warn!(username, "the demo's sitting step was refused: {e:?}");
        }
    }
    // The vote the chair will put once the sitting is open: drafted by the secretary on
    // the programme's last item (the resolutions), secret, under the council's rule.
    let drafted = storage.poll(DEMO_POLL).await?.is_some();
    if let Some(secretary) = members
        .iter()
        .find(|m| m.username == "secretary" && !drafted)
    {
        let draft = PollDraft {
            item_id: AgendaItemId(Uuid::nil()),
            settings: PollSettings {
                title: "Thông qua Nghị quyết về dự toán ngân sách địa phương năm 2027".into(),
                kind: PollKind::YesNoAbstain,
                secret: true,
                rule: MajorityRule::HalfOfMembers,
                may_change: true,
                countdown_secs: Some(120),
            },
        };
        if let Err(e) = draft_as(state, session, secretary.id, DEMO_POLL, draft).await {
            tracing::warn!("the demo's poll was refused: {e:?}");
        }
    }
    Ok(())
}

/// The demo's draft poll: a fixed id, so a restart drafts it once.
pub const DEMO_POLL: PollId = PollId(Uuid::from_u128(0x9011_0001));
