// Driving the test approval workflow (fixtures/approval-gate-check.json) in a running n8n: start a run,
// follow its status, decide through the signed links, read what each branch received.
import { postForm, sleep, type Instance } from './n8n-instance';

const WORKFLOW = 'RvOpsTestApprove';
export const GATE_NODE_ID = '5d6e7f80-0000-4000-8000-000000000002';

export function approvalTestRuns(instance: () => Instance) {
	/** The workflow's own runs: the gate's clock runs as sub-executions of the same workflow (mode "integrated"). */
	const gateRuns = async () => (await instance().server.executions(WORKFLOW)).filter((e: any) => e.mode !== 'integrated');
	/** Starts a run and returns its execution id once it is waiting (or finished), with the request sent. */
	const start = async (body: Record<string, unknown>) => {
		const known = new Set((await gateRuns()).map((e: any) => e.id));
		const sentBefore = instance().alerts.received.length;
		const res = await instance().server.fetchWhenRegistered('/webhook/revops-test-approval', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
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

	return { decideWhenWaiting, gateRuns, start, status, waitUntilDone, decided, linkFor, post, messagesAbout, waitingAgain };
}
