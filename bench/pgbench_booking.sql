-- One public booking as SQL, for pgbench: the same statements Rollbook's public
-- site sends for one registration (rate-limit count, page reads, the booking
-- transaction under the course lock), with nothing of Python in between.
-- Variables: :course and :slot (pgbench -D).
\set addr random(1, 2000000000)
BEGIN;
INSERT INTO rate_limit_buckets (key, window_start, count) VALUES ('public-submit:' || :addr, now(), 0) ON CONFLICT (key) DO NOTHING;
SELECT key, window_start, count FROM rate_limit_buckets WHERE key = 'public-submit:' || :addr FOR UPDATE;
UPDATE rate_limit_buckets SET count = count + 1 WHERE key = 'public-submit:' || :addr;
COMMIT;
BEGIN;
SELECT key, value FROM settings;
SELECT * FROM courses WHERE id = :course AND is_published;
SELECT * FROM course_slots WHERE course_id = :course ORDER BY id;
SELECT * FROM prices WHERE slot_id = :slot ORDER BY pricing_type;
SELECT r.pricing_type, r.drop_in_session_id, r.payment_status, r.hold_expires_at, cs.session_date FROM registrations r LEFT JOIN class_sessions cs ON cs.id = r.drop_in_session_id WHERE r.course_id = :course AND r.cancelled_at IS NULL AND r.payment_status IN ('pending', 'completed', 'not_required');
ROLLBACK;
BEGIN;
SELECT key, value FROM settings;
SELECT * FROM courses WHERE id = :course FOR UPDATE;
SELECT nextval('bench_email') AS n \gset
SELECT * FROM students WHERE email = 'pgb' || :n || '@bench.example';
INSERT INTO students (email, first_name, last_name, title, phone, student_type, profile_complete, admin_classified, experience, emergency_contact, notes, created_at, updated_at) VALUES ('pgb' || :n || '@bench.example', 'Bench', 'Visitor', '', '', 'general', false, false, '', '', '', now(), now()) RETURNING id \gset s_
INSERT INTO audit_entries (occurred_at, actor_kind, actor_id, actor_label, action, entity_type, entity_id, changes, reason) VALUES (now(), 'public', NULL, 'public 10.0.0.1', 'student.create', 'Student', :s_id, '{"email": [null, "pgb@bench.example"], "first_name": [null, "Bench"]}', '');
SELECT * FROM registrations WHERE student_id = :s_id AND course_id = :course AND cancelled_at IS NULL AND payment_status IN ('pending', 'completed', 'not_required') AND drop_in_session_id IS NULL ORDER BY id;
SELECT capacity FROM course_slots WHERE course_id = :course;
SELECT r.pricing_type, r.drop_in_session_id, r.payment_status, r.hold_expires_at, cs.session_date FROM registrations r LEFT JOIN class_sessions cs ON cs.id = r.drop_in_session_id WHERE r.course_id = :course AND r.cancelled_at IS NULL AND r.payment_status IN ('pending', 'completed', 'not_required');
SELECT count(*) FROM waitlist_entries WHERE course_id = :course AND status = 'offered' AND offer_expires_at > now();
SELECT * FROM course_slots WHERE course_id = :course ORDER BY id;
SELECT * FROM prices WHERE slot_id = :slot ORDER BY pricing_type;
INSERT INTO registrations (student_id, course_id, pricing_type, amount_due, payment_status, payment_reference, hold_expires_at, special_requests, source, from_waitlist, override_reason, cancellation_reason, created_at, updated_at) VALUES (:s_id, :course, 'full_package', 120.00, 'pending', '', now() + interval '3 days', '', 'public', false, '', '', now(), now()) RETURNING id \gset r_
INSERT INTO audit_entries (occurred_at, actor_kind, actor_id, actor_label, action, entity_type, entity_id, changes, reason) VALUES (now(), 'public', NULL, 'public 10.0.0.1', 'registration.create', 'Registration', :r_id, '{"student_id": [null, 1], "course_id": [null, 1], "pricing_type": [null, "full_package"], "amount_due": [null, "120.00"], "payment_status": [null, "pending"], "source": [null, "public"]}', '');
INSERT INTO link_tokens (token_hash, purpose, registration_id, expires_at, created_at) VALUES (md5(random()::text) || md5(random()::text), 'view_registration', :r_id, now() + interval '60 days', now()), (md5(random()::text) || md5(random()::text), 'cancel_registration', :r_id, now() + interval '60 days', now());
INSERT INTO outgoing_emails (kind, to_address, to_name, subject, body_text, body_html, status, attempts, next_attempt_at, claimed_by, last_error, created_at) VALUES ('registration_received', 'pgb' || :n || '@bench.example', 'Bench', 'Registration received: Hot Course - Rollbook', repeat('x', 800), repeat('y', 1500), 'pending', 0, now(), '', '', now());
COMMIT;
