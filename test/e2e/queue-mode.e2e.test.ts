import fs from 'node:fs';
import { approvalTestRuns } from './approval-runs';
import { startInstance, VERSIONS, type Instance } from './n8n-instance';

// n8n as scaled installations run it: a main process that takes webhooks and enqueues executions in
// Redis, and a worker process that runs them, both on one PostgreSQL database. The Approval Gate
// keeps nothing in memory between steps, so a decision taken by the main process and a clock tick
// both continue the run on the worker.
describe.each(VERSIONS)('Approval Gate in n8n %s queue mode (main process, worker, Redis, PostgreSQL)', (version) => {
	let n8n: Instance;

	beforeAll(async () => {
		n8n = await startInstance(version, { queue: true });
	});
	afterAll(async () => {
		await n8n?.stop();
	});

	const { start, waitUntilDone, decided, linkFor, post, messagesAbout, waitingAgain, raceRound } = approvalTestRuns(() => n8n);
	const RACE_ROUNDS = Number(process.env.REVOPS_QUEUE_RACE_ROUNDS ?? 3);

	it.each(['any', 'all', 'chain'])(`two decisions within milliseconds in queue mode (%s): every "Recorded" is recorded, no vote lost (${RACE_ROUNDS} rounds)`, async (mode) => {
		for (let round = 0; round < RACE_ROUNDS; round++) await raceRound(mode, round);
	}, 600_000);
	const workerRuns = (executionId: string) => fs.readFileSync(n8n.workerLog!, 'utf8').split(`Worker started execution ${executionId} (job`).length - 1;

	it('waits, takes both approvals through the main process, and runs every step on the worker', async () => {
		const run = await start({ tier: 'T1', company: 'Queue Corp', mode: 'all' });
		expect(run.status).toBe('waiting');
		expect((await post(linkFor(run.request, 'manager@acme.test'), { decision: 'approve' })).status).toBe(200);
		await waitingAgain(run.id, 1);
		expect((await post(linkFor(run.request, 'vp@acme.test'), { decision: 'approve', comment: 'Scaled out' })).status).toBe(200);
		expect(await waitUntilDone(run.id)).toBe('success');
		const { approved } = await decided(run.id);
		expect(approved.map((i: any) => [i.approval.decision, i.approval.decidedBy, i.approval.comment])).toEqual([['approved', 'manager@acme.test, vp@acme.test', 'Scaled out']]);
		// The first run and each of the two resumptions were jobs the worker ran.
		expect(workerRuns(run.id)).toBe(3);
	});

	it('runs the clock on the worker too: a reminder, an escalation, another reminder, then the timeout action', async () => {
		const run = await start({ tier: 'T2', confidence: 0.4, company: 'Queued Slowpoke', timeoutMinutes: 0.5, reminderMinutes: 0.25, escalateTo: 'director@acme.test', timeoutAction: 'reject' });
		expect(run.status).toBe('waiting');
		expect(await waitUntilDone(run.id, 200_000)).toBe('success');
		expect(messagesAbout('Queued Slowpoke').map((m) => m.kind)).toEqual(['request', 'reminder', 'escalation', 'reminder']);
		const { rejected } = await decided(run.id);
		expect(rejected.map((i: any) => [i.approval.decision, i.approval.decidedBy])).toEqual([['rejected', 'timeout']]);
		// Started once, then resumed by each of the four ticks.
		expect(workerRuns(run.id)).toBe(5);
	}, 240_000);
});
