//! The throttles of login, second factors, password re-checks and code mails, as the use cases
//! call them.

use crate::clock::Timestamp;
use crate::error::DomainError;
use crate::Domain;

/// The throttles other than login's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ThrottleKind {
    /// Second-factor codes per account.
    TwoStep,
    /// Master password re-checks per account.
    Reverify,
    /// Code mails per account, per minute …
    MailMinute,
    /// … and per hour.
    MailHour,
}

/// How a throttled attempt ended, when not by failing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ThrottleOutcome {
    /// Succeeded: wipe the key's failures.
    Clear,
    /// Was not judged (e.g. a stale remember-device token): give its hit back.
    Release,
}

impl Domain {
    /// Counts a login attempt under the address and account throttles before its secret is
    /// verified; refused (`RateLimited`) when either is at its limit, attempts in flight
    /// included. A refused attempt gives the address's hit back (it never ran). A failed attempt
    /// leaves both counted; a successful one calls [`Domain::throttle_succeeded`].
    pub(crate) async fn throttle_reserve(
        &self,
        account_key: &str,
        ip: &str,
        now: Timestamp,
    ) -> Result<(), DomainError> {
        let store = self.store.as_ref();
        if let Err(retry_after_secs) = self.ip_throttle.reserve(store, ip, now).await? {
            return Err(DomainError::RateLimited { retry_after_secs });
        }
        if let Err(retry_after_secs) = self
            .account_throttle
            .reserve(store, account_key, now)
            .await?
        {
            self.ip_throttle.release(store, ip).await?;
            return Err(DomainError::RateLimited { retry_after_secs });
        }
        Ok(())
    }

    /// The attempt reserved with [`Domain::throttle_reserve`] succeeded: the account's failures
    /// are wiped and the address gets its hit back.
    pub(crate) async fn throttle_succeeded(
        &self,
        account_key: &str,
        ip: &str,
    ) -> Result<(), DomainError> {
        let store = self.store.as_ref();
        self.account_throttle.clear(store, account_key).await?;
        self.ip_throttle.release(store, ip).await?;
        Ok(())
    }

    /// The attempt reserved with [`Domain::throttle_reserve`] was not judged (the server was
    /// too busy to verify it): both hits are given back.
    pub(crate) async fn throttle_abandoned(
        &self,
        account_key: &str,
        ip: &str,
    ) -> Result<(), DomainError> {
        let store = self.store.as_ref();
        self.account_throttle.release(store, account_key).await?;
        self.ip_throttle.release(store, ip).await?;
        Ok(())
    }

    /// A second factor or a master password re-check, throttled per `key` by `throttle`.
    pub(crate) async fn throttle_one(
        &self,
        throttle: ThrottleKind,
        key: &str,
        now: Timestamp,
    ) -> Result<(), DomainError> {
        match self
            .throttle_of(throttle)
            .reserve(self.store.as_ref(), key, now)
            .await?
        {
            Ok(()) => Ok(()),
            Err(retry_after_secs) => Err(DomainError::RateLimited { retry_after_secs }),
        }
    }

    /// The attempt reserved with [`Domain::throttle_one`] ended: `Clear` after a success (the
    /// failures are wiped), `Release` when it was not judged (its hit given back).
    pub(crate) async fn throttle_done(
        &self,
        throttle: ThrottleKind,
        key: &str,
        outcome: ThrottleOutcome,
    ) -> Result<(), DomainError> {
        let t = self.throttle_of(throttle);
        match outcome {
            ThrottleOutcome::Clear => t.clear(self.store.as_ref(), key).await?,
            ThrottleOutcome::Release => t.release(self.store.as_ref(), key).await?,
        }
        Ok(())
    }

    fn throttle_of(&self, kind: ThrottleKind) -> &crate::throttle::Throttle {
        match kind {
            ThrottleKind::TwoStep => &self.two_factor_throttle,
            ThrottleKind::Reverify => &self.reverify_throttle,
            ThrottleKind::MailMinute => &self.mail_interval,
            ThrottleKind::MailHour => &self.mail_hourly,
        }
    }
}
