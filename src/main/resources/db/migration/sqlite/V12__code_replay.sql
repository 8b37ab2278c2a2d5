-- A code presented again is marked, so that its first exchange, still issuing, sees it and revokes
-- what it issued (issue 18): the replay marks the code, then revokes; the exchange records what it
-- issues, then looks for the mark. Whichever comes second catches the other.
ALTER TABLE authorization_codes ADD COLUMN replayed_at INTEGER;
