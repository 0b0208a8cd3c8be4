import type { IConnections, INode, IWorkflowBase } from 'n8n-workflow';

/**
 * The gate's clock: a small workflow the gate starts as a sub-execution when a run begins to wait.
 * It waits (n8n's own Wait node, so the wait is persisted, survives restarts and works in queue mode)
 * until each moment something may be due, then POSTs a signed tick to the waiting gate, which sends
 * reminders, escalates or applies the default action. n8n resumes a waiting node by its timer without
 * running the node's code, which is why the ticks come from outside the waiting run (or, with the
 * loop clock, loop-clock.ts, the items come back into the gate through its wiring).
 *
 * When the gate's run has finished, n8n answers the next tick with 409; the tick's error output leads
 * nowhere, so the clock stops there instead of waiting out the rest of its schedule.
 */
export interface Tick {
	at: string;
	url: string;
}

export function timerWorkflow(name: string, ticks: Tick[]): IWorkflowBase {
	const nodes: INode[] = [
		{ id: 'revops-timer-start', name: 'Start', type: 'n8n-nodes-base.executeWorkflowTrigger', typeVersion: 1.1, position: [0, 0], parameters: { inputSource: 'passthrough' } },
	];
	const connections: IConnections = {};
	let previous = 'Start';
	ticks.forEach((tick, k) => {
		const wait = `Wait Until ${tick.at}`;
		const send = `Tick ${k + 1}`;
		nodes.push(
			{ id: `revops-timer-wait-${k}`, name: wait, type: 'n8n-nodes-base.wait', typeVersion: 1.1, position: [240 + k * 480, 0], parameters: { resume: 'specificTime', dateTime: tick.at }, webhookId: `revops-timer-wait-${k}` },
			{
				id: `revops-timer-tick-${k}`,
				name: send,
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [480 + k * 480, 0],
				parameters: { method: 'POST', url: tick.url, options: { timeout: 30_000 } },
				// n8n may be busy resuming the run for a decision (409 "running"): try again shortly.
				retryOnFail: true,
				maxTries: 3,
				waitBetweenTries: 5000,
				onError: 'continueErrorOutput',
			},
		);
		connections[previous] = { main: [[{ node: wait, type: 'main', index: 0 }]] };
		connections[wait] = { main: [[{ node: send, type: 'main', index: 0 }]] };
		previous = send;
	});
	return {
		name,
		nodes,
		connections,
		active: false,
		settings: { executionOrder: 'v1' },
		createdAt: new Date(),
		updatedAt: new Date(),
	} as unknown as IWorkflowBase;
}
