//! The HTTP surface. Each submodule holds the handlers of one area with their OpenAPI
//! annotations; [`router`] collects them so the document at `/api/openapi.json` is built
//! from the very handlers that serve, and cannot drift from them.

mod accounts;
pub(crate) mod annotations;
mod blobs;
pub(crate) mod chat;
mod meetings;
mod opinions;
mod papers;

pub use papers::default_participants;
pub(crate) mod polls;
mod session;
pub(crate) mod sittings;
mod sync;

use crate::ServerState;
use crate::error::{Json, ServerError, finish_errors};
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

/// The error answers every route can give besides those its annotation names: each may
/// fail inside the server (500); a route behind a bearer token refuses a missing or expired
/// one (401); a route with an id in its path refuses a malformed one
/// (400); a route that reads JSON refuses a body that is not JSON (400), too large (413) or
/// sent without its content type (415). Added here once, so no annotation can forget them;
/// applied to the document once the routes are in it.
struct ErrorResponses;

impl Modify for ErrorResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::path::ParameterIn;
        use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
        let error = |description: &str| {
            ResponseBuilder::new()
                .description(description)
                .content(
                    "application/json",
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("ApiError")))
                        .build(),
                )
                .build()
        };
        for item in openapi.paths.paths.values_mut() {
            for operation in [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.patch,
                &mut item.delete,
            ]
            .into_iter()
            .flatten()
            {
                let has_path_id = operation
                    .parameters
                    .iter()
                    .flatten()
                    .any(|p| matches!(p.parameter_in, ParameterIn::Path));
                let reads_json = operation
                    .request_body
                    .as_ref()
                    .is_some_and(|body| body.content.contains_key("application/json"));
                let needs_token = operation.security.as_ref().is_some_and(|s| !s.is_empty());
                let responses = &mut operation.responses.responses;
                let mut add = |status: &str, description: &str| {
                    responses
                        .entry(status.to_owned())
                        .or_insert_with(|| error(description).into());
                };
                add(
                    "500",
                    "the server failed (internal); the log has the request id",
                );
                if needs_token {
                    add(
                        "401",
                        "no bearer token (unauthenticated), or an expired or revoked one (session_expired)",
                    );
                }
                if has_path_id || reads_json {
                    add(
                        "400",
                        "a malformed id in the path, or a body that is not this request's JSON",
                    );
                }
                if reads_json {
                    add(
                        "413",
                        "the body is larger than the server accepts (payload_too_large)",
                    );
                    add(
                        "415",
                        "the body was sent without Content-Type: application/json (unsupported_media_type)",
                    );
                }
            }
        }
    }
}

/// The OpenAPI document and the router that serves it, built from the same routes.
pub fn router(state: ServerState) -> Router {
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
        .routes(routes!(
            annotations::put_annotation,
            annotations::delete_annotation
        ))
        .routes(routes!(annotations::annotation_history))
        .routes(routes!(opinions::put_opinion, opinions::opinion_versions))
        .routes(routes!(opinions::meeting_opinions))
        .routes(routes!(sittings::sitting, sittings::act_in_sitting))
        .routes(routes!(polls::meeting_polls))
        .routes(routes!(polls::draft_poll))
        .routes(routes!(polls::step_poll))
        .routes(routes!(polls::cast_ballot))
        .routes(routes!(polls::poll_log))
        .routes(routes!(chat::conversations))
        .routes(routes!(chat::conversation))
        .routes(routes!(chat::messages))
        .routes(routes!(
            chat::post_message,
            chat::edit_message,
            chat::delete_message
        ))
        .routes(routes!(chat::create_group))
        .routes(routes!(chat::change_group_members))
        .routes(routes!(chat::mark_conversation))
        .split_for_parts();
    // After the routes joined the document: the modifier walks their operations.
    let mut openapi = openapi;
    ErrorResponses.modify(&mut openapi);
    let openapi = std::sync::Arc::new(openapi);
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route(
            "/api/openapi.json",
            get(move || async move { axum::Json(openapi.as_ref().clone()) }),
        )
        .merge(api_routes)
        .fallback(|| async { ServerError::new(ErrorCode::NotFound, "no such endpoint") })
        .method_not_allowed_fallback(|| async {
            ServerError::new(
                ErrorCode::MethodNotAllowed,
                "this address does not answer this method; the Allow header lists the ones it does",
            )
        })
        .layer(DefaultBodyLimit::max(MAX_JSON_BODY_BYTES))
        .layer(TraceLayer::new_for_http())
        .layer(axum::middleware::from_fn(finish_errors))
        .with_state(state)
}

pub(crate) type ApiResult<T> = Result<Json<T>, ServerError>;
