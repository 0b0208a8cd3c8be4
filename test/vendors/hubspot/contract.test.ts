// Keeps the HubSpot stand-in honest: HubSpot's own Node client (@hubspot/api-client, a test dependency
// only) runs against it. The client's request builders and response deserializers are generated from
// HubSpot's OpenAPI specs, so a stand-in that drifts from the real API (paths, bodies, status codes,
// the error and rate-limit bodies its retry logic reads) fails here before any adapter test can pass
// against it.
import { Client } from '@hubspot/api-client';
import { HubSpotServer } from './server';

describe('HubSpot stand-in, driven by HubSpot\'s own client', () => {
	const server = new HubSpotServer({ token: 'pat-na1-contract' });
	let client: Client;

	beforeAll(async () => {
		await server.start();
	});
	afterAll(() => server.stop());
	beforeEach(() => {
		server.reset();
		server.searchPerSecond = 5;
		server.tenSecondlyMax = 190;
		client = new Client({ accessToken: 'pat-na1-contract', basePath: server.baseUrl, numberOfApiCallRetries: 1 });
	});

	it('upserts contacts by e-mail in one batch call: new ones created, a known one updated', async () => {
		const first = await client.crm.contacts.batchApi.upsert({ inputs: [{ idProperty: 'email', id: 'ana@lima.example', properties: { firstname: 'Ana' } }, { idProperty: 'email', id: 'bo@chen.example', properties: { firstname: 'Bo' } }] });
		expect(first.status).toBe('COMPLETE');
		expect(first.results.map((r) => [r.properties.email, r._new])).toEqual([
			['ana@lima.example', true],
			['bo@chen.example', true],
		]);
		const again = await client.crm.contacts.batchApi.upsert({ inputs: [{ idProperty: 'email', id: 'ANA@lima.example', properties: { lastname: 'Lima' } }] });
		expect(again.results[0]._new).toBe(false);
		expect(again.results[0].id).toBe(first.results[0].id);
		const stored = await client.crm.contacts.basicApi.getById('ana@lima.example', ['firstname', 'lastname'], undefined, undefined, false, 'email');
		expect(stored.properties).toMatchObject({ firstname: 'Ana', lastname: 'Lima' });
		expect(server.log.filter((l) => l.path.endsWith('/batch/upsert'))).toHaveLength(2);
	});

	it('writes the valid records of a batch and reports the invalid one (207 Multi-Status)', async () => {
		const out = (await client.crm.contacts.batchApi.upsert({
			inputs: [
				{ idProperty: 'email', id: 'ok@good.example', properties: { firstname: 'Ok' } },
				{ idProperty: 'email', id: 'bad@good.example', properties: { no_such_field: 'x' } },
			],
		})) as Awaited<ReturnType<Client['crm']['contacts']['batchApi']['upsert']>> & { numErrors?: number; errors?: Array<{ category: string; message: string; context?: Record<string, string[]> }> };
		expect(out.results.map((r) => r.properties.email)).toEqual(['ok@good.example']);
		expect(out.numErrors).toBe(1);
		expect(out.errors?.[0]).toMatchObject({ category: 'VALIDATION_ERROR', context: { propertyName: ['no_such_field'] } });
		expect([...server.objects('contacts').values()].map((r) => r.properties.email)).toEqual(['ok@good.example']);
	});

	it('refuses a batch of more than 100 records with a 400, writing nothing', async () => {
		const inputs = Array.from({ length: 101 }, (_, i) => ({ idProperty: 'email', id: `p${i}@big.example`, properties: {} }));
		await expect(client.crm.contacts.batchApi.upsert({ inputs })).rejects.toMatchObject({ code: 400 });
		expect(server.objects('contacts').size).toBe(0);
	});

	it('pages search results with `after` until the last page, each record once', async () => {
		for (let start = 0; start < 250; start += 100) {
			await client.crm.contacts.batchApi.upsert({ inputs: Array.from({ length: Math.min(100, 250 - start) }, (_, i) => ({ idProperty: 'email', id: `lead${start + i}@paging.example`, properties: { country: (start + i) % 2 ? 'DE' : 'US' } })) });
		}
		const seen: string[] = [];
		let after: string | undefined;
		let pages = 0;
		do {
			const page = await client.crm.contacts.searchApi.doSearch({ filterGroups: [{ filters: [{ propertyName: 'country', operator: 'EQ' as never, value: 'DE' }] }], properties: ['email'], limit: 50, after, sorts: [] });
			seen.push(...page.results.map((r) => r.properties.email as string));
			expect(page.total).toBe(125);
			after = page.paging?.next?.after;
			pages++;
			// The search API allows five requests a second.
			if (after) await new Promise((r) => setTimeout(r, 210));
		} while (after);
		expect(pages).toBe(3);
		expect(new Set(seen).size).toBe(125);
	});

	it('answers a wrong token with HubSpot\'s 401 body', async () => {
		const wrong = new Client({ accessToken: 'pat-na1-wrong', basePath: server.baseUrl, numberOfApiCallRetries: 1 });
		await expect(wrong.crm.contacts.basicApi.getPage()).rejects.toMatchObject({ code: 401, body: expect.objectContaining({ category: 'INVALID_AUTHENTICATION' }) });
	});

	it("is retried by the client after the search API's secondly limit, as HubSpot's 429 body asks", async () => {
		server.searchPerSecond = 1;
		const retrying = new Client({ accessToken: 'pat-na1-contract', basePath: server.baseUrl, numberOfApiCallRetries: 2 });
		const search = () => retrying.crm.contacts.searchApi.doSearch({ filterGroups: [], properties: ['email'], limit: 10, sorts: [] });
		await search();
		const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
		try {
			await expect(search()).resolves.toMatchObject({ total: 0 });
		} finally {
			errors.mockRestore();
		}
		expect(server.log.map((l) => l.status)).toEqual([200, 429, 200]);
	});

	it('names the ten-second policy in its 429 body and headers, as the client expects', async () => {
		server.tenSecondlyMax = 2;
		await client.crm.contacts.basicApi.getPage();
		await client.crm.contacts.basicApi.getPage();
		const limited = await client.crm.contacts.basicApi.getPage().then(
			() => null,
			(e: { code: number; body: Record<string, unknown>; headers: Record<string, string> }) => e,
		);
		expect(limited).toMatchObject({ code: 429, body: expect.objectContaining({ policyName: 'TEN_SECONDLY_ROLLING', errorType: 'RATE_LIMIT' }) });
		expect(limited?.headers['x-hubspot-ratelimit-remaining']).toBe('0');
		expect(limited?.headers['x-hubspot-ratelimit-interval-milliseconds']).toBe('10000');
	});

	it('creates a unique-value custom property and upserts companies by it', async () => {
		await client.crm.properties.coreApi.create('companies', { name: 'revops_key', label: 'RevOps key', type: 'string' as never, fieldType: 'text' as never, groupName: 'companyinformation', hasUniqueValue: true });
		await expect(client.crm.properties.coreApi.create('companies', { name: 'revops_key', label: 'RevOps key', type: 'string' as never, fieldType: 'text' as never, groupName: 'companyinformation' })).rejects.toMatchObject({ code: 409 });
		const names = (await client.crm.properties.coreApi.getAll('companies')).results.map((p) => p.name);
		expect(names).toContain('revops_key');
		const out = await client.crm.companies.batchApi.upsert({ inputs: [{ idProperty: 'revops_key', id: 'domain:acme.example', properties: { name: 'Acme', domain: 'acme.example' } }] });
		expect(out.results[0]).toMatchObject({ _new: true, properties: expect.objectContaining({ revops_key: 'domain:acme.example' }) });
		// The fresh portal's domain is no unique identifier: HubSpot refuses to upsert by it.
		const byDomain = (await client.crm.companies.batchApi.upsert({ inputs: [{ idProperty: 'domain', id: 'acme.example', properties: { name: 'Acme' } }] })) as { results: unknown[]; errors?: Array<{ message: string }> };
		expect(byDomain.results).toEqual([]);
		expect(byDomain.errors?.[0].message).toContain('not a unique identifier');
		const read = await client.crm.companies.batchApi.read({ idProperty: 'revops_key', inputs: [{ id: 'domain:acme.example' }], properties: ['name'], propertiesWithHistory: [] });
		expect(read.results[0].properties.name).toBe('Acme');
	});
	it('updates by a unique property and answers a value no record has as not found, per record', async () => {
		await client.crm.properties.coreApi.create('deals', { name: 'revops_opportunity_version', label: 'Version', type: 'string' as never, fieldType: 'text' as never, groupName: 'dealinformation', hasUniqueValue: true });
		await client.crm.deals.batchApi.create({ inputs: [{ properties: { dealname: 'A', revops_opportunity_version: 'OPP-1@1' }, associations: [] }] });
		const moved = (await client.crm.deals.batchApi.update({
			inputs: [
				{ idProperty: 'revops_opportunity_version', id: 'OPP-1@1', properties: { dealname: 'A2', revops_opportunity_version: 'OPP-1@2' } },
				{ idProperty: 'revops_opportunity_version', id: 'OPP-9@1', properties: { dealname: 'nobody' } },
			],
		})) as { results: Array<{ properties: Record<string, string> }>; errors?: Array<{ category: string; context?: Record<string, string[]> }> };
		expect(moved.results.map((r) => r.properties.revops_opportunity_version)).toEqual(['OPP-1@2']);
		expect(moved.errors).toEqual([expect.objectContaining({ category: 'OBJECT_NOT_FOUND', context: expect.objectContaining({ ids: ['OPP-9@1'] }) })]);
		// The old version no longer finds it: a second writer from OPP-1@1 writes nothing.
		const late = (await client.crm.deals.batchApi.update({ inputs: [{ idProperty: 'revops_opportunity_version', id: 'OPP-1@1', properties: { dealname: 'late' } }] })) as { results: unknown[] };
		expect(late.results).toEqual([]);
		expect([...server.objects('deals').values()][0].properties.dealname).toBe('A2');
	});

	it('refuses a whole create batch that meets a taken e-mail with 409 and the existing id, writing nothing', async () => {
		const first = await client.crm.contacts.basicApi.create({ properties: { email: 'taken@acme.example' }, associations: [] });
		const refused = client.crm.contacts.batchApi.create({ inputs: [{ properties: { email: 'free@acme.example' }, associations: [] }, { properties: { email: 'TAKEN@acme.example' }, associations: [] }] });
		await expect(refused).rejects.toMatchObject({ code: 409, body: expect.objectContaining({ category: 'CONFLICT', message: `Contact already exists. Existing ID: ${first.id}` }) });
		expect(server.objects('contacts').size).toBe(1);
	});

	it('creates a property group and a property in it, and links records once with default associations (v4)', async () => {
		await client.crm.properties.groupsApi.create('companies', { name: 'revops', label: 'RevOps' });
		const property = await client.crm.properties.coreApi.create('companies', { name: 'revops_tier', label: 'Tier', type: 'string' as never, fieldType: 'text' as never, groupName: 'revops' });
		expect(property.groupName).toBe('revops');
		const company = await client.crm.companies.basicApi.create({ properties: { domain: 'acme.example', revops_tier: 'T1' }, associations: [] });
		const contact = await client.crm.contacts.basicApi.create({ properties: { email: 'ana@acme.example' }, associations: [] });
		const linked = await client.crm.associations.v4.batchApi.createDefault('contacts', 'companies', { inputs: [{ _from: { id: contact.id }, to: { id: company.id } }] });
		expect(linked.results.map((r) => [r._from.id, r.to.id, r.associationSpec.associationCategory])).toEqual([[contact.id, company.id, 'HUBSPOT_DEFINED']]);
		const read = await client.crm.associations.v4.batchApi.getPage('companies', 'contacts', { inputs: [{ id: company.id }] });
		expect(read.results.map((r) => [r._from.id, r.to.map((t) => String(t.toObjectId))])).toEqual([[company.id, [contact.id]]]);
	});
	it('makes an association label between deals and contacts, links a deal contact with it, and reads the label back (v4)', async () => {
		const deal = await client.crm.deals.basicApi.create({ properties: { dealname: 'Labeled' }, associations: [] });
		const contact = await client.crm.contacts.basicApi.create({ properties: { email: 'eb@acme.example' }, associations: [] });
		const made = await client.crm.associations.v4.schema.definitionsApi.create('deals', 'contacts', { label: 'Economic Buyer', name: 'revops_economic_buyer' });
		const typeId = made.results.find((r) => r.label === 'Economic Buyer')!.typeId;
		expect(made.results[0]).toMatchObject({ category: 'USER_DEFINED', label: 'Economic Buyer' });
		const all = await client.crm.associations.v4.schema.definitionsApi.getAll('deals', 'contacts');
		expect(all.results.map((r) => [r.category, r.label ?? null])).toEqual(expect.arrayContaining([['HUBSPOT_DEFINED', null], ['USER_DEFINED', 'Economic Buyer']]));
		const created = await client.crm.associations.v4.batchApi.create('deals', 'contacts', { inputs: [{ _from: { id: deal.id }, to: { id: contact.id }, types: [{ associationCategory: 'USER_DEFINED' as never, associationTypeId: typeId }] }] });
		expect(created.results.map((r) => [String(r.fromObjectId), String(r.toObjectId), r.labels])).toEqual([[deal.id, contact.id, ['Economic Buyer']]]);
		// Read from the contact's side: the inverse type, with the same label.
		const read = await client.crm.associations.v4.batchApi.getPage('contacts', 'deals', { inputs: [{ id: contact.id }] });
		expect(read.results[0].to[0].associationTypes.map((t) => [t.category, t.label])).toEqual([['USER_DEFINED', 'Economic Buyer']]);
		await expect(client.crm.associations.v4.schema.definitionsApi.create('deals', 'contacts', { label: 'economic buyer', name: 'other_name' })).rejects.toMatchObject({ code: 400 });
	});

	it('lists the deal pipelines with their stages, makes a new one, and refuses a deal in a stage none of them has', async () => {
		const pipelines = await client.crm.pipelines.pipelinesApi.getAll('deals');
		expect(pipelines.results[0].stages.map((st) => st.id)).toEqual(expect.arrayContaining(['appointmentscheduled', 'closedwon', 'closedlost']));
		const made = await client.crm.pipelines.pipelinesApi.create('deals', { label: 'Renewals', displayOrder: 1, stages: [{ label: 'Renewal due', displayOrder: 0, metadata: { probability: '0.5' } }] });
		expect(made.stages[0]).toMatchObject({ label: 'Renewal due' });
		await client.crm.deals.basicApi.create({ properties: { dealname: 'Renewal', dealstage: made.stages[0].id }, associations: [] });
		await expect(client.crm.deals.basicApi.create({ properties: { dealname: 'Bad', dealstage: 'Demo' }, associations: [] })).rejects.toMatchObject({ code: 400, body: expect.objectContaining({ message: expect.stringContaining('Demo was not one of the allowed options') }) });
	});
});
