// Routing decisions per second in process: 100,000 leads through the rules, availability and the
// weighted round-robin of a 40-rep, 4-team company, carrying the rotation state from one decision to
// the next as the node does. Then the stored rotation against a real PostgreSQL the bench starts:
// assignments per second one lead per run (a form submission each), in batches of 50, and with 8 runs
// racing for the same state (queue-mode workers), with the conflicts that cost. Prints figures; asserts nothing.
'use strict';
const path = require('node:path');
const { performance } = require('node:perf_hooks');

const DIST = path.resolve(__dirname, '..', '..', 'dist', 'nodes', 'shared', 'domain');

async function run() {
	const { DateTime } = require('luxon');
	const { RoutingConfigSchema } = require(path.join(DIST, 'routing', 'config.js'));
	const { routeLead } = require(path.join(DIST, 'routing', 'route.js'));
	const teams = ['dach', 'nordics', 'na', 'enterprise'];
	const config = RoutingConfigSchema.parse({
		queueOwner: 'queue@bench.example',
		defaultTeam: 'nordics',
		reps: Array.from({ length: 40 }, (_, i) => ({ id: `rep${i}`, name: `Rep ${i}`, email: `rep${i}@bench.example`, teams: [teams[i % 4]], weight: 1 + (i % 3), timezone: i % 4 === 2 ? 'America/New_York' : undefined, dailyCap: i % 5 === 0 ? 400 : undefined, outOfOffice: i % 7 === 0 ? [{ from: '2026-12-01', to: '2026-12-03' }] : [] })),
		rules: [
			{ id: 'enterprise', team: 'enterprise', when: { employeesMin: 1000 } },
			{ id: 'dach', team: 'dach', when: { countries: ['DE', 'AT', 'CH'] } },
			{ id: 'na', team: 'na', when: { countries: ['US', 'CA'] } },
		],
	});
	const company = { timezone: 'Europe/Berlin', workingDays: [1, 2, 3, 4, 5], dayStart: '08:00', dayEnd: '18:00', holidays: [] };
	const countries = ['DE', 'AT', 'US', 'SE', 'CA', 'NO', 'CH'];
	const N = 100_000;
	const start = DateTime.fromISO('2026-12-02T07:00:00Z');
	const leads = Array.from({ length: N }, (_, i) => ({ country: countries[i % countries.length], employeeCount: (i * 37) % 3000, at: start.plus({ seconds: i }) }));
	let rotation = {};
	const assignedToday = {};
	const t0 = performance.now();
	for (const lead of leads) {
		const d = routeLead(lead, config, company, rotation, { assignedToday }, lead.at);
		rotation = d.rotation;
		if (d.repId) assignedToday[d.repId] = (assignedToday[d.repId] ?? 0) + 1;
	}
	const ms = performance.now() - t0;
	const lines = [`routing: ${N} decisions in ${ms.toFixed(0)} ms = ${Math.round(N / (ms / 1000)).toLocaleString('en-US')} decisions/s (40 reps, 4 teams, caps, absences, 2 time zones)`];
	lines.push(...(await stored(config, company, leads.slice(0, 2000))));
	return lines;
}

async function stored(config, company, leads) {
	const fs = require('node:fs');
	const os = require('node:os');
	const { assignOwners } = require(path.join(DIST, 'routing', 'rotation.js'));
	const { PostgresStore } = require(path.join(DIST, 'crm', 'postgres-store.js'));
	const { Postgres } = require('../harness/postgres');
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'revops-bench-routing-pg-'));
	const pg = new Postgres(dir);
	await pg.start();
	pg.createDatabase('bench');
	const store = new PostgresStore({ host: '127.0.0.1', port: pg.port, database: 'bench', user: 'postgres', schema: 'bench' });
	const lines = [];
	const rate = (label, n, ms, extra = '') => `stored rotation (postgres), ${label}: ${n} leads in ${ms.toFixed(0)} ms = ${Math.round(n / (ms / 1000)).toLocaleString('en-US')} assignments/s${extra}`;
	try {
		await store.ensureSchema();
		const ones = leads.slice(0, 500);
		let t = performance.now();
		for (const lead of ones) await assignOwners(store, 'one', [lead], config, company, lead.at);
		lines.push(rate('one lead per run', ones.length, performance.now() - t));
		t = performance.now();
		for (let i = 0; i < leads.length; i += 50) await assignOwners(store, 'batch', leads.slice(i, i + 50), config, company, leads[i].at);
		lines.push(rate('batches of 50', leads.length, performance.now() - t));
		const racing = leads.slice(0, 400);
		let attempts = 0;
		t = performance.now();
		for (let i = 0; i < racing.length; i += 8) {
			const runs = await Promise.all(racing.slice(i, i + 8).map((lead) => assignOwners(store, 'race', [lead], config, company, lead.at)));
			attempts += runs.reduce((s, r) => s + r.attempts, 0);
		}
		lines.push(rate('8 runs at once, one lead each', racing.length, performance.now() - t, `; ${(attempts / racing.length).toFixed(2)} read-decide-write rounds per lead`));
	} finally {
		await store.close();
		pg.stop();
		fs.rmSync(dir, { recursive: true, force: true });
	}
	return lines;
}

module.exports = { run };
