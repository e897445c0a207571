//! End-to-end stories. Each runs real processes on real sockets: the council server
//! binary, the sync engine and the packet downloader against it, and the desktop app in a
//! real window.

/// Runs each named story once per server backend, as `sqlite::<story>` and
/// `postgres::<story>`. A story left out of the list is never run, and the compiler says so.
macro_rules! on_every_backend {
    ($($story:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $story() {
                    super::$story(super::Backend::Sqlite).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $story() {
                    super::$story(super::Backend::Postgres).await;
                }
            )*
        }
    };
}

/// The stories that drive the app's window take turns with the screen: one window at a
/// time is what a person has and what WebKitWebDriver drives reliably.
static ONE_WINDOW: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

// The modules come after the macro, which they use.
mod accessibility;
mod accounts;
mod amendments;
mod annotations;
mod app_window;
mod chair_review;
mod chat;
mod opinions;
mod packet_lifecycle;
mod packets;
mod preparing;
mod sitting;
mod sync_engine;
mod voting;
