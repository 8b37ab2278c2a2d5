-- PostgreSQL: the schema of db/migration/sqlite version for version, epoch milliseconds as BIGINT.
-- Where each sign-in came from, so a user can tell their sessions apart on the account pages.
-- Null: not known (a session started before this migration, or a request without them).
ALTER TABLE sessions ADD COLUMN device TEXT;   -- the User-Agent, cleaned and cut to 200 characters
ALTER TABLE sessions ADD COLUMN address TEXT;  -- the client address
