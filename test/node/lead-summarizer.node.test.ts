import { useTestModel } from './test-model';
import { node, runNode } from './workflow-runner';

const lead = { lead: { fullName: 'Jane Doe', company: 'Acme Robotics', jobTitle: 'VP of Sales', message: 'Pricing for 50 seats please, we start in March.', source: { source: 'linkedin' } }, intent: { category: 'Pricing', urgency: 'high' } };
const good = { summary: 'Jane Doe, VP of Sales at Acme Robotics, wants pricing for 50 seats to start in March.', useCase: 'pricing for 50 seats', recommendedNextStep: 'Send pricing today', mainQuestions: [], topics: ['pricing'], goals: ['start in March'] };
const invented = { ...good, summary: 'Jane Doe wants 500 seats and mentioned Globex.' };

describe('Lead Summarizer in n8n\'s execution engine', () => {
	const { server, credentials } = useTestModel();

	const summarize = (params: Record<string, unknown> = {}, items = [lead]) =>
		runNode(node('Lead Summarizer', 'leadSummarizer', { options: { maxAttempts: 1 }, ...params } as never, { credentials: { revOpsModelApi: { id: '1', name: 't' } } }), items.map((json) => ({ json: json as never })), credentials);

	it('returns a grounded model summary with a note for Slack or the CRM', async () => {
		server.script({ json: good });
		const [[item]] = (await summarize()).outputs('Lead Summarizer');
		const json = item.json as any;
		expect(json.summary).toMatchObject({ method: 'model', grounded: true, text: good.summary });
		expect(json.summary.noteText).toContain('Next step: Send pricing today');
		expect(json.crmPatch).toMatchObject({ leadSummary: good.summary });
		expect(json._meta).toMatchObject({ decidedBy: 'model', attempts: 1, promptVersion: expect.stringMatching(/^[0-9a-f]{12}$/) });
		expect(JSON.stringify(server.chatRequests()[0].body.messages)).toContain('Acme Robotics');
	});

	it('asks again when a summary invents facts, then falls back to the template; nothing invented reaches the CRM', async () => {
		server.script({ json: invented }, { json: invented });
		const [[item]] = (await summarize()).outputs('Lead Summarizer');
		const json = item.json as any;
		expect(server.chatRequests()).toHaveLength(2);
		expect(JSON.stringify(server.chatRequests()[1].body.messages)).toContain('does not contain: 500, Globex');
		expect(json.summary).toMatchObject({ method: 'template', grounded: true });
		expect(json.summary.text).not.toContain('500');
		expect(json._meta).toMatchObject({ decidedBy: 'fallback', modelUnsupported: ['500', 'Globex'] });
		expect(json.crmPatch.leadSummary).toBe(json.summary.text);
	});

	it('can keep an ungrounded summary flagged, but never as the CRM summary', async () => {
		server.script({ json: invented });
		const [[item]] = (await summarize({ onUngrounded: 'flag' })).outputs('Lead Summarizer');
		expect((item.json as any).summary).toMatchObject({ method: 'model', grounded: false, unsupported: ['500', 'Globex'] });
		expect((item.json as any).crmPatch.leadSummary).toBeUndefined();
	});

	it('summarizes by template with no model, and sends model failures to the error output', async () => {
		const template = await summarize({ mode: 'template' });
		expect((template.outputs('Lead Summarizer')[0][0].json as any).summary.method).toBe('template');
		expect(server.chatRequests()).toHaveLength(0);

		server.script({ status: 500 });
		const failed = await runNode(
			node('Lead Summarizer', 'leadSummarizer', { options: { maxAttempts: 1 } } as never, { credentials: { revOpsModelApi: { id: '1', name: 't' } }, onError: 'continueErrorOutput' }),
			[{ json: lead as never }],
			credentials,
		);
		const outputs = failed.outputs('Lead Summarizer');
		expect(outputs[0]).toHaveLength(0);
		expect(outputs[1]).toHaveLength(1);
		expect(outputs[1][0].json).toEqual({ error: expect.stringMatching(/server had an error/i) });
	});

	it('can fall back to the template when the model fails, saying why', async () => {
		server.script({ status: 500 });
		const result = await summarize({ onModelError: 'template' });
		const [[item]] = result.outputs('Lead Summarizer') as any;
		expect(item.json.summary).toMatchObject({ method: 'template', grounded: true, modelError: expect.stringMatching(/server had an error/i) });
		expect(item.json._meta).toMatchObject({ decidedBy: 'fallback' });
		expect(item.error).toBeUndefined();
	});
});
