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
