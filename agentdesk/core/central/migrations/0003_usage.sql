-- Usage figures: the events desks recorded (pack, flow, step, answer and offer ids, a random
-- call id and times; never customer data), one row per desk and event. Desks push them as
-- revisions of kind 'usage' (record = the event's id); a trigger keeps this table, so desks
-- only ever write revisions, and an event pushed twice is stored once.

CREATE TABLE agentdesk.usage_events (
    desk_id  text NOT NULL,
    event_id text NOT NULL,
    call     text NOT NULL,     -- random, per flow opened on that desk
    at       timestamptz NOT NULL,
    kind     text NOT NULL,     -- visit, answer, outcome, offer_shown, offer_accepted,
                                -- offer_refused, time, drop_off
    pack_id  text NOT NULL,
    version  text NOT NULL,
    flow_id  text NOT NULL,
    step_id  text NOT NULL,
    choice   text,
    offer    text,
    seconds  double precision,  -- for 'time': seconds spent on the step
    PRIMARY KEY (desk_id, event_id)
);
CREATE INDEX usage_events_at ON agentdesk.usage_events (at);

CREATE FUNCTION agentdesk.project_usage() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    INSERT INTO agentdesk.usage_events (desk_id, event_id, call, at, kind, pack_id, version,
                                        flow_id, step_id, choice, offer, seconds)
    SELECT r.desk_id, r.record, p->>'call', to_timestamp((p->>'at')::float8), p->>'kind',
           p->>'pack', p->>'version', p->>'flow', p->>'step', p->>'choice', p->>'offer',
           (p->>'seconds')::float8
    FROM pushed r, LATERAL (SELECT r.payload AS p) AS content
    WHERE r.kind = 'usage' AND NOT r.deleted
    ON CONFLICT (desk_id, event_id) DO NOTHING;
    RETURN NULL;
END
$$;

CREATE TRIGGER revisions_project_usage AFTER INSERT ON agentdesk.revisions
    REFERENCING NEW TABLE AS pushed
    FOR EACH STATEMENT EXECUTE FUNCTION agentdesk.project_usage();
