//! Desktop notifications for the endpoints that ask for them: while the window is hidden or not
//! focused, captured requests are grouped by the engine's `notify` policy and shown through the
//! desktop's notification server. Clicking one shows the window on the newest request.
//!
//! On Linux and the BSDs the notification is sent with `notify-rust` (the crate the notification
//! plugin uses) with a `default` action, and a thread waits for it: the freedesktop server reports
//! the click and the window opens the request at once. Elsewhere the plugin shows it and drops its
//! handle, so a click cannot reach the app: the window opens the newest notified request the next
//! time it is focused.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use hookscope::model::EngineEvent;
use hookscope::notify::{Arrival, Notice, NoticePolicy, NotificationGrouper};
use hookscope::Workbench;
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::broadcast::Receiver;

/// The event that asks the window to select a request (payload: its id).
pub const OPEN_REQUEST: &str = "open-request";

/// How long the list of endpoints with notifications on is trusted before it is read again.
const ENDPOINTS_FRESH_FOR: Duration = Duration::from_secs(1);

/// The newest request a notification named, kept until the window opens it.
#[derive(Default)]
pub struct NotifiedRequest(Mutex<Option<String>>);

impl NotifiedRequest {
    fn set(&self, id: String) {
        *self.0.lock().expect("notified lock") = Some(id);
    }

    fn take(&self) -> Option<String> {
        self.0.lock().expect("notified lock").take()
    }
}

/// Starts the task that turns captured requests into notifications.
pub fn start<R: Runtime>(app: AppHandle<R>, workbench: Workbench, events: Receiver<EngineEvent>) {
    app.manage(NotifiedRequest::default());
    tauri::async_runtime::spawn(run(app, workbench, events));
}

async fn run<R: Runtime>(app: AppHandle<R>, workbench: Workbench, mut events: Receiver<EngineEvent>) {
    let mut grouper = NotificationGrouper::new(NoticePolicy::default());
    let mut endpoints = NotifyingEndpoints::default();
    loop {
        let due = grouper.next_due();
        tokio::select! {
            event = events.recv() => match event {
                Ok(EngineEvent::RequestCaptured(summary)) => {
                    let Some(name) = summary.endpoint_name.as_deref() else { continue };
                    if window_in_front(&app) {
                        continue;
                    }
                    if let Some(prefix) = endpoints.prefix_if_notifying(&workbench, name).await {
                        grouper.record(Arrival::of(&summary, name, &prefix), Instant::now());
                    }
                }
                Ok(_) => {}
                // Missed events are not counted; the next ones are.
                Err(RecvError::Lagged(missed)) => tracing::debug!(missed, "notifier fell behind"),
                Err(RecvError::Closed) => break,
            },
            _ = sleep_until(due), if due.is_some() => {
                if window_in_front(&app) {
                    grouper.discard_pending();
                    continue;
                }
                for notice in grouper.take_due(Instant::now()) {
                    show(&app, notice);
                }
            }
        }
    }
}

async fn sleep_until(due: Option<Instant>) {
    if let Some(due) = due {
        tokio::time::sleep_until(due.into()).await;
    }
}

/// True when the main window is shown, not minimized and focused: its list shows what arrives.
fn window_in_front<R: Runtime>(app: &AppHandle<R>) -> bool {
    app.get_webview_window("main").is_some_and(|w| {
        w.is_visible().unwrap_or(false) && !w.is_minimized().unwrap_or(false) && w.is_focused().unwrap_or(false)
    })
}

/// Endpoint name → path prefix for the endpoints with notifications on, read from the store at
/// most once a second (the CLI may change them in another process).
#[derive(Default)]
struct NotifyingEndpoints {
    read_at: Option<Instant>,
    prefixes: HashMap<String, String>,
}

impl NotifyingEndpoints {
    async fn prefix_if_notifying(&mut self, workbench: &Workbench, name: &str) -> Option<String> {
        if self.read_at.is_none_or(|at| at.elapsed() >= ENDPOINTS_FRESH_FOR) {
            match workbench.list_endpoints().await {
                Ok(list) => {
                    self.prefixes = list
                        .into_iter()
                        .filter(|e| e.notify)
                        .map(|e| (e.name, e.path_prefix))
                        .collect();
                }
                Err(error) => tracing::warn!(%error, "could not read the endpoints for notifications"),
            }
            self.read_at = Some(Instant::now());
        }
        self.prefixes.get(name).cloned()
    }
}

/// Shows the window on `id`: unminimized, visible, focused, the request selected.
pub fn open_request<R: Runtime>(app: &AppHandle<R>, id: &str) {
    crate::tray::show_window(app);
    if let Err(error) = app.emit(OPEN_REQUEST, id) {
        tracing::warn!(%error, "could not ask the window to open the request");
    }
}

/// When the window comes to the front after a notification whose click could not be delivered,
/// it opens the newest notified request.
pub fn on_focus<R: Runtime>(app: &AppHandle<R>) {
    if cfg!(all(unix, not(target_os = "macos"))) {
        return; // the click itself opens it
    }
    if let Some(id) = app.try_state::<NotifiedRequest>().and_then(|n| n.take()) {
        let _ = app.emit(OPEN_REQUEST, id);
    }
}

fn show<R: Runtime>(app: &AppHandle<R>, notice: Notice) {
    tracing::info!(endpoint = %notice.endpoint, count = notice.count, "showing a notification");
    if let Some(notified) = app.try_state::<NotifiedRequest>() {
        notified.set(notice.newest_request_id.clone());
    }
    show_on_desktop(app, notice);
}

#[cfg(all(unix, not(target_os = "macos")))]
fn show_on_desktop<R: Runtime>(app: &AppHandle<R>, notice: Notice) {
    let app = app.clone();
    // Showing talks D-Bus and waiting for the click blocks: a thread per notification (they
    // are rate-limited, and the thread ends when the notification closes).
    std::thread::spawn(move || {
        let shown = notify_rust::Notification::new()
            .appname("Hookscope")
            .summary(&notice.summary())
            .body(&notice.body())
            .icon("hookscope-desktop")
            .action("default", "Open")
            .show();
        match shown {
            Ok(handle) => handle.wait_for_action(|action| {
                if action == "default" {
                    open_request(&app, &notice.newest_request_id);
                }
            }),
            Err(error) => tracing::warn!(%error, "no notification server answered"),
        }
    });
}

#[cfg(not(all(unix, not(target_os = "macos"))))]
fn show_on_desktop<R: Runtime>(app: &AppHandle<R>, notice: Notice) {
    use tauri_plugin_notification::NotificationExt;
    if let Err(error) = app
        .notification()
        .builder()
        .title(notice.summary())
        .body(notice.body())
        .show()
    {
        tracing::warn!(%error, "could not show a notification");
    }
}
