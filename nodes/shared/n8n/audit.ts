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

/** Patch semantics: only fields with a value, so a write never blanks what the CRM already knows. */
export function mergeCrmPatch(json: IDataObject, patch: Record<string, unknown>): IDataObject {
	const previous = json.crmPatch && typeof json.crmPatch === 'object' ? (json.crmPatch as IDataObject) : {};
	const clean: IDataObject = {};
	for (const [k, v] of Object.entries(patch)) {
		if (v !== null && v !== undefined && v !== '') clean[k] = v as IDataObject[string];
	}
	return { ...previous, ...clean };
}
