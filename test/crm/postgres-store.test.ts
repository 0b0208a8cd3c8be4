import { PostgresStore, checkSchemaName } from '../../nodes/shared/domain/crm/postgres-store';
import { upsertMany } from '../../nodes/shared/domain/crm/upsert';
import { usePostgres } from './pg-server';
import { storeContract, lead } from './store-contract';

jest.setTimeout(60_000);

const stores: PostgresStore[] = [];
const server = usePostgres('revops-crm-pg-', async () => {
	for (const s of stores) await s.close().catch(() => undefined);
});

const connect = (schema = 'acme_revops') => {
	const store = new PostgresStore({ host: '127.0.0.1', port: server.port, database: 'crm', user: 'postgres', schema });
	stores.push(store);
	return store;
};

describe('CRM store contract: PostgreSQL', () => {
	storeContract(async () => connect());
});

describe('PostgreSQL backend', () => {
	it('migrates once when many workers start at once, and records the schema version', async () => {
		// Separate pools (a pool per connection settings), as separate workers have: each would migrate on its own.
		const many = Array.from({ length: 6 }, (_, i) => new PostgresStore({ host: '127.0.0.1', port: server.port, database: 'crm', user: 'postgres', schema: 'nordwind_crm', maxConnections: i + 1 }));
		await Promise.all(many.map((s) => s.ensureSchema()));
		expect(server.queryValue('crm', 'SELECT count(*) FROM nordwind_crm.revops_schema_version')).toBe('1');
		for (const s of many) await s.close();
	});

	it('keeps two companies apart in their own schemas', async () => {
		const a = connect('company_a');
		const b = connect('company_b');
		await a.ensureSchema();
		await b.ensureSchema();
		await upsertMany(a, [lead('shared-key', { email: 'a@a.example' })]);
		expect(await b.findByKeys('lead', ['shared-key'])).toEqual([]);
		expect((await a.findByKeys('lead', ['shared-key']))[0].fields.email).toBe('a@a.example');
	});

	it('refuses a schema name that is not a plain identifier, naming the fix', () => {
		expect(() => checkSchemaName('acme; DROP TABLE x')).toThrow(/not a plain lower-case name/);
		expect(() => checkSchemaName('Acme')).toThrow(expect.objectContaining({ fix: expect.stringContaining('crm.postgres.schema') }));
	});

	it('writes a record and its history in one transaction: a failing history write leaves no record', async () => {
		const store = connect();
		await store.ensureSchema();
		const bad = { ...lead('tx-key', { email: 'x@y.example' }) };
		// A history entry with a record id that is not a uuid fails inside the transaction.
		const original = store.insert.bind(store);
		store.insert = (records, history) => original(records, history.map((h) => h.map((e) => ({ ...e, recordId: 'not-a-uuid' }))));
		await expect(upsertMany(store, [bad])).rejects.toThrow();
		store.insert = original;
		expect(await store.findByKeys('lead', ['tx-key'])).toEqual([]);
	});

	it('handles a batch of 2,000 upserts in a handful of statements', async () => {
		const store = connect('bulk');
		await store.ensureSchema();
		const before = store.calls;
		const requests = Array.from({ length: 2000 }, (_, i) => lead(`bulk-${i % 1500}`, { email: `p${i}@x.example`, status: 'new' }));
		const outcomes = await upsertMany(store, requests);
		expect(outcomes.filter((o) => o.action === 'created')).toHaveLength(1500);
		expect(outcomes.filter((o) => o.repeat)).toHaveLength(500);
		expect(store.calls - before).toBeLessThanOrEqual(12);
		expect(server.queryValue('crm', "SELECT count(*) FROM bulk.revops_record WHERE object = 'lead'")).toBe('1500');
		expect(server.queryValue('crm', "SELECT sum(duplicates) FROM bulk.revops_record")).toBe('500');
	});
});
