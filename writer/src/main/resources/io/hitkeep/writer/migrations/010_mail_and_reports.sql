-- Mail and digests (issue 12, the reports module).
-- The outbox: every mail is written here first (an API call never waits for SMTP) and sent by the outbox
-- job on the one reports instance that holds the scheduler's lease. A row is claimed ('sending', with a
-- deadline) before it is sent and marked 'sent' after the SMTP server accepted it; a claim whose
-- deadline passed (the sender died) is sent again with the same Message-ID. The bodies are emptied once
-- the mail is sent: a reset or invitation link is a secret that the database need not keep.
CREATE SEQUENCE mail_ids START 1;
CREATE TABLE mail_outbox (
    id              BIGINT PRIMARY KEY DEFAULT nextval('mail_ids'),
    kind            VARCHAR NOT NULL,
    recipient       VARCHAR NOT NULL,
    subject         VARCHAR NOT NULL,
    text_body       VARCHAR NOT NULL,
    html_body       VARCHAR NOT NULL DEFAULT '',
    -- extra headers as a JSON object, e.g. List-Unsubscribe
    headers         VARCHAR NOT NULL DEFAULT '{}',
    created_at      TIMESTAMP NOT NULL DEFAULT current_timestamp,
    -- a mail that is useless later (a one-hour reset link) is not sent after this
    expires_at      TIMESTAMP,
    -- pending, sending, sent, failed (refused for good), expired
    state           VARCHAR NOT NULL DEFAULT 'pending',
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    claimed_until   TIMESTAMP,
    last_error      VARCHAR NOT NULL DEFAULT '',
    sent_at         TIMESTAMP
);

-- A user's digest of one site, weekly and/or monthly. week_sent and month_sent are the first day of the
-- last period mailed (or, for a new subscription, of the period just ended, so the first digest covers a
-- period that began after subscribing); the digest job moves them forward in the same transaction that
-- puts the digest into the outbox, so each period is mailed once.
CREATE TABLE report_subscriptions (
    user_id     INTEGER NOT NULL,
    site_id     INTEGER NOT NULL,
    weekly      BOOLEAN NOT NULL DEFAULT false,
    monthly     BOOLEAN NOT NULL DEFAULT false,
    week_sent   DATE,
    month_sent  DATE,
    -- the last "send now": one per period kind every few minutes
    sent_now_at TIMESTAMP,
    updated_at  TIMESTAMP NOT NULL DEFAULT current_timestamp,
    PRIMARY KEY (user_id, site_id)
);
