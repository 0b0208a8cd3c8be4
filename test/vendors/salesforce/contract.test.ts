// Keeps the Salesforce stand-in honest: Salesforce's JavaScript client (jsforce, a test dependency only)
// runs against it. jsforce builds the requests (OAuth token, sObject Collections, SOQL with queryMore)
// and reads the answers (per-record results, limit headers, error codes) as it does with a real org,
// so a stand-in that drifts from the protocol fails here before any adapter test can pass against it.
import { createHmac } from 'node:crypto';
import { Connection } from 'jsforce';
import { SalesforceServer } from './server';

jest.setTimeout(60_000);

describe('Salesforce stand-in, driven by jsforce', () => {
	const server = new SalesforceServer({ clientId: '3MVG9-contract', clientSecret: 'contract-secret', dailyLimit: 15_000 });
	let conn: Connection;

	beforeAll(() => server.start());
	afterAll(() => server.stop());
	beforeEach(async () => {
		server.reset();
		server.queryBatchSize = 2000;
		server.dailyLimit = 15_000;
		server.addField('Lead', 'RevOps_Key__c', { externalId: true, unique: true });
		conn = new Connection({ oauth2: { clientId: '3MVG9-contract', clientSecret: 'contract-secret', loginUrl: server.baseUrl }, version: '60.0' });
		await conn.authorize({ grant_type: 'client_credentials' });
	});

	it('signs in with the client credentials flow and is refused with a wrong secret', async () => {
		expect(conn.instanceUrl).toBe(server.baseUrl);
		expect(conn.accessToken).toMatch(/^00D/);
		const wrong = new Connection({ oauth2: { clientId: '3MVG9-contract', clientSecret: 'nope', loginUrl: server.baseUrl }, version: '60.0' });
		await expect(wrong.authorize({ grant_type: 'client_credentials' })).rejects.toThrow(/invalid_client|invalid client credentials/);
	});

	it('signs in with the JWT bearer flow (the connected app as issuer)', async () => {
		const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
		const unsigned = `${part({ alg: 'RS256' })}.${part({ iss: '3MVG9-contract', sub: 'integration@acme.example', aud: server.baseUrl, exp: Math.floor(Date.now() / 1000) + 180 })}`;
		const assertion = `${unsigned}.${createHmac('sha256', 'not-checked').update(unsigned).digest('base64url')}`;
		const jwt = new Connection({ oauth2: { clientId: '3MVG9-contract', loginUrl: server.baseUrl }, version: '60.0' });
		await jwt.authorize({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion });
		expect(jwt.accessToken).toMatch(/^00D/);
		expect((await jwt.query('SELECT Id FROM Lead')).totalSize).toBe(0);
	});

	it('creates a collection with one result per record: the invalid ones refused with their field, the rest written', async () => {
		const results = await conn.sobject('Lead').create(
			[
				{ LastName: 'Lima', Company: 'Acme', Email: 'ana@acme.example', Status: 'Open - Not Contacted' },
				{ LastName: 'Chen', Company: 'Globex', Status: 'Hot' },
				{ Company: 'No Name Inc' },
				{ LastName: 'Berg', Company: 'Nordwind', NumberOfEmployees: 'many' },
				{ LastName: 'Ito', Company: 'Ito', Email: 'not an address' },
			],
			{ allOrNone: false },
		);
		expect(results.map((r) => r.success)).toEqual([true, false, false, false, false]);
		const codes = results.map((r) => (r.success ? null : (r.errors[0] as unknown as { statusCode: string; fields: string[] })));
		expect(codes.slice(1).map((e) => [e!.statusCode, e!.fields])).toEqual([
			['INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', ['Status']],
			['REQUIRED_FIELD_MISSING', ['LastName']],
			['INVALID_TYPE_ON_FIELD_IN_RECORD', ['NumberOfEmployees']],
			['INVALID_EMAIL_ADDRESS', ['Email']],
		]);
		expect(server.records('Lead').size).toBe(1);
		expect(server.log.filter((l) => l.path.endsWith('/composite/sobjects'))).toHaveLength(1);
	});

	it('rolls the whole collection back when allOrNone is set and one record fails', async () => {
		const results = await conn.sobject('Lead').create([{ LastName: 'A', Company: 'A' }, { LastName: 'B', Company: 'B', Status: 'Hot' }], { allOrNone: true });
		expect(results.map((r) => (r.success ? 'ok' : (r.errors[0] as unknown as { statusCode: string }).statusCode))).toEqual(['ALL_OR_NONE_OPERATION_ROLLED_BACK', 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST']);
		expect(server.records('Lead').size).toBe(0);
	});

	it('upserts a collection by an external id: created first, updated the second time, in one call each', async () => {
		const leads = (company: string) => [1, 2, 3].map((i) => ({ RevOps_Key__c: `email:p${i}@upsert.example`, LastName: `P${i}`, Company: company }));
		const first = await conn.sobject('Lead').upsert(leads('First'), 'RevOps_Key__c');
		expect(first.map((r) => [r.success, (r as unknown as { created: boolean }).created])).toEqual([[true, true], [true, true], [true, true]]);
		const second = await conn.sobject('Lead').upsert(leads('Second'), 'RevOps_Key__c');
		expect(second.map((r) => [r.success, (r as unknown as { created: boolean }).created])).toEqual([[true, false], [true, false], [true, false]]);
		expect(second.map((r) => r.success && r.id)).toEqual(first.map((r) => r.success && r.id));
		expect([...server.records('Lead').values()].map((r) => r.Company)).toEqual(['Second', 'Second', 'Second']);
		expect(server.log.filter((l) => l.path.endsWith('/composite/sobjects/Lead/RevOps_Key__c'))).toHaveLength(2);
		// A field that is no external id is refused per record.
		const wrong = await conn.sobject('Lead').upsert([{ Email: 'x@upsert.example', LastName: 'X', Company: 'X' }], 'Email');
		expect((wrong[0] as unknown as { errors: Array<{ statusCode: string }> }).errors[0].statusCode).toBe('INVALID_FIELD');
	});

	it('refuses more than 200 records a collection call', async () => {
		const many = Array.from({ length: 201 }, (_, i) => ({ LastName: `L${i}`, Company: 'Big' }));
		await expect(conn.sobject('Lead').create(many)).rejects.toMatchObject({ errorCode: 'EXCEEDED_ID_LIMIT' });
		expect(server.records('Lead').size).toBe(0);
	});

	it('pages a SOQL query with nextRecordsUrl (queryMore) until done, each record once', async () => {
		for (let start = 0; start < 450; start += 200) await conn.sobject('Lead').create(Array.from({ length: Math.min(200, 450 - start) }, (_, i) => ({ LastName: `Q${start + i}`, Company: (start + i) % 3 ? 'Paging' : 'Other' })));
		server.queryBatchSize = 200;
		const all: Array<{ Id: string }> = [];
		await new Promise((resolve, reject) => {
			conn.query("SELECT Id, LastName FROM Lead WHERE Company = 'Paging' ORDER BY Id")
				.on('record', (r: { Id: string }) => all.push(r))
				.on('end', resolve)
				.on('error', reject)
				.run({ autoFetch: true, maxFetch: 10_000 });
		});
		expect(all.length).toBe(300);
		expect(new Set(all.map((r) => r.Id)).size).toBe(300);
		expect(server.log.filter((l) => /\/query\/[0-9A-F]+-\d+$/.test(l.path)).length).toBe(1);
		const first = await conn.query("SELECT Id FROM Lead WHERE Company IN ('Paging', 'Other') AND LastName LIKE 'Q1%' LIMIT 5");
		expect(first.records).toHaveLength(5);
		await expect(conn.query('SELECT Id FROM Lead WHERE NoSuchField__c = 1')).rejects.toMatchObject({ errorCode: 'INVALID_FIELD' });
	});

	it('reports the org\'s API usage in Sforce-Limit-Info, as jsforce reads it, and refuses past the daily limit', async () => {
		await conn.query('SELECT Id FROM Lead');
		expect(conn.limitInfo.apiUsage).toEqual({ used: server.apiUsage, limit: 15_000 });
		server.dailyLimit = server.apiUsage;
		await expect(conn.query('SELECT Id FROM Lead')).rejects.toMatchObject({ errorCode: 'REQUEST_LIMIT_EXCEEDED' });
	});

	it('answers an expired session with INVALID_SESSION_ID, and describes an object\'s fields and restricted picklists', async () => {
		const stale = new Connection({ instanceUrl: server.baseUrl, accessToken: '00Dstale', version: '60.0' });
		await expect(stale.query('SELECT Id FROM Lead')).rejects.toMatchObject({ errorCode: 'INVALID_SESSION_ID' });
		const lead = await conn.sobject('Lead').describe();
		const status = lead.fields.find((f) => f.name === 'Status')!;
		expect(status).toMatchObject({ restrictedPicklist: true });
		expect(status.picklistValues!.map((v) => v.value)).toContain('Working - Contacted');
		expect(lead.fields.find((f) => f.name === 'RevOps_Key__c')).toMatchObject({ externalId: true, unique: true, custom: true });
	});

	it('runs composite graphs each all or nothing: a failing node rolls back its own graph only, with references resolved', async () => {
		server.addObject('RevOps_Change__c');
		server.addField('RevOps_Change__c', 'RevOps_Write_Key__c', { externalId: true, unique: true, caseSensitive: true });
		server.addField('RevOps_Change__c', 'RevOps_Record_Id__c');
		const node = (ref: string, url: string, body: object, method = 'POST') => ({ method, url: `/services/data/v60.0${url}`, referenceId: ref, body });
		const answer = (await conn.requestPost('/composite/graph', {
			graphs: [
				{ graphId: 'ok', compositeRequest: [node('lead1', '/sobjects/Lead', { LastName: 'One', Company: 'A', RevOps_Key__c: 'k1' }), node('change1', '/sobjects/RevOps_Change__c', { RevOps_Write_Key__c: 'w1', RevOps_Record_Id__c: '@{lead1.id}' })] },
				{ graphId: 'bad', compositeRequest: [node('lead2', '/sobjects/Lead', { LastName: 'Two', Company: 'B', RevOps_Key__c: 'k2' }), node('change2', '/sobjects/RevOps_Change__c', { RevOps_Write_Key__c: 'w1', RevOps_Record_Id__c: '@{lead2.id}' })] },
			],
		})) as { graphs: Array<{ graphId: string; isSuccessful: boolean; graphResponse: { compositeResponse: Array<{ referenceId: string; httpStatusCode: number; body: unknown }> } }> };
		expect(answer.graphs.map((g) => [g.graphId, g.isSuccessful])).toEqual([['ok', true], ['bad', false]]);
		const bad = answer.graphs[1].graphResponse.compositeResponse;
		expect(bad.map((n) => [n.referenceId, n.httpStatusCode, (n.body as Array<{ errorCode: string }>)[0].errorCode])).toEqual([['lead2', 400, 'PROCESSING_HALTED'], ['change2', 400, 'DUPLICATE_VALUE']]);
		const leads = await conn.query<{ Id: string; RevOps_Key__c: string }>('SELECT Id, RevOps_Key__c FROM Lead');
		expect(leads.records.map((r) => r.RevOps_Key__c)).toEqual(['k1']);
		const changes = await conn.query<{ RevOps_Record_Id__c: string }>("SELECT RevOps_Record_Id__c FROM RevOps_Change__c WHERE (RevOps_Write_Key__c = 'w1' OR RevOps_Write_Key__c = 'w2')");
		expect(changes.records.map((r) => r.RevOps_Record_Id__c)).toEqual([leads.records[0].Id]);
		const global = await conn.describeGlobal();
		expect(global.sobjects.find((o) => o.name === 'RevOps_Change__c')).toMatchObject({ custom: true });
	});
});
