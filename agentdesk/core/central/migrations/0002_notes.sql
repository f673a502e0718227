-- The newest revision of each note, in columns: what reports and the supervisor page read.
-- Kept by a trigger on revisions, so desks only ever write revisions.

CREATE TABLE agentdesk.notes (
    desk_id        text NOT NULL,
    record         text NOT NULL,
    revision       integer NOT NULL,
    deleted        boolean NOT NULL DEFAULT false,
    local_id       bigint,
    agent          text NOT NULL DEFAULT '',
    person         text NOT NULL DEFAULT '',
    medium         text NOT NULL DEFAULT '',
    reason         text NOT NULL DEFAULT '',
    pack_id        text NOT NULL DEFAULT '',
    flow_id        text NOT NULL DEFAULT '',
    outcome        text NOT NULL DEFAULT '',  -- the step the flow ended at (last of the path)
    offers_applied text[] NOT NULL DEFAULT '{}',
    created_at     timestamp,
    updated_at     timestamp,
    follow_up      timestamp,
    follow_up_done boolean NOT NULL DEFAULT false,
    payload        jsonb,
    PRIMARY KEY (desk_id, record)
);
CREATE INDEX notes_created_at ON agentdesk.notes (created_at);
CREATE INDEX notes_follow_up_open ON agentdesk.notes (follow_up)
    WHERE follow_up IS NOT NULL AND NOT follow_up_done AND NOT deleted;

-- One statement per pushed batch (a transition table), not one call per row. In a batch a
-- note may have several revisions: its newest wins, and only over an older one. A tombstone
-- keeps the note's last content (from its batch, or what the table had), marked deleted. SECURITY DEFINER: a desk's role needs no
-- right on agentdesk.notes.
CREATE FUNCTION agentdesk.project_notes() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    INSERT INTO agentdesk.notes AS n (
        desk_id, record, revision, deleted, local_id, agent, person, medium, reason,
        pack_id, flow_id, outcome, offers_applied, created_at, updated_at, follow_up,
        follow_up_done, payload)
    SELECT DISTINCT ON (r.desk_id, r.record)
        r.desk_id, r.record, r.revision, r.deleted, (p->>'id')::bigint,
        coalesce(p->>'agent', ''), coalesce(p->>'person', ''), coalesce(p->>'medium', ''),
        coalesce(p->>'reason', ''), coalesce(p->>'pack_id', ''), coalesce(p->>'flow_id', ''),
        coalesce(split_part(p->'path'->>-1, ':', 1), ''),
        coalesce(ARRAY(SELECT jsonb_array_elements_text(coalesce(p->'offers_applied', '[]'))),
                 '{}'),
        (p->>'created_at')::timestamp, (p->>'updated_at')::timestamp,
        (p->>'follow_up')::timestamp, coalesce((p->>'follow_up_done')::boolean, false), p
    FROM pushed r, LATERAL (SELECT coalesce(r.payload, (  -- a tombstone: the content before it
        SELECT q.payload FROM pushed q WHERE q.desk_id = r.desk_id AND q.kind = r.kind
        AND q.record = r.record AND q.payload IS NOT NULL ORDER BY q.revision DESC LIMIT 1
    )) AS p) AS content
    WHERE r.kind = 'note'
    ORDER BY r.desk_id, r.record, r.revision DESC
    ON CONFLICT (desk_id, record) DO UPDATE SET
        revision = EXCLUDED.revision,
        deleted = EXCLUDED.deleted,
        local_id = CASE WHEN EXCLUDED.payload IS NULL THEN n.local_id ELSE EXCLUDED.local_id END,
        agent = CASE WHEN EXCLUDED.payload IS NULL THEN n.agent ELSE EXCLUDED.agent END,
        person = CASE WHEN EXCLUDED.payload IS NULL THEN n.person ELSE EXCLUDED.person END,
        medium = CASE WHEN EXCLUDED.payload IS NULL THEN n.medium ELSE EXCLUDED.medium END,
        reason = CASE WHEN EXCLUDED.payload IS NULL THEN n.reason ELSE EXCLUDED.reason END,
        pack_id = CASE WHEN EXCLUDED.payload IS NULL THEN n.pack_id ELSE EXCLUDED.pack_id END,
        flow_id = CASE WHEN EXCLUDED.payload IS NULL THEN n.flow_id ELSE EXCLUDED.flow_id END,
        outcome = CASE WHEN EXCLUDED.payload IS NULL THEN n.outcome ELSE EXCLUDED.outcome END,
        offers_applied = CASE WHEN EXCLUDED.payload IS NULL THEN n.offers_applied
                              ELSE EXCLUDED.offers_applied END,
        created_at = CASE WHEN EXCLUDED.payload IS NULL THEN n.created_at ELSE EXCLUDED.created_at END,
        updated_at = CASE WHEN EXCLUDED.payload IS NULL THEN n.updated_at ELSE EXCLUDED.updated_at END,
        follow_up = CASE WHEN EXCLUDED.payload IS NULL THEN n.follow_up ELSE EXCLUDED.follow_up END,
        follow_up_done = CASE WHEN EXCLUDED.payload IS NULL THEN n.follow_up_done
                              ELSE EXCLUDED.follow_up_done END,
        payload = CASE WHEN EXCLUDED.payload IS NULL THEN n.payload ELSE EXCLUDED.payload END
        WHERE n.revision < EXCLUDED.revision;
    RETURN NULL;
END
$$;

CREATE TRIGGER revisions_project_notes AFTER INSERT ON agentdesk.revisions
    REFERENCING NEW TABLE AS pushed
    FOR EACH STATEMENT EXECUTE FUNCTION agentdesk.project_notes();
