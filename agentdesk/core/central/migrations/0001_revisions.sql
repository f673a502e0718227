-- Every revision every desk pushed, and the desks themselves.
-- A revision is keyed by desk, kind ('note'; later others), record and revision number:
-- pushing it again changes nothing, so a desk may resend whatever it is unsure of.

CREATE TABLE agentdesk.desks (
    desk_id    text PRIMARY KEY,
    name       text NOT NULL DEFAULT '',
    first_seen timestamptz NOT NULL DEFAULT now(),
    last_seen  timestamptz NOT NULL DEFAULT now(),
    last_seq   bigint NOT NULL DEFAULT 0  -- the desk's newest outbox entry the server has
);

CREATE TABLE agentdesk.revisions (
    desk_id     text NOT NULL REFERENCES agentdesk.desks,
    kind        text NOT NULL,
    record      text NOT NULL,
    revision    integer NOT NULL CHECK (revision > 0),
    deleted     boolean NOT NULL,
    payload     jsonb CHECK (deleted OR payload IS NOT NULL),
    digest      text NOT NULL,   -- sha256 of what the desk sent: tells a resend from a clash
    seq         bigint NOT NULL,     -- its place in the desk's outbox: the order of writes
    queued_at   timestamp NOT NULL,  -- the desk's local time of the write
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (desk_id, kind, record, revision)
);
