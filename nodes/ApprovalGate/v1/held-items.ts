// The items as the Approval Gate holds them: the record each carries, how new items are held (the
// policy per item), how waiting items come back, and how they leave on the outputs. Split from the
// node file the way n8n's sendAndWait is split (description, webhook, helpers).
import { DateTime } from 'luxon';
import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';
import { applyEdits, asText, getPath, type FieldChange, type ShownItem } from '../../shared/domain/approval/approval-request';
import { awaiting, planTimeline, type ApprovalMode, type Progress, type Timeline, type TimeoutAction } from '../../shared/domain/approval/progress';
import { decideApprovalNeed, type PolicyDecision, type Tier } from '../../shared/domain/approval/policy';
import { ApprovalRules } from '../../shared/domain/approval/rules';
import { BusinessCalendar } from '../../shared/domain/business-calendar';
import { companyApprovers } from '../../shared/domain/crm/company-config';
import { safeText } from '../../shared/domain/text';
import { addAudit, type AuditEntry, nodeAudit } from '../../shared/n8n/audit';
import { readCalendar, splitList } from '../../shared/n8n/calendar-params';
import { InjectionScreen } from '../../shared/domain/trust/injection-screen';
import { outsideFields } from '../../shared/domain/trust/item-trust';
import { trustOf } from '../../shared/n8n/trust';
import { toNodeError } from '../../shared/n8n/item-router';
import { parameterOrItem } from '../../shared/n8n/item-defaults';
import { POLICY_INPUTS_FROM_ITEM } from './description';
import { type Channel } from './delivery';
import { type GateSettings } from './settings';

export const WEBHOOK_PATH = 'approval';
export const APPROVED = 0;
export const REJECTED = 1;
export const TIMED_OUT = 2;
/** n8n's own timer resumes the run this long after the last deadline, should the gate's clock have failed. */
export const FALLBACK_GRACE_MS = 2 * 60_000;

export interface ApprovalRecord extends IDataObject {
	index: number;
	/** Whether a person was asked (false: the policy decided alone). */
	humanRequired: boolean;
	decision: 'approved' | 'rejected' | 'timedOut' | 'pending';
	/** An approver's address (several joined with ", " when all had to approve), "policy" or "timeout". */
	decidedBy: string | null;
	decidedAt: string | null;
	requestedAt: string | null;
	/** When the approvers' links stop working. */
	expiresAt: string | null;
	tier: Tier;
	ruleId: string;
	reason: string;
	comment: string | null;
	edits: FieldChange[];
	channel: Channel | null;
	approvers: string[];
	mode: ApprovalMode | null;
	timeoutAction: TimeoutAction | null;
	/** Votes, messages sent (requests, reminders, escalations) and the outcome. */
	progress: Progress | null;
	timeline: Timeline | null;
	/** Whether the gate's clock (reminders, escalation) runs; why not, when it could not start. */
	clock: string | null;
}

/** An item as the gate holds it while a person decides: the input as it came, the policy's verdict, the live progress. */
export interface Held {
	index: number;
	original: IDataObject;
	record: ApprovalRecord;
	/** The live state; null when the policy decided alone, or before the first request. */
	progress: Progress | null;
}

/** What the waiting webhook hands to the resumed gate. */
export type GateEvent = { type: 'decisions'; decisions: DecisionEvent[] } | { type: 'tick'; at: string };
/** One decision sent through a signed link; `edits` by item index. */
export interface DecisionEvent {
	approver: string;
	decision: 'approved' | 'rejected';
	comment: string | null;
	edits: Record<string, Record<string, string>>;
	at: string;
}

export const EVENT_KEY = 'revopsApproval';

/** The waiting items' state, compact: a resume handed over from it has been applied once it changes. */
export function stateStamp(items: INodeExecutionData[]): string {
	return JSON.stringify(items.map((item) => {
		const p = live(item.json.approval as ApprovalRecord);
		return p ? [p.votes.length, p.notices.length, p.reminded.length, p.step, p.escalated, p.outcome?.decision ?? null] : null;
	}));
}

export function shown(item: IDataObject, index: number, settings: Pick<GateSettings, 'showFields' | 'editableFields'>): ShownItem {
	return {
		index,
		fields: settings.showFields.map((path) => ({ label: path, value: asText(getPath(item, path)) })).filter((f) => f.value !== ''),
		editable: settings.editableFields.map((path) => ({ path, value: asText(getPath(item, path)) })),
	};
}

/** The first output decided items leave on: with the loop clock, the Clock output comes before it. */
export const firstDecisionOutput = (settings: Pick<GateSettings, 'clock'>): number => (settings.clock === 'loop' ? 1 : 0);

/** The output an item leaves on. */
export function outputIndex(decision: ApprovalRecord['decision'], settings: Pick<GateSettings, 'layout' | 'clock'>): number {
	if (settings.layout === 'single') return firstDecisionOutput(settings);
	return firstDecisionOutput(settings) + (decision === 'approved' ? APPROVED : decision === 'rejected' ? REJECTED : TIMED_OUT);
}

/** How many outputs the gate has: the decisions' (three, or one), plus Clock first with the loop clock. */
export function outputCount(settings: Pick<GateSettings, 'layout' | 'clock'>): number {
	return (settings.layout === 'single' ? 1 : 3) + firstDecisionOutput(settings);
}

export function withRecord(json: IDataObject, record: ApprovalRecord, nodeVersion: number, started: number): IDataObject {
	const audit: AuditEntry = {
		...nodeAudit('approvalGate', nodeVersion, null, started, record.decidedBy === 'policy' ? 'rule' : record.decidedBy === 'timeout' ? 'fallback' : 'human'),
		ruleId: record.ruleId,
		approval: record.decision,
		approvalDecidedBy: record.decidedBy,
		// Every decision sent through a link, also those that did not count (decided meanwhile, a second click).
		approvalAttempts: (record.progress?.votes.length ?? 0) + (record.progress?.notCounted?.length ?? 0) + (record.progress?.notCountedOverflow ?? 0),
		approvalNotCounted: (record.progress?.notCounted ?? []).map((a) => `${a.approver} ${a.decision} at ${a.at}: ${a.reason}`),
	};
	return addAudit({ ...json, approval: record }, audit);
}

/** Adds signed claims to n8n's resume URL, which already carries n8n's own token. */
export function gateUrl(resumeUrl: string, claims: Record<string, string>): string {
	const [base, query = ''] = resumeUrl.split('?');
	const params = new URLSearchParams(query);
	for (const [k, v] of Object.entries(claims)) params.set(k, v);
	return `${base.replace(/\/$/, '')}/${WEBHOOK_PATH}?${params.toString()}`;
}

/** The input item as it came, from an item the gate laid out while waiting. */
export function unwrap(json: IDataObject): { original: IDataObject; record: ApprovalRecord } {
	const rest: IDataObject = { ...json };
	const approval = rest.approval;
	delete rest.approval;
	delete rest._meta;
	const trail = Array.isArray(rest.auditTrail) ? (rest.auditTrail as IDataObject[]) : null;
	if (trail && trail[trail.length - 1]?.node === 'approvalGate') rest.auditTrail = trail.slice(0, -1);
	return { original: rest, record: approval as unknown as ApprovalRecord };
}

export const live = (record: ApprovalRecord): Progress | null => (record.live as unknown as Progress | undefined) ?? null;

/** One line per thing that happened, for the approval page. */
export function history(progress: Progress): string[] {
	return [
		...progress.votes.map((v) => `${v.approver} ${v.decision} at ${v.at}${v.comment ? `: "${v.comment}"` : ''}`),
		...(progress.escalated ? [`Escalated to ${progress.escalateTo.join(', ')}`] : []),
		...(progress.outcome ? [] : [`Waiting for: ${awaiting(progress).join(', ') || 'nobody'}`]),
	];
}

/** The waiting execution's id, from the request path: n8n has already checked its token for it. */
export function executionIdFromPath(path: string): string {
	const parts = path.split('?')[0].split('/').filter(Boolean);
	const at = parts.lastIndexOf(WEBHOOK_PATH);
	return at > 0 ? parts[at - 1] : '';
}

/** New items: the policy decides per item whether a person is needed; those wait with a fresh timeline. */
export async function holdNewItems(ctx: IExecuteFunctions, settings: GateSettings): Promise<Held[]> {
	const items = ctx.getInputData();
	let rules: ApprovalRules;
	let calendar: BusinessCalendar;
	try {
		rules = new ApprovalRules(((ctx.getNodeParameter('approvalRules.rules', 0, []) as IDataObject[]) ?? []).map((r) => ({ name: String(r.name ?? ''), condition: String(r.condition ?? '') })));
		calendar = new BusinessCalendar(readCalendar(ctx, 0));
	} catch (error) {
		throw toNodeError(ctx, error, 0);
	}
	const screen = new InjectionScreen();
	const trust = items.map((item) => ({ ...trustOf(item.json), screen: screen.checkFields(outsideFields(item.json)) }));
	const policies: PolicyDecision[] = [];
	for (let i = 0; i < items.length; i++) {
		// Each of these reads the item; a value n8n cannot evaluate counts as missing, so the item asks a person.
		const read = (name: keyof typeof POLICY_INPUTS_FROM_ITEM) => parameterOrItem(ctx, name, i, POLICY_INPUTS_FROM_ITEM[name]);
		const confidenceText = safeText(read('confidence') ?? '', 100).trim();
		policies.push(
			decideApprovalNeed(
				{
					tier: read('tier') ?? '',
					confidence: confidenceText === '' ? null : Number(confidenceText),
					confidenceText,
					// Privilege never comes from text: the item's own trust flag and the gate's screen of its
					// outside fields count whatever the parameter says (an expression can be edited away).
					injectionSuspected: safeText(read('injectionSuspected') ?? false, 10).trim().toLowerCase() === 'true' || trust[i].injectionSuspected || trust[i].screen.suspected,
					injectionReason: trust[i].screen.reason ?? trust[i].reasons[0] ?? null,
					commitments: trust[i].commitments,
					riskFlags: splitList(safeText(read('riskFlags') ?? '', 1_000)),
					matchedRules: await rules.matching(items[i].json),
				},
				{ t2AutoConfidence: Number(ctx.getNodeParameter('t2AutoConfidence', 0, 0.9)), t3AutoConfidence: Number(ctx.getNodeParameter('t3AutoConfidence', 0, 0.7)), unknownTier: 'T1' },
			),
		);
	}
	const firstHuman = policies.findIndex((p) => p.needsHuman);
	if (firstHuman >= 0 && settings.approversFromConfig) {
		// One set of approvers per run (each link is checked against it): those who may approve every waiting item's tier.
		try {
			Object.assign(settings, companyApprovers(items[firstHuman].json.companyConfig, policies.filter((p) => p.needsHuman).map((p) => p.tier)));
		} catch (error) {
			throw toNodeError(ctx, error, firstHuman);
		}
	}
	if (firstHuman >= 0 && settings.approvers.length === 0) {
		throw new NodeOperationError(ctx.getNode(), 'No approvers are set, but an item needs a person', {
			itemIndex: firstHuman,
			description: 'List the approvers (e-mail addresses or names) in Approvers, comma-separated.',
		});
	}
	const now = DateTime.utc();
	const timeline =
		firstHuman >= 0
			? planTimeline(settings.mode, settings.approvers.length, settings.escalateTo.length > 0, now, calendar, {
					minutesPerStep: Number(ctx.getNodeParameter('timeoutMinutes', 0, 480)),
					reminderMinutesBefore: Number(ctx.getNodeParameter('reminderMinutes', 0, 0)),
				})
			: null;
	const timeoutAction = ctx.getNodeParameter('timeoutAction', 0, 'timedOut') as TimeoutAction;
	return policies.map((p, i) => ({
		index: i,
		original: items[i].json,
		progress: null,
		record: {
			index: i,
			humanRequired: p.needsHuman,
			decision: p.needsHuman ? 'pending' : 'approved',
			decidedBy: p.needsHuman ? null : 'policy',
			decidedAt: p.needsHuman ? null : now.toISO()!,
			requestedAt: p.needsHuman ? now.toISO()! : null,
			expiresAt: p.needsHuman && timeline ? new Date(Date.parse(timeline.finalAt) + FALLBACK_GRACE_MS).toISOString() : null,
			tier: p.tier,
			ruleId: p.ruleId,
			reason: p.reason,
			comment: null,
			edits: [],
			channel: p.needsHuman ? settings.channel : null,
			approvers: p.needsHuman ? settings.approvers : [],
			mode: p.needsHuman ? settings.mode : null,
			timeoutAction: p.needsHuman ? timeoutAction : null,
			progress: null,
			timeline: p.needsHuman ? timeline : null,
			clock: null,
		},
	}));
}

/** Items coming back from the waiting webhook, in their original order, with their live state. */
export function heldFromWaitingItems(items: INodeExecutionData[]): Held[] {
	return items.map((item) => {
		const { original, record } = unwrap(item.json);
		const { live: state, ...rest } = record;
		// The loop clock's signature is for the way back into the gate only.
		delete rest.clockSig;
		return { index: record.index, original, record: rest as ApprovalRecord, progress: (state as unknown as Progress | undefined) ?? null };
	});
}

/** The item's record as it leaves the gate: the outcome, who decided, the comment and the edits made. */
export function recordFor(h: Held): ApprovalRecord {
	const o = h.progress?.outcome;
	if (!h.progress || !o) return { ...h.record, progress: h.progress };
	const deciding = [...h.progress.votes].reverse().find((v) => o.decidedBy.split(', ').includes(v.approver));
	return { ...h.record, decision: o.decision, decidedBy: o.decidedBy, decidedAt: o.at, comment: o.decidedBy === 'timeout' ? null : (deciding?.comment ?? null), progress: h.progress };
}

/** Approving votes' edits, applied in order, each recorded with before and after. */
export function editedJson(h: Held, editable: string[]): { json: IDataObject; changes: FieldChange[] } {
	let json = h.original;
	const changes: FieldChange[] = [];
	if (h.progress?.outcome?.decision !== 'approved') return { json, changes };
	for (const vote of h.progress.votes.filter((v) => v.decision === 'approved')) {
		const result = applyEdits(json, vote.edits, editable);
		json = result.json;
		changes.push(...result.changes);
	}
	return { json, changes };
}

/** One item as the gate lets it out (on a decision output, or on Clock): its json with the record and the audit entry. */
export function itemOut(json: IDataObject, record: ApprovalRecord, index: number, nodeVersion: number): INodeExecutionData {
	const started = Date.parse(record.requestedAt ?? record.decidedAt ?? '') || Date.now();
	return { json: withRecord({ ...json }, record, nodeVersion, started), pairedItem: { item: index } };
}

export function outputsFor(ctx: IExecuteFunctions, held: Array<Held & { extra?: IDataObject }>, settings: GateSettings): INodeExecutionData[][] {
	const outputs: INodeExecutionData[][] = Array.from({ length: outputCount(settings) }, () => []);
	const nodeVersion = ctx.getNode().typeVersion;
	for (const h of held) {
		const { json, changes } = editedJson(h, settings.editableFields);
		const record = { ...recordFor(h), edits: changes, ...h.extra };
		outputs[outputIndex(record.decision, settings)].push(itemOut(json, record, h.index, nodeVersion));
	}
	return outputs;
}
