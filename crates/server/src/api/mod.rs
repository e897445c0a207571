//! The HTTP surface. Each submodule holds the handlers of one area with their OpenAPI
//! annotations; [`router`] collects them so the document at `/api/openapi.json` is built
//! from the very handlers that serve, and cannot drift from them.

mod accounts;
mod blobs;
mod meetings;
mod papers;

pub use papers::default_participants;
mod session;
mod sync;

use crate::AppState;
use crate::error::{AppError, Json};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::get;
use ecabinet_protocol::{ErrorCode, MAX_JSON_BODY_BYTES};
use tower_http::trace::TraceLayer;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(OpenApi)]
#[openapi(
    info(title = "eCabinet council server", description = "Meetings, programmes, accounts and sync for a paperless council."),
    modifiers(&BearerAuth),
    components(schemas(ecabinet_protocol::LiveEvent, ecabinet_protocol::SyncRecord))
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The OpenAPI document and the router that serves it, built from the same routes.
pub fn router(state: AppState) -> Router {
    let (api_routes, openapi) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(session::login))
        .routes(routes!(session::logout))
        .routes(routes!(session::who_am_i))
        .routes(routes!(session::change_password))
        .routes(routes!(sync::changes))
        .routes(routes!(sync::live))
        .routes(routes!(meetings::create_meeting))
        .routes(routes!(meetings::patch_meeting))
        .routes(routes!(meetings::add_agenda_item))
        .routes(routes!(meetings::patch_agenda_item))
        .routes(routes!(accounts::list_accounts, accounts::create_account))
        .routes(routes!(accounts::patch_account))
        .routes(routes!(accounts::reset_password))
        .routes(routes!(accounts::import_members))
        .routes(routes!(blobs::upload_blob, blobs::download_blob))
        .routes(routes!(papers::add_paper))
        .routes(routes!(papers::patch_paper))
        .routes(routes!(papers::approve_paper))
        .routes(routes!(papers::return_paper))
        .routes(routes!(papers::withdraw_approval))
        .routes(routes!(papers::put_participants))
        .routes(routes!(papers::publish_packet))
        .split_for_parts();
    let openapi = std::sync::Arc::new(openapi);
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route(
            "/api/openapi.json",
            get(move || async move { axum::Json(openapi.as_ref().clone()) }),
        )
        .merge(api_routes)
        .fallback(|| async { AppError::new(ErrorCode::NotFound, "no such endpoint") })
        .layer(DefaultBodyLimit::max(MAX_JSON_BODY_BYTES))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

pub(crate) type ApiResult<T> = Result<Json<T>, AppError>;
