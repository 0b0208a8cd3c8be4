import { startInstance, VERSIONS, type Instance } from './n8n-instance';

describe.each(VERSIONS)('Intent Classifier and the RevOps Model API credential on n8n %s', (version) => {
	let n8n: Instance;

	beforeAll(async () => {
		n8n = await startInstance(version);
	});
	afterAll(async () => {
		await n8n?.stop();
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
});
