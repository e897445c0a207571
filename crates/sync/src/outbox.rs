//! Pushes the member's annotation writes the server has not acknowledged, in the order
//! they were made, under their device-made ids. A write is removed from the outbox only
//! with the server's answer (kept in the store in the same transaction), so a lost answer
//! means the same write is sent again, which the server answers without writing anything.
//! Opinions go the same way ([`push_opinions`]): each version under the opinion's id and
//! the number the device gave it.

use crate::{CouncilClient, SyncError};
use ecabinet_domain::MemberId;
use ecabinet_protocol::ErrorCode;
use ecabinet_store::{OutboxEntry, OutboxOperation, Store};
use std::sync::{Arc, Mutex};

/// What one push did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pushed {
    /// Writes the server acknowledged.
    pub acknowledged: usize,
    /// Writes the server refused (kept with their code for the member).
    pub refused: usize,
}

/// Sends every waiting write of `member`, oldest first. A refusal (a 4xx the member must
/// act on: bad input, a paper they may no longer read) is kept with its code and the push
/// goes on; a network error or a server failure stops it and is returned, so the caller
/// retries with its backoff.
pub async fn push_annotations(
    client: &CouncilClient,
    token: &str,
    member: MemberId,
    store: &Arc<Mutex<Store>>,
) -> Result<Pushed, SyncError> {
    let local = |e: anyhow::Error| SyncError::LocalStore(format!("{e:#}"));
    let mut pushed = Pushed::default();
    // Read once per round: writes made meanwhile are pushed on the next nudge.
    let waiting = store
        .lock()
        .expect("store lock")
        .outbox(member)
        .map_err(local)?;
    for entry in waiting {
        let answer = send(client, token, &entry).await;
        let mut store = store.lock().expect("store lock");
        match answer {
            Ok(revision) => {
                store
                    .acknowledge_annotation(entry.seq, &revision)
                    .map_err(local)?;
                pushed.acknowledged += 1;
            }
            // A deletion of a mark the server never stored (made and deleted before it
            // was pushed, its creation refused): nothing is left to delete.
            Err(SyncError::Refused(e))
                if e.code == ErrorCode::NotFound && entry.operation == OutboxOperation::Delete =>
            {
                store.drop_outbox_entry(entry.seq).map_err(local)?;
                pushed.acknowledged += 1;
            }
            Err(SyncError::Refused(e)) if is_final(e.code) => {
                let code = e.code.wire_name();
                tracing::info!("annotation write refused: {code}: {}", e.message);
                store
                    .refuse_annotation_write(entry.seq, &code, &e.message)
                    .map_err(local)?;
                pushed.refused += 1;
            }
            Err(e) => return Err(e),
        }
    }
    Ok(pushed)
}

/// Sends every waiting opinion version of `member`, oldest first, as [`push_annotations`]
/// sends annotations: an acknowledged version is kept with the server's answer, a refusal
/// is kept with its code, a network error or a server failure stops the push.
pub async fn push_opinions(
    client: &CouncilClient,
    token: &str,
    member: MemberId,
    store: &Arc<Mutex<Store>>,
) -> Result<Pushed, SyncError> {
    let local = |e: anyhow::Error| SyncError::LocalStore(format!("{e:#}"));
    let mut pushed = Pushed::default();
    let waiting = store
        .lock()
        .expect("store lock")
        .opinion_outbox(member)
        .map_err(local)?;
    for entry in waiting {
        let answer = client
            .put_opinion(token, entry.opinion_id, &entry.write)
            .await;
        let mut store = store.lock().expect("store lock");
        match answer {
            Ok(stored) => {
                store
                    .acknowledge_opinion(entry.seq, &stored)
                    .map_err(local)?;
                pushed.acknowledged += 1;
            }
            Err(SyncError::Refused(e)) if is_final(e.code) => {
                let code = e.code.wire_name();
                tracing::info!("opinion refused: {code}: {}", e.message);
                store
                    .refuse_opinion_write(entry.seq, &code, &e.message)
                    .map_err(local)?;
                pushed.refused += 1;
            }
            Err(e) => return Err(e),
        }
    }
    Ok(pushed)
}

/// A refusal sending the same write again cannot change: the member must edit it. A server
/// failure, throttling or a password to change first pass with time, so those are retried.
fn is_final(code: ErrorCode) -> bool {
    let status = code.http_status();
    (400..500).contains(&status)
        && !matches!(
            code,
            ErrorCode::TooManyAttempts | ErrorCode::PasswordChangeRequired
        )
}

async fn send(
    client: &CouncilClient,
    token: &str,
    entry: &OutboxEntry,
) -> Result<ecabinet_domain::Annotation, SyncError> {
    match &entry.operation {
        OutboxOperation::Put(write) => {
            client
                .put_annotation(token, entry.annotation_id, write)
                .await
        }
        OutboxOperation::Delete => client.delete_annotation(token, entry.annotation_id).await,
    }
}
