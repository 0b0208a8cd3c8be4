import fs from 'node:fs';
import path from 'node:path';
import { approvalTestRuns } from './approval-runs';
import { hostileModel, hostileText, sample } from '../node/hostile-arbitraries';
import { approversFor, crmHistory, crmLinks, crmRecords, postCrm, waitFor, type Instance, broadIt } from './n8n-instance';
/* eslint-disable @typescript-eslint/no-require-imports */
const corpus = require('../redteam/corpus');
const { HostileModel } = require('../redteam/hostile-model');
const { exampleFor } = require('../model-server/server');

/**
 * The model-based nodes (Intent Classifier, Lead Summarizer, MEDDICC Extractor) and the RevOps Model
 * API credential, on the n8n of the suite that calls it (each n8n start costs one to two minutes).
 */
export function modelNodesSuite(version: string, instance: () => Instance): void {
describe(`Model-based nodes and the RevOps Model API credential on n8n ${version}`, () => {
	let n8n: Instance;

	beforeAll(() => {
		n8n = instance();
	});

	const classify = async (message: string, path = 'revops-test-intent') => {
		const res = await n8n.server.fetchWhenRegistered(`/webhook/${path}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ message, email: 'jane@acme.example' }),
		});
		expect(res.status).toBe(200);
		return (await res.json()) as { category: string; decidedBy: string; output: number; inputTokens: number };
	};

	it("passes n8n's credential test against the model API, and fails it with a wrong key", async () => {
		const test = (apiKey: string) =>
			n8n.server.rest('POST', '/credentials/test', {
				credentials: { id: 'RvOpsTestModel01', name: 'Test model server (RevOps)', type: 'revOpsModelApi', data: { baseUrl: n8n.model.baseUrl, apiKey, model: 'gpt-4o-mini', headers: '{}' } },
			});
		expect(await test('sk-test')).toMatchObject({ status: 'OK' });
		expect(await test('sk-wrong')).toMatchObject({ status: 'Error' });
	});

	it('decides by rule without the model, and asks the model through the credential otherwise', async () => {
		n8n.model.reset();
		expect(await classify('Can I get a quote?')).toMatchObject({ category: 'Pricing', decidedBy: 'rule', output: 0, inputTokens: 0 });
		expect(n8n.model.chatRequests()).toHaveLength(0);

		n8n.model.script({ json: { category: 'Demo Request', confidence: 0.9, reason: 'wants to see it', urgency: 'medium', buyingStage: 'consideration' } });
		const byModel = await classify('Could you show us how it works next Tuesday?');
		expect(byModel).toMatchObject({ category: 'Demo Request', decidedBy: 'model', output: 1 });
		expect(byModel.inputTokens).toBeGreaterThan(0);
		const [request] = n8n.model.chatRequests();
		expect(request.headers.authorization).toBe('Bearer sk-test');
		expect(request.body.response_format).toMatchObject({ type: 'json_schema', json_schema: { strict: true } });
	});

	it("uses an n8n OpenAI Chat Model sub-node connected to the Model input", async () => {
		n8n.model.reset();
		n8n.model.script({ json: { category: 'Pricing', confidence: 0.88, reason: 'budget question', urgency: 'high', buyingStage: 'decision' } });
		const result = await classify('What would 40 seats come to per year?', 'revops-test-intent-chat-model');
		expect(result).toMatchObject({ category: 'Pricing', decidedBy: 'model', output: 0 });
		expect(result.inputTokens).toBeGreaterThan(0);
		const [request] = n8n.model.chatRequests();
		expect(request.body.model).toBe('gpt-4o-mini');
		expect(request.body.messages[0]).toMatchObject({ role: 'system', content: expect.stringContaining('JSON Schema') });
		expect(JSON.stringify(request.body.messages)).toContain('What would 40 seats come to per year?');
	});

	/** Posts several messages to the faults workflow in one request and reads the classifier's outputs from n8n's run data. */
	const classifyMany = async (texts: string[]) => {
		const before = (await n8n.server.executions('RvOpsTestFaults1')).length;
		const res = await n8n.server.fetchWhenRegistered('/webhook/revops-test-intent-faults', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ messages: texts.map((text) => ({ text })) }),
		});
		expect(res.status).toBe(200);
		const execution = await n8n.server.waitForExecution('RvOpsTestFaults1', before, { timeoutMs: 120_000 });
		const runs = await n8n.server.executionRuns(execution.id);
		return { execution, runs, outputs: runs['Intent Classifier'][0] as any[][] };
	};

	broadIt(version)('red-team sample: with a model that obeys every instruction, no attack leaves on a category output', async () => {
		n8n.model.reset();
		// Every attack the corpus carries in the message (all nine languages, every disguise), and ordinary leads beside them.
		const sample = corpus.injections().filter((a: any) => a.field === 'message') as any[];
		const benign = corpus.benignLeads().filter((_: unknown, i: number) => i % 10 === 0);
		const hostile = new HostileModel();
		for (const a of sample) hostile.attack(a.value, 'Pricing', a.id);
		const respond = hostile.responder();
		n8n.model.respondWith((b: any) => respond(b) ?? { json: { category: 'Other', confidence: 0.9, reason: 'r', urgency: 'low', buyingStage: 'unknown' } });
		const texts = [...sample.map((a) => a.value), ...benign.map((b: any) => b.lead.message)];
		const { outputs } = await classifyMany(texts);
		const textOf = (item: any) => texts[item.pairedItem.item];
		expect(outputs.flat()).toHaveLength(texts.length);
		const onCategory = [...outputs[0], ...outputs[1], ...outputs[2]].map(textOf);
		const needsReview = outputs[3].map(textOf);
		expect(sample.length).toBeGreaterThanOrEqual(40);
		expect(sample.map((a) => a.value).filter((t) => !needsReview.includes(t))).toEqual([]);
		expect(hostile.obeyed.size).toBe(0); // no attack reached the model
		expect(outputs[3].every((i: any) => textOf(i) && (benign.some((b: any) => b.lead.message === textOf(i)) || i.json.trust.injectionSuspected === true))).toBe(true);
		expect(benign.map((b: any) => b.lead.message).filter((t: string) => !onCategory.includes(t) && !needsReview.includes(t))).toEqual([]);
		expect(outputs[3].filter((i: any) => benign.some((b: any) => b.lead.message === textOf(i)) && i.json.trust.injectionSuspected)).toEqual([]);
	});

	broadIt(version)('hostile sample in real n8n: 300 generated messages (any type, any size) and a model that answers anything; the run finishes, items in == items out, nothing on the Error output', async () => {
		n8n.model.reset();
		n8n.model.keepLast(50).respondWith(hostileModel(exampleFor, 3));
		// JSON carries what a webhook can: no prototype tricks survive it, but types, sizes and text do.
		const texts = sample(hostileText, 300).map((v) => JSON.parse(JSON.stringify(v ?? null)) as string);
		const { execution, outputs } = await classifyMany(texts);
		expect(execution.status).toBe('success');
		expect(outputs.flat()).toHaveLength(texts.length);
		expect(new Set(outputs.flat().map((i: any) => i.pairedItem.item)).size).toBe(texts.length);
		expect(outputs[4] ?? []).toEqual([]);
		for (const item of outputs.slice(0, 4).flat()) {
			expect(['Pricing', 'Demo Request', 'Other']).toContain(item.json.intent.category);
			expect(item.json.intent.confidence >= 0 && item.json.intent.confidence <= 1).toBe(true);
			expect(String(item.json.intent.reason).length).toBeLessThanOrEqual(2_000);
		}
	}, 180_000);

	broadIt(version)('retries 429 storms, 500s, hangs and malformed responses, then uses the error output; a schema-breaking answer goes to Needs Review; items in == items out', async () => {
		n8n.model.reset();
		const about = (word: string) => (b: any) => JSON.stringify(b.messages).includes(word);
		const good = { category: 'Pricing', confidence: 0.9, reason: 'asks for a price', urgency: 'medium', buyingStage: 'decision' };
		n8n.model.script(
			...[1, 2, 3].map(() => ({ match: about('alpha'), status: 429, retryAfter: 0 })),
			{ match: about('bravo'), status: 500 },
			{ match: about('bravo'), json: good },
			...[1, 2, 3].map(() => ({ match: about('charlie'), hang: true })),
			...[1, 2, 3].map(() => ({ match: about('delta'), malformed: true })),
			...[1, 2].map(() => ({ match: about('echo'), brokenJson: true })),
			...[1, 2].map(() => ({ match: about('foxtrot'), json: { ...good, category: 'Refund' } })),
		);
		const texts = ['alpha text', 'bravo text', 'charlie text', 'delta text', 'echo text', 'foxtrot text', 'a quote please'];
		const { execution, runs, outputs } = await classifyMany(texts);
		expect(execution.status).toBe('success');
		expect(outputs).toHaveLength(5); // Pricing, Demo Request, Other, Needs Review, Error
		const textOf = (item: any) => texts[item.pairedItem.item];
		const classified = outputs.slice(0, 4).flat();
		const failed = outputs[4];
		expect(classified.length + failed.length).toBe(texts.length);
		expect(classified.map(textOf).sort()).toEqual(['a quote please', 'bravo text', 'echo text', 'foxtrot text']);
		expect(failed.map(textOf).sort()).toEqual(['alpha text', 'charlie text', 'delta text']);
		// An answer that stays unusable after its repair is that message's problem: a person reviews it, flagged with why.
		for (const text of ['echo text', 'foxtrot text']) {
			const item = outputs[3].find((i: any) => textOf(i) === text);
			expect(item.json.intent).toMatchObject({ decidedBy: 'fallback', needsReview: true, reason: expect.stringMatching(/repair attempt/) });
		}
		const bravo = classified.find((i: any) => textOf(i) === 'bravo text');
		expect(bravo.json._meta).toMatchObject({ decidedBy: 'model', attempts: 2 });
		const errorOf = (text: string) => String(failed.find((i: any) => textOf(i) === text).json.error);
		expect(errorOf('alpha text')).toMatch(/429|rate/i);
		expect(errorOf('charlie text')).toMatch(/time/i);
		// Nothing from a failed answer reached an item: no intent on any error item.
		expect(failed.every((i: any) => i.json.intent === undefined)).toBe(true);
		expect(runs.Failed[0][0]).toHaveLength(3);
		// As n8n does for every node, an error item holds only the error; the branch that handles it reads
		// the input through pairing.
		expect(runs.Inspect[0][0].map((i: any) => i.json)).toEqual(
			['alpha text', 'charlie text', 'delta text'].map((text) => ({ text, own: expect.any(String) })),
		);
		// Each storm was retried up to the attempt limit, and no request was left unanswered by the test.
		const sent = (word: string) => n8n.model.chatRequests().filter((r: any) => JSON.stringify(r.body.messages).includes(word)).length;
		expect(sent('alpha')).toBe(3);
		expect(sent('charlie')).toBe(3);
		expect(sent('foxtrot')).toBe(2); // the answer, then one repair request
	}, 180_000);

	// Lead Summarizer
	const summarize = async () => {
		const res = await n8n.server.fetchWhenRegistered('/webhook/revops-test-summary', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ name: 'Jane Doe', company: 'Acme Robotics', message: 'We need pricing for 50 seats, starting in March.' }),
		});
		expect(res.status).toBe(200);
		return (await res.json()) as any;
	};
	const answer = (summary: string) => ({ json: { summary, useCase: null, recommendedNextStep: 'Send pricing', mainQuestions: [], topics: [], goals: [] } });

	it('keeps a grounded model summary, and replaces one that invents facts with the template', async () => {
		n8n.model.reset();
		n8n.model.script(answer('Jane Doe of Acme Robotics wants pricing for 50 seats from March.'));
		expect((await summarize()).summary).toMatchObject({ method: 'model', grounded: true, text: 'Jane Doe of Acme Robotics wants pricing for 50 seats from March.' });

		n8n.model.script(answer('Jane Doe wants 5,000 seats like Globex.'), answer('Jane Doe wants 5,000 seats.'));
		const replaced = await summarize();
		expect(replaced.summary).toMatchObject({ method: 'template', grounded: true });
		expect(replaced.summary.text).toContain('Jane Doe from Acme Robotics came in.');
		expect(replaced._meta).toMatchObject({ decidedBy: 'fallback', modelUnsupported: ['5,000', 'Globex'] });
		expect(replaced.crmPatch.leadSummary).not.toContain('5,000');
	});

	it('pipeline progression template: call notes in, MEDDICC written field by field to the CRM opportunity with its quotes, the deal contacts with their roles, and the stage change it supports sent for approval', async () => {
		await pipelineProgressionCase(n8n);
	});
});
}

/**
 * The pipeline progression (MEDDICC) template end to end on the instance's company: call notes in,
 * MEDDICC written field by field to the CRM opportunity with its quotes, the deal contacts with their
 * roles, and the stage change it supports sent for approval and written. Run for each backend.
 */
export async function pipelineProgressionCase(n8n: Instance): Promise<void> {
	const { decideWhenWaiting } = approvalTestRuns(() => n8n);
		n8n.model.reset();
	const transcript = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'transcripts', 'discovery-call.txt'), 'utf8');
	// Each company names its stages itself; its stageExitCriteria say when a deal may move on.
	// (The HubSpot and Salesforce companies are Acme with another backend.)
	const [stage, next] = n8n.company === 'nordwind_services' ? ['Qualifizierung', 'Bedarfsanalyse'] : ['Discovery', 'Demo Scheduled'];
	await postCrm(n8n, 'revops-test-crm-account', n8n.company, {
		object: 'opportunity',
		// A close date, as Salesforce requires of every opportunity.
		fields: { externalId: 'OPP-7', name: 'Acme expansion', crmStage: stage, closeDate: '2027-03-31', accountDomain: 'acme-robotics.com', meddiccEconomicBuyer: 'Maria Lopez, CFO', meddiccChampion: 'Priya Shah', lastActivityAt: '2026-10-01T00:00:00.000Z' },
		writtenBy: 'human',
		writer: 'dana@fund.example',
		validated: 'meddiccEconomicBuyer, meddiccChampion',
	});
	const claim = (value: string, quote: string) => ({ value, state: 'stated', confidence: 0.9, evidence: [{ quote }] });
	const none = { value: null, state: 'unknown', confidence: 0, evidence: [] };
	n8n.model.script({
		match: (b: any) => b.response_format?.json_schema?.name === 'meddicc',
		json: {
			fields: {
				// A value must say only what its quotes say: "CRM updating" is in the earlier turn, so both are quoted.
				metrics: { ...claim('Under 1 hour of CRM updating per rep per week by end of Q2', 'We need to cut that to under 1 hour per rep by the end of Q2.'), evidence: [{ quote: 'Our reps lose about 6 hours a week updating the CRM by hand' }, { quote: 'We need to cut that to under 1 hour per rep by the end of Q2.' }] },
				economicBuyer: claim('Daniel Okafor, CFO', 'Our CFO, Daniel Okafor, signs anything above 50k'),
				decisionCriteria: claim('Salesforce integration, adoption, price per seat', 'We will compare on Salesforce integration, rep adoption and price per seat.'),
				decisionProcess: none,
				paperProcess: claim('Security review and procurement, about six weeks', 'Security review and procurement take about six weeks after the decision.'),
				identifyPain: claim('6 hours a week lost to manual CRM updates', 'Our reps lose about 6 hours a week updating the CRM by hand'),
				// A quote that is not in the transcript: rejected, so the champion a person validated stands.
				champion: claim('Tom Becker', 'I will champion this with the board'),
				competition: claim('Clari', 'We are also evaluating Clari and have a demo with them next week.'),
			},
			contacts: [{ name: 'Daniel Okafor', role: 'economic_buyer', quote: 'Our CFO, Daniel Okafor, signs anything above 50k' }],
		},
	});
	const alertsBefore = n8n.alerts.received.length;
	const participants = [
		{ name: 'Priya Shah', email: 'priya@acme-robotics.com', title: 'VP Sales Ops' },
		{ name: 'Daniel Okafor', email: 'daniel.okafor@acme-robotics.com', title: 'CFO' },
	];
	const res = await n8n.server.fetchWhenRegistered('/webhook/revops-call-notes', {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ opportunityId: 'OPP-7', accountDomain: 'acme-robotics.com', tier: 'T1', transcript, participants, occurredAt: '2026-11-20T15:00:00.000Z' }),
	});
	expect(res.status).toBe(200);
	const opportunity = await waitFor('the opportunity written from the call', async () => {
		const o = (await crmRecords(n8n, 'opportunity'))['OPP-7'];
		return o?.meddiccCompleteness !== undefined ? o : undefined;
	}, {
		timeoutMs: 60_000,
		// Say why the run did not write it, instead of failing on a missing property.
		why: async () => {
			const [last] = await n8n.server.executions('RvOpsMeddicc0001');
			const data = last ? await n8n.server.executionData(last.id) : null;
			return `last run ${last?.status}: ${JSON.stringify(data?.resultData?.error?.message ?? null)} at ${data?.resultData?.lastNodeExecuted}`;
		},
	});
	// What a person validated stands; each written value carries the words that support it, who said them and when.
	expect(opportunity).toMatchObject({ meddiccEconomicBuyer: 'Maria Lopez, CFO', meddiccChampion: 'Priya Shah', meddiccCompetition: 'Clari', meddiccMetrics: 'Under 1 hour of CRM updating per rep per week by end of Q2', lastActivityAt: expect.stringMatching(/^2026-11-20T15:00:00/) });
	expect(opportunity.meddiccMetricsEvidence).toEqual([
		'"Our reps lose about 6 hours a week updating the CRM by hand" (Priya Shah, 00:00:20)',
		'"We need to cut that to under 1 hour per rep by the end of Q2." (Priya Shah, 00:01:10)',
	]);
	expect(opportunity).not.toHaveProperty('meddiccChampionEvidence');
	expect(opportunity.meddiccRisks.split(', ')).toEqual(expect.arrayContaining(['competitor-present', 'no-decision-process']));
	expect(opportunity.meddiccRisks).not.toContain('no-champion');
	expect(await crmHistory(n8n, 'opportunity', 'OPP-7')).toEqual(expect.arrayContaining([{ field: 'meddiccCompetition', before: null, after: 'Clari', writer: 'model:MEDDICC Extractor' }]));

	// The economic buyer the call names is a contact of the deal, with the e-mail the call recorder gave.
	const contact = await waitFor('the deal contact', async () => (await crmRecords(n8n, 'contact'))['daniel.okafor@acme-robotics.com'], { timeoutMs: 60_000 });
	expect(contact).toMatchObject({ firstName: 'Daniel', lastName: 'Okafor', jobTitle: 'CFO', dealRole: 'Economic Buyer', accountDomain: 'acme-robotics.com' });
	// (HubSpot keeps the role as an association label, Salesforce as the contact role's Role.)
	await waitFor('the contact linked to the deal', async () => (await crmLinks(n8n)).find((l) => l.from === 'contact:daniel.okafor@acme-robotics.com' && l.to === 'opportunity:OPP-7' && l.label === 'Economic Buyer'), { timeoutMs: 60_000 });
	const call = Object.values(await crmRecords(n8n, 'activity')).find((a: any) => a.opportunityId === 'OPP-7' && a.type === 'call');
	expect(call).toMatchObject({ outcome: `MEDDICC ${opportunity.meddiccCompleteness}/100`, summary: expect.stringContaining('Still unknown: decisionProcess') });

	const alert = await waitFor('the deal alert', () => n8n.alerts.received.slice(alertsBefore).find((a) => a.path === '/slack' && String(a.body?.text).includes('OPP-7: MEDDICC')), { timeoutMs: 60_000 });
	expect(alert.body.text).toContain('To confirm: economicBuyer -> Daniel Okafor, CFO');
	expect(alert.body.text).toContain('Ask next:');
	const [request] = n8n.model.chatRequests();
	expect(JSON.stringify(request.body.messages)).toContain('Priya Shah: We need to cut that');

	// Pain, metrics and a champion are known: the exit criteria of the stage are met, so the deal-stage
	// approval template gets the proposal, a person approves it, and the stage is written with its history.
	const proposal = await waitFor('the stage change proposal', () => n8n.alerts.received.slice(alertsBefore).find((a) => a.path === '/slack' && String(a.body?.text).startsWith('Deal stage change proposed') && String(a.body?.text).includes('Acme expansion')), { timeoutMs: 60_000 });
	expect(proposal.body.text).toContain(`fromStage: ${stage}`);
	expect(proposal.body.text).toContain(`toStage: ${next}`);
	expect(proposal.body.text).toContain(`proposedBy: MEDDICC Extractor (exit:${stage})`);
	// A T1 deal: the company's T1 approvers are asked; one of them approves.
	const approver = approversFor(n8n, 'T1')[0];
	const link = String(proposal.body.text).match(new RegExp(`^${approver.replace(/\./g, '\\.')}: (http\\S+)$`, 'm'))![1];
	expect((await decideWhenWaiting(link, { decision: 'approve' })).status).toBe(200);
	const moved = await waitFor('the approved stage', async () => {
		const o = (await crmRecords(n8n, 'opportunity'))['OPP-7'];
		return o?.crmStage === next ? o : undefined;
	}, { timeoutMs: 60_000 });
	expect(moved.stage).toBe('pipeline_progression');
	expect(await crmHistory(n8n, 'opportunity', 'OPP-7')).toEqual(expect.arrayContaining([{ field: 'crmStage', before: stage, after: next, writer: `human:${approver}` }]));
}
