-- zcs-commission records server: the PostgreSQL schema (zcs-records-server(5)).
--
-- A team creates one database and applies this file once:
--     createdb zcs
--     psql -d zcs -v ON_ERROR_STOP=1 -1 -f schema.sql
-- or lets 'zcs-commission records server-init --server URL' (or the first
-- 'records push') apply it.  The file is a list of versions, each starting
-- with a line "-- version N"; a later zcs-commission appends versions and
-- applies, in one transaction, those above the database's own
-- max(zcs.schema_version.version).  Applied by psql on a new database, every
-- version runs in order.
--
-- What the server promises: every record a laptop sends goes through the
-- trigger zcs.receive() on its way into zcs.records.  The trigger recomputes
-- the record's place in its session's hash chain, SHA-256(previous hash ||
-- "\n" || canonical form), exactly as the laptop did, and refuses the record
-- (and with it the whole session's transaction) when it does not match, with
-- SQLSTATE ZC00n and a message naming the reason.  Everything the server
-- shows about a session (installer, serial, verdicts, reviews) is read out of
-- those verified canonical forms, never taken from the client on trust.
-- Received records are never changed or deleted.
--
-- Clients need no privilege on the tables but SELECT: zcs.push_session()
-- and zcs.review() run as the schema's owner (SECURITY DEFINER), so a
-- laptop's role can add what passes the checks and nothing else, and
-- cannot touch the summary.  See zcs-records-server(5) for the roles.

-- version 1
CREATE SCHEMA zcs;

CREATE TABLE zcs.schema_version(
	version integer PRIMARY KEY,
	applied_at timestamptz NOT NULL DEFAULT now(),
	note text);

-- This server's identity: laptops remember what it acknowledged under it.
CREATE TABLE zcs.server(
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	created_at timestamptz NOT NULL DEFAULT now());
INSERT INTO zcs.server DEFAULT VALUES;

-- One row per laptop (its stable id is kept in its records file).
-- pubkey: the Ed25519 public key its records are signed with, pinned on the
-- first signed record received.
CREATE TABLE zcs.laptops(
	id text PRIMARY KEY CHECK (id ~ '^[0-9a-f]{32}$'),
	name text,
	pubkey bytea,
	first_push timestamptz NOT NULL DEFAULT now(),
	last_push timestamptz NOT NULL DEFAULT now());

-- One row per session of one laptop.  The columns after local_id are a
-- summary kept by zcs.receive() from the verified records (current_step
-- excepted: where an unfinished session stopped, as the laptop says).
CREATE TABLE zcs.sessions(
	id bigserial PRIMARY KEY,
	laptop text NOT NULL REFERENCES zcs.laptops(id),
	local_id bigint NOT NULL,
	installer text, site text, customer text, serial text, model text,
	training boolean NOT NULL DEFAULT false,
	started_ms bigint NOT NULL DEFAULT 0,
	ended_ms bigint,
	complete boolean NOT NULL DEFAULT false,
	current_step text,
	nsteps integer NOT NULL DEFAULT 0, npassed integer NOT NULL DEFAULT 0,
	nfailed integer NOT NULL DEFAULT 0, nskipped integer NOT NULL DEFAULT 0,
	nna integer NOT NULL DEFAULT 0,
	verdict text NOT NULL DEFAULT 'incomplete'
		CHECK (verdict IN ('passed', 'failed', 'incomplete')),
	review text NOT NULL DEFAULT 'pending'
		CHECK (review IN ('approved', 'rejected', 'pending')),
	head_seq integer NOT NULL DEFAULT 0,
	head_hash text,
	chain integer NOT NULL DEFAULT 1,
	signer text,
	received_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	UNIQUE (laptop, local_id));
CREATE INDEX sessions_started ON zcs.sessions(started_ms, id);
CREATE INDEX sessions_installer ON zcs.sessions(lower(installer), started_ms);
CREATE INDEX sessions_serial ON zcs.sessions(serial, started_ms);
CREATE INDEX sessions_verdict ON zcs.sessions(verdict, started_ms);
CREATE INDEX sessions_review ON zcs.sessions(review, started_ms);
CREATE INDEX sessions_training ON zcs.sessions(training, started_ms);
CREATE INDEX sessions_unfinished ON zcs.sessions(started_ms) WHERE NOT complete;

-- The chained records as the laptop stored them: kind (the local table),
-- the local row id, the canonical form that was hashed, the hash, and the
-- canonical form's top-level fields as JSON (read by the server, for its
-- summary).  sig/pubkey: an Ed25519 signature of the record and the key,
-- when the laptop signs.
CREATE TABLE zcs.records(
	session_id bigint NOT NULL REFERENCES zcs.sessions(id),
	seq integer NOT NULL CHECK (seq > 0),
	kind text NOT NULL
		CHECK (kind IN ('sessions', 'verdicts', 'writes', 'events', 'reviews', 'answers',
			'step_entries', 'closings')),
	local_id bigint NOT NULL,
	canon bytea NOT NULL,
	hash text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
	fields jsonb,
	sig bytea,
	pubkey bytea,
	received_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (session_id, seq));

-- The current (latest) verdict of each step of each session.
CREATE TABLE zcs.steps(
	session_id bigint NOT NULL REFERENCES zcs.sessions(id),
	step_id text NOT NULL,
	local_id bigint NOT NULL,
	status text NOT NULL,
	PRIMARY KEY (session_id, step_id));

-- The keys a team accepts: when this table has rows, a session must be
-- signed by one of them; empty, each laptop's first key is pinned.
CREATE TABLE zcs.trusted_keys(
	pubkey bytea PRIMARY KEY CHECK (length(pubkey) = 32),
	name text,
	added_at timestamptz NOT NULL DEFAULT now());

-- Steps that failed at least once in a session (records list --failed-step).
CREATE TABLE zcs.failed_steps(
	step_id text NOT NULL,
	session_id bigint NOT NULL REFERENCES zcs.sessions(id),
	PRIMARY KEY (step_id, session_id));

-- QA reviews: those in a laptop's chain (origin 'laptop', seq set) and those
-- made on the server (origin 'server'); a server review that a laptop pulled
-- and pushed back in its chain gets the seq of that record.
CREATE TABLE zcs.reviews(
	id bigserial PRIMARY KEY,
	session_id bigint NOT NULL REFERENCES zcs.sessions(id),
	seq integer,
	origin text NOT NULL CHECK (origin IN ('laptop', 'server')),
	reviewer text NOT NULL,
	approved boolean NOT NULL,
	comment text,
	wall_ms bigint NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now());
CREATE INDEX reviews_session ON zcs.reviews(session_id, wall_ms);

-- A refusal: SQLSTATE ZC001.. with "refused [reason]: sentence".
--   ZC001 altered       the record does not match its hash
--   ZC002 out-of-order  a record is missing before this one
--   ZC003 differs       another record with this number was received before
--   ZC004 malformed     the record is not what its kind and session say
--   ZC005 head          the session's last hash is not its last record's
--   ZC006 wrong-key     signed with another key than the laptop's
--   ZC008 bad-signature the signature does not verify, or is missing
--   ZC009 untrusted-key signed by a key not in zcs.trusted_keys
CREATE FUNCTION zcs.refuse(code text, reason text, msg text) RETURNS void
LANGUAGE plpgsql AS $f$
BEGIN
	RAISE EXCEPTION USING ERRCODE = code, MESSAGE = format('refused [%s]: %s', reason, msg);
END $f$;

CREATE FUNCTION zcs.utf8(b bytea) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT AS $f$
BEGIN
	RETURN convert_from(b, 'UTF8');
EXCEPTION WHEN others THEN
	RETURN encode(b, 'escape');
END $f$;

-- The top-level fields of a canonical form ("table\nname=s5:hello\nname=i42\n
-- name=r0.5\nname=n\n", see records_chain.c), as JSON, with the table
-- under "_table".  Stops at the first line without '=' (a verdict's
-- "inputs" section).  NULL when the form is not well made.
CREATE FUNCTION zcs.canon_fields(c bytea) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE STRICT AS $f$
DECLARE
	n integer := length(c);
	p integer;
	eq integer; nl integer; colon integer; len integer;
	name text; t text; v bytea;
	out jsonb;
	rest bytea;
BEGIN
	nl := position('\x0a'::bytea IN c);
	IF nl < 2 THEN RETURN NULL; END IF;
	out := jsonb_build_object('_table', zcs.utf8(substring(c FROM 1 FOR nl - 1)));
	p := nl + 1;
	WHILE p <= n LOOP
		rest := substring(c FROM p);
		eq := position('\x3d'::bytea IN rest);
		nl := position('\x0a'::bytea IN rest);
		EXIT WHEN nl = 0 OR eq = 0 OR nl < eq;
		name := zcs.utf8(substring(rest FROM 1 FOR eq - 1));
		t := chr(get_byte(rest, eq));
		IF t IN ('s', 'b') THEN
			colon := position('\x3a'::bytea IN rest);
			IF colon = 0 OR colon < eq THEN RETURN NULL; END IF;
			len := zcs.utf8(substring(rest FROM eq + 2 FOR colon - eq - 2))::integer;
			v := substring(rest FROM colon + 1 FOR len);
			IF length(v) <> len OR get_byte(rest, colon + len) <> 10 THEN RETURN NULL; END IF;
			out := out || jsonb_build_object(name, CASE t WHEN 's' THEN to_jsonb(zcs.utf8(v))
				ELSE to_jsonb(encode(v, 'hex')) END);
			p := p + colon + len + 1;
		ELSE
			v := substring(rest FROM eq + 2 FOR nl - eq - 2);
			out := out || jsonb_build_object(name, CASE t
				WHEN 'n' THEN 'null'::jsonb
				WHEN 'i' THEN to_jsonb(zcs.utf8(v)::bigint)
				WHEN 'r' THEN to_jsonb(zcs.utf8(v))
				END);
			IF t NOT IN ('n', 'i', 'r') THEN RETURN NULL; END IF;
			p := p + nl;
		END IF;
	END LOOP;
	RETURN out;
EXCEPTION WHEN invalid_text_representation OR numeric_value_out_of_range THEN
	RETURN NULL;
END $f$;

-- Ed25519 (RFC 8032) signature verification, in PL/pgSQL over numeric:
-- PostgreSQL has SHA-512 but no Ed25519.  Slow (tens of milliseconds a
-- signature), so the server checks the signature that covers the most: the
-- last one of each push (it signs the chain's head, which commits to every
-- record before it) and every review's (their signer may be another key).
CREATE FUNCTION zcs.le_num(b bytea) RETURNS numeric
LANGUAGE plpgsql IMMUTABLE STRICT AS $f$
DECLARE
	n numeric := 0;
BEGIN
	FOR i IN REVERSE length(b) - 1 .. 0 LOOP
		n := n * 256 + get_byte(b, i);
	END LOOP;
	RETURN n;
END $f$;

CREATE FUNCTION zcs.num_le(n numeric, len integer) RETURNS bytea
LANGUAGE plpgsql IMMUTABLE STRICT AS $f$
DECLARE
	b bytea := decode(repeat('00', len), 'hex');
BEGIN
	FOR i IN 0 .. len - 1 LOOP
		b := set_byte(b, i, mod(n, 256)::integer);
		n := div(n, 256);
	END LOOP;
	RETURN b;
END $f$;

CREATE FUNCTION zcs.ed_pow(b numeric, e numeric) RETURNS numeric
LANGUAGE plpgsql IMMUTABLE STRICT AS $f$
DECLARE
	p constant numeric := 57896044618658097711785492504343953926634992332820282019728792003956564819949;
	r numeric := 1;
BEGIN
	b := mod(b, p);
	WHILE e > 0 LOOP
		IF mod(e, 2) = 1 THEN
			r := mod(r * b, p);
		END IF;
		b := mod(b * b, p);
		e := div(e, 2);
	END LOOP;
	RETURN r;
END $f$;

-- Extended coordinates (X, Y, Z, T), x = X/Z, y = Y/Z, xy = T/Z; the
-- unified addition of twisted Edwards curves with a = -1 (also doubles).
CREATE FUNCTION zcs.ed_add(a numeric[], b numeric[]) RETURNS numeric[]
LANGUAGE plpgsql IMMUTABLE STRICT AS $f$
DECLARE
	p constant numeric := 57896044618658097711785492504343953926634992332820282019728792003956564819949;
	d2 constant numeric := 16295367250680780974490674513165176452449235426866156013048779062215315747161;
	aa numeric; bb numeric; cc numeric; dd numeric; e numeric; f numeric; g numeric; h numeric;
BEGIN
	aa := mod((a[2] - a[1]) * (b[2] - b[1]), p);
	bb := mod((a[2] + a[1]) * (b[2] + b[1]), p);
	cc := mod(mod(a[4] * d2, p) * b[4], p);
	dd := mod(2 * a[3] * b[3], p);
	e := bb - aa; f := dd - cc; g := dd + cc; h := bb + aa;
	RETURN ARRAY[mod(e * f, p), mod(g * h, p), mod(f * g, p), mod(e * h, p)];
END $f$;

-- A point from its 32-byte encoding; NULL when it is none.
CREATE FUNCTION zcs.ed_decode(b bytea) RETURNS numeric[]
LANGUAGE plpgsql IMMUTABLE STRICT AS $f$
DECLARE
	p constant numeric := 57896044618658097711785492504343953926634992332820282019728792003956564819949;
	d constant numeric := 37095705934669439343138083508754565189542113879843219016388785533085940283555;
	i constant numeric := 19681161376707505956807079304988542015446066515923890162744021073123829784752;
	sign integer;
	y numeric; u numeric; v numeric; x numeric; vx2 numeric;
BEGIN
	IF length(b) <> 32 THEN RETURN NULL; END IF;
	sign := get_bit(b, 255);
	y := zcs.le_num(set_bit(b, 255, 0));
	IF y >= p THEN RETURN NULL; END IF;
	u := mod(y * y - 1 + p, p);
	v := mod(d * y * y + 1, p);
	x := mod(mod(u * zcs.ed_pow(v, 3), p)
		* zcs.ed_pow(mod(u * zcs.ed_pow(v, 7), p), div(p - 5, 8)), p);
	vx2 := mod(v * x * x, p);
	IF vx2 = u THEN
		NULL;
	ELSIF vx2 = mod(p - u, p) THEN
		x := mod(x * i, p);
	ELSE
		RETURN NULL;
	END IF;
	IF x = 0 AND sign = 1 THEN RETURN NULL; END IF;
	IF mod(x, 2) <> sign THEN x := p - x; END IF;
	RETURN ARRAY[x, y, 1, mod(x * y, p)];
END $f$;

-- 1 when sig (64 bytes) is pub's (32 bytes) Ed25519 signature of msg.
CREATE FUNCTION zcs.ed25519_verify(pub bytea, msg bytea, sig bytea) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE STRICT AS $f$
DECLARE
	p constant numeric := 57896044618658097711785492504343953926634992332820282019728792003956564819949;
	l constant numeric := 7237005577332262213973186563042994240857116359379907606001950938285454250989;
	base constant numeric[] := ARRAY[
		15112221349535400772501151409588531511454012693041857206046113283949847762202,
		46316835694926478169428394003475163141307993866256225615783033603165251855960, 1,
		46827403850823179245072216630277197565144205554125654976674165829533817101731];
	a numeric[]; q numeric[];
	s bytea; k bytea;
	zi numeric; x numeric; y numeric;
BEGIN
	IF length(pub) <> 32 OR length(sig) <> 64 THEN RETURN false; END IF;
	s := substring(sig FROM 33 FOR 32);
	IF zcs.le_num(s) >= l THEN RETURN false; END IF;
	a := zcs.ed_decode(pub);
	IF a IS NULL THEN RETURN false; END IF;
	a := ARRAY[p - a[1], a[2], a[3], p - a[4]];          -- -A
	k := zcs.num_le(mod(zcs.le_num(sha512(substring(sig FROM 1 FOR 32) || pub || msg)), l), 32);
	q := ARRAY[0, 1, 1, 0]::numeric[];
	FOR bit IN REVERSE 252 .. 0 LOOP
		q := zcs.ed_add(q, q);
		IF get_bit(s, bit) = 1 THEN q := zcs.ed_add(q, base); END IF;
		IF get_bit(k, bit) = 1 THEN q := zcs.ed_add(q, a); END IF;
	END LOOP;
	zi := zcs.ed_pow(mod(q[3] + p, p), p - 2);
	x := mod(mod(q[1] * zi, p) + p, p);
	y := mod(mod(q[2] * zi, p) + p, p);
	RETURN zcs.num_le(y + mod(x, 2) * 2 ^ 255::numeric, 32) = substring(sig FROM 1 FOR 32);
END $f$;

CREATE FUNCTION zcs.chain_hash(prev text, canon bytea) RETURNS text
LANGUAGE sql IMMUTABLE STRICT AS $f$
	SELECT encode(sha256(convert_to(prev, 'UTF8') || '\x0a'::bytea || canon), 'hex')
$f$;

-- "the verdict of step grid.ct-sign (failed)", as records verify says it.
CREATE FUNCTION zcs.describe(kind text, f jsonb) RETURNS text
LANGUAGE sql IMMUTABLE AS $f$
	SELECT CASE kind
		WHEN 'sessions' THEN 'the session''s header (unit, installer, checklist)'
		WHEN 'verdicts' THEN format('the verdict of step %s (%s)', f->>'step_id', f->>'status')
		WHEN 'writes' THEN format('the write of %s', f->>'reg')
		WHEN 'events' THEN format('the %s event', f->>'kind')
		WHEN 'reviews' THEN format('the review by %s', f->>'reviewer')
		WHEN 'answers' THEN format('the answer %s.%s', f->>'step_id', f->>'key')
		WHEN 'step_entries' THEN format('the start of step %s', coalesce(f->>'step_id', '(none)'))
		WHEN 'closings' THEN 'the closing record'
		ELSE 'a record' END
$f$;

-- Recount a session's summary from its steps and reviews.
CREATE FUNCTION zcs.summarize(sid bigint) RETURNS void
LANGUAGE sql AS $f$
	UPDATE zcs.sessions s SET
		nsteps = a.n, npassed = a.p, nfailed = a.f, nskipped = a.sk, nna = a.na,
		verdict = CASE WHEN a.f > 0 THEN 'failed' WHEN s.complete THEN 'passed'
			ELSE 'incomplete' END,
		review = coalesce((SELECT CASE WHEN r.approved THEN 'approved' ELSE 'rejected' END
			FROM zcs.reviews r WHERE r.session_id = sid
			ORDER BY r.wall_ms DESC, r.id DESC LIMIT 1), 'pending'),
		updated_at = now()
	FROM (SELECT count(*)::int n, count(*) FILTER (WHERE status = 'passed')::int p,
		count(*) FILTER (WHERE status = 'failed')::int f,
		count(*) FILTER (WHERE status = 'skipped')::int sk,
		count(*) FILTER (WHERE status = 'n/a')::int na
		FROM zcs.steps WHERE session_id = sid) a
	WHERE s.id = sid
$f$;

-- The insert path: verify, then read the record into the summary.
CREATE FUNCTION zcs.receive() RETURNS trigger
LANGUAGE plpgsql AS $f$
DECLARE
	s zcs.sessions%ROWTYPE;
	old_hash text;
	old_at timestamptz;
	prev text;
	want text;
	f jsonb;
	what text;
	lap zcs.laptops%ROWTYPE;
	rid bigint;
BEGIN
	SELECT * INTO s FROM zcs.sessions WHERE id = NEW.session_id FOR UPDATE;
	IF NOT FOUND THEN
		PERFORM zcs.refuse('ZC004', 'malformed', format('there is no session %s on the server',
			NEW.session_id));
	END IF;
	IF NEW.seq <= s.head_seq THEN
		SELECT hash, received_at INTO old_hash, old_at FROM zcs.records
			WHERE session_id = NEW.session_id AND seq = NEW.seq;
		IF old_hash = NEW.hash THEN
			RETURN NULL;            -- received before: nothing to do
		END IF;
		PERFORM zcs.refuse('ZC003', 'differs', format('record %s of session %s of laptop %s '
			'differs from the one received on %s: the session was changed on the laptop '
			'after it was pushed', NEW.seq, s.local_id, left(s.laptop, 8),
			to_char(old_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI "UTC"')));
	END IF;
	IF NEW.seq <> s.head_seq + 1 THEN
		PERFORM zcs.refuse('ZC002', 'out-of-order', format('record %s of session %s of laptop '
			'%s arrived but the server holds its records up to %s: record %s is missing',
			NEW.seq, s.local_id, left(s.laptop, 8), s.head_seq, s.head_seq + 1));
	END IF;
	f := zcs.canon_fields(NEW.canon);
	what := format('record %s of session %s of laptop %s', NEW.seq, s.local_id, left(s.laptop, 8));
	IF f IS NULL OR f->>'_table' IS DISTINCT FROM NEW.kind THEN
		PERFORM zcs.refuse('ZC004', 'malformed', format('%s is not a well-made %s record',
			what, NEW.kind));
	END IF;
	IF (f->>'seq')::bigint IS DISTINCT FROM NEW.seq OR (f->>'id')::bigint IS DISTINCT FROM NEW.local_id
	   OR (NEW.kind = 'sessions') <> (NEW.seq = 1)
	   OR (NEW.kind = 'sessions' AND (f->>'id')::bigint IS DISTINCT FROM s.local_id)
	   OR (NEW.kind <> 'sessions' AND (f->>'session_id')::bigint IS DISTINCT FROM s.local_id) THEN
		PERFORM zcs.refuse('ZC004', 'malformed', format('%s (%s) does not say it is record %s '
			'of session %s', what, zcs.describe(NEW.kind, f), NEW.seq, s.local_id));
	END IF;
	prev := CASE WHEN s.head_seq = 0 THEN repeat('0', 64) ELSE s.head_hash END;
	want := zcs.chain_hash(prev, NEW.canon);
	IF want <> NEW.hash THEN
		PERFORM zcs.refuse('ZC001', 'altered', format('%s, %s, does not match its hash: it, or '
			'the record before it, was altered after it was recorded', what,
			zcs.describe(NEW.kind, f)));
	END IF;
	-- a signature is the signer's of the head at this record; the signer is
	-- the session header's (verdicts, closing records) or the review's own,
	-- read from what was hashed, never from the client
	NEW.pubkey := NULL;
	IF NEW.kind IN ('verdicts', 'closings') THEN
		NEW.pubkey := decode(s.signer, 'hex');
	ELSIF NEW.kind = 'reviews' AND f->>'signer' ~ '^[0-9a-f]{64}$' THEN
		NEW.pubkey := decode(f->>'signer', 'hex');
	END IF;
	IF NEW.sig IS NULL AND NEW.kind IN ('verdicts', 'closings') AND s.chain >= 2 THEN
		PERFORM zcs.refuse('ZC008', 'bad-signature', format('%s, %s, carries no signature: '
			'its session is a signed one', what, zcs.describe(NEW.kind, f)));
	END IF;
	IF NEW.sig IS NOT NULL AND (NEW.pubkey IS NULL OR length(NEW.sig) <> 64) THEN
		PERFORM zcs.refuse('ZC004', 'malformed', format('%s carries a signature with no '
			'signer, or not 64 bytes', what));
	END IF;
	IF NEW.kind = 'sessions' AND f->>'signer' IS NOT NULL THEN
		IF f->>'signer' !~ '^[0-9a-f]{64}$' THEN
			PERFORM zcs.refuse('ZC004', 'malformed', format('%s names a signer that is not a '
				'key', what));
		END IF;
		IF EXISTS (SELECT 1 FROM zcs.trusted_keys) AND NOT EXISTS (SELECT 1 FROM
		   zcs.trusted_keys WHERE pubkey = decode(f->>'signer', 'hex')) THEN
			PERFORM zcs.refuse('ZC009', 'untrusted-key', format('%s is signed by a key this '
				'server does not trust (%s...): add it to zcs.trusted_keys', what,
				left(f->>'signer', 16)));
		END IF;
		SELECT * INTO lap FROM zcs.laptops WHERE id = s.laptop FOR UPDATE;
		IF lap.pubkey IS NULL THEN
			UPDATE zcs.laptops SET pubkey = decode(f->>'signer', 'hex') WHERE id = s.laptop;
		ELSIF lap.pubkey <> decode(f->>'signer', 'hex') THEN
			PERFORM zcs.refuse('ZC006', 'wrong-key', format('%s is signed with another key '
				'than the one laptop %s signed with before', what, left(s.laptop, 8)));
		END IF;
	END IF;
	NEW.fields := f;
	NEW.received_at := now();

	-- read it into the summary
	IF NEW.kind = 'sessions' THEN
		UPDATE zcs.sessions SET installer = f->>'installer', site = f->>'site',
			customer = f->>'customer', serial = f->>'serial', model = f->>'model',
			signer = f->>'signer', chain = coalesce((f->>'chain')::integer, 1),
			training = coalesce((f->>'training')::bigint, 0) <> 0,
			started_ms = coalesce((f->>'started_ms')::bigint, 0)
		WHERE id = s.id;
	ELSIF NEW.kind = 'verdicts' THEN
		INSERT INTO zcs.steps(session_id, step_id, local_id, status)
		VALUES (s.id, f->>'step_id', NEW.local_id, f->>'status')
		ON CONFLICT (session_id, step_id) DO UPDATE SET status = EXCLUDED.status,
			local_id = EXCLUDED.local_id WHERE zcs.steps.local_id < EXCLUDED.local_id;
		IF f->>'status' = 'failed' THEN
			INSERT INTO zcs.failed_steps VALUES (f->>'step_id', s.id) ON CONFLICT DO NOTHING;
		END IF;
	ELSIF NEW.kind = 'closings' THEN
		UPDATE zcs.sessions SET ended_ms = (f->>'wall_ms')::bigint,
			complete = complete OR coalesce((f->>'complete')::bigint, 0) <> 0
		WHERE id = s.id;
	ELSIF NEW.kind = 'events' THEN
		IF f->>'kind' = 'ended' THEN
			UPDATE zcs.sessions SET complete = true, ended_ms = (f->>'wall_ms')::bigint
			WHERE id = s.id;
		ELSIF f->>'kind' = 'stopped' THEN
			UPDATE zcs.sessions SET ended_ms = (f->>'wall_ms')::bigint WHERE id = s.id;
		ELSIF f->>'kind' = 'identified' THEN
			-- the unit identified once it has power (the header began without it):
			-- "serial S, model M, family F, ..."
			UPDATE zcs.sessions SET
				serial = coalesce(nullif(substring(f->>'detail' FROM '^serial ([^,]*),'), '-'),
					serial),
				model = coalesce(nullif(substring(f->>'detail' FROM ', model ([^,]*),'), '-'),
					model)
			WHERE id = s.id;
		END IF;
	ELSIF NEW.kind = 'reviews' THEN
		-- a server review pulled by the laptop comes back in its chain
		SELECT id INTO rid FROM zcs.reviews WHERE session_id = s.id AND origin = 'server'
			AND seq IS NULL AND reviewer = f->>'reviewer'
			AND approved = ((f->>'approved')::bigint <> 0)
			AND comment IS NOT DISTINCT FROM f->>'comment'
			AND wall_ms = (f->>'wall_ms')::bigint
			ORDER BY id LIMIT 1;
		IF rid IS NOT NULL THEN
			UPDATE zcs.reviews SET seq = NEW.seq WHERE id = rid;
		ELSE
			INSERT INTO zcs.reviews(session_id, seq, origin, reviewer, approved, comment, wall_ms)
			VALUES (s.id, NEW.seq, 'laptop', f->>'reviewer', (f->>'approved')::bigint <> 0,
				f->>'comment', coalesce((f->>'wall_ms')::bigint, 0));
		END IF;
	END IF;
	UPDATE zcs.sessions SET head_seq = NEW.seq, head_hash = NEW.hash WHERE id = s.id;
	PERFORM zcs.summarize(s.id);
	RETURN NEW;
END $f$;

CREATE TRIGGER receive BEFORE INSERT ON zcs.records
	FOR EACH ROW EXECUTE FUNCTION zcs.receive();

CREATE FUNCTION zcs.append_only() RETURNS trigger
LANGUAGE plpgsql AS $f$
BEGIN
	RAISE EXCEPTION USING ERRCODE = 'ZC007',
		MESSAGE = 'refused [append-only]: records received are never changed or deleted';
END $f$;

CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON zcs.records
	FOR EACH ROW EXECUTE FUNCTION zcs.append_only();

-- One session of one laptop, in one transaction: the records (JSON array of
-- {seq, kind, id, hash, canon (hex), sig (hex or null)}, in chain
-- order) go through zcs.receive(); those received before are skipped.
-- Returns the server's id for the session, its head and how many records
-- were new.
CREATE FUNCTION zcs.push_session(laptop_id text, laptop_name text, local bigint,
	recs jsonb, head integer, head_hash text, step text,
	OUT server_id bigint, OUT head_seq integer, OUT received integer)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, zcs AS $f$
DECLARE
	e jsonb;
	before integer;
	s zcs.sessions%ROWTYPE;
	r zcs.records%ROWTYPE;
BEGIN
	INSERT INTO zcs.laptops(id, name) VALUES (laptop_id, laptop_name)
	ON CONFLICT (id) DO UPDATE SET last_push = now(), name = EXCLUDED.name;
	INSERT INTO zcs.sessions(laptop, local_id) VALUES (laptop_id, local)
	ON CONFLICT (laptop, local_id) DO NOTHING;
	SELECT * INTO s FROM zcs.sessions WHERE laptop = laptop_id AND local_id = local FOR UPDATE;
	before := s.head_seq;
	FOR e IN SELECT x FROM jsonb_array_elements(recs) WITH ORDINALITY AS a(x, i) ORDER BY i LOOP
		INSERT INTO zcs.records(session_id, seq, kind, local_id, canon, hash, sig)
		VALUES (s.id, (e->>'seq')::integer, e->>'kind', (e->>'id')::bigint,
			decode(e->>'canon', 'hex'), e->>'hash', decode(e->>'sig', 'hex'));
	END LOOP;
	-- The signature of the last signed record received now covers every
	-- record before it; a review's may be another key's: each is checked.
	FOR r IN SELECT * FROM zcs.records x WHERE x.session_id = s.id AND x.seq > before
		AND x.sig IS NOT NULL AND (x.kind = 'reviews' OR x.seq = (SELECT max(y.seq)
		FROM zcs.records y WHERE y.session_id = s.id AND y.seq > before
		AND y.kind IN ('verdicts', 'closings') AND y.sig IS NOT NULL)) LOOP
		IF NOT zcs.ed25519_verify(r.pubkey, convert_to(format(E'zcs-commission head 2\n%s\n%s',
		   r.seq, r.hash), 'UTF8'), r.sig) THEN
			PERFORM zcs.refuse('ZC008', 'bad-signature', format('record %s of session %s of '
				'laptop %s, %s, does not carry a valid signature of its signer''s key: the '
				'chain was rewritten after it was signed', r.seq, local, left(laptop_id, 8),
				zcs.describe(r.kind, r.fields)));
		END IF;
	END LOOP;
	SELECT * INTO s FROM zcs.sessions WHERE id = s.id;
	IF s.head_seq <> head OR s.head_hash IS DISTINCT FROM push_session.head_hash THEN
		PERFORM zcs.refuse('ZC005', 'head', format('session %s of laptop %s ends at record %s '
			'with hash %s, but the laptop says it ends at record %s with hash %s: its last '
			'records were deleted or replaced', local, left(laptop_id, 8), s.head_seq,
			left(coalesce(s.head_hash, '-'), 16), head, left(coalesce(push_session.head_hash, '-'), 16)));
	END IF;
	UPDATE zcs.sessions SET current_step = CASE WHEN s.complete THEN NULL ELSE step END
	WHERE id = s.id;
	server_id := s.id;
	head_seq := s.head_seq;
	received := s.head_seq - before;
END $f$;

-- The chain of one session checked again from what is stored: the first
-- problem, or 'intact'.
CREATE FUNCTION zcs.verify_session(sid bigint, OUT problem text, OUT seq integer,
	OUT message text, OUT nrecords integer, OUT head text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, zcs AS $f$
DECLARE
	r record;
	prev text := repeat('0', 64);
	expect integer := 1;
	s zcs.sessions%ROWTYPE;
BEGIN
	SELECT * INTO s FROM zcs.sessions WHERE id = sid;
	nrecords := 0;
	FOR r IN SELECT * FROM zcs.records WHERE session_id = sid ORDER BY records.seq LOOP
		IF r.seq <> expect THEN
			problem := 'missing'; seq := expect;
			message := format('record %s is missing on the server', expect);
			RETURN;
		END IF;
		IF zcs.chain_hash(prev, r.canon) <> r.hash THEN
			problem := 'altered'; seq := r.seq;
			message := format('record %s, %s, was altered on the server: what is stored no '
				'longer matches its hash', r.seq, zcs.describe(r.kind, r.fields));
			RETURN;
		END IF;
		prev := r.hash;
		expect := expect + 1;
		nrecords := nrecords + 1;
	END LOOP;
	head := prev;
	IF s.head_seq <> nrecords OR s.head_hash IS DISTINCT FROM prev THEN
		problem := 'head'; seq := s.head_seq;
		message := format('the session''s last hash on the server is not its last record''s');
		RETURN;
	END IF;
	FOR r IN SELECT * FROM zcs.records x WHERE x.session_id = sid AND x.sig IS NOT NULL
		AND (x.kind = 'reviews' OR x.seq = (SELECT max(y.seq) FROM zcs.records y
		WHERE y.session_id = sid AND y.kind IN ('verdicts', 'closings') AND y.sig IS NOT NULL))
		ORDER BY x.seq LOOP
		IF NOT zcs.ed25519_verify(r.pubkey, convert_to(format(E'zcs-commission head 2\n%s\n%s',
		   r.seq, r.hash), 'UTF8'), r.sig) THEN
			problem := 'altered'; seq := r.seq;
			message := format('record %s, %s, does not carry a valid signature of its signer''s '
				'key', r.seq, zcs.describe(r.kind, r.fields));
			RETURN;
		END IF;
	END LOOP;
	problem := 'intact'; seq := 0;
	message := format('the chain of %s records is intact on the server (last hash %s...)%s',
		nrecords, left(prev, 16), CASE WHEN s.chain >= 2 THEN ', signed by ed25519:'
		|| left(encode(sha256(decode(s.signer, 'hex')), 'hex'), 16) ELSE '' END);
END $f$;

-- A QA decision taken on the server.  Approval needs a finished session
-- whose chain is intact.  Returns the review's id.
CREATE FUNCTION zcs.review(sid bigint, approve boolean, by_name text, note text)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, zcs AS $f$
DECLARE
	s zcs.sessions%ROWTYPE;
	v record;
	rid bigint;
BEGIN
	SELECT * INTO s FROM zcs.sessions WHERE id = sid FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION USING ERRCODE = 'ZC010',
			MESSAGE = format('there is no session %s on the server', sid);
	END IF;
	IF coalesce(by_name, '') = '' THEN
		RAISE EXCEPTION USING ERRCODE = 'ZC010',
			MESSAGE = 'a review needs the reviewer''s name (--by NAME)';
	END IF;
	IF approve AND NOT s.complete THEN
		RAISE EXCEPTION USING ERRCODE = 'ZC010', MESSAGE = format('session %s is not finished '
			'(it stopped at %s): it cannot be approved; resume it and push it again, or reject it',
			sid, coalesce(s.current_step, 'its start'));
	END IF;
	IF approve THEN
		SELECT * INTO v FROM zcs.verify_session(sid);
		IF v.problem <> 'intact' THEN
			RAISE EXCEPTION USING ERRCODE = 'ZC011', MESSAGE = format('session %s cannot be '
				'approved: %s', sid, v.message);
		END IF;
	END IF;
	INSERT INTO zcs.reviews(session_id, origin, reviewer, approved, comment, wall_ms)
	VALUES (sid, 'server', by_name, approve, nullif(note, ''),
		(extract(epoch FROM clock_timestamp()) * 1000)::bigint)
	RETURNING id INTO rid;
	PERFORM zcs.summarize(sid);
	RETURN rid;
END $f$;

INSERT INTO zcs.schema_version(version, note) VALUES (1, 'sessions, records, reviews');
