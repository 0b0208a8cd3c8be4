// The lead-handoff bench learns from n8n's SQLite database, read outside n8n, when a run waits on its
// page and when no run is left (test/harness/n8n-db.js). Its figures rest on that reader, so it is
// tested here on a database laid out as n8n's (WAL mode, execution_entity with soft-deleted rows),
// written by another process while the reader watches, as n8n writes it.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const { ensureNode24 } = require('../harness/runtime');
const { N8nDatabase } = require('../harness/n8n-db');

jest.setTimeout(60_000);

let userFolder: string;
let file: string;
let db: InstanceType<typeof N8nDatabase>;

/** Runs SQL on the database in a process of its own, as n8n's writes come from outside the reader. */
function write(sql: string) {
	const script = `const { DatabaseSync } = require('node:sqlite'); const db = new DatabaseSync(process.argv[1]); db.exec(process.argv[2]); db.close();`;
	const r = spawnSync(ensureNode24().bin, ['--no-warnings', '-e', script, file, sql], { encoding: 'utf8' });
	if (r.status !== 0) throw new Error(r.stderr);
}

beforeEach(() => {
	userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'revops-n8n-db-'));
	fs.mkdirSync(path.join(userFolder, '.n8n'));
	file = path.join(userFolder, '.n8n', 'database.sqlite');
	write(`PRAGMA journal_mode = WAL;
		CREATE TABLE execution_entity (id INTEGER PRIMARY KEY AUTOINCREMENT, status VARCHAR NOT NULL, deletedAt DATETIME);
		INSERT INTO execution_entity (status, deletedAt) VALUES ('success', NULL), ('running', NULL), ('new', NULL), ('running', '2026-12-05 15:34:21.065'), ('waiting', NULL);`);
	db = new N8nDatabase(userFolder);
});

afterEach(() => {
	db.close();
	fs.rmSync(userFolder, { recursive: true, force: true });
});

test('counts the runs that are new or running, and not the ones n8n marked deleted', async () => {
	expect(await db.running()).toBe(2);
	write(`UPDATE execution_entity SET status = 'waiting' WHERE id = 2`);
	expect(await db.running()).toBe(1);
	write(`UPDATE execution_entity SET status = 'success' WHERE id = 3`);
	expect(await db.running()).toBe(0);
});

test('reports a watched run once it stops running, with its status, and not before', async () => {
	let seen: { status: string; at: number } | undefined;
	const watched = db.settled('2').then((s: { status: string; at: number }) => (seen = s));
	// The reader has looked several times (every 5 ms) while the run still ran.
	await new Promise((r) => setTimeout(r, 200));
	expect(seen).toBeUndefined();
	write(`UPDATE execution_entity SET status = 'waiting' WHERE id = 2`);
	await watched;
	expect(seen?.status).toBe('waiting');
	expect(typeof seen?.at).toBe('number');
});

test('reports a run that had already stopped when it was watched, and two watched at once', async () => {
	const [ended, waiting] = await Promise.all([db.settled('1'), db.settled(5)]);
	expect(ended.status).toBe('success');
	expect(waiting.status).toBe('waiting');
});

test('a run n8n marked deleted is never reported as settled', async () => {
	let seen = false;
	// Closing the reader at the end rejects the watch that never settled.
	db.settled('4').then(() => (seen = true), () => undefined);
	await new Promise((r) => setTimeout(r, 200));
	expect(seen).toBe(false);
});

test('a watch with a time limit gives null once it has passed, and the run can be watched again', async () => {
	const started = Date.now();
	expect(await db.settled('2', { timeoutMs: 150 })).toBeNull();
	expect(Date.now() - started).toBeGreaterThanOrEqual(140);
	// Watched again once the run has settled: reported, so ending the first watch left the reader working.
	write(`UPDATE execution_entity SET status = 'error' WHERE id = 2`);
	expect((await db.settled('2', { timeoutMs: 30_000 })).status).toBe('error');
});

test('a failing query is an error that names n8n\'s database, and the reader goes on', async () => {
	await expect(db.query('SELECT nope FROM execution_entity')).rejects.toThrow(/reading n8n's database: no such column: nope/);
	expect(await db.running()).toBe(2);
});
