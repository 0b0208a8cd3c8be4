// Speed to lead in a real n8n 2.41.1: the inbound template as shipped (form -> ... -> Save Lead ->
// Assign Owner), Nordwind's config on a real PostgreSQL, a stand-in model that answers at once, and a
// local receiver standing in for the company's Slack. For each submission: the time until n8n answers
// the form POST, and the time until the owner's message arrives. Sequential, then 4 clients at once.
// Prints figures; asserts nothing.
'use strict';
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { LATEST_N8N } = require('../harness/runtime');
const { installTarball, packTarball } = require('../harness/package');
const { N8nServer } = require('../harness/server');
const { Postgres } = require('../harness/postgres');
const { importTemplates } = require('../harness/templates');
const { ModelServer } = require('../model-server/server');

const COMPANIES = path.resolve(__dirname, '..', '..', 'workflows', 'companies');

function receiver() {
	const waiting = new Map();
	const arrived = new Map();
	const server = http.createServer((req, res) => {
		let raw = '';
		req.on('data', (c) => (raw += c));
		req.on('end', () => {
			const at = performance.now();
			res.end('ok');
			const text = String(JSON.parse(raw || '{}').text ?? '');
			// Owner messages name the lead's e-mail; approval requests and reminders are not counted.
			const m = /lead for you[\s\S]*?E-mail: (\S+)/.exec(text);
			if (!m) return;
			arrived.set(m[1], at);
			waiting.get(m[1])?.(at);
		});
	});
	return {
		async start() {
			await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
			return `http://127.0.0.1:${server.address().port}`;
		},
		/** When the owner message for this e-mail arrived (performance.now()), waiting up to a minute. */
		arrival(email) {
			if (arrived.has(email)) return Promise.resolve(arrived.get(email));
			return new Promise((resolve) => {
				const timer = setTimeout(() => resolve(Number.NaN), 60_000);
				waiting.set(email, (at) => {
					clearTimeout(timer);
					resolve(at);
				});
			});
		},
		stop: () => new Promise((resolve) => server.close(resolve)),
	};
}

async function submit(server, i, tag) {
	const email = `lead${i}.${tag}@bench-${tag}-${i}.com`;
	const body = new FormData();
	['Bench Lead', email, '', `Bench ${i} GmbH`, 'Head of Operations', '', 'Germany', 'What would maintenance for three sites cost?'].forEach((v, n) => body.append(`field-${n}`, v));
	const t0 = performance.now();
	const res = await fetch(`${server.baseUrl}/form/revops-inbound-lead`, { method: 'POST', body });
	await res.text();
	return { email, t0, answered: performance.now() - t0, ok: res.status === 200 };
}

const pct = (xs, p) => {
	const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
	return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : Number.NaN;
};

async function round(server, inbox, count, clients, tag) {
	const results = [];
	let next = 0;
	await Promise.all(
		Array.from({ length: clients }, async () => {
			while (next < count) {
				const r = await submit(server, next++, tag);
				r.owner = (await inbox.arrival(r.email)) - r.t0;
				results.push(r);
			}
		}),
	);
	const answered = results.map((r) => r.answered);
	const owner = results.map((r) => r.owner);
	const lost = owner.filter((x) => !Number.isFinite(x)).length;
	return `${clients === 1 ? 'sequential' : `${clients} clients`}, ${count} submissions: form answered median ${pct(answered, 50).toFixed(0)} ms (p95 ${pct(answered, 95).toFixed(0)}); owner message median ${pct(owner, 50).toFixed(0)} ms (p95 ${pct(owner, 95).toFixed(0)}) after submit${lost ? `; ${lost} messages did not arrive within a minute` : ''}`;
}

async function run() {
	const count = Number(process.env.BENCH_HANDOFF_LEADS || 30);
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'revops-bench-handoff-'));
	const pgDir = fs.mkdtempSync(path.join(os.tmpdir(), 'revops-bench-handoff-pg-'));
	const pg = new Postgres(pgDir);
	await pg.start();
	pg.createDatabase('revops_crm');
	const model = new ModelServer({ apiKey: 'sk-bench', latencyMs: 0 });
	const modelUrl = await model.start();
	const inbox = receiver();
	const inboxUrl = await inbox.start();
	const configDir = path.join(userFolder, 'revops-companies');
	fs.mkdirSync(configDir, { recursive: true });
	const config = JSON.parse(fs.readFileSync(path.join(COMPANIES, 'nordwind-services-eu.json'), 'utf8'));
	config.channels = { slackWebhookUrl: `${inboxUrl}/slack`, notifyEmail: config.channels.notifyEmail };
	// No caps: the bench measures time, not who is full.
	config.routing.reps = config.routing.reps.map(({ dailyCap: _d, openCap: _o, ...rep }) => rep);
	fs.writeFileSync(path.join(configDir, 'nordwind.json'), JSON.stringify(config));

	installTarball(userFolder, packTarball(path.join(userFolder, 'pack')));
	const server = new N8nServer({ version: LATEST_N8N, port: 5792, userFolder, env: { REVOPS_COMPANY: 'nordwind_services', REVOPS_CONFIG_DIR: configDir } });
	const credentialsFile = path.join(userFolder, 'credentials.json');
	fs.writeFileSync(
		credentialsFile,
		JSON.stringify([
			{ id: 'RevOpsModel00001', name: 'RevOps Model', type: 'revOpsModelApi', data: { baseUrl: modelUrl, apiKey: 'sk-bench', model: 'gpt-4o-mini', headers: '{}' } },
			{ id: 'RevOpsApproval01', name: 'RevOps Approval', type: 'revOpsApprovalApi', data: { secret: 'bench-approval-secret-0123456789' } },
			{ id: 'RevOpsPostgres01', name: 'RevOps PostgreSQL', type: 'revOpsPostgresApi', data: { host: '127.0.0.1', port: pg.port, database: 'revops_crm', user: 'postgres', password: '', ssl: false } },
			{ id: 'RevOpsN8nApi0001', name: 'RevOps N8n Data Tables API', type: 'revOpsN8nApi', data: { baseUrl: 'http://127.0.0.1/api/v1', apiKey: 'unused' } },
		]),
	);
	server.importCredentials(credentialsFile);
	await importTemplates(server, { replace: { 'https://hooks.slack.com/services/REPLACE/WITH/YOURS': `${inboxUrl}/slack` } });
	try {
		await server.start();
		await server.signIn();
		// The form registered (n8n registers webhooks of active workflows just after it is ready), then
		// one submission: the CRM schema created, code paths warm. A failure stops the bench saying so.
		await (await server.fetchWhenRegistered('/form/revops-inbound-lead')).text();
		const warm = await submit(server, 0, 'warm');
		if (!warm.ok || !Number.isFinite(await inbox.arrival(warm.email))) throw new Error(`the warm-up lead ${warm.ok ? 'got no owner message within a minute' : 'was refused by the form'}; see n8n's log: ${server.logTail(20)}`);
		const lines = [`n8n ${LATEST_N8N}, inbound template as shipped, Nordwind config on PostgreSQL, stand-in model at 0 ms latency`];
		lines.push(`Form answered: n8n's reply to the form POST. Owner message: until the rep message reached the stand-in Slack.`);
		lines.push(await round(server, inbox, count, 1, 'seq'));
		lines.push(await round(server, inbox, count, 4, 'par'));
		return lines;
	} finally {
		await server.stop();
		await model.stop();
		await inbox.stop();
		pg.stop();
		fs.rmSync(pgDir, { recursive: true, force: true });
		fs.rmSync(userFolder, { recursive: true, force: true });
	}
}

module.exports = { run };
