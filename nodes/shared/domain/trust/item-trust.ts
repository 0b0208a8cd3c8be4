import type { InjectionCheck } from './injection-screen';

/**
 * The trust flag an item carries through the chain, as `json.trust`. Every node that screens adds to
 * it and none removes from it: once any node saw instructions in an outside field, every later node
 * treats the item as flagged (no model-decided category on a normal output, no model text in
 * `crmPatch`, the Approval Gate always asks a person).
 */
export interface ItemTrust {
	injectionSuspected: boolean;
	/** Why, one entry per node that flagged it ("intentClassifier: message: asks to ignore ..."). */
	reasons: string[];
	/** Outside fields that carried instructions. */
	fields: string[];
	/** Commitments (prices, discounts, budgets, approvals, "no review") found in model text. */
	commitments: string[];
}

export const UNFLAGGED: Readonly<ItemTrust> = Object.freeze({ injectionSuspected: false, reasons: [], fields: [], commitments: [] });

function strings(value: unknown): string[] {
	return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/**
 * What an item already carries: our own `trust` object, and the older places a flag lived
 * (`intent.injectionSuspected`, a top-level `injectionSuspected`), so items from earlier versions or
 * built by hand keep their flag.
 */
export function readTrust(json: Record<string, unknown>): ItemTrust {
	const t = json.trust && typeof json.trust === 'object' ? (json.trust as Record<string, unknown>) : null;
	const intent = json.intent && typeof json.intent === 'object' ? (json.intent as Record<string, unknown>) : null;
	const legacy = intent?.injectionSuspected === true || json.injectionSuspected === true;
	const suspected = t?.injectionSuspected === true || legacy;
	if (!t && !suspected) return UNFLAGGED;
	const reasons = strings(t?.reasons);
	if (legacy && !reasons.length) reasons.push(typeof intent?.injectionReason === 'string' ? `intent: ${intent.injectionReason}` : 'flagged upstream');
	return { injectionSuspected: suspected, reasons, fields: strings(t?.fields), commitments: strings(t?.commitments) };
}

/** The item's trust after a node's own screen and checks: the union, never less than before. */
export function addTrust(previous: ItemTrust, node: string, check: InjectionCheck, commitments: string[] = []): ItemTrust {
	if (!check.suspected && !commitments.length) return previous;
	const reasons = [...previous.reasons];
	if (check.suspected) reasons.push(`${node}: ${check.reason}`);
	if (commitments.length) reasons.push(`${node}: model text makes commitments (${commitments.join(', ')})`);
	return {
		injectionSuspected: previous.injectionSuspected || check.suspected,
		reasons: [...new Set(reasons)],
		fields: [...new Set([...previous.fields, ...check.fields])],
		commitments: [...new Set([...previous.commitments, ...commitments])],
	};
}

/**
 * Fields that came from outside, by the names our nodes and n8n's form, chat and CRM nodes give
 * them: the Lead Normalizer's `lead`, and the same names at the top level of a hand-built item.
 * Values that are not text are left out (they cannot carry instructions a model reads as text).
 */
const OUTSIDE_KEYS = ['message', 'company', 'fullName', 'firstName', 'lastName', 'name', 'jobTitle', 'title', 'website', 'email', 'notes', 'note', 'transcript', 'chatInput', 'subject', 'body', 'text', 'description', 'comment', 'comments'] as const;
const SOURCE_KEYS = ['source', 'medium', 'campaign', 'term', 'content', 'referrer', 'landingPage'] as const;

export function outsideFields(json: Record<string, unknown>): Record<string, string> {
	const out: Record<string, string> = {};
	const take = (prefix: string, obj: unknown, keys: readonly string[]) => {
		if (!obj || typeof obj !== 'object') return;
		const o = obj as Record<string, unknown>;
		for (const k of keys) {
			const v = o[k];
			if (typeof v === 'string' && v.trim()) out[`${prefix}${k}`] = v;
		}
	};
	take('lead.', json.lead, OUTSIDE_KEYS);
	take('lead.source.', (json.lead as Record<string, unknown> | undefined)?.source, SOURCE_KEYS);
	take('', json, OUTSIDE_KEYS);
	// A Webhook or Form Trigger item keeps what was sent under `body`.
	take('body.', json.body, OUTSIDE_KEYS);
	take('', json, ['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content']);
	return out;
}
