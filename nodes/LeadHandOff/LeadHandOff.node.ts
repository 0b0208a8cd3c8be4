import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

// EXPERIMENT: hands items to a workflow without waiting, gathering items handed over within a
// window of the previous start into one run of that workflow.
interface Waiting { items: INodeExecutionData[]; ctx: IExecuteFunctions; done: (error?: Error) => void }
interface Lane { pending: Waiting[]; timer: NodeJS.Timeout | null; lastStart: number }
const lanes = new Map<string, Lane>();

async function start(workflowId: string, lane: Lane): Promise<void> {
	const batch = lane.pending.splice(0);
	lane.timer = null;
	lane.lastStart = Date.now();
	const ctx = batch[0].ctx;
	const items = batch.flatMap((w) => w.items.map((i) => ({ json: i.json })));
	try {
		const proxy = ctx.getWorkflowDataProxy(0);
		await ctx.executeWorkflow({ id: workflowId }, items, undefined, {
			doNotWaitToFinish: true,
			parentExecution: { executionId: proxy.$execution.id, workflowId: proxy.$workflow.id as string, shouldResume: false },
		});
		for (const w of batch) w.done();
	} catch (error) {
		for (const w of batch) w.done(error as Error);
	}
}

export class LeadHandOff implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Lead Hand Off (experiment)',
		name: 'leadHandOff',
		icon: { light: 'file:leadHandOff.svg', dark: 'file:leadHandOff.dark.svg' },
		group: ['transform'],
		version: 1,
		description: 'Experiment: batch hand-off',
		defaults: { name: 'Lead Hand Off' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{ displayName: 'Workflow ID', name: 'workflowId', type: 'string', default: '' },
			{ displayName: 'Window (Ms)', name: 'windowMs', type: 'number', default: 1000 },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const workflowId = this.getNodeParameter('workflowId', 0) as string;
		const windowMs = this.getNodeParameter('windowMs', 0) as number;
		let lane = lanes.get(workflowId);
		if (!lane) lanes.set(workflowId, (lane = { pending: [], timer: null, lastStart: 0 }));
		const l = lane;
		await new Promise<void>((resolve, reject) => {
			l.pending.push({ items, ctx: this, done: (e) => (e ? reject(e) : resolve()) });
			if (!l.timer) l.timer = setTimeout(() => void start(workflowId, l), Math.max(0, l.lastStart + windowMs - Date.now()));
		});
		return [items];
	}
}
