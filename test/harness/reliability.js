#!/usr/bin/env node
// `npm run reliability`: the figures to compare release with release. Runs the property tests (10,000
// hostile items per node through the real nodes, a model that obeys any instruction) and, unless
// `--no-race`, the approval race in a real n8n (REVOPS_RACE_ROUNDS rounds per mode, 50 by default, in
// regular and in queue mode), then prints one table: items tried, stopped runs, unflagged garbage,
// longest text written, and for the race the decisions told "Recorded", lost votes, attempts on record.
// The tests assert the figures too; this command is for reading them side by side.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { REPO_DIR } = require('./package');

const race = !process.argv.includes('--no-race');
const rounds = process.env.REVOPS_RACE_ROUNDS ?? '50';
const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'revops-reliability-')), 'figures.jsonl');
const env = { ...process.env, REVOPS_RELIABILITY_FILE: file };
const jest = require.resolve('jest/bin/jest', { paths: [REPO_DIR] });

const runs = [];
const step = (name, args, extraEnv = {}) => {
	process.stdout.write(`\n## ${name}\n`);
	const started = Date.now();
	const result = spawnSync(process.execPath, args, { cwd: REPO_DIR, stdio: 'inherit', env: { ...env, ...extraEnv } });
	runs.push({ name, status: result.status, seconds: Math.round((Date.now() - started) / 1000) });
};

step('hostile items through every node (in process)', [jest, '-c', path.join(REPO_DIR, 'test', 'jest.config.js'), 'test/node/hostile-values', 'test/node/hostile-model-nodes', 'test/node/hostile-crm-nodes']);
if (race) {
	step('two decisions within milliseconds (real n8n, regular and queue mode)', [path.join(__dirname, 'e2e.js'), 'test/e2e/approval-gate', 'test/e2e/queue-mode', '-t', 'two decisions within milliseconds'], {
		REVOPS_N8N_VERSIONS: process.env.REVOPS_N8N_VERSIONS ?? '2.41.1',
		REVOPS_RACE_ROUNDS: rounds,
		REVOPS_QUEUE_RACE_ROUNDS: process.env.REVOPS_QUEUE_RACE_ROUNDS ?? rounds,
	});
}

const figures = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
const pad = (v, n) => String(v).padEnd(n);
const lines = ['', '## reliability figures', ''];
const hostile = figures.filter((f) => f.kind === 'hostile');
if (hostile.length) {
	lines.push(`${pad('node', 20)}${pad('items', 8)}${pad('out', 8)}${pad('stopped runs', 14)}${pad('garbage', 10)}${pad('unflagged', 11)}longest written`);
	for (const f of hostile) lines.push(`${pad(f.node, 20)}${pad(f.items, 8)}${pad(f.out, 8)}${pad(f.stoppedRuns, 14)}${pad(f.garbage, 10)}${pad(f.unflagged, 11)}${f.longestWritten}`);
	lines.push('(garbage: values out of any sane range, or model answers out of the schema; unflagged: of those, left without a flag naming the field)');
}
const races = figures.filter((f) => f.kind === 'race');
if (races.length) {
	lines.push('', `${pad('approval race', 34)}${pad('mode', 7)}${pad('rounds', 8)}${pad('told', 6)}${pad('lost', 6)}${pad('on record', 11)}after end`);
	for (const f of races) lines.push(`${pad(f.where, 34)}${pad(f.mode, 7)}${pad(f.rounds, 8)}${pad(f.told, 6)}${pad(f.lost, 6)}${pad(f.onRecord, 11)}${f.afterEnd}`);
	lines.push('(told: decisions whose sender read "Recorded"; lost: of those, not counted; on record: the other decision, kept on the item with why; after end: came after the counted decision had been applied, answered by n8n or by the gate, not recorded)');
}
lines.push('', ...runs.map((r) => `${r.name}: ${r.status === 0 ? 'passed' : `FAILED (exit ${r.status})`} in ${r.seconds} s`), `figures as JSON lines: ${file}`);
process.stdout.write(`${lines.join('\n')}\n`);
process.exit(runs.every((r) => r.status === 0) ? 0 : 1);
