import type { IDataObject } from 'n8n-workflow';
import type { InjectionCheck } from '../domain/trust/injection-screen';
import { addTrust, readTrust, type ItemTrust } from '../domain/trust/item-trust';

/** The trust flag the item arrived with (see domain/trust/item-trust.ts). */
export function trustOf(json: IDataObject): ItemTrust {
	return readTrust(json as Record<string, unknown>);
}

/** Writes the item's trust after this node onto its new output json: never less flagged than it came in. */
export function withTrust(json: IDataObject, previous: ItemTrust, node: string, check: InjectionCheck | null, commitments: string[] = []): ItemTrust {
	const trust = check ? addTrust(previous, node, check, commitments) : previous;
	json.trust = trust as unknown as IDataObject;
	return trust;
}
