-- One public booking as SQL, for pgbench: the same statements Rollbook's public
-- site sends for one registration (the rate-limit count, then the booking
-- transaction: settings, the new student, the course lock, the seat count with the
-- open offers, the registration, its audit entry, links and email), with nothing
-- of Python in between. Variables: :course and :slot (pgbench -D).
\set addr random(1, 2000000000)
INSERT INTO rate_limit_buckets (key, window_start, count) VALUES ('public-submit:' || :addr, now(), 1) ON CONFLICT (key) DO UPDATE SET window_start = CASE WHEN rate_limit_buckets.window_start <= now() - interval '10 minutes' THEN now() ELSE rate_limit_buckets.window_start END, count = CASE WHEN rate_limit_buckets.window_start <= now() - interval '10 minutes' THEN 1 ELSE rate_limit_buckets.count + 1 END RETURNING count;
SELECT nextval('bench_email') AS n \gset
BEGIN;
SELECT key, value FROM settings;
SELECT * FROM students WHERE email = 'pgb' || :n || '@bench.example';
INSERT INTO students (email, first_name, last_name, title, phone, student_type, profile_complete, admin_classified, experience, emergency_contact, notes, created_at, updated_at) VALUES ('pgb' || :n || '@bench.example', 'Bench', 'Visitor', '', '', 'general', false, false, '', '', '', now(), now()) ON CONFLICT (email) DO NOTHING RETURNING id \gset s_
INSERT INTO audit_entries (occurred_at, actor_kind, actor_id, actor_label, action, entity_type, entity_id, changes, reason) VALUES (now(), 'public', NULL, 'public 10.0.0.1', 'student.create', 'Student', :s_id, '{"email": [null, "pgb@bench.example"], "first_name": [null, "Bench"]}', '');
SELECT * FROM courses c LEFT JOIN course_slots s ON s.course_id = c.id LEFT JOIN prices p ON p.slot_id = s.id WHERE c.id = :course FOR UPDATE OF c;
SELECT 'seats' AS kind, r.pricing_type, r.drop_in_session_id, cs.session_date, count(*) FROM registrations r LEFT JOIN class_sessions cs ON cs.id = r.drop_in_session_id WHERE r.course_id = :course AND r.cancelled_at IS NULL AND (r.payment_status IN ('completed', 'not_required') OR (r.payment_status = 'pending' AND (r.hold_expires_at IS NULL OR r.hold_expires_at > now()))) GROUP BY r.pricing_type, r.drop_in_session_id, cs.session_date UNION ALL SELECT 'offers', NULL, NULL, NULL, count(*) FROM waitlist_entries WHERE course_id = :course AND status = 'offered' AND offer_expires_at > now();
INSERT INTO registrations (student_id, course_id, pricing_type, amount_due, payment_status, payment_reference, hold_expires_at, special_requests, source, from_waitlist, override_reason, cancellation_reason, created_at, updated_at) VALUES (:s_id, :course, 'full_package', 120.00, 'pending', '', now() + interval '3 days', '', 'public', false, '', '', now(), now()) RETURNING id \gset r_
INSERT INTO audit_entries (occurred_at, actor_kind, actor_id, actor_label, action, entity_type, entity_id, changes, reason) VALUES (now(), 'public', NULL, 'public 10.0.0.1', 'registration.create', 'Registration', :r_id, '{"student_id": [null, 1], "course_id": [null, 1], "pricing_type": [null, "full_package"], "amount_due": [null, "120.00"], "payment_status": [null, "pending"], "source": [null, "public"]}', '');
INSERT INTO link_tokens (token_hash, purpose, registration_id, expires_at, created_at) VALUES (md5(random()::text) || md5(random()::text), 'view_registration', :r_id, now() + interval '60 days', now()), (md5(random()::text) || md5(random()::text), 'cancel_registration', :r_id, now() + interval '60 days', now());
INSERT INTO outgoing_emails (kind, to_address, to_name, subject, body_text, body_html, status, attempts, next_attempt_at, claimed_by, last_error, created_at) VALUES ('registration_received', 'pgb' || :n || '@bench.example', 'Bench', 'Registration received: Hot Course - Rollbook', repeat('x', 800), repeat('y', 1500), 'pending', 0, now(), '', '', now());
COMMIT;
