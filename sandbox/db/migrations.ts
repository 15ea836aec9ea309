/** Schema migrations; index i moves `user_version` from i to i + 1. Never edit a shipped entry. */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE zones (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE);
  CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE grants (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
    zone_id TEXT REFERENCES zones(id) ON DELETE CASCADE
  );
  CREATE INDEX grants_user ON grants(user_id);
  CREATE TABLE tokens (
    id TEXT PRIMARY KEY,
    digest BLOB NOT NULL,
    name TEXT NOT NULL,
    owner TEXT NOT NULL,
    user_id INTEGER REFERENCES users(id) ON DELETE CASCADE,
    personal INTEGER NOT NULL CHECK (personal IN (0, 1)),
    enabled INTEGER NOT NULL DEFAULT 1,
    scopes TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    modified_at INTEGER,
    expires_at INTEGER,
    last_used_at INTEGER,
    last_used_ip TEXT,
    CHECK (personal = 0 OR user_id IS NOT NULL)
  );
  CREATE INDEX tokens_user ON tokens(user_id);
  CREATE TABLE entities (
    id TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    name TEXT NOT NULL,
    first_seen INTEGER NOT NULL,
    last_seen INTEGER NOT NULL,
    health TEXT NOT NULL,
    properties TEXT NOT NULL,
    tags TEXT NOT NULL,
    from_relationships TEXT NOT NULL
  );
  CREATE INDEX entities_type ON entities(type);
  CREATE TABLE entity_zones (
    entity_id TEXT NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    zone_id TEXT NOT NULL REFERENCES zones(id) ON DELETE CASCADE,
    PRIMARY KEY (entity_id, zone_id)
  ) WITHOUT ROWID;
  `,
  // 1 -> 2: ingested (custom) metrics: descriptors, dimension keys in first-seen order, series, data points.
  `
  CREATE TABLE custom_metrics (
    key TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('gauge', 'count')),
    unit TEXT,
    display_name TEXT,
    description TEXT,
    created INTEGER NOT NULL,
    last_written INTEGER
  );
  CREATE TABLE custom_metric_dimensions (
    id INTEGER PRIMARY KEY,
    metric_key TEXT NOT NULL REFERENCES custom_metrics(key) ON DELETE CASCADE,
    dim_key TEXT NOT NULL,
    UNIQUE (metric_key, dim_key)
  );
  CREATE TABLE custom_series (
    id INTEGER PRIMARY KEY,
    metric_key TEXT NOT NULL REFERENCES custom_metrics(key) ON DELETE CASCADE,
    dims TEXT NOT NULL,
    UNIQUE (metric_key, dims)
  );
  CREATE TABLE custom_points (
    series_id INTEGER NOT NULL REFERENCES custom_series(id) ON DELETE CASCADE,
    ts INTEGER NOT NULL,
    count INTEGER NOT NULL,
    sum REAL NOT NULL,
    min REAL NOT NULL,
    max REAL NOT NULL
  );
  CREATE INDEX custom_points_series_ts ON custom_points(series_id, ts);
  `,
];
