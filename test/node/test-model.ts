// The test model server for a describe block of in-process node tests: started once, reset before
// each test, stopped after; `credentials` is what runNode passes for the RevOps Model API credential.
/* eslint-disable @typescript-eslint/no-require-imports */
const { ModelServer } = require('../model-server/server') as typeof import('../model-server/server');

export function useTestModel() {
	const server = new ModelServer({ apiKey: 'sk-test' });
	const credentials: Record<string, any> = {};
	beforeAll(async () => {
		credentials.revOpsModelApi = { baseUrl: await server.start(), apiKey: 'sk-test', model: 'gpt-4o-mini', headers: '{}' };
	});
	afterAll(() => server.stop());
	beforeEach(() => server.reset());
	return { server, credentials };
}
