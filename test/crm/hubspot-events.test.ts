// HubSpot's webhook events read as canonical events, with our own writes told apart: the stand-in sends
// the events its writes cause (as a HubSpot app's webhook subscriptions would) to a local receiver.
import http from 'node:http';
import { createHmac } from 'node:crypto';
import { HubSpotApi } from '../../nodes/shared/domain/crm/hubspot/api';
import { classify, hubspotTypeOf, parseDelivery, verifySignatureV3, type HubSpotEvent } from '../../nodes/shared/domain/crm/hubspot/events';
import { HubSpotStore } from '../../nodes/shared/domain/crm/hubspot/store';
import { upsertMany } from '../../nodes/shared/domain/crm/upsert';
import { lead } from './store-contract';
/* eslint-disable @typescript-eslint/no-require-imports */
const { fetchSend } = require('../vendors/fetch-send') as typeof import('../vendors/fetch-send');
const { HubSpotServer } = require('../vendors/hubspot/server') as typeof import('../vendors/hubspot/server');

jest.setTimeout(60_000);

const TOKEN = 'pat-na1-events';
const SECRET = 'events-secret';
const server = new HubSpotServer({ token: TOKEN, tenSecondlyMax: 1000 });
let store: HubSpotStore;
let receiver: http.Server;
let url = '';
const received: Array<{ body: string; headers: http.IncomingHttpHeaders }> = [];

/** Waits until the stand-in's webhook calls have all been answered, and hands over their events. */
async function deliveries(): Promise<HubSpotEvent[]> {
	while (server.pendingDeliveries > 0) await new Promise((r) => setTimeout(r, 10));
	const events = received.flatMap((r) => parseDelivery(JSON.parse(r.body)).events);
	received.length = 0;
	return events;
}

async function canonical(events: HubSpotEvent[]) {
	const records = await store.readForEvents(events.map((e) => ({ type: hubspotTypeOf(e), id: e.objectId })));
	return classify(events, records);
}

beforeAll(async () => {
	await server.start();
	store = new HubSpotStore({ api: new HubSpotApi({ baseUrl: server.baseUrl, accessToken: TOKEN, send: fetchSend }) });
	receiver = http.createServer((req, res) => {
		let body = '';
		req.on('data', (c) => (body += c));
		req.on('end', () => {
			received.push({ body, headers: req.headers });
			res.end('{}');
		});
	});
	await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
	url = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
	await store.ensureSchema();
	server.subscribe({ url, clientSecret: SECRET, appId: 4711, subscriptions: { contacts: { creation: true, properties: ['email', 'firstname', 'jobtitle', 'hs_lead_status', 'revops_status', 'revops_lead_version'] }, deals: { creation: true, properties: ['dealstage', 'amount'] } } });
});
afterAll(async () => {
	await server.stop();
	await new Promise((r) => receiver.close(r));
});

describe('HubSpot webhook events', () => {
	it('tells our own writes apart: the creation and every change a RevOps node made start nothing', async () => {
		await upsertMany(store, [lead('email:own@events.example', { email: 'own@events.example', firstName: 'Own', status: 'new' })]);
		await upsertMany(store, [lead('email:own@events.example', { status: 'working' }, { repeatCounts: false })]);
		const events = await deliveries();
		expect(events.map((e) => e.subscriptionType).sort()).toEqual(expect.arrayContaining(['contact.creation', 'contact.propertyChange']));
		const out = await canonical(events);
		expect(out.length).toBeGreaterThan(0);
		expect(out.every((e) => e.ownWrite)).toBe(true);
		expect(out.find((e) => e.event === 'changed')).toMatchObject({ object: 'lead', key: 'email:own@events.example', changes: [] });
	});

	it('passes on a person\'s change as canonical fields with their values, and a property we never write as such', async () => {
		const [written] = await upsertMany(store, [lead('email:person@events.example', { email: 'person@events.example', firstName: 'Pat', jobTitle: 'CTO' })]);
		await deliveries();
		server.humanEdit('contacts', written.record!.id, { firstname: 'Patricia', hs_lead_status: 'IN_PROGRESS' });
		const [event] = await canonical(await deliveries());
		expect(event).toMatchObject({ event: 'changed', object: 'lead', key: 'email:person@events.example', ownWrite: false, changeSource: 'CRM_UI', changes: [{ field: 'firstName', property: 'firstname', value: 'Patricia' }], otherProperties: ['hs_lead_status'] });
		expect(event.record!.fields.firstName).toBe('Patricia');
	});

	it('is not fooled by a person setting a value back to what we wrote long ago, nor by a deal created in HubSpot', async () => {
		const [written] = await upsertMany(store, [{ object: 'opportunity', key: 'OPP-EV-1', fields: { externalId: 'OPP-EV-1', crmStage: 'qualifiedtobuy', amount: 1000 }, writer: { kind: 'rule', name: 'seed' } }]);
		const first = await canonical(await deliveries());
		expect(first.every((e) => e.ownWrite)).toBe(true);
		// The same value we wrote, but HubSpot's event comes from a person eleven minutes later.
		const events: HubSpotEvent[] = [{ eventId: '9', subscriptionType: 'deal.propertyChange', objectId: written.record!.id, occurredAt: Date.now() + 11 * 60_000, propertyName: 'dealstage', propertyValue: 'qualifiedtobuy', changeSource: 'CRM_UI' }];
		expect((await canonical(events))[0]).toMatchObject({ ownWrite: false, changes: [{ field: 'crmStage', value: 'qualifiedtobuy' }] });
		const api = new HubSpotApi({ baseUrl: server.baseUrl, accessToken: TOKEN, send: fetchSend });
		await api.call('POST', '/crm/v3/objects/deals', { properties: { dealname: 'From a rep', dealstage: 'appointmentscheduled' } });
		const created = (await canonical(await deliveries())).find((e) => e.event === 'created');
		expect(created).toMatchObject({ object: 'opportunity', ownWrite: false, why: 'created in HubSpot' });
	});

	it('names the entries it cannot read and refuses a body that is not HubSpot\'s', () => {
		const { events, ignored } = parseDelivery([{ subscriptionType: 'contact.propertyChange', objectId: 5, propertyName: 'firstname', propertyValue: 'A' }, { subscriptionType: 'conversation.creation', objectId: 6 }, { subscriptionType: 'deal.propertyChange', objectId: 'x' }, null]);
		expect(events).toHaveLength(1);
		expect(ignored.map((i) => i.index)).toEqual([1, 2, 3]);
		expect(() => parseDelivery({ events: [] })).toThrow(/not a list of HubSpot events/);
	});

	it('checks HubSpot\'s v3 signature: the right secret and URL, within five minutes', async () => {
		await upsertMany(store, [lead('email:signed@events.example', { email: 'signed@events.example' })]);
		while (server.pendingDeliveries > 0) await new Promise((r) => setTimeout(r, 10));
		const call = received[0];
		const ts = String(call.headers['x-hubspot-request-timestamp']);
		const sig = String(call.headers['x-hubspot-signature-v3']);
		expect(verifySignatureV3(SECRET, 'POST', ['http://elsewhere/hook', url], call.body, ts, sig)).toBeNull();
		expect(verifySignatureV3('another-secret', 'POST', [url], call.body, ts, sig)).toMatch(/does not match/);
		expect(verifySignatureV3(SECRET, 'POST', [url], `${call.body} `, ts, sig)).toMatch(/does not match/);
		const old = String(Date.now() - 6 * 60_000);
		const oldSig = createHmac('sha256', SECRET).update(`POST${url}${call.body}${old}`).digest('base64');
		expect(verifySignatureV3(SECRET, 'POST', [url], call.body, old, oldSig)).toMatch(/five minutes/);
		expect(verifySignatureV3(SECRET, 'POST', [url], call.body, undefined, undefined)).toMatch(/no X-HubSpot-Signature-v3/);
		received.length = 0;
	});
});
