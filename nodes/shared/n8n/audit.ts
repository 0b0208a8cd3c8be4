import type { IDataObject } from 'n8n-workflow';

export interface AuditEntry extends IDataObject {
	node: string;
	nodeVersion: number;
	/** What decided the outcome: a rule, a model, a person, or a fallback (a model failed, a timeout). */
	decidedBy: 'rule' | 'model' | 'human' | 'fallback';
	/** Hash of the rules or configuration that decided; null for nodes without a ruleset. */
	rulesetVersion: string | null;
	latencyMs: number;
	at: string;
}

/**
 * The audit entry of a node's output: which node and version decided, how (a rule by default), under
 * which rules or config (its hash), how long since `started`, and when. One builder for every node.
 */
export function nodeAudit(node: string, nodeVersion: number, rulesetVersion: string | null, started: number, decidedBy: AuditEntry['decidedBy'] = 'rule'): AuditEntry {
	return { node, nodeVersion, decidedBy, rulesetVersion, latencyMs: Date.now() - started, at: new Date().toISOString() };
}

/**
 * `_meta` is the audit of the node that produced the item; `auditTrail` keeps every node's entry in
 * order, so a CRM note can show the whole chain of decisions behind a lead. Sets both on `json`, which
 * must be the node's own new output object (never an input item's).
 */
export function addAudit(json: IDataObject, entry: AuditEntry): IDataObject {
	const previous = Array.isArray(json.auditTrail) ? (json.auditTrail as IDataObject[]) : [];
	json._meta = entry;
	json.auditTrail = [...previous, entry];
	return json;
}

/**
 * Patch semantics: only fields with a value, so a write never blanks what the CRM already knows.
 * `patch` must be the caller's own new object: it is returned as it is when nothing needs merging.
 */
export function mergeCrmPatch(json: IDataObject, patch: Record<string, unknown>): IDataObject {
	const previous = json.crmPatch && typeof json.crmPatch === 'object' ? (json.crmPatch as IDataObject) : undefined;
	// Plain loops, and no copy when there is nothing to merge or leave out: the scorers call this for
	// every account of a whole-CRM re-score.
	let complete = true;
	for (const k in patch) {
		const v = patch[k];
		if (v === null || v === undefined || v === '') complete = false;
	}
	if (!previous && complete) return patch as IDataObject;
	const merged: IDataObject = previous ? { ...previous } : {};
	for (const k in patch) {
		const v = patch[k];
		if (v !== null && v !== undefined && v !== '') merged[k] = v as IDataObject[string];
	}
	return merged;
}
