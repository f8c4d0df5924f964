//! Periodic work the server runs while it serves: deleting Sends past their deletion date (reads
//! already hide and delete them; this keeps the table from holding the ones nobody reads),
//! emergency access requests whose wait time is over (approved), and attachments: announcements never uploaded, files whose rows are gone. Each
//! instance runs it; the statement is idempotent, so several instances do no harm.

use keyfleet_domain::Domain;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// How often the sweep runs.
const SWEEP_EVERY: Duration = Duration::from_secs(300);

/// The running periodic tasks; [`Jobs::stop`] ends them.
pub(crate) struct Jobs {
    stop: oneshot::Sender<()>,
    task: JoinHandle<()>,
}

impl Jobs {
    /// Starts the sweep (its first run is at once).
    pub(crate) fn start(domain: Arc<Domain>) -> Jobs {
        let (stop, mut stopped) = oneshot::channel();
        let task = tokio::spawn(async move {
            let mut every = tokio::time::interval(SWEEP_EVERY);
            every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tokio::select! {
                    _ = &mut stopped => return,
                    _ = every.tick() => {
                        match domain.delete_sends_due().await {
                            Ok(0) => {}
                            Ok(n) => tracing::info!(deleted = n, "deleted Sends past their deletion date"),
                            Err(e) => tracing::warn!(error = ?e, "deleting expired Sends failed"),
                        }
                        // Emergency access requests whose wait time is over.
                        match domain.approve_due_emergency_accesses().await {
                            Ok(0) => {}
                            Ok(n) => tracing::info!(approved = n, "approved emergency access requests after their wait time"),
                            Err(e) => tracing::warn!(error = ?e, "approving emergency access requests failed"),
                        }
                        // … and the reminders a day before.
                        match domain.remind_due_emergency_accesses().await {
                            Ok(0) => {}
                            Ok(n) => tracing::info!(reminded = n, "reminded grantors of emergency access requests"),
                            Err(e) => tracing::warn!(error = ?e, "reminding of emergency access requests failed"),
                        }
                        // Attachments never uploaded, and files whose rows are gone.
                        if let Err(e) = domain.sweep_attachments().await {
                            tracing::warn!(error = ?e, "the attachment sweep failed");
                        }
                    }
                }
            }
        });
        Jobs { stop, task }
    }

    /// Stops the tasks and waits for them (a sweep in progress finishes first).
    pub(crate) async fn stop(self) {
        let _ = self.stop.send(());
        let _ = self.task.await;
    }
}
