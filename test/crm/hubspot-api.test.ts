// The HubSpot API module of the CRM adapter, over real HTTP against the HubSpot stand-in (which
// HubSpot's own client keeps honest in test/vendors/hubspot/contract.test.ts).
import { HubSpotApi, HUBSPOT_BATCH_SIZE, type UpsertInput } from '../../nodes/shared/domain/crm/hubspot/api';
/* eslint-disable @typescript-eslint/no-require-imports */
const { fetchSend } = require('../vendors/fetch-send') as typeof import('../vendors/fetch-send');
const { HubSpotServer } = require('../vendors/hubspot/server') as typeof import('../vendors/hubspot/server');

const contacts = (n: number, from = 0, extra: Record<string, string> = {}): UpsertInput[] =>
	Array.from({ length: n }, (_, i) => ({ idProperty: 'email', id: `lead${from + i}@hubspot-test.example`, properties: { firstname: `Lead ${from + i}`, ...extra } }));

describe('HubSpot API: batch upserts, partial failures, limits, paging', () => {
	const server = new HubSpotServer({ token: 'pat-na1-unit' });
	const api = (options: Partial<ConstructorParameters<typeof HubSpotApi>[0]> = {}) => new HubSpotApi({ baseUrl: server.baseUrl, accessToken: 'pat-na1-unit', send: fetchSend, ...options });

	beforeAll(() => server.start());
	afterAll(() => server.stop());
	beforeEach(() => {
		server.reset();
		Object.assign(server, { tenSecondlyMax: 190, windowMs: 10_000, dailyMax: 1_000_000, searchPerSecond: 5, echoIdProperty: true });
	});

	it('writes 250 contacts in three calls of at most 100, one result per record in input order, and again without creating any', async () => {
		const client = api();
		const first = await client.batchUpsert('contacts', contacts(250));
		expect(first).toHaveLength(250);
		expect(first.every((r) => r.ok && r.isNew)).toBe(true);
		expect(client.calls).toBe(3);
		// Batches go out a few at a time, so their order on the wire is not fixed.
		expect(server.log.map((l: { inputs: number }) => l.inputs).sort((a: number, b: number) => b - a)).toEqual([HUBSPOT_BATCH_SIZE, HUBSPOT_BATCH_SIZE, 50]);
		const again = await client.batchUpsert('contacts', contacts(250).map((c) => ({ ...c, id: c.id.toUpperCase() })));
		expect(again.map((r) => r.ok && r.id)).toEqual(first.map((r) => r.ok && r.id));
		expect(again.every((r) => r.ok && !r.isNew)).toBe(true);
		expect(server.objects('contacts').size).toBe(250);
	});

	it('gives a refused record its own error and writes the rest of its batch', async () => {
		await api().batchUpsert('contacts', contacts(1, 0));
		const earlier = [...server.objects('contacts').values()][0];
		const inputs: UpsertInput[] = [
			...contacts(2, 10),
			{ idProperty: 'email', id: 'typo@hubspot-test.example', properties: { frist_name: 'Typo' } },
			...contacts(2, 20),
		];
		const out = await api().batchUpsert('contacts', inputs);
		expect(out.map((r) => r.ok)).toEqual([true, true, false, true, true]);
		expect(out[2]).toMatchObject({ ok: false, category: 'VALIDATION_ERROR', message: expect.stringContaining('frist_name') });
		expect(server.objects('contacts').size).toBe(5);
		expect(earlier.properties.firstname).toBe('Lead 0');
	});

	it('reads back a record HubSpot wrote but did not echo, so it is reported written only when HubSpot has it', async () => {
		server.echoIdProperty = false;
		const client = api();
		await client.batchUpsert('contacts', contacts(3));
		const out = await client.batchUpsert('contacts', contacts(3, 0, { lastname: 'Again' }));
		expect(out.every((r) => r.ok && !r.isNew)).toBe(true);
		expect(server.log.map((l: { path: string }) => l.path.split('/').pop())).toEqual(['upsert', 'upsert', 'read']);
	});

	it('waits out a storm of 429s of the rolling window and loses no record', async () => {
		// Four batches go out at once against a window of three calls a second: a 429 from the start.
		Object.assign(server, { tenSecondlyMax: 3, windowMs: 1000 });
		const client = api({ maxTries: 12 });
		const out = await client.batchUpsert('contacts', contacts(1000));
		expect(out.every((r) => r.ok)).toBe(true);
		expect(server.objects('contacts').size).toBe(1000);
		expect(client.throttled).toBeGreaterThan(0);
		// Every 429 was answered by a wait, then the same batch again: ten batches written.
		expect(server.log.filter((l: { status: number }) => l.status < 400)).toHaveLength(10);
		expect(client.calls).toBe(10 + client.throttled);
	});

	it("paces its calls by HubSpot's rate-limit headers, so a long write meets no 429 once the window is known", async () => {
		Object.assign(server, { tenSecondlyMax: 5, windowMs: 1000 });
		const client = api({ concurrency: 1 });
		const started = Date.now();
		const out = await client.batchUpsert('contacts', contacts(1200));
		expect(out.every((r) => r.ok)).toBe(true);
		expect(client.throttled).toBe(0);
		expect(client.calls).toBe(12);
		// Twelve calls at five a second cannot all go in the first second.
		expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
	});

	it('stops at the daily limit, gives the records of the refused batches the reason, and does not retry', async () => {
		server.dailyMax = 2;
		// One batch at a time, so which batches the day's last calls carry is fixed.
		const client = api({ concurrency: 1 });
		const out = await client.batchUpsert('contacts', contacts(350));
		expect(out.slice(0, 200).every((r) => r.ok)).toBe(true);
		expect(out.slice(200).every((r) => !r.ok && r.category === 'RATE_LIMITS' && /daily API limit/.test(r.message))).toBe(true);
		expect(client.calls).toBe(4);
	});

	it('retries a 500 and a dropped connection (an upsert by unique property is safe to send again)', async () => {
		server.fail('500', 'drop');
		const client = api({ sleep: async () => undefined });
		const out = await client.batchUpsert('contacts', contacts(5));
		expect(out.every((r) => r.ok)).toBe(true);
		expect(client.calls).toBe(3);
		expect(server.objects('contacts').size).toBe(5);
	});

	it('answers every record of a batch with a wrong token at once, without retrying', async () => {
		const client = new HubSpotApi({ baseUrl: server.baseUrl, accessToken: 'pat-na1-wrong', send: fetchSend });
		const out = await client.batchUpsert('contacts', contacts(150));
		expect(out.every((r) => !r.ok && r.category === 'INVALID_AUTHENTICATION')).toBe(true);
		expect(client.calls).toBe(2);
	});

	it('pages a search to its end, each record once, waiting out the search API\'s second', async () => {
		await api().batchUpsert('contacts', contacts(450, 0, { country: 'DE' }));
		await api().batchUpsert('contacts', contacts(30, 1000, { country: 'US' }));
		server.searchPerSecond = 1;
		const client = api();
		const seen: string[] = [];
		let pages = 0;
		for await (const page of client.search('contacts', [{ filters: [{ propertyName: 'country', operator: 'EQ', value: 'DE' }] }], ['email'])) {
			pages++;
			seen.push(...page.map((r) => String(r.properties.email)));
		}
		expect(pages).toBe(3);
		expect(new Set(seen).size).toBe(450);
		expect(seen).toHaveLength(450);
		expect(client.throttled).toBeGreaterThanOrEqual(1);
	});
});
