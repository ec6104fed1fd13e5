-- A recap database as netrawat 0.1 (commit 3529bdd, before Alembic) wrote it: a request,
-- a health run with an escalation and a backup run. Made by that release's own recap API;
-- dumped with sqlite3. tests/test_recap_migrations.py upgrades it in place.
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE recap_meta (
	"key" VARCHAR(64) NOT NULL, 
	value VARCHAR(256) NOT NULL, 
	PRIMARY KEY ("key")
);
INSERT INTO recap_meta VALUES('schema_version','1');
CREATE TABLE requests (
	number VARCHAR(120) NOT NULL, 
	opd VARCHAR(64) NOT NULL, 
	summary TEXT NOT NULL, 
	received_at DATETIME NOT NULL, 
	opened_at DATETIME NOT NULL, 
	opened_by VARCHAR(64) NOT NULL, 
	PRIMARY KEY (number)
);
INSERT INTO requests VALUES('045/112/Diskes/XI/2026','dinkes','Internet mati di ruang TU','2026-11-23 01:30:00.000000','2026-12-01 23:25:20.808845','root');
CREATE TABLE request_events (
	id INTEGER NOT NULL, 
	request_number VARCHAR(120) NOT NULL, 
	kind VARCHAR(16) NOT NULL, 
	at DATETIME NOT NULL, 
	operator VARCHAR(64) NOT NULL, 
	result VARCHAR(32), 
	note TEXT, 
	PRIMARY KEY (id), 
	FOREIGN KEY(request_number) REFERENCES requests (number)
);
CREATE TABLE runs (
	run_id VARCHAR(64) NOT NULL, 
	playbook VARCHAR(32) NOT NULL, 
	request_number VARCHAR(120), 
	preventive_id VARCHAR(64), 
	operator VARCHAR(64) NOT NULL, 
	opds JSON NOT NULL, 
	options JSON NOT NULL, 
	started_at DATETIME NOT NULL, 
	machine VARCHAR(255) NOT NULL, 
	pid INTEGER NOT NULL, 
	process_start VARCHAR(32), 
	PRIMARY KEY (run_id), 
	FOREIGN KEY(request_number) REFERENCES requests (number)
);
INSERT INTO runs VALUES('20261201T232520Z-health-44757f07','health','045/112/Diskes/XI/2026',NULL,'root','["dinkes"]','{}','2026-12-01 23:25:20.830932','vm',18616,'294787');
INSERT INTO runs VALUES('20261201T232520Z-backup-6b9defa6','backup','045/112/Diskes/XI/2026',NULL,'root','["dinkes"]','{}','2026-12-01 23:25:20.907789','vm',18616,'294787');
CREATE TABLE run_ends (
	run_id VARCHAR(64) NOT NULL, 
	ended_at DATETIME NOT NULL, 
	status VARCHAR(16) NOT NULL, 
	summary TEXT, 
	PRIMARY KEY (run_id), 
	FOREIGN KEY(run_id) REFERENCES runs (run_id)
);
INSERT INTO run_ends VALUES('20261201T232520Z-health-44757f07','2026-12-01 23:25:20.898094','failed','1 device(s) surveyed, worst grade sedang');
INSERT INTO run_ends VALUES('20261201T232520Z-backup-6b9defa6','2026-12-01 23:25:20.927854','ok','backup 045/112/Diskes/XI/2026: 1 changed, 0 unchanged, 0 failed');
CREATE TABLE run_hosts (
	id INTEGER NOT NULL, 
	run_id VARCHAR(64) NOT NULL, 
	host VARCHAR(128) NOT NULL, 
	opd VARCHAR(64), 
	outcome VARCHAR(16) NOT NULL, 
	grade VARCHAR(16), 
	actions JSON NOT NULL, 
	"commit" VARCHAR(64), 
	error TEXT, 
	details JSON NOT NULL, 
	at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(run_id) REFERENCES runs (run_id)
);
INSERT INTO run_hosts VALUES(1,'20261201T232520Z-health-44757f07','RTR-DINKES','dinkes','failed','sedang','[]',NULL,NULL,'{"failed": {"wan": "loss 100%"}}','2026-12-01 23:25:20.870156');
INSERT INTO run_hosts VALUES(2,'20261201T232520Z-backup-6b9defa6','RTR-DINKES','dinkes','changed',NULL,'["backup dinkes/RTR-DINKES.rsc"]','0123456789abcdef0123456789abcdef01234567',NULL,'{}','2026-12-01 23:25:20.916313');
CREATE TABLE run_items (
	id INTEGER NOT NULL, 
	run_id VARCHAR(64) NOT NULL, 
	kind VARCHAR(16) NOT NULL, 
	value TEXT NOT NULL, 
	at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(run_id) REFERENCES runs (run_id)
);
INSERT INTO run_items VALUES(1,'20261201T232520Z-health-44757f07','escalation','lapor Kabid: RTR-DINKES sedang','2026-12-01 23:25:20.878240');
INSERT INTO run_items VALUES(2,'20261201T232520Z-backup-6b9defa6','commit','0123456789abcdef0123456789abcdef01234567','2026-12-01 23:25:20.917228');
CREATE INDEX ix_requests_opd ON requests (opd);
CREATE INDEX ix_requests_received_at ON requests (received_at);
CREATE INDEX ix_request_events_request_number ON request_events (request_number);
CREATE INDEX ix_runs_request_number ON runs (request_number);
CREATE INDEX ix_runs_preventive_id ON runs (preventive_id);
CREATE INDEX ix_runs_started_at ON runs (started_at);
CREATE INDEX ix_run_hosts_run_id ON run_hosts (run_id);
CREATE INDEX ix_run_items_run_id ON run_items (run_id);
COMMIT;
