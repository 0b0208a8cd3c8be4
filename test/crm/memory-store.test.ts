import { MemoryStore } from './memory-store';
import { storeContract } from './store-contract';

describe('CRM store contract: memory (the reference the real backends are held to)', () => {
	storeContract(async () => new MemoryStore());
});

describe('writing opportunities', () => {
	it('gives an opportunity written with the CRM\'s stage name its canon stage from the company\'s stage map', async () => {
		const { writeRecords } = await import('../../nodes/shared/domain/crm/service');
		const { canonStage, parseCompanyConfig } = await import('../../nodes/shared/domain/crm/company-config');
		const fs = await import('node:fs');
		const nordwind = parseCompanyConfig(JSON.parse(fs.readFileSync(`${__dirname}/../../workflows/companies/nordwind-services-eu.json`, 'utf8'))).config;
		const store = new MemoryStore();
		const writer = { kind: 'human' as const, name: 'jonas' };
		const results = await writeRecords(
			store,
			'opportunity',
			[
				{ fields: { externalId: 'O-1', crmStage: 'Angebot' }, settings: { writer } },
				{ fields: { externalId: 'O-2', crmStage: 'Irgendwas' }, settings: { writer } },
				{ fields: { externalId: 'O-3', crmStage: 'Angebot', stage: 'close_onboard' }, settings: { writer } },
			],
			{ canonStage: (s) => canonStage(nordwind, s) },
		);
		const stages = results.map((r) => (r instanceof Error ? r : r.outcome.record!.fields.stage));
		expect(stages).toEqual(['pipeline_progression', undefined, 'close_onboard']);
	});
});

describe('writing leads', () => {
	it("keeps a lead's account, owner and customer status when a later write has nothing to match on (a status change)", async () => {
		const { writeRecords } = await import('../../nodes/shared/domain/crm/service');
		const store = new MemoryStore();
		const rule = { kind: 'rule' as const, name: 'test' };
		await writeRecords(store, 'account', [{ fields: { domain: 'acme.com', tier: 'T1', owner: 'sam@fund.example', lifecycle: 'customer' }, settings: { writer: rule } }]);
		const [first] = await writeRecords(store, 'lead', [{ fields: { dedupeKey: 'email:ana@acme.com', email: 'ana@acme.com', icpTier: 'T3' }, settings: { writer: rule } }]);
		expect(first).toMatchObject({ outcome: { record: { fields: { tier: 'T1', tierSource: 'account', owner: 'sam@fund.example', existingCustomer: true, accountDomain: 'acme.com' } } } });
		// The first reply went out: only the status and the time are written.
		const [contacted] = await writeRecords(store, 'lead', [{ fields: { dedupeKey: 'email:ana@acme.com', status: 'contacted', firstRespondedAt: '2026-12-01T10:00:00.000Z' }, settings: { writer: rule, repeatCounts: false } }]);
		expect(contacted).toMatchObject({ outcome: { repeat: false, record: { fields: { status: 'contacted', tier: 'T1', owner: 'sam@fund.example', existingCustomer: true, accountDomain: 'acme.com' } } } });
		// With matching off, a write that carries a fit tier still gives it to a lead without an account.
		const [fit] = await writeRecords(store, 'lead', [{ fields: { dedupeKey: 'email:li@globex.io', email: 'li@globex.io', icpTier: 'T2' }, settings: { writer: rule } }], { matchAccounts: false });
		expect(fit).toMatchObject({ outcome: { record: { fields: { tier: 'T2', tierSource: 'fit' } } } });
		expect((fit as any).outcome.record.fields).not.toHaveProperty('existingCustomer');
	});
});
