//! The UI's TypeScript types are generated from the Rust types that cross into it.
//! This test fails when `ui/src/lib/bindings.ts` is stale; run it with
//! `UPDATE_BINDINGS=1` to rewrite the file.

use hookscope::body::{BodyContent, BodyPart, BodyView, FormField, RenderOptions, TextSyntax};
use hookscope::delivery::chaos::{ChaosOptions, ChaosPlan, PlannedSend};
use hookscope::delivery::{BulkFailure, BulkProgress, BulkSummary, HeaderChange, ReplayOptions, RequestEdit};
use hookscope::detail::RequestDetail;
use hookscope::diff::{BodyChange, BodyKind, ChangeOp, HeaderChange as DiffHeaderChange, RequestDiff};
use hookscope::endpoints::{EndpointField, EndpointSaved};
use hookscope::export::{ImportNote, ImportNoteKind, ImportReport};
use hookscope::json_schema::InferredSchema;
use hookscope::model::{
    AutoForwardMode, AutoForwardSetting, EndpointChanges, EndpointView, OutageEnd, ResponseRule, SecretsChange,
    TextChange, TunnelOutage,
};
use hookscope::model::{
    CaptureSource, CapturedRequest, DeliveryAttempt, DeliveryFailure, DeliveryKind, DeliveryResponse, EngineEvent,
    FailureKind, HeaderField, OutgoingRequest, RecordedResponse, RequestSummary, SignatureVerdict, TunnelState,
    VerdictStatus,
};
use hookscope::respond::rules::{
    HeaderCondition, JsonCondition, ResponseRuleDef, RuleAction, RuleConditions, RuleCounters, RuleSchedule, RuleSpec,
};
use hookscope::samples::{SampleSource, SampleSummary};
use hookscope::store::response_rules::StoredRule;
use hookscope::tunnel::{BasicAuth, TunnelOptions};
use hookscope::workbench::SampleTarget;
use hookscope_desktop::{
    BulkReplayOptions, BulkReplayProgress, BulkRequests, CommandError, DesktopSettings, EngineEventsTaken, FieldError,
    ListenerInfo, ProviderChoice, RequestFilter,
};
use ts_rs::TS;

fn generated() -> String {
    let declarations = [
        CaptureSource::decl(),
        HeaderField::decl(),
        RecordedResponse::decl(),
        VerdictStatus::decl(),
        SignatureVerdict::decl(),
        CapturedRequest::decl(),
        RequestSummary::decl(),
        TunnelState::decl(),
        EngineEvent::decl(),
        EngineEventsTaken::decl(),
        TextSyntax::decl(),
        FormField::decl(),
        BodyPart::decl(),
        BodyContent::decl(),
        BodyView::decl(),
        RenderOptions::decl(),
        RequestDetail::decl(),
        ListenerInfo::decl(),
        RequestFilter::decl(),
        // Deliveries, replay and the tunnel (the Deliveries tab, the replay dialog, the status bar).
        DeliveryKind::decl(),
        OutgoingRequest::decl(),
        DeliveryResponse::decl(),
        FailureKind::decl(),
        DeliveryFailure::decl(),
        DeliveryAttempt::decl(),
        HeaderChange::decl(),
        RequestEdit::decl(),
        ReplayOptions::decl(),
        BasicAuth::decl(),
        TunnelOptions::decl(),
        // Bulk replay (the bulk replay dialog), plain or chaos.
        ChaosOptions::decl(),
        PlannedSend::decl(),
        ChaosPlan::decl(),
        BulkRequests::decl(),
        BulkReplayOptions::decl(),
        BulkProgress::decl(),
        BulkReplayProgress::decl(),
        BulkFailure::decl(),
        BulkSummary::decl(),
        // The endpoint editor and the tunnel-gap markers of the list.
        AutoForwardMode::decl(),
        ResponseRule::decl(),
        EndpointView::decl(),
        TextChange::decl(),
        SecretsChange::decl(),
        AutoForwardSetting::decl(),
        EndpointChanges::decl(),
        EndpointField::decl(),
        EndpointSaved::decl(),
        FieldError::decl(),
        CommandError::decl(),
        ProviderChoice::decl(),
        // Response rules (the endpoint editor's rules section).
        RuleSpec::decl(),
        HeaderCondition::decl(),
        JsonCondition::decl(),
        RuleConditions::decl(),
        RuleSchedule::decl(),
        RuleAction::decl(),
        ResponseRuleDef::decl(),
        RuleCounters::decl(),
        StoredRule::decl(),
        // Sample events (the Send sample dialog).
        SampleSource::decl(),
        SampleSummary::decl(),
        SampleTarget::decl(),
        // Reading a stream: diff and schema.
        ChangeOp::decl(),
        DiffHeaderChange::decl(),
        BodyKind::decl(),
        BodyChange::decl(),
        RequestDiff::decl(),
        InferredSchema::decl(),
        OutageEnd::decl(),
        TunnelOutage::decl(),
        // Import (what a HAR import could not carry over exactly).
        ImportNoteKind::decl(),
        ImportNote::decl(),
        ImportReport::decl(),
        // The window's own settings (keep capturing in the tray).
        DesktopSettings::decl(),
    ];
    let mut out = String::from(
        "// Generated from the Rust types by src-tauri/tests/bindings.rs (ts-rs). Do not edit:\n\
         // run `UPDATE_BINDINGS=1 cargo test -p hookscope-desktop --test bindings` instead.\n",
    );
    for declaration in declarations {
        out.push_str("\nexport ");
        out.push_str(&declaration);
        out.push('\n');
    }
    out
}

#[test]
fn ui_bindings_match_the_rust_types() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/lib/bindings.ts");
    let expected = generated();
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, &expected).expect("write bindings");
        return;
    }
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        current == expected,
        "ui/src/lib/bindings.ts is stale; regenerate it with \
         `UPDATE_BINDINGS=1 cargo test -p hookscope-desktop --test bindings`"
    );
}
