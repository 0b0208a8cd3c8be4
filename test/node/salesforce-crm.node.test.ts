import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { neededFields } from '../../nodes/shared/domain/crm/salesforce/schema';
import { findAndSearchCase } from './crm-backend-cases';
import { node, runNode } from './workflow-runner';
/* eslint-disable @typescript-eslint/no-require-imports */
const { SalesforceServer } = require('../vendors/salesforce/server') as typeof import('../vendors/salesforce/server');

// The CRM node on its Salesforce backend in n8n's execution engine: n8n's own request helper carries
// the OAuth sign-in (a form post) and the REST calls to the Salesforce stand-in over real HTTP.
jest.setTimeout(120_000);

const CLIENT = { clientId: '3MVG9-node', clientSecret: 'node-secret' };
const server = new SalesforceServer(CLIENT);
let credentials: Record<string, IDataObject>;
beforeAll(async () => {
	await server.start();
	credentials = { revOpsSalesforceApi: { instanceUrl: server.baseUrl!, flow: 'clientCredentials', ...CLIENT, apiVersion: '60.0' } };
});
afterAll(() => server.stop());

const options = { credentials: { revOpsSalesforceApi: { id: '1', name: 'sf' } }, onError: 'continueErrorOutput' as const };
const crmNode = (parameters: IDataObject) => node('RevOps CRM', 'revOpsCrm', { backend: 'salesforce', ...parameters }, options);
const crm = (item: INodeExecutionData) => item.json.crm as Record<string, any>;

describe('RevOps CRM node on Salesforce, in n8n\'s execution engine', () => {
	it('lists the fields an admin must create, with their types and the stage check, and is ready once they exist', async () => {
		const check = await runNode(node('RevOps CRM', 'revOpsCrm', { backend: 'config', companyConfig: JSON.stringify({ configVersion: 1, company: { id: 'acme_sf', name: 'Acme' }, crm: { backend: 'salesforce' }, stageMap: { Prospecting: 'pipeline_generation', 'Closed Won!': 'close_onboard' }, calendar: { timezone: 'UTC' } }), operation: 'checkSetup' }, options), [{ json: {} }], credentials);
		const view = crm(check.outputs('RevOps CRM')[0][0]);
		expect(view).toMatchObject({ backend: 'salesforce', ready: false, mappedButMissing: [] });
		expect(view.toCreate).toBeGreaterThan(100);
		expect(view.missing).toEqual(expect.arrayContaining([expect.objectContaining({ object: 'Opportunity', field: 'RevOps_Key__c', definition: 'Text(255), External ID, Unique (case sensitive)' })]));
		expect(view.stages.unknown).toEqual([expect.stringMatching(/^Closed Won!: no active value of Opportunity\.StageName/)]);
		expect(view.stages.unmapped).toContain('Qualification (Qualification)');
		expect(server.log.filter((l: { method: string; path: string }) => l.method !== 'GET' && !l.path.includes('oauth2'))).toEqual([]);
		server.provision(neededFields());
		const again = await runNode(crmNode({ operation: 'checkSetup' }), [{ json: {} }], credentials);
		expect(crm(again.outputs('RevOps CRM')[0][0])).toMatchObject({ ready: true, missing: [] });
	});

	it('writes a batch, puts the record Salesforce refuses on the error output with its words, and keeps items in order', async () => {
		server.provision(neededFields());
		const items = ['good1', 'bad', 'good2'].map((name, i) => ({ json: { fields: { dedupeKey: `${name}-lead`, email: i === 1 ? 'no address' : `${name}@acme.example`, company: name } } }));
		const run = await runNode(crmNode({ operation: 'upsert', object: 'lead', fieldsFrom: 'json', fieldsJson: '={{ $json.fields }}' }), items, credentials);
		const [ok, errors] = run.outputs('RevOps CRM');
		expect(ok.map((i) => crm(i).record.key)).toEqual(['good1-lead', 'good2-lead']);
		expect(ok.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 2 }]);
		expect(errors).toHaveLength(1);
		expect(errors[0].pairedItem).toEqual({ item: 1 });
		expect(JSON.stringify(errors[0].json)).toMatch(/INVALID_EMAIL_ADDRESS/);
		expect([...server.records('Lead').values()].map((r) => r.Company).sort()).toEqual(['good1', 'good2']);
	});

	it('finds and searches what it wrote, by canonical field names', async () => await findAndSearchCase(crmNode, credentials));

	it('tests the credential by signing in and reading the org\'s limits, and names a refused sign-in', async () => {
		const { RevOpsCrmV1 } = await import('../../nodes/RevOpsCrm/v1/RevOpsCrmV1.node');
		const test = new RevOpsCrmV1({ displayName: 'RevOps CRM', name: 'revOpsCrm', group: ['transform'], description: '', defaultVersion: 1 }).methods.credentialTest.revOpsSalesforceConnectionTest;
		// n8n's request helper of a credential test (request-promise options), over fetch.
		const request = async (o: { method: string; uri: string; headers: Record<string, string>; body?: unknown; json?: boolean }) => {
			const res = await fetch(o.uri, { method: o.method, headers: o.headers, body: typeof o.body === 'string' ? o.body : o.body === undefined ? undefined : JSON.stringify(o.body) });
			const text = await res.text();
			return { statusCode: res.status, headers: Object.fromEntries([...(res.headers as unknown as Iterable<[string, string]>)]), body: o.json ? (text ? JSON.parse(text) : null) : text };
		};
		const ctx = { helpers: { request } } as never;
		const ok = await test.call(ctx, { id: '1', name: 'sf', type: 'revOpsSalesforceApi', data: credentials.revOpsSalesforceApi as never });
		expect(ok).toMatchObject({ status: 'OK', message: expect.stringMatching(/^Connected \(\d+ of 15000 API requests used today\)$/) });
		const wrong = await test.call(ctx, { id: '1', name: 'sf', type: 'revOpsSalesforceApi', data: { ...credentials.revOpsSalesforceApi, clientSecret: 'nope' } as never });
		expect(wrong).toMatchObject({ status: 'Error', message: expect.stringMatching(/Salesforce refused the sign-in \(invalid_client/) });
	});

	it('names the missing credential and the fix', async () => {
		const run = await runNode(node('RevOps CRM', 'revOpsCrm', { backend: 'salesforce', operation: 'checkSetup' }, { onError: 'continueErrorOutput' }), [{ json: {} }], {});
		expect(JSON.stringify(run.outputs('RevOps CRM'))).toMatch(/No Salesforce credential on the node.*connected app/);
	});
});
