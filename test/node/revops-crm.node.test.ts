import type { IConnections, IDataObject, INodeExecutionData } from 'n8n-workflow';
import { PostgresStore } from '../../nodes/shared/domain/crm/postgres-store';
import { usePostgres } from '../crm/pg-server';
import { node, runNode, runWorkflow } from './workflow-runner';

// The CRM node in n8n's execution engine against a real PostgreSQL the test starts.
jest.setTimeout(120_000);

const server = usePostgres('revops-crm-node-', async () => {
	for (const schema of ['nordwind_crm', 'direct']) await new PostgresStore({ host: '127.0.0.1', port: server.port, database: 'crm', user: 'postgres', schema }).close();
});
let credentials: Record<string, IDataObject>;
beforeAll(() => {
	credentials = { revOpsPostgresApi: { host: '127.0.0.1', port: server.port, database: 'crm', user: 'postgres', password: '', ssl: false } };
});

/** Company Config -> Lead Normalizer -> RevOps CRM (upsert lead), as the inbound template wires them. */
async function submit(leads: IDataObject[], crmParameters: IDataObject = {}) {
	const nodes = [
		node('Input', 'test.passThrough', {}),
		node('Company Config', 'companyConfig', { source: 'company', companyId: 'nordwind_services' }),
		node('Lead Normalizer', 'leadNormalizer', { mappingMode: 'auto', requiredFields: ['emailOrPhone'] }),
		node('RevOps CRM', 'revOpsCrm', { operation: 'upsert', object: 'lead', ...crmParameters }, { credentials: { revOpsPostgresApi: { id: '1', name: 'pg' } }, onError: 'continueErrorOutput' }),
	];
	const connections: IConnections = {
		Input: { main: [[{ node: 'Company Config', type: 'main', index: 0 }]] },
		'Company Config': { main: [[{ node: 'Lead Normalizer', type: 'main', index: 0 }]] },
		'Lead Normalizer': { main: [[{ node: 'RevOps CRM', type: 'main', index: 0 }]] },
	};
	const result = await runWorkflow(nodes, connections, 'Input', leads.map((json) => ({ json })), credentials);
	const [ok, errors] = result.outputs('RevOps CRM');
	return { ok: ok ?? [], errors: errors ?? [] };
}

const crm = (item: INodeExecutionData) => item.json.crm as Record<string, any>;

describe('RevOps CRM node in n8n\'s execution engine (PostgreSQL from the company config)', () => {
	it('creates a lead, then merges a repeat submission: counted, first touch kept, status not reset, one activity each', async () => {
		const first = await submit([{ email: 'ana@newco-robotics.de', firstName: 'Ana', company: 'Newco Robotics', utm_source: 'google', message: 'Need a quote' }]);
		expect(first.errors).toEqual([]);
		expect(crm(first.ok[0])).toMatchObject({ backend: 'postgres', companyId: 'nordwind_services', object: 'lead', action: 'created', isNew: true, repeat: false });
		const key = crm(first.ok[0]).record.key;
		server.queryValue('crm', `UPDATE nordwind_crm.revops_record SET fields = fields || '{"status":"contacted"}', revision = revision + 1 WHERE match_key = '${key}'`);

		const again = await submit([{ email: 'ana@newco-robotics.de', firstName: 'Ana', company: 'Newco Robotics', utm_source: 'linkedin', message: 'Still waiting for the quote' }]);
		const out = crm(again.ok[0]);
		expect(out).toMatchObject({ action: 'updated', isNew: false, repeat: true });
		expect(out.record.duplicates).toBe(1);
		expect(out.record.fields).toMatchObject({ status: 'contacted', firstTouchSource: 'google', leadSource: 'linkedin', message: 'Still waiting for the quote' });
		expect(server.queryValue('crm', `SELECT count(*) FROM nordwind_crm.revops_record WHERE object = 'activity' AND fields->>'leadKey' = '${key}'`)).toBe('2');
		expect(again.ok[0].json.auditTrail).toEqual(expect.arrayContaining([expect.objectContaining({ node: 'revOpsCrm', decidedBy: 'rule' })]));
	});

	it('recognises an existing customer by a real lookup and gives the lead the account\'s tier and owner', async () => {
		const account = await runNode(
			node('RevOps CRM', 'revOpsCrm', { backend: 'postgres', postgresSchema: 'nordwind_crm', operation: 'upsert', object: 'account', fieldsFrom: 'json', fieldsJson: '{"domain": "kunde-gmbh.de", "name": "Kunde GmbH", "tier": "T1", "owner": "jonas.weber@nordwind-services.example", "lifecycle": "customer"}' }, { credentials: { revOpsPostgresApi: { id: '1', name: 'pg' } } }),
			[{ json: {} }],
			credentials,
		);
		expect(crm(account.outputs('RevOps CRM')[0][0]).action).toBe('created');
		const { ok } = await submit([
			{ email: 'einkauf@kunde-gmbh.de', firstName: 'Eva', message: 'Need more licences' },
			{ email: 'someone@gmail.com', firstName: 'Free', message: 'Hi' },
		]);
		expect(crm(ok[0])).toMatchObject({ existingCustomer: true, tier: 'T1', tierSource: 'account', owner: 'jonas.weber@nordwind-services.example', account: { domain: 'kunde-gmbh.de', lifecycle: 'customer', via: 'domain' } });
		expect(crm(ok[1])).toMatchObject({ existingCustomer: false, account: null });

		// The same answer without writing, as a classifier upstream needs it (Match Lead To Account).
		const matched = await runNode(
			node('RevOps CRM', 'revOpsCrm', { backend: 'postgres', postgresSchema: 'nordwind_crm', operation: 'matchAccount' }, { credentials: { revOpsPostgresApi: { id: '1', name: 'pg' } } }),
			[{ json: { crmPatch: { email: 'x@sub.kunde-gmbh.de', icpTier: 'T3' } } }, { json: { crmPatch: { email: 'x@elsewhere.example.org', icpTier: 'T3' } } }, { json: {} }],
			credentials,
		);
		expect(matched.outputs('RevOps CRM')[0].map((i) => [crm(i).existingCustomer, crm(i).tier, crm(i).tierSource])).toEqual([
			[true, 'T1', 'account'],
			[false, 'T3', 'fit'],
			[false, null, null],
		]);
	});

	it('keeps items in == items out: a bad item goes to the error output with the fix, the rest are written', async () => {
		const result = await runNode(
			node('RevOps CRM', 'revOpsCrm', { backend: 'postgres', postgresSchema: 'direct', operation: 'upsert', object: 'account' }, { credentials: { revOpsPostgresApi: { id: '1', name: 'pg' } }, onError: 'continueErrorOutput' }),
			[{ json: { crmPatch: { domain: 'good.example', employeeCount: '1e309' } } }, { json: { nothing: true } }, { json: { crmPatch: { name: 'No domain' } } }],
			credentials,
		);
		const [ok, errors] = result.outputs('RevOps CRM');
		expect(ok).toHaveLength(1);
		expect(crm(ok[0]).skipped).toEqual([expect.objectContaining({ field: 'employeeCount', reason: 'invalid' })]);
		expect(errors.map((e) => e.pairedItem)).toEqual([{ item: 1 }, { item: 2 }]);
		expect(errors.map((e) => String(e.json.error))).toEqual(['The item has no crmPatch to write', expect.stringMatching(/No match key for this account: domain is empty/)]);
	});

	it('shows a dry run\'s diff without writing, finds, searches and reads history', async () => {
		const pg = { credentials: { revOpsPostgresApi: { id: '1', name: 'pg' } } };
		const base = { backend: 'postgres', postgresSchema: 'direct' };
		await runNode(node('RevOps CRM', 'revOpsCrm', { ...base, operation: 'upsert', object: 'opportunity', fieldsFrom: 'json', fieldsJson: '{"externalId": "OPP-1", "amount": 1000, "stage": "pipeline_progression"}' }, pg), [{ json: {} }], credentials);
		const dry = await runNode(node('RevOps CRM', 'revOpsCrm', { ...base, operation: 'upsert', object: 'opportunity', fieldsFrom: 'json', fieldsJson: '{"externalId": "OPP-1", "amount": 2500}', options: { dryRun: true } }, pg), [{ json: {} }], credentials);
		expect(crm(dry.outputs('RevOps CRM')[0][0]).changes).toEqual([{ field: 'amount', before: 1000, after: 2500, policy: 'lastWrite' }]);
		const found = await runNode(node('RevOps CRM', 'revOpsCrm', { ...base, operation: 'find', object: 'opportunity', matchKey: 'OPP-1' }, pg), [{ json: {} }], credentials);
		expect(crm(found.outputs('RevOps CRM')[0][0])).toMatchObject({ found: true, record: { fields: { amount: 1000 } } });
		const search = await runNode(node('RevOps CRM', 'revOpsCrm', { ...base, operation: 'search', object: 'opportunity', conditions: { values: [{ field: 'amount', op: 'gte', value: '500' }] } }, pg), [{ json: { q: 1 } }, { json: { q: 2 } }], credentials);
		expect(search.outputs('RevOps CRM')[0].map((i) => [i.pairedItem, crm(i).record?.key])).toEqual([[{ item: 0 }, 'OPP-1'], [{ item: 1 }, 'OPP-1']]);
		const history = await runNode(node('RevOps CRM', 'revOpsCrm', { ...base, operation: 'history', object: 'opportunity', matchKey: 'OPP-1' }, pg), [{ json: {} }], credentials);
		expect(crm(history.outputs('RevOps CRM')[0][0]).history.map((h: any) => h.field).sort()).toEqual(['amount', 'externalId', 'stage']);
	});

	it('names the fix when the company config is wrong or the credential is missing', async () => {
		const bad = await runNode(node('RevOps CRM', 'revOpsCrm', { backend: 'config', companyConfig: '{"configVersion": 1, "company": {"id": "x y", "name": "X"}}', operation: 'find', object: 'lead', matchKey: 'k' }, { onError: 'continueErrorOutput' }), [{ json: {} }], credentials);
		const [, errors] = bad.outputs('RevOps CRM');
		expect(String(errors[0].json.error)).toMatch(/company\.id: lower-case letters/);
		const noCred = await runNode(node('RevOps CRM', 'revOpsCrm', { backend: 'postgres', operation: 'find', object: 'lead', matchKey: 'k' }, { onError: 'continueErrorOutput' }), [{ json: {} }, { json: {} }], {});
		const [, errs] = noCred.outputs('RevOps CRM');
		expect(errs).toHaveLength(2);
		expect(String(errs[0].json.error)).toBe('No PostgreSQL credential on the node');
	});

	it('writes 3,000 leads in one execution with one record each and items in == items out', async () => {
		const leads = Array.from({ length: 3000 }, (_, i) => ({ email: `p${i % 2500}@bulk-${i % 2500}.example.com`, firstName: `P${i}`, message: 'hello' }));
		const { ok, errors } = await submit(leads);
		expect(ok.length + errors.length).toBe(3000);
		expect(errors).toEqual([]);
		expect(ok.filter((i) => crm(i).repeat)).toHaveLength(500);
		expect(server.queryValue('crm', "SELECT count(*) FROM nordwind_crm.revops_record WHERE object = 'lead' AND match_key LIKE '%bulk-%'")).toBe('2500');
	});
});
