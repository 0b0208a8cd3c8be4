import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { itemParameter } from './item-router';

/**
 * Parameters whose empty value means "read it from the item", read here in code rather than by an
 * expression default such as `={{ $json.lead?.message ?? "" }}`. n8n 2.x evaluates every expression,
 * a default one included, in its sandboxed expression engine, at a cost of milliseconds an
 * evaluation: those defaults were paid on every item of every run, and on the inbound path they were
 * most of n8n's work beside the next submitter's form (#21). The same read in code costs nothing.
 */

/** An item's field by path, as `$json.a?.b` reads it. */
export function fieldAt(json: IDataObject, path: string): unknown {
	let value: unknown = json;
	for (const key of path.split('.')) {
		if (value === null || typeof value !== 'object') return undefined;
		value = (value as IDataObject)[key];
	}
	return value;
}

/** The first of these item fields that has a value (not null or undefined), as `$json.a ?? $json.b` reads them. */
export function firstField(json: IDataObject, paths: readonly string[]): unknown {
	for (const path of paths) {
		const value = fieldAt(json, path);
		if (value !== undefined && value !== null) return value;
	}
	return undefined;
}

/** A parameter left empty (n8n hands an unset parameter its default, here ''). */
export const isUnset = (value: unknown): boolean => value === '' || value === null || value === undefined;

/**
 * The parameter as given, or, left empty, what `fromItem` reads from the item. A value that cannot be
 * read for this item (a given expression n8n cannot evaluate, an item field no code can turn into
 * text) answers undefined: the node treats it as missing, as it did when n8n's engine failed on it.
 */
export function parameterOrItem(ctx: IExecuteFunctions, name: string, itemIndex: number, fromItem: (json: IDataObject) => unknown, onUnreadable?: (reason: string) => void): unknown {
	let unreadable = false;
	const given = itemParameter(ctx, name, itemIndex, '', (reason) => {
		unreadable = true;
		onUnreadable?.(reason);
	});
	if (unreadable) return undefined;
	if (!isUnset(given)) return given;
	try {
		return fromItem((ctx.getInputData()[itemIndex]?.json ?? {}) as IDataObject);
	} catch {
		return undefined;
	}
}

/** The first item's json of an earlier node, as `$('Name').first().json` reads it; undefined when that node has not run. */
export function firstOutputOf(ctx: IExecuteFunctions, node: string, itemIndex: number): IDataObject | undefined {
	try {
		const proxy = ctx.getWorkflowDataProxy(itemIndex) as unknown as { $: (name: string) => { first: () => { json?: IDataObject } | undefined } };
		return proxy.$(node).first()?.json;
	} catch {
		return undefined;
	}
}
