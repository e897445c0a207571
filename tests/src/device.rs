//! A participant acting from their own device through the server's API, as their app would,
//! beside the one window a story drives (one window at a time is what WebKitWebDriver drives
//! reliably).

use crate::DEMO_PASSWORD;
use ecabinet_domain::sitting::SittingAction;
use ecabinet_domain::{MeetingId, MemberId};
use ecabinet_protocol::SittingRequest;
use ecabinet_sync::CouncilClient;
use uuid::Uuid;

pub struct Device {
    pub client: CouncilClient,
    pub token: String,
    pub member: MemberId,
}

impl Device {
    /// `username` signed in with the demo password.
    pub async fn sign_in(url: &str, username: &str) -> Device {
        let client = CouncilClient::new(url).unwrap();
        let login = client.login(username, DEMO_PASSWORD).await.unwrap();
        Device {
            client,
            token: login.token,
            member: login.member.id,
        }
    }

    /// An action in the meeting's sitting, under a fresh id; panics when refused.
    pub async fn act(&self, meeting: MeetingId, action: SittingAction) {
        let request = SittingRequest {
            action_id: Uuid::new_v4(),
            action: action.clone(),
        };
        self.client
            .act_in_sitting(&self.token, meeting, &request)
            .await
            .unwrap_or_else(|e| panic!("{action:?}: {e}"));
    }
}
