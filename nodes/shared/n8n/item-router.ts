import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';
import { ConfigError } from '../domain/config-error';

export interface RoutedItem {
	output: number;
	json: IDataObject;
}

/** Turns any failure into the n8n error type, with the item index and a description that says the fix. */
export function toNodeError(ctx: IExecuteFunctions, error: unknown, itemIndex: number): NodeOperationError | NodeApiError {
	if (error instanceof NodeOperationError || error instanceof NodeApiError) {
		error.context.itemIndex ??= itemIndex;
		return error;
	}
	if (error instanceof ConfigError) {
		return new NodeOperationError(ctx.getNode(), error.message, {
			itemIndex,
			description: error.fix,
		});
	}
	const message = error instanceof Error ? error.message : String(error);
	// Errors that know their fix (a failed model request says what to change) carry it as the description.
	const fix = (error as { fix?: unknown } | null)?.fix;
	return new NodeOperationError(ctx.getNode(), message, { itemIndex, ...(typeof fix === 'string' ? { description: fix } : {}) });
}

/**
 * The item loop every node shares: each input item yields exactly one output item on the output the
 * handler picks, and a failing item either stops the run with an error that names the item, or (with
 * "On Error: Continue") leaves as an error item, so items in == items out. Error items follow n8n's
 * convention ({ error } plus pairedItem): n8n moves them to the Error output and, through pairedItem,
 * puts the input item's fields back on them.
 */
function errorItem(ctx: IExecuteFunctions, error: unknown, i: number): INodeExecutionData {
	const nodeError = toNodeError(ctx, error, i);
	if (!ctx.continueOnFail()) throw nodeError;
	return { json: { error: nodeError.message }, error: nodeError, pairedItem: { item: i } };
}

/**
 * Like routeItems, but all items are handled at once (their model calls are capped by the caller's
 * limiter) and routed in input order afterwards.
 */
export async function routeItemsConcurrently(
	ctx: IExecuteFunctions,
	outputCount: number,
	errorOutput: number,
	handle: (item: INodeExecutionData, itemIndex: number) => Promise<RoutedItem>,
): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	const settled = await Promise.allSettled(items.map((item, i) => handle(item, i)));
	const outputs: INodeExecutionData[][] = Array.from({ length: outputCount }, () => []);
	settled.forEach((result, i) => {
		if (result.status === 'fulfilled') outputs[result.value.output].push({ json: result.value.json, pairedItem: { item: i } });
		else outputs[errorOutput].push(errorItem(ctx, result.reason, i));
	});
	return outputs;
}

export async function routeItems(
	ctx: IExecuteFunctions,
	outputCount: number,
	errorOutput: number,
	handle: (item: INodeExecutionData, itemIndex: number) => RoutedItem | Promise<RoutedItem>,
): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	const outputs: INodeExecutionData[][] = Array.from({ length: outputCount }, () => []);
	for (let i = 0; i < items.length; i++) {
		try {
			let routed = handle(items[i], i);
			// Awaiting only real promises keeps a synchronous handler free of a microtask per item.
			if (routed instanceof Promise) routed = await routed;
			const { output, json } = routed;
			outputs[output].push({ json, pairedItem: { item: i } });
		} catch (error) {
			outputs[errorOutput].push(errorItem(ctx, error, i));
		}
	}
	return outputs;
}

/**
 * For nodes that work on the whole batch at once (one database round trip for many items): the handler
 * answers per input item a routed result, or the Error of that item alone; the shared error handling
 * then applies as in routeItems. A handler that throws fails every item (a database that cannot be
 * reached is every item's error).
 */
export async function routeBatch(
	ctx: IExecuteFunctions,
	outputCount: number,
	errorOutput: number,
	handle: (items: INodeExecutionData[]) => Promise<Array<RoutedItem | RoutedItem[] | Error>>,
	refuse?: (item: INodeExecutionData, error: NodeOperationError | NodeApiError) => RoutedItem,
): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	const outputs: INodeExecutionData[][] = Array.from({ length: outputCount }, () => []);
	let results: Array<RoutedItem | RoutedItem[] | Error>;
	let failedWhole = false;
	try {
		results = await handle(items);
	} catch (error) {
		results = items.map(() => error as Error);
		failedWhole = true;
	}
	// With On Error at Stop, one item's problem still must not stop the run: such an item leaves
	// refused, with the reason and the fix. Only a failure of the whole call, or every item failing the
	// same way, is about the setup, and stops the run with the fix.
	const errors = results.filter((r): r is Error => r instanceof Error);
	const setupProblem = failedWhole || (errors.length === results.length && new Set(errors.map((e) => e.message)).size === 1 && results.length > 1);
	const refuseItem = refuse && !ctx.continueOnFail() && !setupProblem;
	results.forEach((result, i) => {
		if (result instanceof Error && refuseItem) {
			const { output, json } = refuse(items[i], toNodeError(ctx, result, i));
			outputs[output].push({ json, pairedItem: { item: i } });
		} else if (result instanceof Error) outputs[errorOutput].push(errorItem(ctx, result, i));
		// A search answers several items for one input item, each paired with it.
		else for (const { output, json } of Array.isArray(result) ? result : [result]) outputs[output].push({ json, pairedItem: { item: i } });
	});
	return outputs;
}

/**
 * The refuse hook of routeBatch for a node whose result lives under `key`: the item passes on with
 * `{ action: "refused", error, fix }` there, so the next node (and a person) sees why.
 */
export function refusedUnder(key: string, output: number, extra: IDataObject = {}): (item: INodeExecutionData, error: NodeOperationError | NodeApiError) => RoutedItem {
	return (item, error) => ({ output, json: { ...item.json, [key]: { action: 'refused', ...extra, error: error.message, fix: error.description ?? null } } });
}

/**
 * Reads a parameter of one item whose expression reads the item's data. n8n's expression engine can
 * throw on a hostile value (an invalid date, an object where text was expected); that is one item's
 * data, so the value counts as missing, `onUnreadable` hears why, and the item goes on flagged.
 */
export function itemParameter(ctx: IExecuteFunctions, name: string, itemIndex: number, fallback: unknown, onUnreadable: (reason: string) => void): unknown {
	try {
		return ctx.getNodeParameter(name, itemIndex, fallback);
	} catch (error) {
		onUnreadable(`${name} could not be read from this item (${error instanceof Error ? error.message : 'unknown error'})`);
		return fallback;
	}
}
