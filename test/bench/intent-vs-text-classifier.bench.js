// In a real n8n 2.41.1, side by side: 1,000 generated inbound messages with known labels through our
// Intent Classifier and through n8n's Text Classifier (same categories, the same stand-in model behind
// an OpenAI Chat Model node), one execution each. The stand-in model answers with each message's known
// label; its latency grows with the tokens, as a real model's does: 300 ms + 12.5 ms per output token
// + 0.2 ms per input token. To an injection that asks for a category it gives in half of the time, as
// real models sometimes do. Each node runs at its defaults and as a builder sending 1,000 messages
// would set it (Text Classifier: 50 items at once; ours: batches of 8 messages, 50 requests at once,
// the same parallelism). Prints node and execution time, model calls, tokens, the share decided by
// rules and routing accuracy for each, and the ratios.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { LATEST_N8N } = require('../harness/runtime');
const { installTarball, packTarball } = require('../harness/package');
const { N8nServer } = require('../harness/server');
const { ModelServer } = require('../model-server/server');
const { TAXONOMY, generateIntents } = require('./generated-intents');

const NAMES = TAXONOMY.map((c) => c.name);
const OURS_OUTPUTS = [...NAMES, 'Other', 'Needs Review'];
const THEIRS_OUTPUTS = [...NAMES, 'Other'];
const BATCH_SIZE = 8;
const LATENCY = { latencyMs: 300, perOutputTokenMs: 12.5, perInputTokenMs: 0.2 };

function standInModel(messages) {
	const byText = new Map(messages.map((m) => [m.text, m]));
	const answerFor = (text) => {
		const m = byText.get(text.trim());
		if (!m) return 'Other';
		return m.kind === 'injection' && m.id % 2 === 0 ? m.injectedCategory : m.label;
	};
	const intent = (category) => ({ category, confidence: 0.85, reason: 'stand-in model', urgency: 'low', buyingStage: 'unknown' });
	const UNTRUSTED = /<untrusted_input name="message">\n([\s\S]*?)\n<\/untrusted_input>/;
	return (body) => {
		const content = (msg) => (typeof msg.content === 'string' ? msg.content : msg.content.map((p) => p.text ?? '').join(''));
		const system = content(body.messages[0]);
		const user = content(body.messages[body.messages.length - 1]);
		if (system.includes('Please classify the text provided by the user')) {
			// n8n's Text Classifier: one boolean per category plus the fallback, as its output parser asks.
			const category = answerFor(user);
			const json = Object.fromEntries(NAMES.map((n) => [n, n === category]));
			json.fallback = category === 'Other';
			return { content: `\`\`\`json\n${JSON.stringify(json)}\n\`\`\`` };
		}
		const schemaName = body.response_format?.json_schema?.name;
		if (schemaName === 'intents') {
			const results = [...user.matchAll(/Message (m\d+):\n[\s\S]*?<untrusted_input name="message">\n([\s\S]*?)\n<\/untrusted_input>/g)].map(([, id, text]) => ({ id, ...intent(answerFor(text)) }));
			return { json: { results } };
		}
		if (schemaName === 'intent') return { json: intent(answerFor(UNTRUSTED.exec(user)?.[1] ?? '')) };
		return { content: 'OK' };
	};
}

function workflow(id, webhookPath, classifier, extraNodes = [], extraConnections = {}) {
	const outputs = classifier.outputs;
	return {
		id,
		name: `Bench: ${webhookPath}`,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{ id: `${id}-1`, name: 'Start', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: `${id}-hook`, parameters: { httpMethod: 'POST', path: webhookPath, responseMode: 'onReceived', options: {} } },
			{ id: `${id}-2`, name: 'One Item Per Message', type: 'n8n-nodes-base.splitOut', typeVersion: 1, position: [200, 0], parameters: { fieldToSplitOut: 'body.messages', options: {} } },
			{ id: `${id}-3`, name: 'Classify', position: [400, 0], type: classifier.type, typeVersion: classifier.typeVersion, parameters: classifier.parameters, ...(classifier.credentials ? { credentials: classifier.credentials } : {}) },
			{ id: `${id}-4`, name: 'Routed', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [700, 0], parameters: {} },
			...extraNodes,
		],
		connections: {
			Start: { main: [[{ node: 'One Item Per Message', type: 'main', index: 0 }]] },
			'One Item Per Message': { main: [[{ node: 'Classify', type: 'main', index: 0 }]] },
			Classify: { main: outputs.map(() => [{ node: 'Routed', type: 'main', index: 0 }]) },
			...extraConnections,
		},
	};
}

async function measure(server, model, wf, webhookPath, messages, outputNames) {
	model.requests = [];
	const before = (await server.executions(wf.id)).length;
	const res = await server.fetchWhenRegistered(`/webhook/${webhookPath}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ messages }) });
	await res.text();
	const execution = await server.waitForExecution(wf.id, before, { timeoutMs: 1_200_000 });
	const runData = await server.executionRunData(execution.id);
	const run = runData.Classify[0];
	const routed = new Array(messages.length).fill(null);
	(run.data?.main ?? []).forEach((items, output) => (items ?? []).forEach((item) => (routed[item.pairedItem.item] = { output: outputNames[output], json: item.json })));
	const calls = model.chatRequests();
	const tokens = calls.reduce((t, r) => ({ in: t.in + (r.usage?.prompt_tokens ?? 0), out: t.out + (r.usage?.completion_tokens ?? 0) }), { in: 0, out: 0 });
	const correct = (m, r) => r && (r.output === m.label || (m.kind === 'injection' && r.output === 'Needs Review'));
	const byKind = {};
	messages.forEach((m, i) => {
		byKind[m.kind] ??= { n: 0, ok: 0 };
		byKind[m.kind].n++;
		if (correct(m, routed[i])) byKind[m.kind].ok++;
	});
	return {
		status: execution.status,
		nodeMs: run.executionTime,
		executionMs: new Date(execution.stoppedAt) - new Date(execution.startedAt),
		calls: calls.length,
		tokens,
		routedCount: routed.filter(Boolean).length,
		ruleShare: routed.filter((r) => r?.json?.intent?.decidedBy === 'rule').length / messages.length,
		accuracy: messages.filter((m, i) => correct(m, routed[i])).length / messages.length,
		byKind,
	};
}

async function run() {
	const count = Number(process.env.BENCH_INTENTS || 1000);
	const messages = generateIntents(count);
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'revops-bench-intent-'));
	const model = new ModelServer({ apiKey: 'sk-bench', ...LATENCY });
	const modelUrl = await model.start();
	model.respondWith(standInModel(messages));
	installTarball(userFolder, packTarball(path.join(userFolder, 'pack')));
	const server = new N8nServer({ version: LATEST_N8N, port: 5791, userFolder, env: { N8N_PAYLOAD_SIZE_MAX: '256' } });
	const credentialsFile = path.join(userFolder, 'credentials.json');
	fs.writeFileSync(
		credentialsFile,
		JSON.stringify([
			{ id: 'RvOpsBenchOpenAi', name: 'Bench model (OpenAI)', type: 'openAiApi', data: { apiKey: 'sk-bench', url: modelUrl } },
			{ id: 'RvOpsBenchModel1', name: 'Bench model (RevOps)', type: 'revOpsModelApi', data: { baseUrl: modelUrl, apiKey: 'sk-bench', model: 'gpt-4o-mini', headers: '{}' } },
		]),
	);
	server.importCredentials(credentialsFile);

	const oursWith = (id, hook, options) =>
		workflow(id, hook, {
			type: 'n8n-nodes-revops.intentClassifier',
			typeVersion: 1,
			outputs: OURS_OUTPUTS,
			parameters: {
				text: '={{ $json.text }}',
				senderEmail: '',
				existingCustomerCategory: '',
				categories: { values: TAXONOMY.map((c) => ({ name: c.name, description: c.description, phrases: c.keywords.join(', ') })) },
				options,
			},
			credentials: { revOpsModelApi: { id: 'RvOpsBenchModel1', name: 'Bench model (RevOps)' } },
		});
	// Text Classifier plus the fallback output, so that no item is dropped and every one can be scored.
	const theirsWith = (id, hook, options) =>
		workflow(
			id,
			hook,
			{
				type: '@n8n/n8n-nodes-langchain.textClassifier',
				typeVersion: 1.1,
				outputs: THEIRS_OUTPUTS,
				parameters: { inputText: '={{ $json.text }}', categories: { categories: TAXONOMY.map((c) => ({ category: c.name, description: c.description })) }, options: { fallback: 'other', ...options } },
			},
			[{ id: `${id}-5`, name: 'OpenAI Chat Model', type: '@n8n/n8n-nodes-langchain.lmChatOpenAi', typeVersion: 1.2, position: [400, 220], parameters: { model: { __rl: true, mode: 'list', value: 'gpt-4o-mini' }, options: {} }, credentials: { openAiApi: { id: 'RvOpsBenchOpenAi', name: 'Bench model (OpenAI)' } } }],
			{ 'OpenAI Chat Model': { ai_languageModel: [[{ node: 'Classify', type: 'ai_languageModel', index: 0 }]] } },
		);
	const setups = [
		{ label: `Intent Classifier, batch size ${BATCH_SIZE}, 50 requests at once`, hook: 'bench-intent-tuned', wf: oursWith('RvOpsBenchIntTun', 'bench-intent-tuned', { batchSize: BATCH_SIZE, concurrency: 50 }), outputs: OURS_OUTPUTS },
		{ label: 'Text Classifier, batch size 50 (50 items at once), fallback Other', hook: 'bench-text-tuned', wf: theirsWith('RvOpsBenchTxtTun', 'bench-text-tuned', { batching: { batchSize: 50 } }), outputs: THEIRS_OUTPUTS },
		{ label: `Intent Classifier, batch size ${BATCH_SIZE}, default 5 requests at once`, hook: 'bench-intent-default', wf: oursWith('RvOpsBenchIntDef', 'bench-intent-default', { batchSize: BATCH_SIZE }), outputs: OURS_OUTPUTS },
		{ label: 'Text Classifier, defaults (5 items at once), fallback Other', hook: 'bench-text-default', wf: theirsWith('RvOpsBenchTxtDef', 'bench-text-default', {}), outputs: THEIRS_OUTPUTS },
	];
	for (const { wf } of setups) {
		const file = path.join(userFolder, `${wf.id}.json`);
		fs.writeFileSync(file, JSON.stringify(wf));
		server.importWorkflow(file);
		server.activate(wf.id);
	}
	try {
		await server.start();
		await server.signIn();
		const results = [];
		for (const setup of setups) results.push({ ...setup, r: await measure(server, model, setup.wf, setup.hook, messages, setup.outputs) });
		const pct = (x) => `${(x * 100).toFixed(1)}%`;
		const kinds = (r) => Object.entries(r.byKind).map(([k, v]) => `${k} ${v.ok}/${v.n}`).join(', ');
		const fmt = (label, r) =>
			`${label}: ${r.status}; node ${r.nodeMs} ms (execution ${r.executionMs} ms); ${r.calls} model calls; tokens ${r.tokens.in} in / ${r.tokens.out} out; ` +
			`${r.routedCount}/${count} items routed; decided by rules ${pct(r.ruleShare)}; routing accuracy ${pct(r.accuracy)} (${kinds(r)})`;
		const kindCounts = Object.entries(results[0].r.byKind).map(([k, v]) => `${v.n} ${k}`).join(', ');
		const ratios = (a, b, what) =>
			`${what} (Text Classifier / Intent Classifier): model calls ${(b.calls / a.calls).toFixed(1)}x, node time ${(b.nodeMs / a.nodeMs).toFixed(2)}x, execution time ${(b.executionMs / a.executionMs).toFixed(2)}x, ` +
			`input tokens ${(b.tokens.in / a.tokens.in).toFixed(1)}x, output tokens ${(b.tokens.out / a.tokens.out).toFixed(1)}x; accuracy ${pct(a.accuracy)} vs ${pct(b.accuracy)}`;
		return [
			`n8n ${LATEST_N8N}; ${count} messages (${kindCounts}); stand-in model latency 300 ms + 12.5 ms per output token + 0.2 ms per input token; one execution each; load average ${os.loadavg()[0].toFixed(1)}`,
			`An injection counts as correctly routed when it lands on its true label (Other) or on Needs Review.`,
			...results.map(({ label, r }) => fmt(label, r)),
			ratios(results[0].r, results[1].r, 'both tuned'),
			ratios(results[2].r, results[3].r, 'both at default parallelism'),
		];
	} finally {
		await server.stop();
		await model.stop();
		fs.rmSync(userFolder, { recursive: true, force: true });
	}
}

module.exports = { run };
