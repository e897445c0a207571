//! The live sittings, kept in memory as the fold of their stored events.
//!
//! One lock per meeting serialises its actions: each is decided against the sitting as it
//! stands, stored under the next number (and its client-made id), folded in, and only then
//! announced. A sitting is loaded from its events on first use, so a server restarted (or
//! killed) mid-sitting carries on from exactly what it stored. Should another instance
//! have stored an event first, the append fails as a conflict, the sitting catches up from
//! the storage and the action is decided again.

use council_storage::{CouncilStorage, StorageError};
use ecabinet_domain::sitting::{
    Actor, Sitting, SittingAction, SittingContext, SittingEvent, SittingRefusal,
};
use ecabinet_domain::{MeetingId, Timestamp};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use uuid::Uuid;

/// What became of an action.
#[derive(Debug)]
pub enum Acted {
    /// Recorded now as this event.
    Recorded(SittingEvent),
    /// Recorded before under the same action id (a retry): this event, announced then.
    Repeated(SittingEvent),
}

#[derive(Debug)]
pub enum ActError {
    Refused(SittingRefusal),
    Storage(StorageError),
}

impl From<StorageError> for ActError {
    fn from(e: StorageError) -> Self {
        ActError::Storage(e)
    }
}

/// An action as a participant asked it: under their device's id, at the server's `now`.
#[derive(Debug, Clone)]
pub struct Asked {
    pub action_id: Uuid,
    pub actor: Actor,
    pub action: SittingAction,
    pub now: Timestamp,
}

/// Every sitting this server has touched since it started.
#[derive(Default)]
pub struct Sittings {
    loaded: Mutex<HashMap<MeetingId, Arc<tokio::sync::Mutex<Sitting>>>>,
}

/// How often an action is decided again after another instance stored an event first.
const RETRIES: usize = 3;

impl Sittings {
    fn slot(&self, meeting: MeetingId) -> Arc<tokio::sync::Mutex<Sitting>> {
        let mut loaded = self.loaded.lock().expect("sittings lock");
        Arc::clone(loaded.entry(meeting).or_default())
    }

    /// The sitting as stored, with any events another instance stored folded in.
    pub async fn current(
        &self,
        storage: &dyn CouncilStorage,
        meeting: MeetingId,
    ) -> Result<Sitting, StorageError> {
        let slot = self.slot(meeting);
        let mut sitting = slot.lock().await;
        catch_up(storage, meeting, &mut sitting).await?;
        Ok(sitting.clone())
    }

    /// Decides an action and stores it as the sitting's next event.
    pub async fn act(
        &self,
        storage: &dyn CouncilStorage,
        meeting: MeetingId,
        asked: Asked,
        context: &impl SittingContext,
    ) -> Result<Acted, ActError> {
        let Asked {
            action_id,
            actor,
            action,
            now,
        } = asked;
        let slot = self.slot(meeting);
        let mut sitting = slot.lock().await;
        for _ in 0..RETRIES {
            catch_up(storage, meeting, &mut sitting).await?;
            if let Some(event) = storage.sitting_event_for_action(meeting, action_id).await? {
                return Ok(Acted::Repeated(event));
            }
            sitting
                .decide(actor, &action, context)
                .map_err(ActError::Refused)?;
            let event = SittingEvent {
                seq: sitting.seq + 1,
                at: now,
                actor: actor.member,
                action: action.clone(),
            };
            match storage
                .append_sitting_event(meeting, action_id, &event)
                .await
            {
                Ok(()) => {
                    sitting.apply(&event);
                    return Ok(Acted::Recorded(event));
                }
                // Another instance stored one first: catch up and decide again.
                Err(StorageError::Conflict(_)) => continue,
                Err(other) => return Err(other.into()),
            }
        }
        Err(StorageError::Conflict("the sitting kept changing under this action".into()).into())
    }
}

/// Folds in the events stored after the ones this sitting has.
async fn catch_up(
    storage: &dyn CouncilStorage,
    meeting: MeetingId,
    sitting: &mut Sitting,
) -> Result<(), StorageError> {
    for event in storage.sitting_events(meeting, sitting.seq).await? {
        sitting.apply(&event);
    }
    Ok(())
}
