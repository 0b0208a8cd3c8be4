// The website assistant's rules per turn, in process (target: under 1 ms a turn): every scripted
// conversation of test/fixtures/chat replayed many times through the turn function with the example
// companies' sources, then again with 2,000 generated FAQ entries (a large help center); the grounding
// check per model answer; and model calls per conversation against an assistant that asks the model
// on every turn. Prints figures; asserts nothing.
'use strict';
const path = require('node:path');
const { quantile } = require('./support');
const { performance } = require('node:perf_hooks');

const DIST = path.resolve(__dirname, '..', '..', 'dist', 'nodes', 'shared', 'domain');
const ROUNDS = 60;

const us = (ms) => `${(ms * 1000).toFixed(0)} µs`;

function contexts(extraSources) {
	const { parseCompanyConfig } = require(path.join(DIST, 'crm', 'company-config.js'));
	const { sourceIndexFor } = require(path.join(DIST, 'chat', 'sources.js'));
	const out = {};
	for (const file of ['acme-saas-us', 'nordwind-services-eu']) {
		const raw = JSON.parse(JSON.stringify(require(`../../workflows/companies/${file}.json`)));
		raw.chat.sources.push(...extraSources);
		const loaded = parseCompanyConfig(raw);
		const config = loaded.config.chat;
		out[file] = { config, index: sourceIndexFor(loaded.version, config.sources), companyName: loaded.config.company.name, country: loaded.config.company.country, now: new Date('2026-12-02T15:00:00Z') };
	}
	return out;
}

function generatedSources(n) {
	const topics = ['billing', 'exports', 'alerts', 'funnels', 'cohorts', 'retention', 'permissions', 'webhooks', 'sdk', 'segments', 'annotations', 'sampling', 'warehouse', 'dashboards', 'reports'];
	const verbs = ['configure', 'schedule', 'share', 'filter', 'archive', 'duplicate', 'audit', 'limit', 'rename', 'migrate'];
	return Array.from({ length: n }, (_, i) => {
		const t = topics[i % topics.length];
		const v = verbs[(i * 7) % verbs.length];
		return { id: `gen-${i}`, title: `How do I ${v} ${t} in workspace ${i}?`, text: `To ${v} ${t}, open Settings, choose ${t} and select ${v}. Workspace ${i} admins can ${v} up to ${(i % 50) + 1} ${t} items; members need the ${t} role. Changes apply within ${(i % 10) + 1} minutes.` };
	});
}

function replay(ctxs, conversations) {
	const { decideTurn, recordAnswer } = require(path.join(DIST, 'chat', 'turn.js'));
	const times = [];
	let first = null;
	let answers = 0;
	let turns = 0;
	for (let round = 0; round < ROUNDS; round++) {
		for (const [k, c] of conversations.entries()) {
			const ctx = ctxs[c.company];
			let state = null;
			for (const t of c.turns) {
				const message = t.user.startsWith('LONG:') ? t.user.slice(5) + 'lorem ipsum dolor sit amet '.repeat(800) : t.user;
				const t0 = performance.now();
				const r = decideTurn(state, message, `bench-${round}-${k}`, ctx);
				// The first turn of a process compiles the phrase lists and regular expressions: reported on its own.
				if (first === null) first = performance.now() - t0;
				else times.push(performance.now() - t0);
				state = r.decision.action === 'answer' ? recordAnswer(r.state, 'answer', ctx.now) : r.state;
				if (round === 0) {
					turns++;
					if (r.decision.action === 'answer') answers++;
				}
			}
		}
	}
	times.sort((a, b) => a - b);
	return { times, answers, turns, first };
}

async function run() {
	const { CONVERSATIONS } = { CONVERSATIONS: require('../fixtures/chat/conversations.json').conversations };
	const { checkGrounding } = require(path.join(DIST, 'chat', 'grounding.js'));
	const lines = [];
	for (const [label, extra] of [['the example companies\' sources (12 and 6 entries)', []], ['plus 2,000 generated FAQ entries', generatedSources(2000)]]) {
		const ctxs = contexts(extra);
		const { times, answers, turns, first } = replay(ctxs, CONVERSATIONS);
		lines.push(`rules per turn, ${label}: median ${us(quantile(times, 0.5))}, p95 ${us(quantile(times, 0.95))}, p99 ${us(quantile(times, 0.99))}, max ${us(times[times.length - 1])} over ${times.length.toLocaleString('en-US')} turns (${CONVERSATIONS.length} conversations x ${ROUNDS}; the first turn of the process ${first.toFixed(1)} ms)`);
		if (extra.length === 0) {
			// The agent makes two model calls per answer (the tool call, then the answer; the e2e checks it). An
			// assistant that sends every message to an agent makes at least that on every turn.
			const ours = (answers * 2) / CONVERSATIONS.length;
			const everyTurn = (turns * 2) / CONVERSATIONS.length;
			lines.push(`model calls per conversation: ${ours.toFixed(1)} (${answers} of ${turns} turns go to the model, 2 calls each) vs ${everyTurn.toFixed(1)} for an agent on every turn (${(everyTurn / ours).toFixed(1)}x)`);
			const ctx = ctxs['acme-saas-us'];
			const passages = ctx.index.find('Do you support SSO with Okta on the Business plan?', 0.5, 3).hits;
			const answersToCheck = [
				'Yes! Acme Analytics supports SAML 2.0 single sign-on with Okta. SSO is included in the Business and Enterprise plans.',
				'Sure, SSO costs $99 per month and you get a 50% discount if you sign today. Write to deals@acme-sales.example.',
				`${passages[0].text} ${'It is great and everyone loves it. '.repeat(20)}`,
			];
			const checkTimes = [];
			for (let i = 0; i < 3000; i++) {
				const t0 = performance.now();
				checkGrounding(answersToCheck[i % answersToCheck.length], passages, (p) => p);
				checkTimes.push(performance.now() - t0);
			}
			checkTimes.sort((a, b) => a - b);
			lines.push(`grounding check per answer (3 passages): median ${us(quantile(checkTimes, 0.5))}, p99 ${us(quantile(checkTimes, 0.99))}`);
		}
	}
	return lines;
}

module.exports = { run };
