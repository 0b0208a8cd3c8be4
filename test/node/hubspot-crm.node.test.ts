import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { findAndSearchCase } from './crm-backend-cases';
import { node, runNode } from './workflow-runner';
/* eslint-disable @typescript-eslint/no-require-imports */
const { HubSpotServer } = require('../vendors/hubspot/server') as typeof import('../vendors/hubspot/server');

// The CRM node on its HubSpot backend in n8n's execution engine: n8n's own request helper carries the
// calls to the HubSpot stand-in over real HTTP (statuses, HubSpot's headers, 207 answers).
jest.setTimeout(120_000);

const TOKEN = 'pat-na1-node';
const server = new HubSpotServer({ token: TOKEN, tenSecondlyMax: 1000 });
let credentials: Record<string, IDataObject>;
beforeAll(async () => {
	await server.start();
	credentials = { revOpsHubSpotApi: { accessToken: TOKEN, baseUrl: server.baseUrl } };
});
afterAll(() => server.stop());
// One portal for the file, as n8n checks a portal's properties once per process (keys differ per test).

const crmNode = (parameters: IDataObject) => node('RevOps CRM', 'revOpsCrm', { backend: 'hubspot', ...parameters }, { credentials: { revOpsHubSpotApi: { id: '1', name: 'hs' } }, onError: 'continueErrorOutput' });
const crm = (item: INodeExecutionData) => item.json.crm as Record<string, any>;

describe('RevOps CRM node on HubSpot, in n8n\'s execution engine', () => {
	it('checks the setup without changing the portal, then creates what is missing on the first write', async () => {
		const check = await runNode(crmNode({ operation: 'checkSetup' }), [{ json: {} }], credentials);
		const [view] = check.outputs('RevOps CRM')[0];
		expect(crm(view)).toMatchObject({ backend: 'hubspot', ready: false, mappedButMissing: [] });
		expect(crm(view).toCreate).toBeGreaterThan(100);
		expect(server.log.filter((l: { method: string }) => l.method !== 'GET')).toEqual([]);
		await runNode(crmNode({ operation: 'upsert', object: 'account', fieldsFrom: 'json', fieldsJson: '={{ $json.fields }}' }), [{ json: { fields: { domain: 'acme.example', name: 'Acme' } } }], credentials);
		const again = await runNode(crmNode({ operation: 'checkSetup' }), [{ json: {} }], credentials);
		expect(crm(again.outputs('RevOps CRM')[0][0])).toMatchObject({ ready: true, missing: [] });
	});

	it('writes a batch, puts the record HubSpot refuses on the error output with its words, and keeps items in order', async () => {
		// HubSpot itself refuses one record: the company maps industry to HubSpot's own property, whose options are fixed.
		const items = ['good1', 'bad', 'good2'].map((name, i) => ({ json: { fields: { domain: `${name}.example`, name, employeeCount: 50, industry: i === 1 ? 'Robots' : 'RETAIL' } } }));
		const run = await runNode(
			node('RevOps CRM', 'revOpsCrm', { backend: 'config', companyConfig: JSON.stringify({ configVersion: 1, company: { id: 'acme_hs', name: 'Acme' }, crm: { backend: 'hubspot' }, fieldMap: { account: { industry: 'industry' } }, calendar: { timezone: 'America/New_York' } }), operation: 'upsert', object: 'account', fieldsFrom: 'json', fieldsJson: '={{ $json.fields }}' }, { credentials: { revOpsHubSpotApi: { id: '1', name: 'hs' } }, onError: 'continueErrorOutput' }),
			items,
			credentials,
		);
		const [ok, errors] = run.outputs('RevOps CRM');
		expect(ok.map((i) => crm(i).record.key)).toEqual(['good1.example', 'good2.example']);
		expect(ok.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 2 }]);
		expect(errors).toHaveLength(1);
		expect(errors[0].pairedItem).toEqual({ item: 1 });
		expect(JSON.stringify(errors[0].json)).toMatch(/bad\.example.*Robots was not one of the allowed options/);
		expect([...server.objects('companies').values()].map((r) => r.properties.domain).filter((d) => /good|bad/.test(d)).sort()).toEqual(['good1.example', 'good2.example']);
	});

	it('finds and searches what it wrote, by canonical field names', async () => await findAndSearchCase(crmNode, credentials));
});
