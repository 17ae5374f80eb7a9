/**
 * Schema migrations, applied in order; `PRAGMA user_version` holds the number applied.
 * Append new migrations at the end; never edit one that has shipped.
 */
import { statsDailySql } from './stats-daily.js';

export const migrations: readonly string[] = [
  /* 1: the whole schema of DESIGN.md */ `
  CREATE TABLE threads (
    id TEXT PRIMARY KEY,
    project TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    summary TEXT,
    summary_upto INTEGER NOT NULL DEFAULT 0,      -- messages.id covered by summary
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX threads_project ON threads(project, updated_at);

  CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    thread_id TEXT NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
    run_id TEXT,
    role TEXT NOT NULL CHECK (role IN ('user','assistant')),
    content TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX messages_thread ON messages(thread_id, id);

  CREATE TABLE runs (
    id TEXT PRIMARY KEY,
    thread_id TEXT NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
    project TEXT NOT NULL,
    prompt TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('running','waiting_user','completed','failed','cancelled','interrupted')),
    pattern TEXT,
    result TEXT,
    error TEXT,
    model TEXT NOT NULL,
    orchestrator_model TEXT,
    permission_mode TEXT NOT NULL,
    options_json TEXT NOT NULL DEFAULT '{}',       -- RunOptions needed to resume in another process
    owner_pid INTEGER,
    owner_host TEXT,
    input_tokens INTEGER NOT NULL DEFAULT 0,
    output_tokens INTEGER NOT NULL DEFAULT 0,
    cache_read_tokens INTEGER NOT NULL DEFAULT 0,
    cache_write_tokens INTEGER NOT NULL DEFAULT 0,
    cost_usd REAL NOT NULL DEFAULT 0,
    started_at INTEGER NOT NULL,
    finished_at INTEGER
  );
  CREATE INDEX runs_project_started ON runs(project, started_at DESC);
  CREATE INDEX runs_thread ON runs(thread_id, started_at);
  CREATE INDEX runs_status ON runs(status);
  CREATE INDEX runs_started ON runs(started_at);

  CREATE TABLE decisions (
    id TEXT PRIMARY KEY,
    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('initial','revision','fallback')),
    pattern TEXT NOT NULL,
    decision_json TEXT NOT NULL,                   -- the zod-validated Decision
    reasoning TEXT NOT NULL DEFAULT '',
    confidence REAL,
    fallback_cause TEXT,
    model TEXT,
    input_tokens INTEGER NOT NULL DEFAULT 0,
    output_tokens INTEGER NOT NULL DEFAULT 0,
    cache_read_tokens INTEGER NOT NULL DEFAULT 0,
    cache_write_tokens INTEGER NOT NULL DEFAULT 0,
    cost_usd REAL NOT NULL DEFAULT 0,
    duration_ms INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    UNIQUE (run_id, seq)
  );

  CREATE TABLE agent_calls (
    id TEXT PRIMARY KEY,
    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    decision_id TEXT,
    role TEXT NOT NULL,
    label TEXT,
    model TEXT NOT NULL,
    instructions TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('ready','executing','completed','failed','cancelled')),
    turns INTEGER NOT NULL DEFAULT 0,
    retries INTEGER NOT NULL DEFAULT 0,
    result TEXT,
    error TEXT,
    messages_json TEXT,                            -- the conversation so far, so a paused call can resume
    input_tokens INTEGER NOT NULL DEFAULT 0,
    output_tokens INTEGER NOT NULL DEFAULT 0,
    cache_read_tokens INTEGER NOT NULL DEFAULT 0,
    cache_write_tokens INTEGER NOT NULL DEFAULT 0,
    cost_usd REAL NOT NULL DEFAULT 0,
    started_at INTEGER NOT NULL,
    finished_at INTEGER
  );
  CREATE INDEX agent_calls_run ON agent_calls(run_id, started_at);

  CREATE TABLE tool_calls (
    id TEXT PRIMARY KEY,                           -- the model's tool_use id
    agent_call_id TEXT NOT NULL REFERENCES agent_calls(id) ON DELETE CASCADE,
    run_id TEXT NOT NULL,
    name TEXT NOT NULL,
    input_json TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('requested','running','completed','failed','denied','cancelled')),
    permission TEXT,                               -- auto | once | always | rule | denied
    output TEXT,                                   -- full output; the model saw a capped copy
    is_error INTEGER NOT NULL DEFAULT 0,
    duration_ms INTEGER,
    started_at INTEGER NOT NULL,
    finished_at INTEGER
  );
  CREATE INDEX tool_calls_agent ON tool_calls(agent_call_id, started_at);
  CREATE INDEX tool_calls_run ON tool_calls(run_id);

  CREATE TABLE plan_steps (
    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    title TEXT NOT NULL,
    instructions TEXT NOT NULL,
    params_json TEXT NOT NULL DEFAULT '{}',
    status TEXT NOT NULL CHECK (status IN ('pending','running','completed','failed','skipped')),
    agent_call_id TEXT,
    output TEXT,
    started_at INTEGER,
    finished_at INTEGER,
    PRIMARY KEY (run_id, idx)
  );

  CREATE TABLE questions (
    id TEXT PRIMARY KEY,
    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    agent_call_id TEXT,
    tool_call_id TEXT,
    question TEXT NOT NULL,
    options_json TEXT,
    answer TEXT,
    asked_at INTEGER NOT NULL,
    answered_at INTEGER
  );
  CREATE INDEX questions_run ON questions(run_id);

  CREATE TABLE analyses (
    run_id TEXT PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
    outcome TEXT NOT NULL,                         -- success | partial | failure
    summary TEXT NOT NULL,
    signals_json TEXT NOT NULL,
    model TEXT,
    input_tokens INTEGER NOT NULL DEFAULT 0,
    output_tokens INTEGER NOT NULL DEFAULT 0,
    cache_read_tokens INTEGER NOT NULL DEFAULT 0,
    cache_write_tokens INTEGER NOT NULL DEFAULT 0,
    cost_usd REAL NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
  );

  CREATE TABLE lessons (
    id INTEGER PRIMARY KEY,
    project TEXT NOT NULL,
    run_id TEXT,                                   -- the run whose analysis wrote it (kept when the run is deleted)
    pattern TEXT,
    text TEXT NOT NULL,
    weight REAL NOT NULL DEFAULT 1,
    uses INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX lessons_project ON lessons(project);
  CREATE TABLE lesson_uses (
    lesson_id INTEGER NOT NULL REFERENCES lessons(id) ON DELETE CASCADE,
    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    PRIMARY KEY (lesson_id, run_id)
  );

  CREATE TABLE feedback (
    id INTEGER PRIMARY KEY,
    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    verdict TEXT NOT NULL CHECK (verdict IN ('good','bad')),
    note TEXT,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX feedback_run ON feedback(run_id);

  CREATE TABLE permission_rules (
    project TEXT NOT NULL,
    rule TEXT NOT NULL,                            -- e.g. "bash:npm test", "edit_file", "write_file"
    created_at INTEGER NOT NULL,
    PRIMARY KEY (project, rule)
  );

  CREATE TABLE checkpoints (
    run_id TEXT PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
    ref TEXT NOT NULL,                             -- refs/baton/checkpoints/<run>
    commit_sha TEXT NOT NULL,                      -- snapshot of the working tree before the run
    head_before TEXT,
    head_after TEXT,
    after_sha TEXT,                                -- snapshot after the run (for undo-of-undo and conflict checks)
    undone_by TEXT,                                -- run id / 'undo:<ts>' that reverted it
    created_at INTEGER NOT NULL
  );
  CREATE TABLE run_files (
    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    path TEXT NOT NULL,
    change TEXT NOT NULL CHECK (change IN ('created','modified','deleted')),
    PRIMARY KEY (run_id, path)
  );

  -- One ranked full-text index over prompts, reasoning, analyses and lessons. search_docs says what
  -- each FTS row is (its rowid is the FTS rowid), so deleting a run's rows is an indexed lookup.
  CREATE TABLE search_docs (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, ref TEXT NOT NULL, project TEXT NOT NULL);
  CREATE INDEX search_docs_ref ON search_docs(ref);
  CREATE VIRTUAL TABLE search_index USING fts5(body, tokenize = 'porter unicode61');
  CREATE TRIGGER search_docs_del AFTER DELETE ON search_docs BEGIN
    DELETE FROM search_index WHERE rowid = old.id;
  END;
  CREATE TRIGGER runs_fts AFTER INSERT ON runs BEGIN
    INSERT INTO search_docs(kind, ref, project) VALUES ('prompt', new.id, new.project);
    INSERT INTO search_index(rowid, body) VALUES (last_insert_rowid(), new.prompt);
  END;
  CREATE TRIGGER runs_fts_del AFTER DELETE ON runs BEGIN
    DELETE FROM search_docs WHERE ref = old.id;
  END;
  CREATE TRIGGER decisions_fts AFTER INSERT ON decisions WHEN new.reasoning <> '' BEGIN
    INSERT INTO search_docs(kind, ref, project) SELECT 'reasoning', new.run_id, project FROM runs WHERE id = new.run_id;
    INSERT INTO search_index(rowid, body) VALUES (last_insert_rowid(), new.reasoning);
  END;
  CREATE TRIGGER analyses_fts AFTER INSERT ON analyses BEGIN
    INSERT INTO search_docs(kind, ref, project) SELECT 'analysis', new.run_id, project FROM runs WHERE id = new.run_id;
    INSERT INTO search_index(rowid, body) VALUES (last_insert_rowid(), new.summary);
  END;
  CREATE TRIGGER lessons_fts AFTER INSERT ON lessons BEGIN
    INSERT INTO search_docs(kind, ref, project) VALUES ('lesson', 'lesson:' || new.id, new.project);
    INSERT INTO search_index(rowid, body) VALUES (last_insert_rowid(), new.text);
  END;
  CREATE TRIGGER lessons_fts_del AFTER DELETE ON lessons BEGIN
    DELETE FROM search_docs WHERE ref = 'lesson:' || old.id;
  END;
  `,
  /* 2: indexes for the review commands. runs_stats and runs_duration let stats read indexes
     only, grouped by pattern in index order (no sort) and p90 as an offset walk; the others serve
     history filters and the run_id lookups of show and gc's cascades. */ `
  CREATE INDEX runs_project_status ON runs(project, status, started_at);
  CREATE INDEX runs_stats ON runs(project, pattern, started_at, status, finished_at, cost_usd,
    input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, id);
  CREATE INDEX runs_duration ON runs(project, pattern, (finished_at - started_at), started_at);
  CREATE INDEX analyses_stats ON analyses(run_id, outcome, cost_usd,
    input_tokens, output_tokens, cache_read_tokens, cache_write_tokens);
  CREATE INDEX agent_calls_stats ON agent_calls(run_id, role, status, retries, cost_usd, started_at, finished_at);
  CREATE INDEX lessons_run ON lessons(run_id);
  CREATE INDEX lesson_uses_run ON lesson_uses(run_id);
  `,
  /* 3: each agent turn's stop reason, in order, comma-separated (end_turn, tool_use, max_tokens,
     refusal, pause_turn, model_context_window_exceeded): how every turn ended stays on record. */ `
  ALTER TABLE agent_calls ADD COLUMN stop_reasons TEXT NOT NULL DEFAULT '';
  `,
  /* 4: a tool call the process died in is `interrupted` (its effect unknown), not left `running`.
     SQLite cannot change a CHECK, so the table is rebuilt (nothing references tool_calls). */ `
  CREATE TABLE tool_calls_v4 (
    id TEXT PRIMARY KEY,
    agent_call_id TEXT NOT NULL REFERENCES agent_calls(id) ON DELETE CASCADE,
    run_id TEXT NOT NULL,
    name TEXT NOT NULL,
    input_json TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('requested','running','completed','failed','denied','cancelled','interrupted')),
    permission TEXT,
    output TEXT,
    is_error INTEGER NOT NULL DEFAULT 0,
    duration_ms INTEGER,
    started_at INTEGER NOT NULL,
    finished_at INTEGER
  );
  INSERT INTO tool_calls_v4 SELECT id, agent_call_id, run_id, name, input_json, status, permission, output, is_error, duration_ms, started_at, finished_at FROM tool_calls;
  DROP TABLE tool_calls;
  ALTER TABLE tool_calls_v4 RENAME TO tool_calls;
  CREATE INDEX tool_calls_agent ON tool_calls(agent_call_id, started_at);
  CREATE INDEX tool_calls_run ON tool_calls(run_id);
  `,
  /* 5: learning (issue 11). Lessons keep what retrieval indexes (keywords, the prompt they came
     from), their source runs and counts, a pin; feedback is applied through a ledger so a repeated
     verdict changes nothing and a flipped one reverses; a project is an identity key (a repository's
     root commit, else its origin, else the path) that paths map to. Existing lessons start keyed by
     their path and move to the key when baton first resolves that path (learning/project.ts). */ `
  ALTER TABLE lessons ADD COLUMN project_key TEXT;
  ALTER TABLE lessons ADD COLUMN keywords TEXT NOT NULL DEFAULT '';
  ALTER TABLE lessons ADD COLUMN prompt TEXT NOT NULL DEFAULT '';
  ALTER TABLE lessons ADD COLUMN pinned INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE lessons ADD COLUMN reinforced INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE lessons ADD COLUMN weakened INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE lessons ADD COLUMN updated_at INTEGER;
  ALTER TABLE lessons ADD COLUMN last_used_at INTEGER;
  UPDATE lessons SET project_key = project,
    prompt = COALESCE((SELECT r.prompt FROM runs r WHERE r.id = lessons.run_id), ''),
    last_used_at = (SELECT max(d.created_at) FROM lesson_uses u JOIN decisions d ON d.run_id = u.run_id WHERE u.lesson_id = lessons.id);
  CREATE INDEX lessons_project_key ON lessons(project_key, weight);

  -- The runs whose analysis wrote (add), reworded (edit) or voted on (reinforce, weaken) a lesson.
  -- run_id is no foreign key: a lesson outlives the runs that taught it.
  CREATE TABLE lesson_sources (
    lesson_id INTEGER NOT NULL REFERENCES lessons(id) ON DELETE CASCADE,
    run_id TEXT NOT NULL,
    op TEXT NOT NULL CHECK (op IN ('add','edit','reinforce','weaken')),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (lesson_id, run_id)
  );
  CREATE INDEX lesson_sources_run ON lesson_sources(run_id);
  INSERT INTO lesson_sources (lesson_id, run_id, op, created_at) SELECT id, run_id, 'add', created_at FROM lessons WHERE run_id IS NOT NULL;

  -- What a run's current verdict contributes to a lesson's weight, so it can be changed or taken back exactly.
  CREATE TABLE lesson_feedback (
    lesson_id INTEGER NOT NULL REFERENCES lessons(id) ON DELETE CASCADE,
    run_id TEXT NOT NULL,
    delta REAL NOT NULL,
    PRIMARY KEY (lesson_id, run_id)
  );
  CREATE INDEX lesson_feedback_run ON lesson_feedback(run_id);

  CREATE TABLE projects (
    path TEXT PRIMARY KEY,
    key TEXT NOT NULL,
    root_commit TEXT,
    origin TEXT,
    seen_at INTEGER NOT NULL
  );
  CREATE INDEX projects_key ON projects(key);
  `,
  /* 6: the unified diff of an edit_file/write_file call as it ran (the file before it is not
     recorded anywhere else), for the transcript's fold, /diff and `baton show --diff`. */ `
  ALTER TABLE tool_calls ADD COLUMN diff TEXT;
  `,
  /* 7: extensions: the agent file an agent call ran as (path and sha256 of its text), and the playbook
     whose steps a run carried out (id, path, sha256): show names them, stats counts per agent. */ `
  ALTER TABLE agent_calls ADD COLUMN agent_file TEXT;
  ALTER TABLE agent_calls ADD COLUMN agent_file_hash TEXT;
  ALTER TABLE runs ADD COLUMN playbook TEXT;
  ALTER TABLE runs ADD COLUMN playbook_file TEXT;
  ALTER TABLE runs ADD COLUMN playbook_hash TEXT;
  `,
  /* 8: per-project, per-pattern, per-day aggregates for `baton stats` (and per role), kept by
     triggers in the same transaction as every write to runs, analyses, feedback and agent_calls
     (a run's finishing transaction included), and built here from the rows already recorded.
     A run's key (project, pattern, UTC day) moves with it when its pattern is set; a deleted run
     takes its whole contribution with it BEFORE its children cascade away (their own triggers
     then find no run and do nothing). See stats-daily.ts. */ `
  CREATE TABLE stats_daily (
    project TEXT NOT NULL,
    pattern TEXT NOT NULL,                       -- '' for a run without a pattern yet
    day INTEGER NOT NULL,                        -- started_at rounded down to a UTC day (ms)
    runs INTEGER NOT NULL DEFAULT 0,
    finished INTEGER NOT NULL DEFAULT 0,
    duration_ms INTEGER NOT NULL DEFAULT 0,      -- over finished runs
    cost_usd REAL NOT NULL DEFAULT 0,            -- runs.cost_usd plus the analyses' cost
    analysis_cost_usd REAL NOT NULL DEFAULT 0,
    tokens INTEGER NOT NULL DEFAULT 0,           -- all four buckets, analyses included
    analysed INTEGER NOT NULL DEFAULT 0,
    successes INTEGER NOT NULL DEFAULT 0,
    partials INTEGER NOT NULL DEFAULT 0,
    failures INTEGER NOT NULL DEFAULT 0,
    feedback_good INTEGER NOT NULL DEFAULT 0,
    feedback_bad INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (project, day, pattern)
  ) WITHOUT ROWID;
  CREATE TABLE role_stats_daily (
    project TEXT NOT NULL,
    day INTEGER NOT NULL,
    role TEXT NOT NULL,
    calls INTEGER NOT NULL DEFAULT 0,
    failures INTEGER NOT NULL DEFAULT 0,
    retries INTEGER NOT NULL DEFAULT 0,
    cost_usd REAL NOT NULL DEFAULT 0,
    duration_ms INTEGER NOT NULL DEFAULT 0,      -- over calls with both times
    timed INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (project, day, role)
  ) WITHOUT ROWID;
  ${statsDailySql}
  -- stats names the roles that ran as agent files without scanning every agent call.
  CREATE INDEX agent_calls_agent_file ON agent_calls(role, agent_file) WHERE agent_file IS NOT NULL;
  `,
  /* 9: the .git (device:inode:birth time) a project path's root commit was read from: while it is the same,
     the identity is taken from here instead of three git processes at every run's start. */ `
  ALTER TABLE projects ADD COLUMN git_stamp TEXT;
  `,
];
