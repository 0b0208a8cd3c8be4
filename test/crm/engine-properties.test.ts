import fc from 'fast-check';
import { writeRecords } from '../../nodes/shared/domain/crm/service';
import { upsertMany, type UpsertRequest } from '../../nodes/shared/domain/crm/upsert';
import { MemoryStore } from './memory-store';

// Properties of the write engine under concurrency and hostile input, on the reference store.
const hostile = fc.oneof(
	fc.constant(null),
	fc.constant(undefined),
	fc.constant(''),
	fc.constant('unknown'),
	fc.string({ maxLength: 30 }),
	fc.integer(),
	fc.double(),
	fc.constant(Number.NaN),
	fc.constant('1e309'),
	fc.constant({ toString: 'x' }),
	fc.constant('+275760-09-13T00:00:00.000Z'),
	fc.array(fc.oneof(fc.string({ maxLength: 5 }), fc.constant({})), { maxLength: 3 }),
	fc.constant('__proto__'),
);

describe('CRM write engine properties', () => {
	it('loses no update: concurrent writers of distinct fields all land, whatever the interleaving', async () => {
		await fc.assert(
			fc.asyncProperty(fc.integer({ min: 2, max: 12 }), fc.scheduler(), async (writers, s) => {
				const store = new MemoryStore();
				const fields = ['industry', 'owner', 'country', 'healthBand', 'icpGrade', 'portfolioCompany', 'healthTrend', 'icpTier', 'name', 'healthExplanation', 'icpExplanation', 'healthChurnRisks'].slice(0, writers);
				// Every store call yields to the scheduler, which interleaves the writers in its own order.
				for (const method of ['findByKeys', 'insert', 'update'] as const) {
					const original = store[method].bind(store) as (...a: unknown[]) => Promise<unknown>;
					(store as any)[method] = s.scheduleFunction(original);
				}
				const runs = fields.map((field, i) => upsertMany(store, [{ object: 'account', key: 'acme.com', fields: { domain: 'acme.com', [field]: `v${i}` }, writer: { kind: 'rule', name: `w${i}` } }], { maxAttempts: 50 }));
				await s.waitFor(Promise.all(runs));
				const outcomes = (await Promise.all(runs)).flat();
				const records = [...store.records.values()];
				expect(records).toHaveLength(1);
				expect(outcomes.every((o) => o.action === 'created' || o.action === 'updated')).toBe(true);
				for (const [i, field] of fields.entries()) expect(records[0].fields[field]).toBe(`v${i}`);
				expect(records[0].revision).toBe(writers);
			}),
			{ numRuns: Number(process.env.REVOPS_FC_RUNS || 60) },
		);
	});

	it('answers every item, writes nothing invalid, and never throws on hostile values (items in == items out)', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.array(fc.record({ dedupeKey: hostile, email: hostile, status: hostile, lastTouchAt: hostile, icpFitScore: hostile, tier: hostile, existingCustomer: hostile, leadSource: hostile, companyDomain: hostile, bogus: hostile }, { requiredKeys: [] }), { minLength: 1, maxLength: 30 }),
				async (items) => {
					const store = new MemoryStore();
					const results = await writeRecords(
						store,
						'lead',
						items.map((fields) => ({ fields: fields as Record<string, unknown>, settings: { writer: { kind: 'rule', name: 'fuzz' }, repeatCounts: true } })),
					);
					expect(results).toHaveLength(items.length);
					for (const r of results) {
						if (r instanceof Error) {
							expect(r.message).toMatch(/No match key for this lead/);
							continue;
						}
						expect(['created', 'updated', 'unchanged', 'already_applied']).toContain(r.outcome.action);
						const f = r.outcome.record!.fields;
						if (f.icpFitScore !== undefined) expect(Number.isFinite(f.icpFitScore)).toBe(true);
						if (f.lastTouchAt !== undefined) expect(Date.parse(String(f.lastTouchAt))).toBeLessThan(Date.now() + 51 * 365 * 86_400_000);
						if (f.status !== undefined) expect(['new', 'working', 'contacted', 'qualified', 'disqualified', 'nurture', 'unknown']).toContain(f.status);
						expect(Object.keys(f)).not.toContain('bogus');
					}
				},
			),
			{ numRuns: Number(process.env.REVOPS_FC_RUNS || 300) },
		);
	});

	it('is idempotent: any batch written twice changes nothing the second time', async () => {
		await fc.assert(
			fc.asyncProperty(fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c'), fc.constantFrom('new', 'working', 'qualified'), fc.string({ maxLength: 8 })), { minLength: 1, maxLength: 10 }), async (writes) => {
				const store = new MemoryStore();
				const batch: UpsertRequest[] = writes.map(([key, status, message]) => ({ object: 'lead', key, fields: { dedupeKey: key, status, message }, writer: { kind: 'rule', name: 'r' }, repeatCounts: true }));
				await upsertMany(store, batch);
				const snapshot = JSON.stringify([...store.records.values()]);
				const again = await upsertMany(store, batch);
				expect(again.every((o) => o.action === 'already_applied' || o.action === 'unchanged')).toBe(true);
				expect(JSON.stringify([...store.records.values()])).toBe(snapshot);
			}),
			{ numRuns: Number(process.env.REVOPS_FC_RUNS || 200) },
		);
	});
});
