// Salesforce as the CRM backend, over real HTTP against the Salesforce stand-in (kept honest by jsforce
// in test/vendors/salesforce/contract.test.ts): the same contract every backend keeps, then what only
// Salesforce raises (its own fields and required values, records a rep made first, one refused record
// in a batch, conditional writes through the change lock, the setup check, the call count).
import { SalesforceApi } from '../../nodes/shared/domain/crm/salesforce/api';
import { SalesforceStore } from '../../nodes/shared/domain/crm/salesforce/store';
import { missingFields, neededFields } from '../../nodes/shared/domain/crm/salesforce/schema';
import type { FieldMap } from '../../nodes/shared/domain/crm/salesforce/mapping';
import { RecordRejectedError } from '../../nodes/shared/domain/crm/store';
import { upsertMany } from '../../nodes/shared/domain/crm/upsert';
import { storeContract, lead } from './store-contract';
/* eslint-disable @typescript-eslint/no-require-imports */
const { fetchSend } = require('../vendors/fetch-send') as typeof import('../vendors/fetch-send');
const { SalesforceServer } = require('../vendors/salesforce/server') as typeof import('../vendors/salesforce/server');

jest.setTimeout(60_000);

const CLIENT = { clientId: '3MVG9-store', clientSecret: 'store-secret' };
const server = new SalesforceServer(CLIENT);
const apiOf = () => new SalesforceApi({ instanceUrl: server.baseUrl!, auth: { flow: 'clientCredentials', ...CLIENT }, send: fetchSend });
const storeOf = (fieldMap: FieldMap = {}) => new SalesforceStore({ api: apiOf(), fieldMap });
const rule = { kind: 'rule' as const, name: 'Lead Normalizer' };
const rows = (type: string) => [...server.records(type).values()] as Array<Record<string, unknown>>;

beforeAll(() => server.start());
afterAll(() => server.stop());

describe('CRM store contract: Salesforce', () => {
	beforeAll(() => {
		server.provision(neededFields());
		server.addField('Opportunity', 'StageName', { type: 'picklist', restricted: true, values: ['Discovery', 'Proposal Sent'] });
	});
	// The contract's opportunities carry a stage but no close date: the org's default close date is the store's business only when given.
	storeContract(async () => {
		const store = storeOf();
		const insert = store.insert.bind(store);
		store.insert = async (records, history) => await insert(records.map((r) => (r.object === 'opportunity' ? { ...r, fields: { closeDate: '2026-12-31', crmStage: 'Discovery', ...r.fields } } : r)), history);
		return store;
	});
});

describe('Salesforce backend', () => {
	beforeEach(() => {
		server.reset();
		server.provision(neededFields());
	});

	it('names every field and object the org lacks, with the type to create, and none once an admin made them', async () => {
		server.reset();
		const missing = await missingFields(apiOf());
		expect(missing).toEqual(expect.arrayContaining([
			expect.objectContaining({ object: 'RevOps_Change__c', field: '*' }),
			expect.objectContaining({ object: 'Lead', field: 'RevOps_Key__c', definition: 'Text(255), External ID, Unique (case sensitive)' }),
			expect.objectContaining({ object: 'Account', field: 'RevOps_Icp_Fit_Score__c', definition: 'Number(18, 4)' }),
			expect.objectContaining({ object: 'Lead', field: 'RevOps_Status__c', definition: 'Text(255)' }),
		]));
		await expect(storeOf().ensureSchema()).rejects.toThrow(/Salesforce lacks \d+ fields the canonical model needs \(Account \d+, Contact \d+, Lead \d+/);
		server.provision(neededFields());
		expect(await missingFields(apiOf())).toEqual([]);
		await expect(storeOf({ account: { industry: 'Industry_Segment__c' } }).ensureSchema()).rejects.toThrow(/no Account.Industry_Segment__c \(field\) that the company config names/);
	});

	it('writes canonical fields to Salesforce\'s own fields, fills required names it lacks with [not provided], and reads them back', async () => {
		const store = storeOf();
		const [out] = await upsertMany(store, [lead('ana@acme.example', { email: 'ana@acme.example', company: 'Acme', status: 'new', employeeCount: 250 })]);
		expect(out.action).toBe('created');
		const [row] = rows('Lead');
		expect(row).toMatchObject({ Email: 'ana@acme.example', Company: 'Acme', LastName: '[not provided]', RevOps_Status__c: 'new', RevOps_Key__c: 'ana@acme.example', RevOps_Revision__c: 1 });
		const [again] = await store.findByKeys('lead', ['ana@acme.example']);
		expect(again).toMatchObject({ id: row.Id, revision: 1, fields: { email: 'ana@acme.example', company: 'Acme', status: 'new' } });
	});

	it('refuses one bad record of a batch with Salesforce\'s words and writes the rest, in one call per 200 records', async () => {
		const store = storeOf();
		const before = store.calls;
		const batch = Array.from({ length: 200 }, (_, i) => lead(`lead-${i}`, { email: i === 57 ? 'not an address' : `p${i}@acme.example` }));
		const out = await upsertMany(store, batch);
		expect(out.filter((o) => o.action === 'created')).toHaveLength(199);
		expect(out[57].action).toBe('rejected');
		expect(String(out[57].rejected?.message)).toMatch(/INVALID_EMAIL_ADDRESS/);
		expect(rows('Lead')).toHaveLength(199);
		expect(rows('RevOps_Change__c')).toHaveLength(199);
		// A sign-in, one read, one graph call, and one more for the records rolled back with the bad one.
		expect(store.calls - before).toBeLessThanOrEqual(4);
	});

	it('refuses a new opportunity without the stage or close date Salesforce requires instead of inventing them', async () => {
		const store = storeOf();
		const out = await store.insert([{ id: 'x', object: 'opportunity', key: 'deal-1', aliases: [], fields: { name: 'Acme renewal', crmStage: 'Prospecting' }, validated: [], revision: 1, duplicates: 0, writeKeys: [], createdAt: '', updatedAt: '' }], [[]]);
		expect(out[0]).toBeInstanceOf(RecordRejectedError);
		expect(String((out[0] as Error).message)).toMatch(/close date \(CloseDate\)/);
		expect(rows('Opportunity')).toHaveLength(0);
	});

	it('adopts the lead a rep created with the same e-mail, and the account whose website is the domain', async () => {
		server.records('Lead').set('00Q5g0000REP0001AAA', { Id: '00Q5g0000REP0001AAA', LastName: 'Lima', Company: 'Acme', Email: 'Ana@Acme.example', CreatedDate: '2026-01-01T00:00:00.000+0000', LastModifiedDate: '2026-01-01T00:00:00.000+0000' });
		server.records('Account').set('0015g0000REP0001AAA', { Id: '0015g0000REP0001AAA', Name: 'Acme Corp', Website: 'https://www.acme.example/', CreatedDate: '2026-01-01T00:00:00.000+0000', LastModifiedDate: '2026-01-01T00:00:00.000+0000' });
		const store = storeOf();
		const [l] = await upsertMany(store, [lead('ana@acme.example', { email: 'ana@acme.example', status: 'working' })]);
		const [a] = await upsertMany(store, [{ object: 'account', key: 'acme.example', fields: { domain: 'acme.example', employeeCount: 80 }, writer: rule }]);
		expect([l.action, a.action]).toEqual(['updated', 'updated']);
		expect(rows('Lead')).toHaveLength(1);
		expect(rows('Lead')[0]).toMatchObject({ LastName: 'Lima', RevOps_Key__c: 'ana@acme.example', RevOps_Status__c: 'working', RevOps_Revision__c: 2 });
		expect(rows('Account')).toHaveLength(1);
		expect(rows('Account')[0]).toMatchObject({ Name: 'Acme Corp', NumberOfEmployees: 80, RevOps_Key__c: 'acme.example' });
	});

	it('adopts a rep\'s opportunity named by its Salesforce id, keeping what Salesforce requires', async () => {
		server.records('Opportunity').set('0065g000000REP1AAA', { Id: '0065g000000REP1AAA', Name: 'Globex renewal', StageName: 'Prospecting', CloseDate: '2026-12-31', CreatedDate: '2026-01-01T00:00:00.000+0000', LastModifiedDate: '2026-01-01T00:00:00.000+0000' });
		const store = storeOf();
		const [out] = await upsertMany(store, [{ object: 'opportunity', key: '0065g000000REP1', fields: { crmStage: 'Negotiation/Review' }, writer: rule }]);
		expect(out.action).toBe('updated');
		expect(rows('Opportunity')).toHaveLength(1);
		expect(rows('Opportunity')[0]).toMatchObject({ Name: 'Globex renewal', StageName: 'Negotiation/Review', CloseDate: '2026-12-31', RevOps_Key__c: '0065g000000REP1', RevOps_Revision__c: 2 });
	});

	it('lets only one of two writers of the same revision through; the other re-reads and merges', async () => {
		const store = storeOf();
		const [created] = await upsertMany(store, [lead('race', { status: 'new' })]);
		const record = created.record!;
		const [a, b] = await Promise.all([
			store.update([{ record: { ...record, revision: 2, fields: { ...record.fields, phone: '+1' } }, expectedRevision: 1 }], [[]]),
			store.update([{ record: { ...record, revision: 2, fields: { ...record.fields, owner: 'sam' } }, expectedRevision: 1 }], [[]]),
		]);
		expect([a[0], b[0]].filter((x) => x === null)).toHaveLength(1);
		const [now] = await store.findByKeys('lead', ['race']);
		expect(now.revision).toBe(2);
		expect(rows('RevOps_Change__c').filter((c) => String(c.RevOps_Write_Key__c).endsWith('@2'))).toHaveLength(1);
	});

	it('links a contact to its account and an activity to its lead by their lookup fields, once', async () => {
		const store = storeOf();
		const [acc] = await upsertMany(store, [{ object: 'account', key: 'globex.example', fields: { domain: 'globex.example' }, writer: rule }]);
		const [con] = await upsertMany(store, [{ object: 'contact', key: 'li@globex.example', fields: { email: 'li@globex.example' }, writer: rule }]);
		const [led] = await upsertMany(store, [lead('li-lead', { email: 'li@globex.example' })]);
		const [act] = await upsertMany(store, [{ object: 'activity', key: 'act-1', fields: { externalId: 'act-1', type: 'call', summary: 'Intro call' }, writer: rule }]);
		const links = [
			{ from: { object: 'contact' as const, id: con.record!.id }, to: { object: 'account' as const, id: acc.record!.id }, label: 'works_at' },
			{ from: { object: 'activity' as const, id: act.record!.id }, to: { object: 'lead' as const, id: led.record!.id }, label: 'about' },
		];
		expect(await store.associate(links)).toBe(2);
		expect(await store.associate(links)).toBe(0);
		expect(rows('Contact')[0].AccountId).toBe(acc.record!.id);
		expect(rows('Task')[0]).toMatchObject({ WhoId: led.record!.id, Subject: 'Call', Description: 'Intro call', Status: 'Completed' });
		// A task logged with its deal's and contact's keys is put on them when written (WhatId, WhoId).
		const [deal] = await upsertMany(store, [{ object: 'opportunity', key: 'deal-9', fields: { externalId: 'deal-9', crmStage: 'Prospecting', closeDate: '2026-12-31' }, writer: rule }]);
		const [note] = await upsertMany(store, [{ object: 'activity', key: 'act-2', fields: { externalId: 'act-2', type: 'note', summary: 'Pricing sent', opportunityId: 'deal-9', contactEmail: 'LI@globex.example' }, writer: rule }]);
		expect(rows('Task').find((t) => t.Id === note.record!.id)).toMatchObject({ WhatId: deal.record!.id, WhoId: con.record!.id, Subject: 'Note' });
		await expect(store.associate([{ from: { object: 'lead', id: led.record!.id }, to: { object: 'opportunity', id: acc.record!.id }, label: 'x' }])).rejects.toThrow(/no lookup that links a lead to a opportunity/);
		// A contact's part in a deal is an OpportunityContactRole with the link's label as its Role, once per role.
		const role = { from: { object: 'contact' as const, id: con.record!.id }, to: { object: 'opportunity' as const, id: deal.record!.id }, label: 'Economic Buyer' };
		expect(await store.associate([role, role])).toBe(1);
		expect(await store.associate([role, { ...role, label: 'Champion' }])).toBe(1);
		expect(rows('OpportunityContactRole').map((r) => [r.ContactId, r.OpportunityId, r.Role])).toEqual([[con.record!.id, deal.record!.id, 'Economic Buyer'], [con.record!.id, deal.record!.id, 'Champion']]);
	});

	it('writes a lead\'s status to Salesforce\'s own Status picklist through the company\'s value map, with its record type, and reads the canon back', async () => {
		const partner = server.addRecordType('Lead', 'Partner lead');
		const picklists = { lead: { status: { new: 'Open - Not Contacted', working: 'Working - Contacted' } } };
		const store = new SalesforceStore({ api: apiOf(), fieldMap: { lead: { status: 'Status' } }, picklists, recordTypes: { lead: partner } });
		await store.ensureSchema();
		const [created] = await upsertMany(store, [lead('pat@partner.example', { email: 'pat@partner.example', status: 'new' })]);
		expect(rows('Lead')[0]).toMatchObject({ Status: 'Open - Not Contacted', RecordTypeId: partner });
		expect(rows('Lead')[0].RevOps_Status__c).toBeUndefined();
		const [moved] = await upsertMany(store, [lead('pat@partner.example', { status: 'working' }, { repeatCounts: false })]);
		expect(moved.record!.fields.status).toBe('working');
		expect(rows('Lead')[0].Status).toBe('Working - Contacted');
		const [read] = await store.findByKeys('lead', ['pat@partner.example']);
		expect(read.fields.status).toBe('working');
		expect(created.action).toBe('created');
		// A canonical value without a mapping reaches Salesforce as it is and is refused with its words.
		const [unmapped] = await upsertMany(store, [lead('sam@partner.example', { email: 'sam@partner.example', status: 'nurture' })]);
		expect(unmapped.action).toBe('rejected');
		expect(unmapped.rejected!.message).toMatch(/INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST.*nurture/);
	});

	it('names a picklist value or record type the config names and the org lacks', async () => {
		const store = new SalesforceStore({ api: apiOf(), fieldMap: { lead: { status: 'Status' } }, picklists: { lead: { status: { qualified: 'Qualified' } } }, recordTypes: { opportunity: '0125g0000099999AAA' } });
		expect(await store.missingFields()).toEqual([
			expect.objectContaining({ object: 'Lead', field: 'Status', definition: 'an active picklist value "Qualified"', holds: 'lead.status "qualified" (crm.picklists)', mapped: true }),
			expect.objectContaining({ object: 'Opportunity', field: 'RecordTypeId', definition: 'an active record type 0125g0000099999AAA', mapped: true }),
		]);
		await expect(store.ensureSchema()).rejects.toThrow(/Salesforce has no Lead\.Status \(an active picklist value "Qualified"\), Opportunity\.RecordTypeId/);
	});

	it('writes a meeting with its start and length as a calendar Event on its deal and contact, and reads it back as the meeting', async () => {
		const store = storeOf();
		const [con] = await upsertMany(store, [{ object: 'contact', key: 'kim@initech.example', fields: { email: 'kim@initech.example' }, writer: rule }]);
		const [deal] = await upsertMany(store, [{ object: 'opportunity', key: 'deal-m', fields: { externalId: 'deal-m', crmStage: 'Prospecting', closeDate: '2026-12-31' }, writer: rule }]);
		const before = store.calls;
		const [meeting] = await upsertMany(store, [{ object: 'activity', key: 'mtg-1', fields: { externalId: 'mtg-1', type: 'meeting', occurredAt: '2026-12-08T15:00:00+01:00', durationMinutes: 45.4, summary: 'Demo for the ops team', opportunityId: 'deal-m', contactEmail: 'kim@initech.example' }, writer: rule }]);
		expect(meeting.action).toBe('created');
		expect(meeting.record!.id).toMatch(/^00U/);
		expect(rows('Task')).toHaveLength(0);
		const [event] = rows('Event');
		// Salesforce's own start and length (a whole number of minutes); no Task status on an Event.
		expect(event).toMatchObject({ Subject: 'Meeting', Description: 'Demo for the ops team', StartDateTime: '2026-12-08T14:00:00.000+0000', DurationInMinutes: 45, EndDateTime: '2026-12-08T14:45:00.000+0000', WhatId: deal.record!.id, WhoId: con.record!.id, RevOps_Key__c: 'mtg-1', RevOps_Type__c: 'meeting' });
		expect(event.Status).toBeUndefined();
		expect(event.RevOps_Occurred_At__c).toBeUndefined();
		// Looked up among Tasks and Events: one call each for the key, plus the links and the write.
		expect(store.calls - before).toBeLessThanOrEqual(8);
		const [read] = await store.findByKeys('activity', ['mtg-1']);
		expect(read).toMatchObject({ id: event.Id, revision: 1, fields: { type: 'meeting', occurredAt: '2026-12-08T14:00:00.000Z', durationMinutes: 45, summary: 'Demo for the ops team' } });
		// An update goes to the Event, and a rep moving it in the calendar moves the meeting.
		const [again] = await upsertMany(store, [{ object: 'activity', key: 'mtg-1', fields: { nextStep: 'Send the proposal' }, writer: rule }]);
		expect(again.action).toBe('updated');
		expect(rows('Event')[0]).toMatchObject({ RevOps_Next_Step__c: 'Send the proposal', RevOps_Revision__c: 2, DurationInMinutes: 45 });
		server.humanEdit('Event', event.Id, { StartDateTime: '2026-12-09T09:30:00.000+0000' });
		const [moved] = await store.findByKeys('activity', ['mtg-1']);
		expect(moved.fields.occurredAt).toBe('2026-12-09T09:30:00.000Z');
		expect(rows('Event')[0].EndDateTime).toBe('2026-12-09T10:15:00.000+0000');
		expect(await store.history('activity', event.Id as string, 10)).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'nextStep', after: 'Send the proposal' })]));
	});

	it('logs a meeting without a known start or length as a Task instead of inventing the time an Event needs', async () => {
		const store = storeOf();
		const out = await upsertMany(store, [
			{ object: 'activity', key: 'mtg-no-length', fields: { externalId: 'mtg-no-length', type: 'meeting', occurredAt: '2026-12-08T15:00:00Z', summary: 'Met at the booth' }, writer: rule },
			{ object: 'activity', key: 'mtg-no-start', fields: { externalId: 'mtg-no-start', type: 'meeting', durationMinutes: 30 }, writer: rule },
			{ object: 'activity', key: 'mtg-too-long', fields: { externalId: 'mtg-too-long', type: 'meeting', occurredAt: '2026-12-08T15:00:00Z', durationMinutes: 15 * 24 * 60 }, writer: rule },
			{ object: 'activity', key: 'call-timed', fields: { externalId: 'call-timed', type: 'call', occurredAt: '2026-12-08T15:00:00Z', durationMinutes: 20 }, writer: rule },
		]);
		expect(out.map((o) => o.action)).toEqual(['created', 'created', 'created', 'created']);
		expect(out.map((o) => o.record!.id.slice(0, 3))).toEqual(['00T', '00T', '00T', '00T']);
		expect(rows('Event')).toHaveLength(0);
		const task = rows('Task').find((t) => t.RevOps_Key__c === 'mtg-no-length');
		expect(task).toMatchObject({ Subject: 'Meeting', Status: 'Completed', RevOps_Type__c: 'meeting' });
		expect(task).not.toHaveProperty('RevOps_Duration_Minutes__c');
		const [read] = await store.findByKeys('activity', ['mtg-no-length']);
		expect(read.fields).toMatchObject({ type: 'meeting', occurredAt: '2026-12-08T15:00:00.000Z' });
		expect(read.fields.durationMinutes).toBeUndefined();
	});

	it('adopts a rep\'s calendar Event named by its Salesforce id, as a meeting with the Event\'s own time', async () => {
		const rep = '00U5g000000REP1AAA';
		server.records('Event').set(rep, { Id: rep, Subject: 'QBR with Globex', StartDateTime: '2026-11-30T16:00:00.000+0000', ActivityDateTime: '2026-11-30T16:00:00.000+0000', DurationInMinutes: 60, CreatedDate: '2026-11-01T00:00:00.000+0000', LastModifiedDate: '2026-11-01T00:00:00.000+0000' });
		const store = storeOf();
		const [out] = await upsertMany(store, [{ object: 'activity', key: rep.slice(0, 15), fields: { outcome: 'Renewal agreed' }, writer: rule }]);
		expect(out.action).toBe('updated');
		expect(out.record!.fields).toMatchObject({ type: 'meeting', occurredAt: '2026-11-30T16:00:00.000Z', durationMinutes: 60, outcome: 'Renewal agreed' });
		expect(rows('Event')).toHaveLength(1);
		expect(rows('Event')[0]).toMatchObject({ Subject: 'QBR with Globex', RevOps_Outcome__c: 'Renewal agreed', RevOps_Key__c: rep.slice(0, 15), RevOps_Revision__c: 2 });
		expect(rows('Task')).toHaveLength(0);
		// The trigger reads it by its id too.
		expect((await store.readByIds('activity', [rep])).get(rep.slice(0, 15))?.fields.type).toBe('meeting');
	});

	it('pages through an activity\'s Tasks and then its Events, each record once, and links an Event by its lookup fields', async () => {
		const store = storeOf();
		const fields = (i: number) => (i % 3 === 0 ? { type: 'meeting', occurredAt: `2026-12-0${1 + (i % 9)}T10:00:00Z`, durationMinutes: 30 } : { type: 'call' });
		const written = await upsertMany(store, Array.from({ length: 25 }, (_, i) => ({ object: 'activity' as const, key: `a-${i}`, fields: { externalId: `a-${i}`, ...fields(i) }, writer: rule })));
		expect(rows('Event')).toHaveLength(9);
		expect(rows('Task')).toHaveLength(16);
		const seen: string[] = [];
		let cursor: string | null = null;
		let pages = 0;
		do {
			const page = await store.scan('activity', [], [], cursor, 4);
			seen.push(...page.records.map((r) => r.key));
			cursor = page.next;
			pages++;
		} while (cursor && pages < 20);
		expect(seen.sort()).toEqual(written.map((w) => w.record!.key).sort());
		expect(new Set(seen).size).toBe(25);
		expect(pages).toBeLessThanOrEqual(8);
		// A search by the meeting type finds exactly the Events, whichever sObject holds them.
		expect((await store.search('activity', [{ field: 'type', op: 'eq', value: 'meeting' }], 100)).map((r) => r.id.slice(0, 3))).toEqual(Array(9).fill('00U'));
		const [con] = await upsertMany(store, [{ object: 'contact', key: 'zoe@hooli.example', fields: { email: 'zoe@hooli.example' }, writer: rule }]);
		const event = written.find((w) => w.record!.id.startsWith('00U'))!.record!;
		expect(await store.associate([{ from: { object: 'activity', id: event.id }, to: { object: 'contact', id: con.record!.id }, label: 'with' }])).toBe(1);
		expect(server.records('Event').get(event.id)?.WhoId).toBe(con.record!.id);
	});

	it('lists the activity fields once, as Activity fields, missing until both Task and Event have them', async () => {
		server.reset();
		const missing = await missingFields(apiOf());
		expect(missing.filter((m) => m.object === 'Task' || m.object === 'Event')).toEqual([]);
		expect(missing).toEqual(expect.arrayContaining([expect.objectContaining({ object: 'Activity', field: 'RevOps_Key__c' }), expect.objectContaining({ object: 'Activity', field: 'RevOps_Type__c', holds: 'activity.type' })]));
		server.provision(neededFields());
		expect(await missingFields(apiOf())).toEqual([]);
		// A field made on Task alone (not an Activity field) is still missing for Events.
		server.reset();
		server.provision(neededFields().filter((n) => !(n.object === 'Activity' && n.field === 'RevOps_Outcome__c')));
		server.addField('Task', 'RevOps_Outcome__c', { type: 'string' });
		expect(await missingFields(apiOf())).toEqual([expect.objectContaining({ object: 'Activity', field: 'RevOps_Outcome__c', holds: 'activity.outcome' })]);
	});

	it('rounds a whole-number field Salesforce would refuse a fraction in (employees)', async () => {
		const [out] = await upsertMany(storeOf(), [{ object: 'account', key: 'round.example', fields: { domain: 'round.example', employeeCount: 120.6 }, writer: rule }]);
		expect(out.action).toBe('created');
		expect(rows('Account')[0].NumberOfEmployees).toBe(121);
	});

	it('stops at the org\'s daily request limit and says so', async () => {
		const store = storeOf();
		await upsertMany(store, [lead('before-limit', { status: 'new' })]);
		server.dailyLimit = server.apiUsage;
		await expect(upsertMany(store, [lead('after-limit', { status: 'new' })])).rejects.toThrow(/daily API request limit is used up/);
	});
});
