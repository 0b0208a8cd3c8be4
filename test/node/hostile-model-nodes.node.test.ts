// Property tests for the model nodes and the Approval Gate: 10,000 hostile items per node (wrong types,
// encodings, prototype keys, extremes, sizes, injections), answered by a model that obeys any
// instruction and invents evidence (the schema's answer with hostile leaves, out-of-range numbers,
// thousands of entries, text that is not JSON). Through the real nodes in n8n's execution engine with
// On Error left at its default (stop): no run may stop because of one item's data or one answer,
// items in == items out, nothing out of range or unsupported leaves unflagged, and no text the node
// writes into an item is longer than its bound.
import fc from 'fast-check';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostileModel, hostileText, hostileValue, insaneDate, ITEMS, sample, writtenStrings } from './hostile-arbitraries';
import { reportReliability } from '../reliability';
import { useTestModel } from './test-model';
import { node, runNode } from './workflow-runner';
/* eslint-disable @typescript-eslint/no-require-imports */
const { exampleFor } = require('../model-server/server') as { exampleFor: (schema: unknown) => unknown };

/** No text a node writes into an item may be longer than this (the longest bound: a lead's message, an edit). */
const MAX_WRITTEN = 10_000;

type Out = { json: Record<string, any>; pairedItem?: unknown };
const TIMEOUT = 600_000;

/** The run did not stop; if it did, the failure says why. */
function expectNotStopped(run: any, allowed = ['success']) {
	const error = run.data?.resultData?.error;
	expect({ status: run.status, error: error ? `${error.message} | ${error.description ?? ''} | ${String(error.stack ?? '').split('\n').slice(0, 4).join(' / ')}` : null }).toEqual({ status: expect.stringMatching(new RegExp(`^(${allowed.join('|')})$`)), error: null });
}

/** Items in == items out, each paired with exactly one input item. */
function expectEveryItemOnce(out: Out[]) {
	expect(out).toHaveLength(ITEMS);
	const seen = new Set(out.map((item) => (item.pairedItem as { item: number }).item));
	expect(seen.size).toBe(ITEMS);
}

/** The longest string the node wrote; every one within MAX_WRITTEN (the paths of those that are not). */
function longestWritten(out: Out[], keys: string[]): { longest: number; over: string[] } {
	let longest = 0;
	const over: string[] = [];
	for (const item of out) {
		for (const s of writtenStrings(item.json, keys)) {
			longest = Math.max(longest, s.length);
			if (s.length > MAX_WRITTEN && over.length < 5) over.push(`${s.path} (${s.length})`);
		}
	}
	return { longest, over };
}

/**
 * Reports the node's figures for `npm run reliability`, then holds them: no text written past its
 * bound, enough garbage generated to mean something, none of it left unflagged.
 */
function reportAndCheck(nodeName: string, out: Out[], keys: string[], garbage: number, unflagged: number) {
	const { longest, over } = longestWritten(out, keys);
	reportReliability({ kind: 'hostile', node: nodeName, items: ITEMS, out: out.length, stoppedRuns: 0, garbage, unflagged, longestWritten: longest });
	expect(over).toEqual([]);
	expect(garbage).toBeGreaterThan(ITEMS / 100);
	expect(unflagged).toBe(0);
}

describe('hostile items and a hostile model through the model nodes', () => {
	const { server, credentials } = useTestModel();
	const withModel = { credentials: { revOpsModelApi: { id: '1', name: 'test' } } };

	it('Intent Classifier: 10,000 hostile messages, a model that answers anything; every item routed once, within the taxonomy, confidence 0 to 1', async () => {
		server.keepLast(100).respondWith(hostileModel(exampleFor));
		const items = sample(fc.record({ id: fc.nat(), message: hostileText, email: hostileValue, company: hostileValue }));
		const categories = { values: ['Pricing', 'Demo Request', 'Support'].map((name) => ({ name, description: `${name} questions`, phrases: name.toLowerCase() })) };
		const result = await runNode(
			node('Intent Classifier', 'intentClassifier', { categories, options: { maxAttempts: 3, timeoutSeconds: 10 } } as never, withModel),
			items.map((json) => ({ json: json as never })),
			credentials,
		);
		expectNotStopped(result.run);
		const outputs = result.outputs('Intent Classifier') as Out[][];
		const out = outputs.flat();
		expectEveryItemOnce(out);
		let garbage = 0;
		let unflagged = 0;
		outputs.forEach((list, output) => {
			for (const item of list) {
				const intent = item.json.intent;
				expect(['Pricing', 'Demo Request', 'Support', 'Other']).toContain(intent.category);
				expect(intent.confidence >= 0 && intent.confidence <= 1).toBe(true);
				// Routed to a category only when nothing is in doubt; anything odd goes to Needs Review.
				if (intent.needsReview) expect(output).toBe(4);
				if (intent.decidedBy === 'fallback' || intent.modelError || intent.injectionSuspected) {
					garbage++;
					if (!intent.needsReview) unflagged++;
				}
				for (const value of Object.values(item.json.crmPatch ?? {})) expect(typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean').toBe(true);
			}
		});
		reportAndCheck('Intent Classifier', out, ['intent', 'crmPatch', '_meta'], garbage, unflagged);
	}, TIMEOUT);

	it('Lead Summarizer: 10,000 hostile leads, a model that invents facts; nothing unsupported reaches the CRM summary', async () => {
		server.keepLast(100).respondWith(hostileModel(exampleFor, 7));
		const items = sample(
			fc.record({
				lead: fc.record({ fullName: hostileValue, company: hostileValue, jobTitle: hostileValue, message: hostileText, email: hostileValue, country: hostileValue }),
				intent: fc.record({ category: hostileValue, urgency: hostileValue }),
			}),
		);
		const result = await runNode(node('Lead Summarizer', 'leadSummarizer', { options: { maxAttempts: 3, timeoutSeconds: 10 } } as never, withModel), items.map((json) => ({ json: json as never })), credentials);
		expectNotStopped(result.run);
		const out = result.outputs('Lead Summarizer').flat() as Out[];
		expectEveryItemOnce(out);
		let garbage = 0;
		let unflagged = 0;
		for (const item of out) {
			const summary = item.json.summary;
			expect(typeof summary.text).toBe('string');
			// What reaches the CRM is grounded: the model's text only when the check passed, else the template.
			if (item.json.crmPatch?.leadSummary !== undefined) expect(summary.grounded).toBe(true);
			if (summary.method !== 'model' || summary.grounded === false) {
				garbage++;
				const said = summary.modelError || summary.unsupported?.length || item.json._meta?.modelUnsupported?.length || item.json._meta?.modelError || summary.method === 'template';
				if (!said) unflagged++;
			}
		}
		reportAndCheck('Lead Summarizer', out, ['summary', 'crmPatch', '_meta'], garbage, unflagged);
	}, TIMEOUT);

	it('MEDDICC Extractor: 10,000 hostile transcripts, a model that invents evidence; every value in the CRM update is quoted from its transcript', async () => {
		server.keepLast(100).respondWith(hostileModel(exampleFor, 11));
		const transcript = fc.oneof(
			{ weight: 3, arbitrary: fc.constantFrom('Priya Shah: We need to cut onboarding to under 1 hour per rep by the end of Q2.\nDaniel Okafor: I am the CFO and I sign anything above 50k.', 'Alex: Our reps lose 6 hours a week on manual CRM updates. We compare on Salesforce integration and price.') },
			{ weight: 2, arbitrary: hostileText },
		);
		const items = sample(fc.record({ id: fc.nat(), transcript, lastActivityAt: hostileValue }));
		const result = await runNode(node('MEDDICC Extractor', 'meddiccExtractor', { options: { maxAttempts: 3, timeoutSeconds: 10 } } as never, withModel), items.map((json) => ({ json: json as never })), credentials);
		expectNotStopped(result.run);
		const out = result.outputs('MEDDICC Extractor').flat() as Out[];
		expectEveryItemOnce(out);
		let garbage = 0;
		let unflagged = 0;
		const squash = (s: unknown) => String(s ?? '').toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
		for (const item of out) {
			const input = items[(item.pairedItem as { item: number }).item];
			const said = squash(typeof input.transcript === 'string' ? input.transcript : '');
			const m = item.json.meddicc;
			expect(m).toBeDefined();
			for (const [field, f] of Object.entries(m.fields ?? {}) as Array<[string, any]>) {
				if (f.state === 'unknown') continue;
				// Every kept value stands on a quote that is in the transcript.
				expect(f.evidence.length).toBeGreaterThan(0);
				for (const e of f.evidence) expect(said.includes(squash(e.quote))).toBe(true);
				expect(f.confidence >= 0 && f.confidence <= 1).toBe(true);
				expect(field).toBeTruthy();
			}
			const flagged = (field: string) => (m.flags ?? []).some((f: any) => f.field === field);
			// Invented claims are rejected (and listed); no transcript, or an unusable answer, is flagged.
			if ((m.rejectedClaims ?? []).length || (m.flags ?? []).length) garbage++;
			const t = input.transcript as unknown;
			const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '') || (typeof v === 'number' && Number.isFinite(v));
			// Text, or a list of segments (strings or { text }).
			const usable = text(t) || (Array.isArray(t) && t.some((g) => text(g) || (g && typeof g === 'object' && text((g as any).text ?? (g as any).content ?? (g as any).message))));
			if (!usable && !flagged('transcript')) {
				unflagged++;
				if (unflagged < 4) process.stdout.write(`unflagged transcript: ${JSON.stringify(t)?.slice(0, 80)} ${JSON.stringify(m.flags)}\n`);
			}
			if (insaneDate(input.lastActivityAt) && typeof input.lastActivityAt === 'string' && !flagged('lastActivityAt')) {
				unflagged++;
				if (unflagged < 4) process.stdout.write(`unflagged date: ${JSON.stringify(input.lastActivityAt)} ${JSON.stringify(m.flags)}\n`);
			}
			// Nothing read, nothing written.
			if (flagged('transcript') || flagged('model')) expect(Object.keys(item.json.crmPatch ?? {}).filter((k) => k.startsWith('meddicc'))).toEqual([]);
		}
		reportAndCheck('MEDDICC Extractor', out, ['meddicc', 'crmPatch', '_meta'], garbage, unflagged);
	}, TIMEOUT);
});

describe('hostile items through the Approval Gate', () => {
	it('10,000 hostile items: never auto-approved on an unreadable tier or confidence, each says why; the request carries lead text as data only', async () => {
		const received: string[] = [];
		const receiver = http.createServer((req, res) => {
			let body = '';
			req.on('data', (c) => (body += c));
			req.on('end', () => {
				received.push(body);
				res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
			});
		});
		await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
		try {
			const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
			const items = sample(fc.record({ company: hostileText, icp: fc.record({ tier: fc.oneof(fc.constantFrom('T1', 'T2', 'T3', 'Tier 3', 3), hostileValue) }), intent: fc.record({ confidence: fc.oneof(fc.double({ min: 0, max: 1 }), hostileValue), injectionSuspected: hostileValue }), riskFlags: hostileValue }));
			const result = await runNode(
				node('Approval Gate', 'approvalGate', { approvers: 'manager@acme.test', channel: 'slack', webhookUrl: url, showFields: 'company, icp.tier' } as never, { credentials: { revOpsApprovalApi: { id: '1', name: 't' } } }),
				items.map((json) => ({ json: json as never })),
				{ revOpsApprovalApi: { secret: 'node-test-secret-0123456789' } },
			);
			expectNotStopped(result.run, ['waiting', 'success']);
			const out = (result.outputs('Approval Gate') as Out[][]).flat();
			expectEveryItemOnce(out);
			let garbage = 0;
			let unflagged = 0;
			for (const item of out) {
				const input = items[(item.pairedItem as { item: number }).item];
				const approval = item.json.approval;
				const tierOk = typeof input.icp.tier === 'number' ? input.icp.tier === 3 : typeof input.icp.tier === 'string' && ['T1', 'T2', 'T3', 'TIER 3', '3'].includes(input.icp.tier.trim().toUpperCase());
				const c = input.intent.confidence;
				const n = typeof c === 'number' ? c : typeof c === 'string' && /^\s*\d*\.?\d+\s*$/.test(c) ? Number(c) : Number.NaN;
				const confidenceOk = c === null || c === undefined || (typeof c === 'string' && c.trim() === '') || (n >= 0 && n <= 1);
				if (tierOk && confidenceOk) continue;
				garbage++;
				expect(approval.humanRequired).toBe(true);
				if (!/not recognised|not a number from 0 to 1|injection|risk|commitments/.test(approval.reason)) {
					unflagged++;
					if (unflagged < 4) process.stdout.write(`unflagged gate item: ${JSON.stringify({ tier: input.icp.tier, c, reason: approval.reason })}\n`);
				}
			}
			// Slack: lead text cannot mention the channel or carry its own link; only the gate writes links.
			const payloads = received.map((b) => JSON.parse(b));
			expect(payloads.length).toBeGreaterThan(0);
			for (const p of payloads) {
				const text = String(p.text ?? '');
				expect(text).not.toMatch(/<!channel>|<!here>|<https:\/\/evil/);
				expect(text.match(/https?:\/\/\S+/g)?.every((u) => u.includes('/approval?') || u.includes('evil[.]') || !u.includes('evil'))).not.toBe(false);
			}
			reportAndCheck('Approval Gate', out, ['approval', '_meta'], garbage, unflagged);
		} finally {
			receiver.close();
		}
	}, TIMEOUT);
});
