// The gate's loop clock (Clock: Loop Through the Clock Output): instead of a clock execution, the
// waiting run lays its items on the Clock output, waits until the next moment something may be due,
// and n8n's own timer passes them back into the gate through the wiring. Split from the node file the
// way n8n's sendAndWait is split; the separate clock execution is in notices.ts and timer-workflow.ts.
import { type DateTime } from 'luxon';
import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';
import { dueTimes, type Timeline } from '../../shared/domain/approval/progress';
import { verifyClockItem } from '../../shared/domain/approval/signed-link';
import { itemOut, outputCount, recordFor, type Held } from './held-items';
import { type GateSettings } from './settings';

/** The loop clock needs nothing started: this run wakes itself at each moment (ApprovalGateV1's wait). */
export function loopClock(timeline: Timeline, now: DateTime): string {
	const moments = dueTimes(timeline, now);
	return moments.length === 0 ? 'not needed' : `looping through the Clock output: ${moments.length} moments until ${moments[moments.length - 1]}`;
}

/**
 * The items as they wait for the loop clock: every one on the Clock output (the first), in order, each
 * with its live state and the gate's signature, so that when n8n's timer wakes the run they come back
 * into the gate's input as the same items and nothing else can pass for them.
 */
export function clockOutputs(ctx: IExecuteFunctions, held: Held[], settings: GateSettings, sign: (index: number) => string): INodeExecutionData[][] {
	const outputs: INodeExecutionData[][] = Array.from({ length: outputCount(settings) }, () => []);
	const nodeVersion = ctx.getNode().typeVersion;
	for (const h of [...held].sort((a, b) => a.index - b.index)) {
		outputs[0].push(itemOut(h.original, { ...recordFor(h), live: h.progress as unknown as IDataObject, clockSig: sign(h.index) }, h.index, nodeVersion));
	}
	return outputs;
}

/**
 * Whether the items coming in are the ones this gate laid on its Clock output in this execution (the
 * loop clock has woken the run), so their state continues. Items that merely carry an `approval`
 * field are new items; genuine ones mixed with others mean the Clock output is wired wrongly.
 */
export async function isClockLap(ctx: IExecuteFunctions, items: INodeExecutionData[]): Promise<boolean> {
	const marked = items.map((item) => (item.json.approval as IDataObject | undefined)?.clockSig);
	if (!marked.some((sig) => typeof sig === 'string')) return false;
	const secret = String((await ctx.getCredentials('revOpsApprovalApi')).secret ?? '');
	const executionId = ctx.getExecutionId();
	const nodeId = ctx.getNode().id;
	const indices = items.map((item) => Number((item.json.approval as IDataObject | undefined)?.index));
	const genuine = items.map((item, i) => verifyClockItem(executionId, nodeId, indices[i], marked[i], secret));
	if (!genuine.some(Boolean)) return false;
	const fix = "Wire the Clock output back into this gate's input on its own (through a No Operation node, say), passing its items on unchanged, with nothing else merged into that connection.";
	if (!genuine.every(Boolean)) throw new NodeOperationError(ctx.getNode(), "Items from this gate's Clock output came in together with other items", { itemIndex: genuine.indexOf(false), description: fix });
	const missing = missingLapItems(indices);
	if (missing.length > 0) throw new NodeOperationError(ctx.getNode(), `Items ${missing.join(', ')} of this gate's Clock output did not come back`, { itemIndex: 0, description: fix });
	return true;
}

/** The gate lays every item it holds on the Clock output, numbered from 0: those of them that did not come back. */
export function missingLapItems(indices: number[]): number[] {
	const back = new Set(indices);
	const expected = Math.max(indices.length, ...indices.map((i) => i + 1));
	return Array.from({ length: expected }, (_, i) => i).filter((i) => !back.has(i));
}

/**
 * Whether the Clock output leads back into this gate (directly or through other nodes). Read from the
 * workflow's connections, which n8n's context holds but does not publish; when they cannot be read,
 * the gate assumes it does not, and starts a separate clock execution instead of losing the items.
 */
export function clockLoopsBack(ctx: IExecuteFunctions): boolean {
	const name = ctx.getNode().name;
	const connections = (ctx as unknown as { workflow?: { connectionsBySourceNode?: Record<string, { main?: Array<Array<{ node: string }> | null> }> } }).workflow?.connectionsBySourceNode;
	const targets = connections?.[name]?.main?.[0] ?? [];
	return targets.some((t) => t.node === name || ctx.getChildNodes(t.node).some((c) => c.name === name));
}
