// Salesforce's outbound messages as canonical events: the messages the Salesforce stand-in sends for
// the store's writes and for a person's edit, our own writes told apart by the integration user; then
// what a hostile or misconfigured sender gets (another org, no LastModifiedById, not SOAP, entity
// tricks, too many notifications, random bytes): an OutboundMessageError naming the fix, never a crash.
import http from 'node:http';
import fc from 'fast-check';
import { SalesforceApi } from '../../nodes/shared/domain/crm/salesforce/api';
import { classifyOutbound, OutboundMessageError, parseOutboundMessage } from '../../nodes/shared/domain/crm/salesforce/events';
import { neededFields } from '../../nodes/shared/domain/crm/salesforce/schema';
import { SalesforceStore } from '../../nodes/shared/domain/crm/salesforce/store';
import { upsertMany } from '../../nodes/shared/domain/crm/upsert';
import { lead } from './store-contract';
/* eslint-disable @typescript-eslint/no-require-imports */
const { fetchSend } = require('../vendors/fetch-send') as typeof import('../vendors/fetch-send');
const { SalesforceServer, ORG_ID } = require('../vendors/salesforce/server') as typeof import('../vendors/salesforce/server');

jest.setTimeout(60_000);

const CLIENT = { clientId: '3MVG9-events', clientSecret: 'events-secret' };
const server = new SalesforceServer(CLIENT);
const received: string[] = [];
const endpoint = http.createServer((req, res) => {
	let body = '';
	req.on('data', (c) => (body += c));
	req.on('end', () => {
		received.push(body);
		res.writeHead(200, { 'content-type': 'text/xml' }).end('<Ack>true</Ack>');
	});
});
let store: SalesforceStore;

beforeAll(async () => {
	await server.start();
	await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
	server.provision(neededFields());
	server.outboundMessage({ url: `http://127.0.0.1:${(endpoint.address() as { port: number }).port}/`, object: 'Lead', fields: ['Email', 'FirstName', 'RevOps_Status__c', 'RevOps_Key__c', 'LastModifiedById', 'CreatedById', 'CreatedDate', 'LastModifiedDate'] });
	store = new SalesforceStore({ api: new SalesforceApi({ instanceUrl: server.baseUrl!, auth: { flow: 'clientCredentials', ...CLIENT }, send: fetchSend }) });
});
afterAll(async () => {
	await server.stop();
	await new Promise((resolve) => endpoint.close(resolve));
});

const delivered = async (count: number) => {
	const deadline = Date.now() + 10_000;
	while ((received.length < count || server.pendingDeliveries > 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
	expect(received.length).toBe(count);
};

describe('Salesforce outbound messages as CRM events', () => {
	it('tells the store\'s own writes (the integration user) from a person\'s edit, which carries the canonical values', async () => {
		received.length = 0;
		const [created] = await upsertMany(store, [lead('lou-lead', { email: 'lou@loop.example', firstName: 'Lou', status: 'new' })]);
		await delivered(1);
		const identity = await store.identity();
		expect(identity).toEqual({ organizationId: ORG_ID, userId: expect.stringMatching(/^005/) });
		const first = parseOutboundMessage(received[0]);
		expect(first).toMatchObject({ organizationId: ORG_ID, notifications: [{ type: 'Lead', fields: { Id: created.record!.id, Email: 'lou@loop.example', RevOps_Status__c: 'new' } }] });
		const ours = classifyOutbound(first, identity, await store.readByIds('lead', [created.record!.id]));
		expect(ours.events).toEqual([expect.objectContaining({ event: 'created', object: 'lead', key: 'lou-lead', ownWrite: true, changes: [] })]);

		server.humanEdit('Lead', created.record!.id, { FirstName: 'Louisa', RevOps_Status__c: 'working' });
		await delivered(2);
		const theirs = classifyOutbound(parseOutboundMessage(received[1]), identity, await store.readByIds('lead', [created.record!.id]));
		expect(theirs.events).toEqual([expect.objectContaining({ event: 'changed', object: 'lead', key: 'lou-lead', ownWrite: false, record: expect.objectContaining({ fields: expect.objectContaining({ firstName: 'Louisa' }) }) })]);
		expect(theirs.events[0].changes).toEqual(expect.arrayContaining([{ field: 'firstName', property: 'FirstName', value: 'Louisa' }, { field: 'status', property: 'RevOps_Status__c', value: 'working' }]));

		// The write-back a workflow makes comes back as a message and is ours again.
		await upsertMany(store, [lead('lou-lead', { status: 'contacted' })]);
		await delivered(3);
		expect(classifyOutbound(parseOutboundMessage(received[2]), identity, new Map()).events[0]).toMatchObject({ event: 'changed', ownWrite: true });
	});

	it('reads a calendar Event\'s notification as a change to a meeting, its start and length from the Event\'s own fields', () => {
		const xml = `<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><notifications xmlns="http://soap.sforce.com/2005/09/outbound"><OrganizationId>${ORG_ID}</OrganizationId><ActionId>04k</ActionId><Notification><Id>04l9</Id><sObject xsi:type="sf:Event" xmlns:sf="urn:sobject.enterprise.soap.sforce.com"><sf:Id>00U5g000000EVT1AAA</sf:Id><sf:StartDateTime>2026-12-10T13:00:00.000Z</sf:StartDateTime><sf:DurationInMinutes>30</sf:DurationInMinutes><sf:RevOps_Outcome__c>Moved by the buyer</sf:RevOps_Outcome__c><sf:LastModifiedById>0055g00000HUMANAAA</sf:LastModifiedById><sf:CreatedDate>2026-12-01T10:00:00.000Z</sf:CreatedDate><sf:LastModifiedDate>2026-12-02T10:00:00.000Z</sf:LastModifiedDate></sObject></Notification></notifications></soapenv:Body></soapenv:Envelope>`;
		const { events, ignored } = classifyOutbound(parseOutboundMessage(xml), { organizationId: ORG_ID, userId: '0055g00000TESTUAAA' }, new Map());
		expect(ignored).toEqual([]);
		expect(events).toEqual([expect.objectContaining({ event: 'changed', object: 'activity', salesforceType: 'Event', key: '00U5g000000EVT1AAA', ownWrite: false })]);
		expect(events[0].changes).toEqual([
			{ field: 'occurredAt', property: 'StartDateTime', value: '2026-12-10T13:00:00.000Z' },
			{ field: 'durationMinutes', property: 'DurationInMinutes', value: 30 },
			{ field: 'outcome', property: 'RevOps_Outcome__c', value: 'Moved by the buyer' },
		]);
	});

	it('refuses a message from another org, and one without LastModifiedById, naming the fix', () => {
		const message = (org: string, fields: string) => `<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><notifications xmlns="http://soap.sforce.com/2005/09/outbound"><OrganizationId>${org}</OrganizationId><ActionId>04k</ActionId><Notification><Id>04l1</Id><sObject xsi:type="sf:Lead" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">${fields}</sObject></Notification></notifications></soapenv:Body></soapenv:Envelope>`;
		const identity = { organizationId: ORG_ID, userId: '0055g00000TESTUAAA' };
		expect(() => classifyOutbound(parseOutboundMessage(message('00D000000000BAD', '<sf:Id>00Q1</sf:Id><sf:LastModifiedById>005x</sf:LastModifiedById>')), identity, new Map())).toThrow(expect.objectContaining({ status: 403, message: expect.stringMatching(/not the org the credential signs in to/) }));
		expect(() => classifyOutbound(parseOutboundMessage(message(ORG_ID.slice(0, 15), '<sf:Id>00Q1</sf:Id><sf:Email>a@b.example</sf:Email>')), identity, new Map())).toThrow(/add LastModifiedById .* to its fields in Setup > Outbound Messages/);
		// The 15-character form of the org id is the same org; another object is named, not dropped.
		const other = classifyOutbound(parseOutboundMessage(message(ORG_ID.slice(0, 15), '<sf:Id>00Q1</sf:Id><sf:LastModifiedById>0055g00000HUMAN</sf:LastModifiedById>').replace('sf:Lead', 'sf:Campaign')), identity, new Map());
		expect(other).toEqual({ events: [], ignored: [{ notificationId: '04l1', reason: 'Campaign holds no canonical object' }] });
	});

	it('answers hostile bodies with an OutboundMessageError, never a crash or an expanded entity', () => {
		expect(() => parseOutboundMessage('{"not": "soap"}')).toThrow(OutboundMessageError);
		const bomb = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><soapenv:Envelope xmlns:soapenv="x"><soapenv:Body><notifications><OrganizationId>${ORG_ID}</OrganizationId><Notification><Id>1</Id><sObject xsi:type="sf:Lead"><sf:Id>00Q1</sf:Id><sf:FirstName>&lol2;</sf:FirstName><sf:LastModifiedById>005h</sf:LastModifiedById></sObject></Notification></notifications></soapenv:Body></soapenv:Envelope>`;
		const parsed = parseOutboundMessage(bomb);
		expect(parsed.notifications[0].fields.FirstName!.length).toBeLessThan(20);
		const many = `<soapenv:Envelope><soapenv:Body><notifications><OrganizationId>${ORG_ID}</OrganizationId>${'<Notification><Id>1</Id></Notification>'.repeat(101)}</notifications></soapenv:Body></soapenv:Envelope>`;
		expect(() => parseOutboundMessage(many)).toThrow(/at most 100/);
		fc.assert(
			fc.property(fc.oneof(fc.string(), fc.string().map((s) => `<soapenv:Envelope><notifications>${s}</notifications></soapenv:Envelope>`)), (body) => {
				try {
					const m = parseOutboundMessage(body);
					classifyOutbound({ ...m, organizationId: ORG_ID }, { organizationId: ORG_ID, userId: '005x' }, new Map());
				} catch (error) {
					expect(error).toBeInstanceOf(OutboundMessageError);
				}
			}),
			{ numRuns: 2000 },
		);
	});
});
