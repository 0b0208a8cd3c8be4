import { meddiccCrmField } from '../meddicc/crm';
import { FIELD_LABELS, MEDDICC_FIELDS } from '../meddicc/meddicc';
import type { DraftingConfig } from './config';

/**
 * Where a draft's names and template values are read from on an item, when the node does not map
 * them: the shapes our nodes write (Lead Normalizer's `lead`, ICP Scorer's `icp`, MEDDICC Extractor's
 * `meddicc`, Health Score's `health`, a RevOps CRM search's `crm.record.fields`), then plain names.
 * The one home of these paths for every draft kind.
 */

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim().slice(0, 300) : typeof v === 'number' && Number.isFinite(v) ? String(v) : null);
const first = (...values: unknown[]) => {
	for (const v of values) {
		const s = str(v);
		if (s) return s;
	}
	return null;
};
const emailOf = (v: unknown) => (typeof v === 'string' && /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v.trim()) ? v.trim() : null);
const labels = (v: unknown): string | null => {
	if (!Array.isArray(v)) return str(v);
	const list = v.map((x) => (typeof x === 'string' ? x : str(obj(x).label) ?? str(obj(x).id))).filter((x): x is string => !!x);
	return list.length ? list.slice(0, 10).join(', ') : null;
};

export interface DraftValues extends Json {
	firstName: string | null;
	fullName: string | null;
	recipientEmail: string | null;
	companyName: string | null;
	ownerName: string | null;
	ownerEmail: string | null;
	topic: string | null;
	accountName: string | null;
	tier: string | null;
}

export function draftValues(json: Json, config: { companyName: string; drafting: DraftingConfig }, mapped: Record<string, unknown> = {}): DraftValues {
	const lead = obj(json.lead);
	const record = obj(obj(obj(json.crm).record).fields);
	const account = obj(json.account);
	const contact = obj(json.contact);
	const owner = obj(json.owner);
	const routing = obj(obj(json.routing).owner);
	const meddicc = obj(obj(json.meddicc).fields);
	const health = obj(json.health);
	// A MEDDICC Extractor's result on the item, else the opportunity's canonical MEDDICC fields (a deal read from the CRM).
	const meddiccValue = (f: (typeof MEDDICC_FIELDS)[number]) => first(obj(meddicc[f]).value, record[meddiccCrmField(f)], json[meddiccCrmField(f)]);
	const fullName = first(lead.fullName, contact.fullName, json.fullName, json.name, record.name);
	const values: DraftValues = {
		firstName: first(lead.firstName, contact.firstName, json.firstName, record.firstName, fullName?.split(/\s+/)[0]),
		fullName,
		recipientEmail: first(lead.email, contact.email, json.email, record.email),
		companyName: config.companyName,
		ownerName: first(owner.name, routing.name, json.ownerName, typeof json.owner === 'string' ? json.owner : null, record.owner),
		// A CRM owner is a user id or an e-mail (canonical owner fields): an e-mail is where the owner is reached.
		ownerEmail: first(owner.email, routing.email, json.ownerEmail, record.ownerEmail, emailOf(json.owner), emailOf(record.owner)),
		topic: first(json.topic, obj(json.summary).useCase, obj(json.intent).category, record.message, lead.message),
		accountName: first(account.name, lead.company, json.company, record.company, account.domain, record.domain, record.accountDomain),
		tier: first(obj(json.icp).tier, account.tier, json.tier, record.tier),
		valueProposition: config.drafting.approvedContent.find((a) => a.kind === 'valueProposition')?.text ?? null,
		openPoints: labels(MEDDICC_FIELDS.filter((f) => !meddiccValue(f)).map((f) => FIELD_LABELS[f])),
		lastActivity: first(json.lastActivity, record.lastActivityAt, record.lastTouchAt),
		commitments: labels(json.commitments),
		healthBand: first(health.band),
		healthScore: first(health.healthScore),
		churnRisks: labels(health.churnRisks),
		expansionSignals: labels(health.expansionSignals),
		openCases: first(json.openCases, json.openEscalations, Array.isArray(json.cases) ? json.cases.length : null),
		nextStep: qbrNextStep(health),
	};
	for (const f of MEDDICC_FIELDS) values[f] = meddiccValue(f);
	// What the node maps wins; an empty mapping leaves the value read from the item.
	for (const [k, v] of Object.entries(mapped)) if (str(v)) values[k] = str(v);
	return values;
}

/**
 * The QBR's suggested next step, by rule from the health result: risks first (a renewal at risk is
 * not the moment to sell more), then expansion, else the renewal plan.
 */
export function qbrNextStep(health: Json): string | null {
	if (!Object.keys(health).length) return null;
	const risks = labels(health.churnRisks);
	const signals = labels(health.expansionSignals);
	if (risks) return `Address the risks before the renewal: ${risks}`;
	if (signals) return `Propose an expansion conversation: ${signals}`;
	return 'Confirm the success metrics and the renewal plan';
}

/** Our own bookkeeping on an item: never a fact a draft may state (a company config holds quotas, approvers, spend). */
const NOT_FACTS = new Set(['companyConfig', 'auditTrail', '_meta', 'trust', 'draft', 'sequence', 'riskFlags', 'crmPatch', 'approval']);

/** The record a draft may state facts from: the item without our own bookkeeping. */
export function draftFacts(json: Json): Json {
	const facts: Json = {};
	for (const [k, v] of Object.entries(json)) if (!NOT_FACTS.has(k)) facts[k] = v;
	return facts;
}
