import fs from 'node:fs';
import { approvalTestRuns, LOOP_CLOCK } from './approval-runs';
import { crmHistory, crmRecords, decodeHtml, startInstance, submitForm, VERSIONS, type Instance, INSTANCE_START_MS, broadIt } from './n8n-instance';
import { reportReliability } from '../reliability';

// n8n as scaled installations run it: a main process that takes webhooks and enqueues executions in
// Redis, and a worker process that runs them, both on one PostgreSQL database. The Approval Gate
// keeps nothing in memory between steps, so a decision taken by the main process and a clock tick
// both continue the run on the worker.
describe.each(VERSIONS)('Approval Gate and lead routing in n8n %s queue mode (main process, worker, Redis, PostgreSQL)', (version) => {
	let n8n: Instance;

	beforeAll(async () => {
		n8n = await startInstance(version, { queue: true });
	}, INSTANCE_START_MS);
	afterAll(async () => {
		await n8n?.stop();
	});

	const { start, waitUntilDone, decided, linkFor, post, messagesAbout, waitingAgain, raceRound } = approvalTestRuns(() => n8n);
	const loop = approvalTestRuns(() => n8n, LOOP_CLOCK);
	// Started first and checked last, so its two and a half minutes overlap the other tests.
	let loopRun: { id: string; status: string };
	broadIt(version)('loop clock in queue mode: starts a T1 run nobody answers, its reminder and deadline 72 s apart (checked at the end)', async () => {
		loopRun = await loop.start({ tier: 'T1', company: 'Queued Loop', timeoutMinutes: 2.4, reminderMinutes: 1.2 });
		expect(loopRun.status).toBe('waiting');
	});
	// 3 rounds per mode in the broad set (on 1.123, 1 with REVOPS_E2E_BROAD=1); REVOPS_QUEUE_RACE_ROUNDS sets both.
	const RACE_ROUNDS = Number(process.env.REVOPS_QUEUE_RACE_ROUNDS ?? (Number(version.split('.')[0]) >= 2 ? 3 : 1));

	broadIt(version).each(['any', 'all', 'chain'])(`two decisions within milliseconds in queue mode (%s): every "Recorded" is recorded, no vote lost (${RACE_ROUNDS} rounds)`, async (mode) => {
		const rounds: Array<Awaited<ReturnType<typeof raceRound>>> = [];
		for (let round = 0; round < RACE_ROUNDS; round++) rounds.push(await raceRound(mode, round));
		const sum = (k: 'told' | 'lost' | 'onRecord' | 'afterEnd') => rounds.reduce((n, r) => n + r[k], 0);
		reportReliability({ kind: 'race', mode, where: `n8n ${version}, queue mode`, rounds: rounds.length, told: sum('told'), lost: sum('lost'), onRecord: sum('onRecord'), afterEnd: sum('afterEnd') });
	}, Math.max(600_000, RACE_ROUNDS * 30_000));
	const workerRuns = (executionId: string) => fs.readFileSync(n8n.workerLog!, 'utf8').split(`Worker started execution ${executionId} (job`).length - 1;

	broadIt(version)('assigns leads submitted at the same moment on the worker: one owner each, the rotation by weight, no turn lost or doubled', async () => {
		const N = 12;
		const tag = `q${Date.now().toString(36)}`;
		const pages = await Promise.all(
			Array.from({ length: N }, (_, i) => submitForm(n8n.server, 'revops-inbound-lead', [`Quinn Lead${i}`, `quinn${i}.${tag}@queue-${tag}-${i}.com`, '', `Queue ${i} Ltd`, '', '', 'Canada', 'What is your pricing?'])),
		);
		// Every submitter is thanked (the page says why otherwise).
		expect(pages.map((p) => (/We received your request/.test(decodeHtml(p.html)) ? 'thanked' : decodeHtml(p.html).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').slice(-400)))).toEqual(Array(N).fill('thanked'));
		const leads = Object.values(await crmRecords(n8n, 'lead')).filter((l: any) => String(l.email).includes(tag));
		expect(leads).toHaveLength(N);
		// Canada: Acme's north-america rule (east team: Omar weight 2, Lena 1); Nordwind has no rule for it
		// (default team europe: Jonas 2, Sofie 1). Twelve turns of a 2:1 rotation are exactly 8 and 4.
		const owners = leads.map((l: any) => l.owner as string);
		const counts = Object.values(owners.reduce<Record<string, number>>((c, o) => ({ ...c, [o]: (c[o] ?? 0) + 1 }), {})).sort();
		expect(counts).toEqual([4, 8]);
		for (const l of leads) {
			const history = await crmHistory(n8n, 'lead', (l as any).dedupeKey);
			const ownerWrites = history.filter((h) => h.field === 'owner');
			if (ownerWrites.length !== 1) console.log(JSON.stringify({ key: (l as any).dedupeKey, fields: history.map((h) => `${h.field}:${h.writer}`) }));
			expect(ownerWrites).toEqual([expect.objectContaining({ writer: 'rule:Assign Owner' })]);
		}
	}, 300_000);

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

	broadIt(version)('runs the clock on the worker too: a reminder, an escalation, another reminder, then the timeout action', async () => {
		const run = await start({ tier: 'T2', confidence: 0.4, company: 'Queued Slowpoke', timeoutMinutes: 0.5, reminderMinutes: 0.25, escalateTo: 'director@acme.test', timeoutAction: 'reject' });
		expect(run.status).toBe('waiting');
		expect(await waitUntilDone(run.id, 200_000)).toBe('success');
		expect(messagesAbout('Queued Slowpoke').map((m) => m.kind)).toEqual(['request', 'reminder', 'escalation', 'reminder']);
		const { rejected } = await decided(run.id);
		expect(rejected.map((i: any) => [i.approval.decision, i.approval.decidedBy])).toEqual([['rejected', 'timeout']]);
		// Started once, then resumed by each of the four ticks.
		expect(workerRuns(run.id)).toBe(5);
	}, 240_000);

	broadIt(version)("loop clock in queue mode: the main process's timer woke the run twice, and the worker ran each lap", async () => {
		expect(await loop.waitUntilDone(loopRun.id, 300_000)).toBe('success');
		expect(messagesAbout('Queued Loop').map((m) => m.kind)).toEqual(['request', 'reminder']);
		const { timedOut } = await loop.decided(loopRun.id);
		expect(timedOut.map((i: any) => [i.approval.decision, i.approval.decidedBy])).toEqual([['timedOut', 'timeout']]);
		// Started once, then resumed by n8n's timer for the reminder and for the deadline; no clock execution.
		expect(workerRuns(loopRun.id)).toBe(3);
		expect((await loop.allRuns()).filter((e) => e.mode === 'integrated')).toEqual([]);
	}, 360_000);
});
