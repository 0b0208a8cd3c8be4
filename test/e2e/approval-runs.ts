// Driving the test approval workflow (fixtures/approval-gate-check.json) in a running n8n: start a run,
// follow its status, decide through the signed links, read what each branch received.
import { postForm, sleep, type Instance } from './n8n-instance';

export const GATE_NODE_ID = '5d6e7f80-0000-4000-8000-000000000002';
/** The test workflows: the gate with its separate clock execution, and with the loop clock (fixtures/approval-gate-loop.json). */
export const SEPARATE_CLOCK = { workflow: 'RvOpsTestApprove', path: 'revops-test-approval' };
export const LOOP_CLOCK = { workflow: 'RvOpsTestApproveLoop', path: 'revops-test-approval-loop' };

export function approvalTestRuns(instance: () => Instance, { workflow, path } = SEPARATE_CLOCK) {
	/** Every execution of the workflow, the gate's clock runs (sub-executions, mode "integrated") too. */
	const allRuns = async () => (await instance().server.executions(workflow)) as Array<{ id: string; mode: string; status: string }>;
	/** The workflow's own runs: the gate's clock runs as sub-executions of the same workflow (mode "integrated"). */
	const gateRuns = async () => (await allRuns()).filter((e: any) => e.mode !== 'integrated');
	/** Starts a run and returns its execution id once it is waiting (or finished), with the request sent. */
	const start = async (body: Record<string, unknown>) => {
		const known = new Set((await gateRuns()).map((e: any) => e.id));
		const sentBefore = instance().alerts.received.length;
		const res = await instance().server.fetchWhenRegistered(`/webhook/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
		expect(res.status).toBe(200);
		for (let i = 0; i < 120; i++) {
			const execution = (await gateRuns()).find((e: any) => !known.has(e.id) && e.status !== 'running' && e.status !== 'new');
			// Other runs' clocks may send reminders meanwhile: the request is the one naming this company.
			const request = instance().alerts.received.slice(sentBefore).find((r) => r.body?.kind === 'request' && String(r.body?.text).includes(String(body.company)))?.body;
			if (execution) return { id: String(execution.id), status: execution.status as string, request };
			await sleep(250);
		}
		throw new Error('the approval run neither waited nor finished');
	};
	const status = async (id: string) => (await gateRuns()).find((e: any) => String(e.id) === id)?.status;
	const waitUntilDone = async (id: string, timeoutMs = 30_000) => {
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			const s = await status(id);
			if (s && s !== 'waiting' && s !== 'running' && s !== 'new') return s;
			await sleep(500);
		}
		throw new Error(`execution ${id} still ${await status(id)} after ${timeoutMs} ms`);
	};
	/** Items per branch, from n8n's run data. */
	const decided = async (id: string) => {
		const runs = await instance().server.executionRuns(id);
		const items = (node: string) => (runs[node]?.[0]?.[0] ?? []).map((i: any) => i.json);
		return { approved: items('On Approved'), rejected: items('On Rejected'), timedOut: items('On Timed Out') };
	};
	const linkFor = (request: any, approver: string) => request.links.find((l: any) => l.approver === approver).url as string;
	const post = postForm;
	/** Messages the gate sent about one company: [kind, recipients], in order. */
	const messagesAbout = (company: string) =>
		instance().alerts.received.filter((r) => r.body?.title?.includes('Test approval request') && String(r.body?.text).includes(company)).map((r) => r.body);
	/** After a decision that does not finish the run, the gate runs again and waits again, the vote recorded. */
	const waitingAgain = async (id: string, votes: number) => {
		for (let i = 0; i < 120; i++) {
			const runs = (await instance().server.executionRuns(id))['Approval Gate'] ?? [];
			const shown = runs.at(-1)?.[0]?.[0]?.json?.approval?.progress;
			if ((await status(id)) === 'waiting' && (shown?.votes?.length ?? 0) >= votes) return;
			await sleep(250);
		}
		throw new Error(`execution ${id} did not wait again with ${votes} vote(s)`);
	};

	/**
	 * Decides through a link once its run is waiting, as a person would: the gate sends its messages
	 * just before the run goes to wait, and n8n answers 409 to a resume while the run is still running.
	 */
	const decideWhenWaiting = async (link: string, form: Record<string, string>) => {
		const executionId = new URL(link).pathname.split('/').slice(-2)[0];
		for (let i = 0; i < 120 && (await instance().server.executionStatus(executionId)) !== 'waiting'; i++) await sleep(250);
		return await postForm(link, form);
	};

	/**
	 * Posts a decision as the browser does, following the gate's "Not recorded yet" page (which sends the
	 * same form again) and n8n's 409 while the run is being resumed, until a final answer.
	 */
	const decideAsBrowser = async (link: string, form: Record<string, string>) => {
		const answers: Array<{ status: number; text: string }> = [];
		for (let i = 0; i < 40; i++) {
			const res = await post(link, form);
			const text = await res.text();
			answers.push({ status: res.status, text });
			const again = res.status === 409 && (text.includes('Not recorded yet') || (/running/i.test(text) && !text.includes('<html')));
			if (!again) return { final: answers.at(-1)!, answers };
			await sleep(1500);
		}
		throw new Error(`no final answer for ${link}: ${JSON.stringify(answers.at(-1))}`);
	};
	const recorded = (a: { status: number; text: string }) => a.status === 200 && a.text.includes('Recorded:');

	/** The live approval state the gate last showed for a run, once `ready` holds for it. */
	const lastProgressWhen = async (id: string, ready: (progress: any) => boolean) => {
		let progress: any;
		for (let i = 0; i < 120; i++) {
			progress = (await instance().server.executionRuns(id))['Approval Gate']?.at(-1)?.[0]?.[0]?.json?.approval?.progress;
			if (progress && ready(progress)) return progress;
			await sleep(250);
		}
		throw new Error(`execution ${id}: the gate never showed the expected state; last: ${JSON.stringify(progress)}`);
	};

	/**
	 * One round of two decisions within milliseconds on a fresh T1 run: every "Recorded" is recorded and
	 * counts, the other click gets a true answer and is on the item's record, and no vote is lost. In a
	 * chain only the manager may vote first, so the race there is the same person clicking twice.
	 * Returns the round's figures for the reliability report.
	 */
	const raceRound = async (mode: string, round: number) => {
		const run = await start({ tier: 'T1', company: `Race ${mode} ${round}`, mode });
		expect(run.status).toBe('waiting');
		const second = mode === 'chain' ? 'manager@acme.test' : 'vp@acme.test';
		const [a, b] = await Promise.all([
			decideAsBrowser(linkFor(run.request, 'manager@acme.test'), { decision: 'approve', comment: `a${round}` }),
			decideAsBrowser(linkFor(run.request, second), { decision: mode === 'any' ? 'reject' : 'approve', comment: `b${round}` }),
		]);
		const told = [a, b].map((x, i) => (recorded(x.final) ? (i === 0 ? `a${round}` : `b${round}`) : null)).filter((c): c is string => c !== null);
		let progress: any;
		if (mode === 'all') {
			// Both approvers' votes count, whichever came first: the run is approved with two votes.
			expect(await waitUntilDone(run.id)).toBe('success');
			const { approved } = await decided(run.id);
			expect(approved).toHaveLength(1);
			progress = approved[0].approval.progress;
		} else if (mode === 'any') {
			expect(await waitUntilDone(run.id)).toBe('success');
			const { approved, rejected } = await decided(run.id);
			expect([...approved, ...rejected]).toHaveLength(1);
			progress = [...approved, ...rejected][0].approval.progress;
		} else progress = await lastProgressWhen(run.id, (p) => p.votes.length >= 1);
		const counted = progress.votes.map((v: any) => v.comment);
		const lost = told.filter((c) => !counted.includes(c));
		const figures = { mode, told: told.length, lost: lost.length, onRecord: 0, afterEnd: 0, retried: a.answers.length + b.answers.length - 2 };
		expect(lost).toEqual([]);
		if (mode === 'all') {
			expect(told).toHaveLength(2);
			expect(progress.votes.map((v: any) => v.approver).sort()).toEqual(['manager@acme.test', 'vp@acme.test']);
			return figures;
		}
		// Any one, or a double click in a chain: exactly one is told "Recorded", and that one counts.
		expect(told).toHaveLength(1);
		expect(progress.votes).toHaveLength(1);
		const loser = recorded(a.final) ? b : a;
		const loserComment = recorded(a.final) ? `b${round}` : `a${round}`;
		// The other is told the truth: already decided (by them or someone else), or the run no longer waits.
		expect(loser.final.status).toBe(409);
		expect(loser.final.text).toMatch(/already|no longer|finished/i);
		if (loser.final.text.includes('kept in the request')) {
			// It came with the decision that counted, so it is on the item's record with why it did not count.
			if (mode === 'chain') progress = await lastProgressWhen(run.id, (p) => (p.notCounted?.length ?? 0) >= 1);
			expect((progress.notCounted ?? []).map((n: any) => n.comment)).toEqual([loserComment]);
			figures.onRecord = 1;
		} else {
			// It came after the counted decision had been applied: n8n answered it (the run had ended), or the
			// gate did without resuming the run only to note a refusal.
			expect(loser.final.text).toMatch(/finished|Nothing was changed/i);
			figures.afterEnd = 1;
		}
		return figures;
	};

	return { decideWhenWaiting, allRuns, gateRuns, start, status, waitUntilDone, decided, linkFor, post, messagesAbout, waitingAgain, raceRound };
}
