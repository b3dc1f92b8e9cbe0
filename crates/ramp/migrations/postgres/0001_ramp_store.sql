-- ramp's store in Postgres, version 1: handled events, ended orders, claims, genuine
-- deliveries that could not be read, and the orders a tracker follows. Every statement may
-- run again (IF NOT EXISTS, OR REPLACE). `PgStore::migrate` applies it once, under an
-- advisory lock, and records it in ramp_schema; a project with its own migration tool may
-- apply this file instead (and must then not call `migrate`).

-- Handled events whose status is not final, each remembered until keep_until.
CREATE TABLE IF NOT EXISTS ramp_handled (
    event_key  text PRIMARY KEY,           -- provider:order_id:provider_status
    keep_until timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS ramp_handled_keep_until ON ramp_handled (keep_until);

-- Orders whose final status was handled: remembered for good.
CREATE TABLE IF NOT EXISTS ramp_ended (
    order_key text PRIMARY KEY,            -- provider:order_id
    finality  smallint NOT NULL,           -- 1: final; 2: refunded (may follow another)
    ended_at  timestamptz NOT NULL DEFAULT now()
);

-- Orders one of whose events is being handled outside a transaction of the store.
CREATE TABLE IF NOT EXISTS ramp_claims (
    order_key   text PRIMARY KEY,
    token       text NOT NULL,
    lease_until timestamptz NOT NULL
);

-- Genuine deliveries whose order could not be read, kept to be handed back.
CREATE TABLE IF NOT EXISTS ramp_unreadable (
    id          text PRIMARY KEY,          -- SHA-256 of the provider and the document
    provider    text NOT NULL,
    document    bytea NOT NULL,            -- what the provider signed
    path        text NOT NULL,
    message     text NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now()
);

-- The orders a tracker follows; times in milliseconds of this server's clock.
CREATE TABLE IF NOT EXISTS ramp_book (
    order_key  text PRIMARY KEY,
    entry      text NOT NULL,              -- the tracker's entry, as JSON
    due_ms     bigint NOT NULL,
    held_until bigint NOT NULL DEFAULT 0,  -- the lease of the reader that took it
    poked      boolean NOT NULL DEFAULT false
);
CREATE INDEX IF NOT EXISTS ramp_book_due ON ramp_book (due_ms);

CREATE OR REPLACE FUNCTION ramp_now_ms() RETURNS bigint LANGUAGE sql STABLE AS $$
    SELECT (extract(epoch FROM now()) * 1000)::bigint
$$;

-- The rules below hold under READ COMMITTED only: each statement must see what committed
-- before the order's lock was taken (a REPEATABLE READ snapshot may be older than the lock).
CREATE OR REPLACE FUNCTION ramp_require_read_committed() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION 'ramp''s store needs READ COMMITTED, not %',
            current_setting('transaction_isolation');
    END IF;
END
$$;

-- The advisory lock that serializes the events of one order.
CREATE OR REPLACE FUNCTION ramp_order_lock(p_order text) RETURNS bigint LANGUAGE sql IMMUTABLE AS $$
    SELECT hashtextextended('ramp:' || p_order, 0)
$$;

-- 'ended' when the order ended and the event may not follow its end, 'done' when the event
-- was handled, else 'new'.
CREATE OR REPLACE FUNCTION ramp_seen(p_event text, p_order text, p_finality smallint)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    ended smallint;
BEGIN
    SELECT finality INTO ended FROM ramp_ended WHERE order_key = p_order;
    IF ended IS NOT NULL AND p_finality <= ended THEN
        RETURN 'ended';
    END IF;
    IF EXISTS (SELECT 1 FROM ramp_handled WHERE event_key = p_event AND keep_until > now()) THEN
        RETURN 'done';
    END IF;
    RETURN 'new';
END
$$;

-- Records an event: a final one as its order's end, any other until keep (counted from the
-- record, not from the start of the transaction); and forgets a few events past their time.
CREATE OR REPLACE FUNCTION ramp_record(p_event text, p_order text, p_finality smallint, p_keep_ms bigint)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF p_finality > 0 THEN
        INSERT INTO ramp_ended AS e (order_key, finality, ended_at)
        VALUES (p_order, p_finality, clock_timestamp())
        ON CONFLICT (order_key) DO UPDATE
            SET finality = greatest(e.finality, excluded.finality), ended_at = clock_timestamp();
    ELSE
        INSERT INTO ramp_handled (event_key, keep_until)
        VALUES (p_event, clock_timestamp() + p_keep_ms * interval '1 millisecond')
        ON CONFLICT (event_key) DO UPDATE SET keep_until = excluded.keep_until;
    END IF;
    DELETE FROM ramp_handled WHERE event_key IN (
        SELECT event_key FROM ramp_handled WHERE keep_until < now()
        ORDER BY keep_until LIMIT 8 FOR UPDATE SKIP LOCKED);
END
$$;

-- Outside a transaction of the store: 'ended', 'done', 'inflight' (another event of the
-- order is being handled), or 'new' with the order claimed under the token for the lease.
CREATE OR REPLACE FUNCTION ramp_claim(p_event text, p_order text, p_finality smallint, p_token text, p_lease_ms bigint)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    seen text;
BEGIN
    PERFORM ramp_require_read_committed();
    IF NOT pg_try_advisory_xact_lock(ramp_order_lock(p_order)) THEN
        RETURN 'inflight';
    END IF;
    seen := ramp_seen(p_event, p_order, p_finality);
    IF seen <> 'new' THEN
        RETURN seen;
    END IF;
    INSERT INTO ramp_claims AS c (order_key, token, lease_until)
    VALUES (p_order, p_token, now() + p_lease_ms * interval '1 millisecond')
    ON CONFLICT (order_key) DO UPDATE
        SET token = excluded.token, lease_until = excluded.lease_until
        WHERE c.lease_until <= now();
    IF FOUND THEN
        RETURN 'new';
    END IF;
    RETURN 'inflight';
END
$$;

-- Records a claimed event and gives up the token's claim.
CREATE OR REPLACE FUNCTION ramp_commit(p_event text, p_order text, p_finality smallint, p_token text, p_keep_ms bigint)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM ramp_require_read_committed();
    PERFORM pg_advisory_xact_lock(ramp_order_lock(p_order));
    PERFORM ramp_record(p_event, p_order, p_finality, p_keep_ms);
    DELETE FROM ramp_claims WHERE order_key = p_order AND token = p_token;
END
$$;

-- Inside the caller's transaction: the order locked for the rest of it, then 'ended',
-- 'done', 'inflight' (another replica holds the order) or 'new'.
CREATE OR REPLACE FUNCTION ramp_begin(p_event text, p_order text, p_finality smallint)
RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    PERFORM ramp_require_read_committed();
    IF NOT pg_try_advisory_xact_lock(ramp_order_lock(p_order)) THEN
        RETURN 'inflight';
    END IF;
    IF EXISTS (SELECT 1 FROM ramp_claims WHERE order_key = p_order AND lease_until > now()) THEN
        RETURN 'inflight';
    END IF;
    RETURN ramp_seen(p_event, p_order, p_finality);
END
$$;
