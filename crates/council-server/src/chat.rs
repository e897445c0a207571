//! Chat on the server, beside its routes (`api/chat.rs`): each sender's rate, and each
//! conversation's turn.
//!
//! A conversation's changes are stored and sent to the live sockets one at a time, under its
//! turn, so every socket hears them in revision order and a device sees a gap only when its
//! socket lagged (it then pulls). Messages go out whole in the live message: 500 members
//! pulling after each of 50 messages a second would be 25,000 pulls a second.

use ecabinet_domain::chat::{ChatRefusal, SendBudget, SendRate};
use ecabinet_domain::{ConversationId, MemberId, Timestamp};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::sync::OwnedMutexGuard;

pub struct Chat {
    rate: SendRate,
    budgets: Mutex<HashMap<MemberId, SendBudget>>,
    turns: Mutex<HashMap<ConversationId, Arc<tokio::sync::Mutex<()>>>>,
}

impl Default for Chat {
    fn default() -> Self {
        Chat::with_rate(SendRate::default())
    }
}

impl Chat {
    pub fn with_rate(rate: SendRate) -> Chat {
        Chat {
            rate,
            budgets: Mutex::default(),
            turns: Mutex::default(),
        }
    }

    /// Takes one message from `member`'s budget at `now`, or says how long to wait.
    pub fn take(&self, member: MemberId, now: Timestamp) -> Result<(), ChatRefusal> {
        let mut budgets = self.budgets.lock().expect("chat budgets");
        budgets
            .entry(member)
            .or_insert_with(|| SendBudget::full(self.rate, now))
            .take(self.rate, now)
    }

    /// The conversation's turn: held while one change is stored and sent.
    pub async fn turn(&self, conversation: ConversationId) -> OwnedMutexGuard<()> {
        let turn = self
            .turns
            .lock()
            .expect("chat turns")
            .entry(conversation)
            .or_default()
            .clone();
        turn.lock_owned().await
    }
}
