-- The mail outbox (Outbox.java). Times are UTC, passed in as :now so that one clock decides.

-- name: insert-mail
INSERT INTO mail_outbox (kind, recipient, subject, text_body, html_body, headers, created_at, expires_at, next_attempt_at)
VALUES (:kind, :recipient, :subject, :text_body, :html_body, :headers, CAST(:now AS TIMESTAMP),
        CAST(:expires_at AS TIMESTAMP), CAST(:now AS TIMESTAMP))
RETURNING id

-- name: expire-mails
UPDATE mail_outbox SET state = 'expired', text_body = '', html_body = '', claimed_until = NULL,
       last_error = 'not sent before it expired'
WHERE state IN ('pending', 'sending') AND expires_at IS NOT NULL AND expires_at < CAST(:now AS TIMESTAMP)

-- name: give-up-old-mails
UPDATE mail_outbox SET state = 'failed', text_body = '', html_body = '', claimed_until = NULL,
       last_error = 'gave up: not sent within ' || :days || ' days; last error: ' || last_error
WHERE state IN ('pending', 'sending') AND created_at < CAST(:before AS TIMESTAMP)

-- name: claim-mails
UPDATE mail_outbox SET state = 'sending', claimed_until = CAST(:claimed_until AS TIMESTAMP)
WHERE id IN (SELECT id FROM mail_outbox
             WHERE (state = 'pending' AND next_attempt_at <= CAST(:now AS TIMESTAMP))
                OR (state = 'sending' AND claimed_until < CAST(:now AS TIMESTAMP))
             ORDER BY id LIMIT :limit)
RETURNING id, kind, recipient, subject, text_body, html_body, headers

-- name: mark-sent
UPDATE mail_outbox SET state = 'sent', sent_at = CAST(:now AS TIMESTAMP), text_body = '', html_body = '',
       claimed_until = NULL, attempts = attempts + 1, last_error = ''
WHERE id = :id AND state = 'sending'

-- name: retry-mail
UPDATE mail_outbox SET state = 'pending', claimed_until = NULL, attempts = attempts + 1, last_error = :error,
       next_attempt_at = CAST(:next_attempt_at AS TIMESTAMP)
WHERE id = :id AND state = 'sending'

-- name: give-up-mail
UPDATE mail_outbox SET state = 'failed', claimed_until = NULL, attempts = attempts + 1, last_error = :error,
       text_body = '', html_body = ''
WHERE id = :id AND state = 'sending'

-- name: forget-old-mails
DELETE FROM mail_outbox WHERE state IN ('sent', 'failed', 'expired') AND created_at < CAST(:before AS TIMESTAMP)

-- name: mail-counts
SELECT state, count(*) FROM mail_outbox GROUP BY state
