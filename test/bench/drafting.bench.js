// Grounded drafting, in process: the checks per draft (target: under 5 ms) on generated records and
// model drafts of every kind (first replies of 150 words to 400-word briefs over records with 50
// activities; a third of the drafts invent customers, amounts, dates, links or promises), and model
// calls and tokens per draft against the test model server with the Sales Drafter's flow (one retry
// when sentences were cut). Acme's config (approved content, banned phrases, footer). Prints
// figures; asserts nothing. BENCH_DRAFTS sets the number of drafts timed.
'use strict';
const path = require('node:path');
const { mulberry, quantile } = require('./support');
const { performance } = require('node:perf_hooks');

const DIST = path.resolve(__dirname, '..', '..', 'dist', 'nodes', 'shared', 'domain');
const N = Number(process.env.BENCH_DRAFTS ?? 3_000);
const MODEL_DRAFTS = 300;


const FIRST = ['Dana', 'Jonas', 'Priya', 'Mateo', 'Aiko', 'Fatima', 'Lars', 'Chloé', 'Kwame', 'Olga'];
const LAST = ['Lee', 'Schmidt', 'Raman', 'García', 'Tanaka', 'Haddad', 'Nilsson', 'Dubois', 'Mensah', 'Ivanova'];
const TITLES = ['CFO', 'Head of Finance', 'Controller', 'VP Operations', 'Finance Manager'];
const INVENTED = ['Initech saved $2M with us last year.', 'Hooli and Umbrella Corp both run on us.', 'You will be live by March 3.', 'We can give you 20% off if you sign this week.', 'See https://evil.example/offer for details.', 'Over 40,000 teams trust us.', 'Our ISO 27001 audit finished on 2026-09-12.'];

function record(rnd, i) {
	const pick = (list) => list[Math.floor(rnd() * list.length)];
	const first = pick(FIRST);
	const company = `Company${i % 997} ${pick(['GmbH', 'Inc', 'Ltd', 'SAS'])}`;
	const days = 5 + Math.floor(rnd() * 20);
	const words = Array.from({ length: 40 + Math.floor(rnd() * 260) }, (_, k) => pick(['our', 'close', 'takes', 'the', 'books', 'reporting', 'team', 'month', 'manual', 'spreadsheets', 'audit', `${k}`]));
	return {
		lead: { firstName: first, fullName: `${first} ${pick(LAST)}`, email: `${first.toLowerCase()}@example${i}.com`, company, jobTitle: pick(TITLES), message: `We close our books in ${days} days. ${words.join(' ')}.` },
		icp: { tier: pick(['T1', 'T2', 'T3']) },
		owner: { name: 'Ana Ortiz', email: 'ana@acme.example' },
		account: { name: company, domain: `example${i}.com` },
		meddicc: { fields: { identifyPain: { value: `Month-end close takes ${days} days` }, champion: { value: `${first} ${pick(LAST)}` }, metrics: { value: `close in ${days - 3} days` } } },
		activities: Array.from({ length: 50 }, (_, k) => ({ type: pick(['call', 'email', 'meeting']), summary: `Touch ${k}: discussed ${pick(['reporting', 'the close', 'integrations', 'pricing questions'])} with ${first}`, occurredAt: new Date(Date.UTC(2026, 9, 1 + (k % 28))).toISOString() })),
		topic: 'a faster month-end close',
		_days: days,
	};
}

function modelDraft(rnd, rec, kind, invent) {
	const grounded = [
		`Hi ${rec.lead.firstName},`,
		`Thanks for your note about closing your books in ${rec._days} days.`,
		'Finance teams close their books 4 days faster with Acme Analytics.',
		'Northwind Traders cut reporting time by 35% in 6 months with Acme Analytics.',
		'Acme Analytics connects to Salesforce, HubSpot and NetSuite.',
		'Would a short call next week help?',
	];
	const long = kind === 'firstReply' ? 1 : 3; // briefs run about three times longer
	const sentences = [];
	for (let r = 0; r < long; r++) sentences.push(...grounded.slice(r ? 1 : 0));
	if (invent) sentences.splice(2, 0, INVENTED[Math.floor(rnd() * INVENTED.length)]);
	return { subject: invent && rnd() < 0.5 ? 'Initech and you' : 'A faster month-end close', body: `${sentences.join(' ')}\n\nBest regards,\nAna Ortiz` };
}

async function run() {
	const { parseCompanyConfig } = require(path.join(DIST, 'crm', 'company-config.js'));
	const { SalesDrafter, draftWithModel } = require(path.join(DIST, 'drafting', 'drafter.js'));
	const { draftValues } = require(path.join(DIST, 'drafting', 'values.js'));
	const { readPrompt } = require(path.join(DIST, '..', 'n8n', 'prompt-files.js'));
	const loaded = parseCompanyConfig(require('../../workflows/companies/acme-saas-us.json'));
	const drafter = new SalesDrafter(readPrompt('sales-drafter.md'), loaded.config.drafting);
	const rnd = mulberry(19);
	const kinds = ['firstReply', 'reengagement', 'meetingBrief', 'handoffDoc'];
	const request = (rec, kind) => {
		const values = draftValues(rec, { companyName: loaded.config.company.name, drafting: drafter.config });
		return { kind, tier: rec.icp.tier, facts: rec, values, vocabulary: [loaded.config.company.name, values.ownerName], persona: rec.lead.jobTitle, touch: 1 };
	};
	const lines = [];

	// The checks per draft: every sentence against the record and approved content, the subject, the screen.
	const cases = Array.from({ length: N }, (_, i) => {
		const rec = record(rnd, i);
		const kind = kinds[i % kinds.length];
		return { r: request(rec, kind), answer: modelDraft(rnd, rec, kind, i % 3 === 0), kind };
	});
	for (const c of cases.slice(0, 50)) drafter.fromModel(c.r, c.answer); // warm-up
	const times = { all: [], firstReply: [], brief: [] };
	let sent = 0;
	let inventedSent = 0;
	for (const [i, c] of cases.entries()) {
		const t = performance.now();
		const d = drafter.fromModel(c.r, c.answer);
		const ms = performance.now() - t;
		times.all.push(ms);
		(c.kind === 'firstReply' || c.kind === 'reengagement' ? times.firstReply : times.brief).push(ms);
		if (d.route === 'send') {
			sent++;
			if (i % 3 === 0) inventedSent++;
		}
	}
	const fmt = (list) => {
		const s = [...list].sort((a, b) => a - b);
		return `median ${quantile(s, 0.5).toFixed(2)} ms, p95 ${quantile(s, 0.95).toFixed(2)} ms, max ${s[s.length - 1].toFixed(2)} ms`;
	};
	const chars = Math.round(cases.reduce((n, c) => n + JSON.stringify(c.r.facts).length, 0) / cases.length);
	lines.push(`grounding check per draft (${N.toLocaleString('en-US')} drafts, records of about ${chars.toLocaleString('en-US')} characters with 50 activities): ${fmt(times.all)} (target under 5 ms)`);
	lines.push(`  customer e-mails (about 100-150 words): ${fmt(times.firstReply)}; internal briefs (about 300-400 words): ${fmt(times.brief)}`);
	lines.push(`  ${sent.toLocaleString('en-US')} drafts would be sent (clean T3 e-mails); of the third that invented something: ${inventedSent} sent`);

	// Model calls and tokens per draft, against the test model server, with the node's flow.
	const { ModelServer } = require('../model-server/server');
	const { StructuredModelClient } = require(path.join(DIST, 'model', 'model-client.js'));
	const { answerSchema } = require(path.join(DIST, 'drafting', 'drafter.js'));
	const server = new ModelServer({ apiKey: 'sk-bench' });
	const baseUrl = await server.start();
	try {
		const client = new StructuredModelClient({ baseUrl, apiKey: 'sk-bench', model: 'gpt-4o-mini', headers: {}, timeoutMs: 30_000, retry: { maxAttempts: 2, baseDelayMs: 50, maxDelayMs: 200 }, concurrency: 8, requestsPerMinute: 0 });
		const byUser = new Map();
		// A third of first answers invent; a second answer (after the node names what was cut) is clean.
		server.respondWith((body) => {
			const user = body.messages.find((m) => m.role === 'user')?.content ?? '';
			const c = byUser.get(user.split('\n\n')[2]);
			return { json: c && !/previous draft/.test(user) ? c.answer : c ? modelDraft(rnd, c.rec, c.kind, false) : { subject: 'x', body: 'x' } };
		});
		const work = cases.slice(0, MODEL_DRAFTS).map((c, i) => {
			// Answers are found by the record block of the user message (the third part).
			byUser.set(drafter.userMessage(c.r).split('\n\n')[2], { answer: c.answer, rec: c.r.facts, kind: c.kind, i });
			return c.r;
		});
		const t = performance.now();
		const drafts = await Promise.all(work.map((r) => draftWithModel(drafter, r, async (system, user) => (await client.complete({ system, user, schema: answerSchema, schemaName: 'sales_draft' })).value, true)));
		const wall = performance.now() - t;
		const requests = server.chatRequests();
		const retried = requests.filter((q) => /previous draft/.test(JSON.stringify(q.body.messages))).length;
		const input = requests.reduce((n, q) => n + (q.usage?.prompt_tokens ?? 0), 0);
		const output = requests.reduce((n, q) => n + (q.usage?.completion_tokens ?? 0), 0);
		lines.push(
			`model: ${MODEL_DRAFTS} drafts, ${requests.length} calls (${(requests.length / MODEL_DRAFTS).toFixed(2)} per draft; ${retried} retries after a cut), ${Math.round(input / MODEL_DRAFTS).toLocaleString('en-US')} input and ${Math.round(output / MODEL_DRAFTS)} output tokens per draft (the server's count, about 4 characters a token), ${(wall / 1000).toFixed(1)} s with a 0 ms model; routes ${JSON.stringify(drafts.reduce((m, d) => ({ ...m, [d.route]: (m[d.route] ?? 0) + 1 }), {}))}`,
		);
	} finally {
		await server.stop();
	}
	return lines;
}

module.exports = { run };
