import { DateTime } from 'luxon';
import { PostgresStore } from '../../nodes/shared/domain/crm/postgres-store';
import { RoutingConfigSchema } from '../../nodes/shared/domain/routing/config';
import { pickWeighted } from '../../nodes/shared/domain/routing/route';
import { assignOwners } from '../../nodes/shared/domain/routing/rotation';
import { usePostgres } from './pg-server';

// The stored rotation on a real PostgreSQL: a restart (a new connection pool, as a new n8n process
// has) continues where the last decision stopped, and workers with pools of their own never give
// two leads the same turn.
jest.setTimeout(120_000);

const server = usePostgres('revops-rotation-');
// A pool size of its own gives each "worker" its own pool (the pool cache keys on it).
const open = (connections = 4) => new PostgresStore({ host: '127.0.0.1', port: server.port, database: 'crm', user: 'postgres', schema: 'rotation', maxConnections: connections });
const company = { timezone: 'UTC', workingDays: [1, 2, 3, 4, 5, 6, 7], dayStart: '00:00', dayEnd: '24:00', holidays: [] };
const config = RoutingConfigSchema.parse({
	queueOwner: 'queue@example.com',
	defaultTeam: 'sales',
	reps: [
		{ id: 'a', name: 'A', email: 'a@example.com', weight: 3 },
		{ id: 'b', name: 'B', email: 'b@example.com', weight: 2 },
		{ id: 'c', name: 'C', email: 'c@example.com', weight: 1 },
	],
});
const now = DateTime.fromISO('2026-12-02T10:00:00Z', { zone: 'utc' });

/** The smooth weighted round-robin's own sequence, computed without any store. */
function expectedSequence(n: number): string[] {
	let credits: Record<string, number> = {};
	return Array.from({ length: n }, () => {
		const pick = pickWeighted(credits, config.reps.map((r) => ({ id: r.id, weight: r.weight })));
		credits = pick.credits;
		return pick.id;
	});
}

describe('stored rotation on PostgreSQL', () => {
	it('continues the same sequence across restarts of the process (new pools)', async () => {
		const seen: string[] = [];
		for (let restart = 0; restart < 4; restart++) {
			const store = open();
			await store.ensureSchema();
			for (let i = 0; i < 3; i++) seen.push((await assignOwners(store, 'restarts', [{ country: 'DE' }], config, company, now)).decisions[0].repId!);
			await store.close();
		}
		expect(seen).toEqual(expectedSequence(12));
	});

	it('gives 60 leads from 6 workers at once exactly the weights (30, 20, 10), each turn once', async () => {
		const workers = Array.from({ length: 6 }, (_, i) => open(2 + i));
		await workers[0].ensureSchema();
		try {
			const runs = await Promise.all(
				Array.from({ length: 60 }, (_, i) => assignOwners(workers[i % 6], 'race', [{ country: 'DE' }], config, company, now)),
			);
			const count = (id: string) => runs.filter((r) => r.decisions[0].repId === id).length;
			expect([count('a'), count('b'), count('c')]).toEqual([30, 20, 10]);
			// Each committed write moved the state's revision by one: 60 decisions, 60 revisions.
			expect(runs.map((r) => r.revision).sort((x, y) => x - y)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
		} finally {
			await Promise.all(workers.map((w) => w.close()));
		}
	});
});
