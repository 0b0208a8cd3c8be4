import { startInstance, VERSIONS, type Instance } from './n8n-instance';

describe.each(VERSIONS)('Lead Summarizer on n8n %s', (version) => {
	let n8n: Instance;
	beforeAll(async () => {
		n8n = await startInstance(version);
	});
	afterAll(async () => {
		await n8n?.stop();
	});

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
});
