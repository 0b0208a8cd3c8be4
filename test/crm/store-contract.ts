import { upsertMany, type UpsertRequest } from '../../nodes/shared/domain/crm/upsert';
import type { CrmStore } from '../../nodes/shared/domain/crm/store';

/**
 * What every CRM backend must do, run against each one (memory here, PostgreSQL in
 * test/crm/postgres-store.test.ts; the HubSpot and Salesforce adapters join the same suite). The rules
 * of writing are checked end to end through the real engine, with the backend's own storage.
 */
const rule = { kind: 'rule' as const, name: 'Lead Normalizer' };
const model = { kind: 'model' as const, name: 'MEDDICC Extractor' };
const person = { kind: 'human' as const, name: 'jane@acme.example' };

export function lead(key: string, fields: Record<string, unknown>, extra: Partial<UpsertRequest> = {}): UpsertRequest {
	return { object: 'lead', key, fields: { dedupeKey: key, ...fields }, writer: rule, repeatCounts: true, ...extra };
}

export function storeContract(makeStore: () => Promise<CrmStore>) {
	let store: CrmStore;
	let n = 0;
	const key = (name: string) => `${name}-${process.pid}-${(n += 1)}`;
	beforeEach(async () => {
		store = await makeStore();
		await store.ensureSchema();
	});

	it('creates a record with revision 1 and one history entry per field written', async () => {
		const k = key('create');
		const [out] = await upsertMany(store, [lead(k, { email: 'ana@acme.example', status: 'new', firstTouchSource: 'google' })]);
		expect(out.action).toBe('created');
		expect(out.record).toMatchObject({ key: k, revision: 1, duplicates: 0, fields: { email: 'ana@acme.example', status: 'new' } });
		const history = await store.history('lead', out.record!.id, 100);
		expect(history.map((h) => h.field).sort()).toEqual(['dedupeKey', 'email', 'firstTouchSource', 'status']);
		expect(history.every((h) => h.change === 'created' && h.before === null && h.writer === 'rule:Lead Normalizer')).toBe(true);
	});

	it('merges a repeat submission: counted, status never reset, first touch kept, last touch updated', async () => {
		const k = key('repeat');
		await upsertMany(store, [lead(k, { status: 'new', firstTouchSource: 'google', leadSource: 'google', message: 'first' })]);
		await upsertMany(store, [lead(k, { status: 'contacted' }, { repeatCounts: false })]);
		const [again] = await upsertMany(store, [lead(k, { status: 'new', firstTouchSource: 'linkedin', leadSource: 'linkedin', message: 'second' })]);
		expect(again.action).toBe('updated');
		expect(again.repeat).toBe(true);
		expect(again.record).toMatchObject({ duplicates: 1, revision: 3, fields: { status: 'contacted', firstTouchSource: 'google', leadSource: 'linkedin', message: 'second' } });
		expect(again.skipped.map((s) => s.reason).sort()).toEqual(['first_touch', 'no_reset']);
		const found = await store.findByKeys('lead', [k]);
		expect(found).toHaveLength(1);
	});

	it('applies the same item once, however often it is written', async () => {
		const k = key('idem');
		const request = lead(k, { message: 'hello', lastTouchAt: '2026-11-30T10:00:00Z' });
		const first = await upsertMany(store, [request]);
		const second = await upsertMany(store, [request]);
		const third = await upsertMany(store, [request, request]);
		expect(first[0].action).toBe('created');
		expect(second[0].action).toBe('already_applied');
		expect(third.map((o) => o.action)).toEqual(['already_applied', 'already_applied']);
		const [record] = await store.findByKeys('lead', [k]);
		expect(record).toMatchObject({ revision: 1, duplicates: 0 });
	});

	it('never lets a rule or a model overwrite what a person validated; a person may', async () => {
		const k = key('validated');
		await upsertMany(store, [{ object: 'opportunity', key: k, fields: { externalId: k, meddiccEconomicBuyer: 'CFO Dana Ruiz', amount: 1000 }, writer: person, validates: ['meddiccEconomicBuyer'] }]);
		const [byModel] = await upsertMany(store, [{ object: 'opportunity', key: k, fields: { meddiccEconomicBuyer: 'CEO (invented)', amount: 2000 }, writer: model }]);
		expect(byModel.record!.fields).toMatchObject({ meddiccEconomicBuyer: 'CFO Dana Ruiz', amount: 2000 });
		expect(byModel.skipped).toEqual([expect.objectContaining({ field: 'meddiccEconomicBuyer', reason: 'validated', offered: 'CEO (invented)' })]);
		const [byPerson] = await upsertMany(store, [{ object: 'opportunity', key: k, fields: { meddiccEconomicBuyer: 'CFO Dana Ruiz-Ortega' }, writer: person }]);
		expect(byPerson.record!.fields.meddiccEconomicBuyer).toBe('CFO Dana Ruiz-Ortega');
		expect(byPerson.record!.validated).toContain('meddiccEconomicBuyer');
	});

	it('loses no update when many writers change one record at once', async () => {
		const k = key('concurrent');
		await upsertMany(store, [{ object: 'account', key: k, fields: { domain: k, name: 'Acme' }, writer: rule }]);
		const fields = ['industry', 'owner', 'country', 'healthBand', 'icpGrade', 'portfolioCompany', 'healthTrend', 'icpTier'];
		const outcomes = await Promise.all(fields.map((field, i) => upsertMany(store, [{ object: 'account', key: k, fields: { [field]: `v${i}`, techStack: [`tool${i}`] }, writer: rule }])));
		expect(outcomes.flat().every((o) => o.action === 'updated')).toBe(true);
		const [record] = await store.findByKeys('account', [k]);
		for (const [i, field] of fields.entries()) expect(record.fields[field]).toBe(`v${i}`);
		expect([...(record.fields.techStack as string[])].sort()).toEqual(fields.map((_, i) => `tool${i}`).sort());
		expect(record.revision).toBe(fields.length + 1);
		const history = await store.history('account', record.id, 1000);
		expect(history.filter((h) => h.field === 'techStack')).toHaveLength(fields.length);
	});

	it('makes one record when two writers create the same new record at once', async () => {
		const k = key('race-create');
		const outcomes = await Promise.all([upsertMany(store, [lead(k, { email: 'a@b.example' })]), upsertMany(store, [lead(k, { phone: '+14155550100' })])]);
		expect(outcomes.flat().map((o) => o.action).sort()).toEqual(['created', 'updated']);
		const found = await store.findByKeys('lead', [k]);
		expect(found).toHaveLength(1);
		expect(found[0].fields).toMatchObject({ email: 'a@b.example', phone: '+14155550100' });
	});

	it('merges a change that slipped in between its read and its write instead of overwriting it', async () => {
		const k = key('slip');
		await upsertMany(store, [{ object: 'account', key: k, fields: { domain: k, name: 'Acme', owner: 'sam' }, writer: rule }]);
		// Another writer gets in after this write's read and before its write, once.
		const update = store.update.bind(store);
		store.update = async (records, history) => {
			store.update = update;
			await upsertMany(store, [{ object: 'account', key: k, fields: { industry: 'Software' }, writer: person, validates: ['industry'] }]);
			return await update(records, history);
		};
		const [out] = await upsertMany(store, [{ object: 'account', key: k, fields: { industry: 'Retail', employeeCount: 300 }, writer: model }]);
		expect(out.attempts).toBe(2);
		expect(out.record!.fields).toMatchObject({ industry: 'Software', employeeCount: 300, owner: 'sam' });
	});

	it('finds a record by an alias and adds aliases without duplicates', async () => {
		const k = key('alias');
		await upsertMany(store, [{ object: 'account', key: `${k}.example`, aliases: [`${k}.example.de`], fields: { domain: `${k}.example` }, writer: rule }]);
		const [out] = await upsertMany(store, [{ object: 'account', key: `${k}.example.de`, fields: { name: 'Acme GmbH' }, writer: rule }]);
		expect(out.action).toBe('updated');
		expect(out.record).toMatchObject({ key: `${k}.example`, aliases: [`${k}.example.de`], fields: { name: 'Acme GmbH' } });
	});

	it('shows the diff in a dry run and writes nothing', async () => {
		const k = key('dry');
		await upsertMany(store, [lead(k, { status: 'working', owner: 'sam' })]);
		const [dry] = await upsertMany(store, [lead(k, { status: 'qualified', phone: '+14155550100' })], { dryRun: true });
		expect(dry.changes.map((c) => [c.field, c.before, c.after])).toEqual([
			['status', 'working', 'qualified'],
			['phone', null, '+14155550100'],
		]);
		const [record] = await store.findByKeys('lead', [k]);
		expect(record.fields.status).toBe('working');
		expect(record.revision).toBe(1);
	});

	it('searches by canonical fields, and links records once', async () => {
		const k = key('search');
		const [a] = await upsertMany(store, [{ object: 'account', key: k, fields: { domain: k, employeeCount: 250, industry: 'Software' }, writer: rule }]);
		const [c] = await upsertMany(store, [{ object: 'contact', key: `${k}@mail.example`, fields: { email: `${k}@mail.example` }, writer: rule }]);
		const hits = await store.search('account', [{ field: 'employeeCount', op: 'gte', value: 200 }, { field: 'industry', op: 'eq', value: 'software' }], 10);
		expect(hits.map((h) => h.key)).toContain(k);
		const link = { from: { object: 'contact' as const, id: c.record!.id }, to: { object: 'account' as const, id: a.record!.id }, label: 'works_at' };
		expect(await store.associate([link])).toBe(1);
		expect(await store.associate([link])).toBe(0);
	});

	it('scans every matching record page by page, each once, with the history of the asked fields only', async () => {
		const k = key('scan');
		const owner = `${k}-owner`;
		// 7 deals of this owner (each written twice: a stage change) and 2 of another, in pages of 3.
		const deal = (i: number, stage: string, who = owner) => ({ object: 'opportunity' as const, key: `${k}-${i}`, fields: { externalId: `${k}-${i}`, owner: who, crmStage: stage, amount: 1000 + i }, writer: rule });
		await upsertMany(store, [...Array.from({ length: 7 }, (_, i) => deal(i, 'Discovery')), deal(7, 'Discovery', 'someone else'), deal(8, 'Discovery', 'someone else')]);
		await upsertMany(store, Array.from({ length: 7 }, (_, i) => deal(i, 'Proposal Sent')));
		const seen: string[] = [];
		const changes = new Map<string, unknown[]>();
		let cursor: string | null = null;
		let pages = 0;
		do {
			const page = await store.scan('opportunity', [{ field: 'owner', op: 'eq', value: owner }], ['crmStage'], cursor, 3);
			for (const r of page.records) seen.push(String(r.fields.externalId));
			for (const h of page.history) {
				expect(h.field).toBe('crmStage');
				expect(page.records.map((r) => r.id)).toContain(h.recordId);
				changes.set(h.recordId, [...(changes.get(h.recordId) ?? []), h.after]);
			}
			cursor = page.next;
			pages++;
		} while (cursor !== null && pages < 200);
		expect(seen.sort()).toEqual(Array.from({ length: 7 }, (_, i) => `${k}-${i}`).sort());
		expect([...changes.values()]).toEqual(Array.from({ length: 7 }, () => ['Discovery', 'Proposal Sent']));
	});
}
