-- Stream gateway schema, version 4: a computer's audio source.

-- The address of the computer's audio source, tcp://host:port, or null when it has none. Each
-- connection there receives Opus audio in WebM from its start (see the README).
ALTER TABLE computer ADD COLUMN audio_url varchar(512);
