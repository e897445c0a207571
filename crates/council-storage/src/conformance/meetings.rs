//! Councils, meetings, programmes and participants ([`MeetingStore`]).

use crate::prelude::*;
use ecabinet_domain::{AgendaItemId, CouncilId, MeetingId, MeetingStatus};
use ecabinet_protocol::SyncRecord;
use std::sync::Arc;
use uuid::Uuid;

use super::{Fixture, expect_conflict, expect_not_found, participant};

/// Every method of [`MeetingStore`] on a small council: what goes in comes back equal,
/// each write is logged and returns the new head, and misuse maps to the error the API
/// turns into a code.
pub async fn councils_meetings_and_programmes_round_trip_and_errors_map(
    storage: Arc<dyn CouncilStorage>,
) {
    let fx = Fixture::new("records");
    storage.seed_council(fx.seed()).await.unwrap();

    // Councils, meetings and programme items come back equal; unknown ids are NotFound.
    assert_eq!(storage.council(fx.council).await.unwrap().id, fx.council);
    assert_eq!(storage.meeting(fx.meeting.id).await.unwrap(), fx.meeting);
    assert_eq!(storage.agenda_item(fx.item.id).await.unwrap(), fx.item);
    expect_not_found(
        storage.council(CouncilId(Uuid::new_v4())).await,
        "an unknown council",
    );
    expect_not_found(
        storage.meeting(MeetingId(Uuid::new_v4())).await,
        "an unknown meeting",
    );
    expect_not_found(
        storage.agenda_item(AgendaItemId(Uuid::new_v4())).await,
        "an unknown agenda item",
    );

    let mut meeting = fx.meeting.clone();
    meeting.status = MeetingStatus::InProgress;
    meeting.title = "Kỳ họp thử nghiệm (đang họp)".into();
    let seq = storage.put_meeting(meeting.clone()).await.unwrap();
    assert_eq!(storage.meeting(meeting.id).await.unwrap(), meeting);
    assert_eq!(storage.log_head(fx.council).await.unwrap(), seq);

    let mut child = fx.item.clone();
    child.id = AgendaItemId(Uuid::new_v4());
    child.parent_id = Some(fx.item.id);
    child.presenter = None;
    child.planned_minutes = None;
    child.paper_titles = vec![];
    let seq = storage
        .put_agenda_item(fx.council, child.clone())
        .await
        .unwrap();
    assert_eq!(storage.agenda_item(child.id).await.unwrap(), child);
    assert_eq!(
        storage.meetings(fx.council).await.unwrap(),
        vec![meeting.clone()],
        "the council's meetings, each once, as last written"
    );
    assert!(
        storage
            .meetings(CouncilId(Uuid::new_v4()))
            .await
            .unwrap()
            .is_empty()
    );
    let mut items = storage.agenda_items(fx.meeting.id).await.unwrap();
    items.sort_by_key(|i| i.parent_id.is_some());
    assert_eq!(items, vec![fx.item.clone(), child.clone()]);
    let last = storage
        .changes_since(fx.council, seq - 1, 10)
        .await
        .unwrap();
    assert_eq!(
        last.iter().map(|c| &c.record).collect::<Vec<_>>(),
        [&SyncRecord::AgendaItem(child)],
        "the write is logged with its full new state"
    );

    // A second council reusing a user name is refused whole: user names are server-wide.
    let mut clash = Fixture::new("other");
    clash.delegate.username = fx.delegate.username.clone();
    expect_conflict(
        storage.seed_council(clash.seed()).await,
        "seeding a user name that exists",
    );
    expect_not_found(
        storage.council(clash.council).await,
        "a council whose seed failed (the seed is one transaction)",
    );

    // Participants.
    assert!(
        storage
            .participants(fx.meeting.id)
            .await
            .unwrap()
            .is_empty()
    );
    let people = vec![participant(&fx.delegate), participant(&fx.secretary)];
    storage
        .put_participants(fx.council, fx.meeting.id, people.clone())
        .await
        .unwrap();
    assert_eq!(storage.participants(fx.meeting.id).await.unwrap(), people);
}
