// MEDDICC extraction over 50 generated call transcripts from 5,000 to 40,000 tokens, against the test
// model server with 1 s latency over real HTTP: model calls, tokens and wall time per transcript, and
// the time the evidence check takes (index build, every quote searched, parts merged; median of five). Runs the built
// domain modules (dist/), the same code the node runs.
'use strict';
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { ModelServer } = require('../model-server/server');
const { longCall, FACTS } = require('../fixtures/transcripts/long-call');

const DIST = path.join(__dirname, '..', '..', 'dist', 'nodes', 'shared', 'domain');
const { MeddiccExtractor } = require(path.join(DIST, 'meddicc', 'extractor'));
const { parseTranscript } = require(path.join(DIST, 'meddicc', 'transcript'));
const { StructuredModelClient } = require(path.join(DIST, 'model', 'model-client'));
const { readFileSync } = require('node:fs');

const FIELDS = ['metrics', 'economicBuyer', 'decisionCriteria', 'decisionProcess', 'identifyPain', 'champion', 'competition'];

/** Claims every fact the part contains (quoted exactly), plus one invented quote, so the check has work to do. */
function standIn(body) {
	const user = body.messages[body.messages.length - 1].content;
	const unknown = { value: null, state: 'unknown', confidence: 0, evidence: [] };
	const fields = Object.fromEntries(FIELDS.map((f) => [f, unknown]));
	for (const [field, fact] of Object.entries(FACTS)) if (user.includes(fact)) fields[field] = { value: fact, state: 'stated', confidence: 0.9, evidence: [{ quote: fact }] };
	fields.competition = { value: 'Clari', state: 'stated', confidence: 0.6, evidence: [{ quote: 'We are evaluating Clari next quarter' }] };
	return { json: { fields, contacts: [{ name: 'Jordan Blake', role: 'champion', quote: FACTS.champion }] }, latencyMs: 1000 };
}

async function run() {
	const count = Number(process.env.BENCH_TRANSCRIPTS || 50);
	const server = new ModelServer({ apiKey: 'sk-bench' });
	const baseUrl = await server.start();
	server.respondWith(standIn);
	const prompt = readFileSync(path.join(__dirname, '..', '..', 'prompts', 'meddicc-extractor.md'), 'utf8');
	const extractor = new MeddiccExtractor({ prompt, paperProcess: false, maxTokensPerPart: 8000 });
	const client = new StructuredModelClient({ baseUrl, apiKey: 'sk-bench', model: 'gpt-4o-mini', concurrency: 5, timeoutMs: 30_000 });
	const rows = [];
	try {
		for (let i = 0; i < count; i++) {
			const tokens = Math.round(5000 + (35000 * i) / Math.max(1, count - 1));
			const { text } = longCall(tokens, i + 1);
			const before = server.chatRequests().length;
			const started = performance.now();
			const segments = parseTranscript(text);
			const parts = extractor.parts(segments);
			const answers = await Promise.all(parts.map((p) => client.complete({ system: extractor.systemPrompt, user: p.user, schema: extractor.schema, schemaName: 'meddicc' })));
			const wallMs = performance.now() - started;
			// The check alone, five times, median: one timing is at the mercy of a GC pause.
			let result;
			const times = [];
			for (let k = 0; k < 5; k++) {
				const checkStarted = performance.now();
				result = extractor.finish(segments, answers.map((a) => a.value));
				times.push(performance.now() - checkStarted);
			}
			const evidenceMs = times.sort((a, b) => a - b)[2];
			const transcriptTokens = parts.reduce((s, p) => s + p.tokens, 0);
			rows.push({
				transcriptTokens,
				calls: server.chatRequests().length - before,
				inputTokens: answers.reduce((s, a) => s + a.meta.inputTokens, 0),
				outputTokens: answers.reduce((s, a) => s + a.meta.outputTokens, 0),
				wallMs,
				evidenceMs,
				stated: Object.values(result.fields).filter((f) => f.state === 'stated').length,
				rejected: result.rejectedClaims.length,
			});
		}
	} finally {
		await server.stop();
	}
	const fmt = (n, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
	const lines = [`${count} transcripts, 5,000 to 40,000 tokens; stand-in model latency 1 s, 5 concurrent requests`, 'tokens  calls  calls/8k  input tok  output tok  wall ms  evidence ms  stated  rejected'];
	for (const r of rows) {
		lines.push(
			`${fmt(r.transcriptTokens).padStart(6)}  ${String(r.calls).padStart(5)}  ${fmt(r.calls / (r.transcriptTokens / 8000), 2).padStart(8)}  ${fmt(r.inputTokens).padStart(9)}  ${fmt(r.outputTokens).padStart(10)}  ${fmt(r.wallMs).padStart(7)}  ${fmt(r.evidenceMs, 2).padStart(11)}  ${String(r.stated).padStart(6)}  ${String(r.rejected).padStart(8)}`,
		);
	}
	const worstRatio = Math.max(...rows.map((r) => r.calls / Math.ceil(r.transcriptTokens / 8000)));
	const maxEvidence = Math.max(...rows.map((r) => r.evidenceMs));
	lines.push(
		`most calls per started 8,000 tokens: ${fmt(worstRatio, 2)} (target at most 1); slowest evidence check ${fmt(maxEvidence, 2)} ms, median ${fmt([...rows.map((r) => r.evidenceMs)].sort((a, b) => a - b)[Math.floor(rows.length / 2)], 2)} ms (target under 5 ms)`,
	);
	return lines;
}

module.exports = { run };
