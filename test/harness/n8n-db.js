// Reads n8n's own SQLite database (N8N_USER_FOLDER/.n8n/database.sqlite) from outside n8n, so that a
// bench can watch executions without adding requests to the n8n it measures: each of n8n's status
// requests loads and parses the whole execution, and n8n's form page makes one a second, not one
// every few milliseconds. n8n opens the file in WAL mode, where a reader in another process neither
// blocks n8n's writes nor is blocked by them. The reader is a Node 24 child (node:sqlite; the
// harness's Node 20 has none) that answers newline-delimited JSON.
'use strict';
const path = require('node:path');
const readline = require('node:readline');
const { performance } = require('node:perf_hooks');
const { spawn } = require('node:child_process');
const { ensureNode24 } = require('./runtime');

// The child: answers queries, and reports each watched execution once it is neither new nor running
// (one query for all watched executions every `intervalMs`, only while some are watched).
const CHILD = `
const { DatabaseSync } = require('node:sqlite');
const db = new DatabaseSync(process.argv[1]);
db.exec('PRAGMA busy_timeout = 5000');
const intervalMs = Number(process.argv[2]);
const out = (m) => process.stdout.write(JSON.stringify(m) + '\\n');
const watched = new Set();
let timer = null;
function tick() {
	timer = null;
	if (!watched.size) return;
	const ids = [...watched];
	const rows = db.prepare('SELECT id, status FROM execution_entity WHERE deletedAt IS NULL AND id IN (' + ids.map(() => '?').join(',') + ')').all(...ids.map(Number));
	for (const { id, status } of rows) {
		if (status === 'new' || status === 'running') continue;
		watched.delete(String(id));
		out({ id: String(id), status });
	}
	timer = setTimeout(tick, intervalMs);
}
require('node:readline').createInterface({ input: process.stdin }).on('line', (line) => {
	const m = JSON.parse(line);
	try {
		if (m.watch !== undefined) {
			watched.add(String(m.watch));
			if (!timer) tick();
		} else if (m.unwatch !== undefined) {
			watched.delete(String(m.unwatch));
		} else {
			out({ seq: m.seq, rows: db.prepare(m.sql).all(...(m.params ?? [])) });
		}
	} catch (error) {
		out({ seq: m.seq, id: m.watch, error: error.message });
	}
});
`;

class N8nDatabase {
	/** @param userFolder n8n's N8N_USER_FOLDER (n8n must have started once, which creates the file). */
	constructor(userFolder, { intervalMs = 5 } = {}) {
		this.file = path.join(userFolder, '.n8n', 'database.sqlite');
		this.child = spawn(ensureNode24().bin, ['--no-warnings', '-e', CHILD, this.file, String(intervalMs)], { stdio: ['pipe', 'pipe', 'pipe'] });
		this.seq = 0;
		this.replies = new Map();
		this.watches = new Map();
		let stderr = '';
		this.child.stderr.on('data', (chunk) => (stderr += chunk));
		this.child.once('exit', (code) => {
			const error = new Error(`the reader of n8n's database (${this.file}) exited with code ${code}: ${stderr.trim().split('\n').pop() ?? ''}`);
			for (const { reject } of [...this.replies.values(), ...this.watches.values()]) reject(error);
			this.replies.clear();
			this.watches.clear();
		});
		readline.createInterface({ input: this.child.stdout }).on('line', (line) => {
			const at = performance.now();
			const m = JSON.parse(line);
			const waiting = m.seq !== undefined ? this.replies.get(m.seq) : this.watches.get(m.id);
			if (!waiting) return;
			if (m.seq !== undefined) this.replies.delete(m.seq);
			else this.watches.delete(m.id);
			if (m.error) waiting.reject(new Error(`reading n8n's database: ${m.error}`));
			else waiting.resolve(m.seq !== undefined ? m.rows : { status: m.status, at });
		});
	}

	/** Rows of one SQL query (read it only: n8n owns the file). */
	query(sql, params = []) {
		const seq = this.seq++;
		return new Promise((resolve, reject) => {
			this.replies.set(seq, { resolve, reject });
			this.child.stdin.write(`${JSON.stringify({ seq, sql, params })}\n`);
		});
	}

	/**
	 * When (performance.now() in this process) execution `id` was first seen neither new nor running
	 * (it waits, ended or failed), and that status; read every few milliseconds, without asking n8n.
	 * Null once `timeoutMs` has passed without it (the reader then stops watching it).
	 */
	settled(id, { timeoutMs = Number.POSITIVE_INFINITY } = {}) {
		const key = String(id);
		return new Promise((resolve, reject) => {
			const timer = Number.isFinite(timeoutMs)
				? setTimeout(() => {
						this.watches.delete(key);
						this.child.stdin.write(`${JSON.stringify({ unwatch: key })}\n`);
						resolve(null);
					}, timeoutMs)
				: null;
			const done = (fn) => (value) => {
				clearTimeout(timer);
				fn(value);
			};
			this.watches.set(key, { resolve: done(resolve), reject: done(reject) });
			this.child.stdin.write(`${JSON.stringify({ watch: key })}\n`);
		});
	}

	/**
	 * How many executions n8n has that are new or running. n8n leaves a run it does not keep (a workflow
	 * set not to save successful runs) as deleted with the status it had when it started.
	 */
	async running() {
		const [row] = await this.query("SELECT count(*) AS n FROM execution_entity WHERE status IN ('new', 'running') AND deletedAt IS NULL");
		return row.n;
	}

	close() {
		this.child.stdin.end();
		this.child.kill();
	}
}

module.exports = { N8nDatabase };
