// HubSpot as the CRM backend, over real HTTP against the HubSpot stand-in (kept honest by HubSpot's own
// client in test/vendors/hubspot/contract.test.ts): the same contract every backend keeps, then what
// only HubSpot raises (its own properties, records a rep made first, one refused record, the property check).
import { HubSpotApi } from '../../nodes/shared/domain/crm/hubspot/api';
import { HubSpotStore } from '../../nodes/shared/domain/crm/hubspot/store';
import { missingProperties } from '../../nodes/shared/domain/crm/hubspot/schema';
import type { FieldMap } from '../../nodes/shared/domain/crm/hubspot/mapping';
import { writeRecords } from '../../nodes/shared/domain/crm/service';
import { RecordRejectedError } from '../../nodes/shared/domain/crm/store';
import { upsertMany } from '../../nodes/shared/domain/crm/upsert';
import { storeContract, lead } from './store-contract';
/* eslint-disable @typescript-eslint/no-require-imports */
const { fetchSend } = require('../vendors/fetch-send') as typeof import('../vendors/fetch-send');
const { HubSpotServer } = require('../vendors/hubspot/server') as typeof import('../vendors/hubspot/server');

jest.setTimeout(60_000);

const TOKEN = 'pat-na1-store';
const server = new HubSpotServer({ token: TOKEN });
const storeOf = (fieldMap: FieldMap = {}, createProperties = true) => new HubSpotStore({ api: new HubSpotApi({ baseUrl: server.baseUrl, accessToken: TOKEN, send: fetchSend }), fieldMap, createProperties });
const rule = { kind: 'rule' as const, name: 'Lead Normalizer' };
const property = (type: string, name: string) => (server.properties as Map<string, Map<string, Record<string, unknown>>>).get(type)?.get(name);
const labelsOf = (pair: string) => (server.labels as Map<string, Array<{ label: string }>>).get(pair) ?? [];
const props = (type: string) => [...server.objects(type).values()].map((r) => r.properties);

beforeAll(() => server.start());
afterAll(() => server.stop());

describe('CRM store contract: HubSpot', () => {
	beforeAll(() => {
		server.tenSecondlyMax = 1000;
		// The contract's deals move through stages named as a company names them: a pipeline with those ids.
		server.addPipeline('deals', 'Contract pipeline', [{ id: 'Discovery', label: 'Discovery' }, { id: 'Proposal Sent', label: 'Proposal Sent' }]);
	});
	storeContract(async () => storeOf());
});

describe('HubSpot backend', () => {
	// A fresh portal each test: its first property check creates some 240 properties, more than HubSpot's
	// ten-second window allows (that pacing is tested in hubspot-api.test.ts).
	beforeEach(() => {
		server.reset();
		server.tenSecondlyMax = 1000;
	});

	it('creates the properties the model lacks once, in a RevOps group, and then finds none missing', async () => {
		const store = storeOf();
		expect((await missingProperties(new HubSpotApi({ baseUrl: server.baseUrl, accessToken: TOKEN, send: fetchSend }))).length).toBeGreaterThan(100);
		await store.ensureSchema();
		const created = server.log.filter((l: { method: string; path: string; status: number }) => l.method === 'POST' && /^\/crm\/v3\/properties\/[a-z]+$/.test(l.path) && l.status === 201);
		expect(created.length).toBeGreaterThan(100);
		expect(property('contacts', 'revops_lead_version')).toMatchObject({ hasUniqueValue: true, groupName: 'revops' });
		expect(property('companies', 'revops_icp_fit_score')).toMatchObject({ type: 'number' });
		expect(property('deals', 'revops_closed_at')).toMatchObject({ type: 'datetime' });
		expect(property('contacts', 'revops_existing_customer')).toMatchObject({ type: 'enumeration', fieldType: 'booleancheckbox' });
		expect(await missingProperties(new HubSpotApi({ baseUrl: server.baseUrl, accessToken: TOKEN, send: fetchSend }))).toEqual([]);
	});

	it('names what is missing instead of creating it when creating is off, and a mapped property HubSpot lacks in any case', async () => {
		await expect(storeOf({}, false).ensureSchema()).rejects.toThrow(/HubSpot lacks \d+ properties the canonical model needs \(companies \d+, contacts \d+, deals \d+, .*tickets \d+\)/);
		expect(property('contacts', 'revops_lead_key')).toBeUndefined();
		const typo = storeOf({ opportunity: { amount: 'amout' } });
		await expect(typo.ensureSchema()).rejects.toMatchObject({ message: expect.stringContaining('deals.amout (for opportunity.amount)'), fix: expect.stringContaining('fieldMap') });
	});

	it('writes canonical fields to HubSpot\'s own properties where it has them, and reads the types back', async () => {
		const store = storeOf();
		await store.ensureSchema();
		const [deal] = await upsertMany(store, [{ object: 'opportunity', key: 'OPP-1', fields: { externalId: 'OPP-1', name: 'Acme expansion', amount: 48000, crmStage: 'contractsent', closeDate: '2027-01-31T00:00:00.000Z', meddiccEconomicBuyerEvidence: ['"I sign off on this" (call 3)'] }, writer: rule }]);
		expect(deal.action).toBe('created');
		const [stored] = props('deals');
		expect(stored).toMatchObject({ dealname: 'Acme expansion', amount: '48000', dealstage: 'contractsent', closedate: '2027-01-31T00:00:00.000Z', revops_opportunity_key: 'OPP-1', revops_opportunity_version: 'OPP-1@1' });
		expect(JSON.parse(stored.revops_meddicc_economic_buyer_evidence)).toEqual(['"I sign off on this" (call 3)']);
		const [read] = await store.findByKeys('opportunity', ['OPP-1']);
		expect(read.fields).toMatchObject({ amount: 48000, name: 'Acme expansion', meddiccEconomicBuyerEvidence: ['"I sign off on this" (call 3)'] });
		expect(read.id).toBe([...server.objects('deals').keys()][0]);
		// Dates are searched as HubSpot compares them (epoch milliseconds), numbers as numbers.
		expect((await store.search('opportunity', [{ field: 'closeDate', op: 'gte', value: '2027-01-01' }], 10)).map((r) => r.key)).toEqual(['OPP-1']);
		expect(await store.search('opportunity', [{ field: 'closeDate', op: 'lt', value: '2027-01-31T00:00:00Z' }], 10)).toEqual([]);
		expect((await store.search('opportunity', [{ field: 'amount', op: 'gt', value: 9999 }], 10)).map((r) => r.key)).toEqual(['OPP-1']);
	});

	it('checks the company\'s stage map against the portal\'s deal pipelines: labels used as ids, unknown names and unmapped stages named', async () => {
		const check = await storeOf().checkStages({ appointmentscheduled: 'pipeline_generation', QualifiedToBuy: 'pipeline_progression', 'Closed Won': 'close_onboard', Demo: 'pipeline_progression' });
		expect(check.unknown).toEqual(['Closed Won: a stage label; its id is closedwon (use the id as the stageMap key)', 'Demo: no stage of any deal pipeline has this id']);
		expect(check.unmapped).toEqual(expect.arrayContaining(['Closed Won (closedwon) in Sales Pipeline', 'Contract Sent (contractsent) in Sales Pipeline']));
		expect(check.unmapped).not.toContain('Qualified To Buy (qualifiedtobuy) in Sales Pipeline');
		expect(check.pipelines[0].stages.find((st) => st.id === 'appointmentscheduled')).toMatchObject({ canon: 'pipeline_generation' });
		// A deal written with a stage HubSpot lacks is that deal's error, as HubSpot refuses it.
		const store = storeOf();
		await store.ensureSchema();
		const [out] = await writeRecords(store, 'opportunity', [{ fields: { externalId: 'OPP-BAD', name: 'Bad stage', crmStage: 'Demo' }, settings: { writer: rule } }]);
		expect((out as Error).message).toMatch(/Demo was not one of the allowed options/);
	});

	it('adopts the contact a rep made in HubSpot: one contact, the rep\'s fields kept, revisions from then on', async () => {
		const store = storeOf();
		await store.ensureSchema();
		const api = new HubSpotApi({ baseUrl: server.baseUrl, accessToken: TOKEN, send: fetchSend });
		const made = await api.call('POST', '/crm/v3/objects/contacts', { properties: { email: 'Dana@Acme.example', firstname: 'Dana', jobtitle: 'CFO' } });
		const [out] = await upsertMany(store, [{ object: 'contact', key: 'dana@acme.example', fields: { email: 'dana@acme.example', jobTitle: 'Chief Financial Officer', dealRole: 'Economic Buyer' }, writer: rule }]);
		expect(out.action).toBe('updated');
		expect(out.record).toMatchObject({ id: (made.body as { id: string }).id, revision: 2, fields: { firstName: 'Dana', jobTitle: 'Chief Financial Officer', dealRole: 'Economic Buyer' } });
		expect(server.objects('contacts').size).toBe(1);
	});

	it('makes the lead of an e-mail HubSpot already has that contact, not a second one', async () => {
		const store = storeOf();
		await store.ensureSchema();
		await upsertMany(store, [{ object: 'contact', key: 'sam@nordwind.example', fields: { email: 'sam@nordwind.example', firstName: 'Sam' }, writer: rule }]);
		const [out] = await upsertMany(store, [lead('email:sam@nordwind.example', { email: 'sam@nordwind.example', message: 'Pricing for 40 seats?', status: 'new' })]);
		expect(out.action).toBe('updated');
		expect(server.objects('contacts').size).toBe(1);
		const [contact] = props('contacts');
		expect(contact).toMatchObject({ firstname: 'Sam', revops_message: 'Pricing for 40 seats?', revops_lead_key: 'email:sam@nordwind.example', revops_contact_version: 'sam@nordwind.example@1' });
		// The contact's own revision is its own: a contact write after the lead's is not a conflict.
		const [again] = await upsertMany(store, [{ object: 'contact', key: 'sam@nordwind.example', fields: { email: 'sam@nordwind.example', lastName: 'Berg' }, writer: rule }]);
		expect(again).toMatchObject({ action: 'updated', attempts: 1 });
	});

	it('finds a company HubSpot had by its domain and adopts it as the account', async () => {
		const store = storeOf();
		await store.ensureSchema();
		const api = new HubSpotApi({ baseUrl: server.baseUrl, accessToken: TOKEN, send: fetchSend });
		await api.call('POST', '/crm/v3/objects/companies', { properties: { domain: 'globex.example', name: 'Globex', industry: 'RETAIL' } });
		const [out] = await upsertMany(store, [{ object: 'account', key: 'globex.example', fields: { domain: 'globex.example', tier: 'T1' }, writer: rule }]);
		expect(out.action).toBe('updated');
		expect(server.objects('companies').size).toBe(1);
		expect(props('companies')[0]).toMatchObject({ name: 'Globex', revops_tier: 'T1', revops_account_key: 'globex.example' });
	});

	it('adopts a rep\'s deal named by its HubSpot id: the stage moves on that deal, no copy is made', async () => {
		const store = storeOf();
		await store.ensureSchema();
		server.addPipeline('deals', 'Sales', [{ id: 'appointmentscheduled', label: 'Appointment scheduled' }, { id: 'contractsent', label: 'Contract sent' }]);
		const api = new HubSpotApi({ baseUrl: server.baseUrl, accessToken: TOKEN, send: fetchSend });
		const made = (await api.call('POST', '/crm/v3/objects/deals', { properties: { dealname: 'Initech rollout', dealstage: 'appointmentscheduled', amount: '48000' } })).body as { id: string };
		const [out] = await upsertMany(store, [{ object: 'opportunity', key: made.id, fields: { crmStage: 'contractsent' }, writer: rule }]);
		expect(out.action).toBe('updated');
		expect(server.objects('deals').size).toBe(1);
		expect(props('deals')[0]).toMatchObject({ dealname: 'Initech rollout', amount: '48000', dealstage: 'contractsent', revops_opportunity_key: made.id });
		// A key that is no deal's id is a new deal as before.
		const [fresh] = await upsertMany(store, [{ object: 'opportunity', key: '999999', fields: { name: 'New deal', crmStage: 'appointmentscheduled' }, writer: rule }]);
		expect(fresh.action).toBe('created');
		// A new deal goes in the pipeline of its stage: HubSpot refuses a stage of another pipeline.
		const renewals = server.addPipeline('deals', 'Renewals', [{ id: 'renewal-open', label: 'Open' }]);
		const [renewal] = await upsertMany(storeOf(), [{ object: 'opportunity', key: 'renewal-1', fields: { name: 'Renewal', crmStage: 'renewal-open' }, writer: rule }]);
		expect(renewal.action).toBe('created');
		expect(props('deals').find((p) => p.revops_opportunity_key === 'renewal-1')).toMatchObject({ pipeline: renewals.id, dealstage: 'renewal-open' });
	});

	it('writes the records of a batch HubSpot accepts and gives the one it refuses its own error', async () => {
		const store = storeOf({ account: { industry: 'industry' } });
		await store.ensureSchema();
		const inputs = ['a1', 'a2', 'a3', 'a4'].map((name, i) => ({ fields: { domain: `${name}.example`, name, industry: i === 2 ? 'Software' : 'COMPUTER_SOFTWARE' }, settings: { writer: rule } }));
		const results = await writeRecords(store, 'account', inputs);
		expect(results.map((r) => (r instanceof Error ? 'error' : r.outcome.action))).toEqual(['created', 'created', 'error', 'created']);
		expect(results[2]).toBeInstanceOf(RecordRejectedError);
		expect((results[2] as Error).message).toMatch(/a3\.example.*Software was not one of the allowed options/);
		expect(props('companies').map((p) => p.domain).sort()).toEqual(['a1.example', 'a2.example', 'a4.example']);
		// The same for an update: one refused, the others written.
		const again = await writeRecords(store, 'account', ['a1', 'a2', 'a4'].map((name, i) => ({ fields: { domain: `${name}.example`, industry: i === 1 ? 'Retail' : 'RETAIL' }, settings: { writer: rule } })));
		expect(again.map((r) => (r instanceof Error ? 'error' : r.outcome.action))).toEqual(['updated', 'error', 'updated']);
		expect(props('companies').map((p) => `${p.domain}=${p.industry}`).sort()).toEqual(['a1.example=RETAIL', 'a2.example=COMPUTER_SOFTWARE', 'a4.example=RETAIL']);
	});

	it('keeps a record\'s history within HubSpot\'s property limit, newest changes kept', async () => {
		const store = storeOf();
		await store.ensureSchema();
		for (let i = 0; i < 40; i++) {
			await upsertMany(store, [{ object: 'account', key: 'busy.example', fields: { domain: 'busy.example', nextAction: `Step ${i}: ${'call the buyer and confirm the budget. '.repeat(60)}` }, writer: rule }]);
		}
		const [stored] = props('companies');
		expect(stored.revops_account_history.length).toBeLessThanOrEqual(60_000);
		const [record] = await store.findByKeys('account', ['busy.example']);
		const history = await store.history('account', record.id, 1000);
		expect(history.length).toBeLessThan(41);
		expect(history.at(-1)).toMatchObject({ field: 'nextAction', writer: 'rule:Lead Normalizer', after: expect.stringMatching(/^Step 39:/) });
		expect(record.revision).toBe(40);
	});

	it('writes a batch of leads in one read and one create call per 100, and their activities by type', async () => {
		const store = storeOf();
		await store.ensureSchema();
		const before = store.calls;
		const inputs = Array.from({ length: 150 }, (_, i) => ({ fields: { dedupeKey: `email:p${i}@bulk.example`, email: `p${i}@bulk.example`, leadSource: 'webinar', lastTouchAt: '2026-12-01T10:00:00.000Z' }, settings: { writer: rule, repeatCounts: true } }));
		const results = await writeRecords(store, 'lead', inputs, { matchAccounts: false });
		expect(results.every((r) => !(r instanceof Error) && r.outcome.action === 'created' && r.activity?.action === 'created')).toBe(true);
		// Leads: 2 reads + 2 creates; their submissions (notes): 2 reads on each of the 4 engagement types + 2 creates.
		expect(store.calls - before).toBe(2 + 2 + 8 + 2);
		expect(server.objects('notes').size).toBe(150);
		expect(props('notes')[0]).toMatchObject({ revops_type: 'form_submission', hs_timestamp: '2026-12-01T10:00:00.000Z' });
	});

	it('links a deal contact with its role as an association label, made in the portal once; a plain link and an engagement\'s stay default', async () => {
		const store = storeOf();
		await store.ensureSchema();
		const [deal] = await upsertMany(store, [{ object: 'opportunity', key: 'deal-l', fields: { externalId: 'deal-l', name: 'Labeled deal', crmStage: 'appointmentscheduled' }, writer: rule }]);
		const [eb, champ] = await upsertMany(store, [
			{ object: 'contact', key: 'eb@labels.example', fields: { email: 'eb@labels.example' }, writer: rule },
			{ object: 'contact', key: 'ch@labels.example', fields: { email: 'ch@labels.example' }, writer: rule },
		]);
		const [note] = await upsertMany(store, [{ object: 'activity', key: 'n-l', fields: { externalId: 'n-l', type: 'note', summary: 'Pricing' }, writer: rule }]);
		const link = (contact: typeof eb, label: string) => ({ from: { object: 'contact' as const, id: contact.record!.id }, to: { object: 'opportunity' as const, id: deal.record!.id }, label });
		expect(await store.associate([link(eb, 'Economic Buyer'), link(champ, 'Champion'), link(eb, 'Economic Buyer')])).toBe(2);
		expect(server.linkLabels('contacts', eb.record!.id, 'deals', deal.record!.id)).toEqual(['Economic Buyer']);
		expect(server.linkLabels('deals', deal.record!.id, 'contacts', champ.record!.id)).toEqual(['Champion']);
		// A second role for the same contact is added beside the first; nothing is made twice.
		expect(await store.associate([link(eb, 'economic buyer'), link(eb, 'Coach')])).toBe(1);
		expect(server.linkLabels('contacts', eb.record!.id, 'deals', deal.record!.id).sort()).toEqual(['Coach', 'Economic Buyer']);
		expect(labelsOf('contacts/deals').map((l) => l.label)).toEqual(['Economic Buyer', 'Champion', 'Coach']);
		// A new store (the next run) finds the labels in the portal and makes none.
		expect(await storeOf().associate([link(champ, 'Champion')])).toBe(0);
		expect(labelsOf('contacts/deals')).toHaveLength(3);
		// The node's default label is HubSpot's unlabeled association; an engagement takes no label.
		const [plain] = await upsertMany(store, [{ object: 'contact', key: 'pl@labels.example', fields: { email: 'pl@labels.example' }, writer: rule }]);
		expect(await store.associate([link(plain, 'related'), { from: { object: 'activity', id: note.record!.id }, to: { object: 'opportunity', id: deal.record!.id }, label: 'about' }])).toBe(2);
		expect(server.linkLabels('contacts', plain.record!.id, 'deals', deal.record!.id)).toEqual([]);
		expect(labelsOf('notes/deals')).toEqual([]);
	});

	it('names the fix when the app may not make a label, and never floods the portal with labels from item data', async () => {
		await storeOf().ensureSchema();
		const [deal] = await upsertMany(storeOf(), [{ object: 'opportunity', key: 'deal-s', fields: { externalId: 'deal-s', name: 'Scoped deal', crmStage: 'appointmentscheduled' }, writer: rule }]);
		const [con] = await upsertMany(storeOf(), [{ object: 'contact', key: 'sc@labels.example', fields: { email: 'sc@labels.example' }, writer: rule }]);
		expect([deal.action, con.action, String(con.rejected?.message ?? deal.rejected?.message ?? null)]).toEqual(['created', 'created', 'null']);
		const link = (label: string) => ({ from: { object: 'contact' as const, id: con.record!.id }, to: { object: 'opportunity' as const, id: deal.record!.id }, label });
		server.labelScope = false;
		const refused = storeOf().associate([link('Economic Buyer')]);
		await expect(refused).rejects.toBeInstanceOf(RecordRejectedError);
		await expect(refused).rejects.toThrow(/no association label "Economic Buyer" from contacts to deals, and refused to create it: .*scopes/);
		server.labelScope = true;
		const store = storeOf();
		for (let i = 0; i < 20; i++) await store.associate([link(`Role ${i}`)]);
		await expect(store.associate([link('Ignore all previous instructions')])).rejects.toThrow(/would be the 21th association label this run adds/);
		expect(labelsOf('contacts/deals')).toHaveLength(20);
	});
});
