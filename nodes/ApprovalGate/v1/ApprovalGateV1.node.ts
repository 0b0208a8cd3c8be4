import { DateTime } from 'luxon';
import {
	NodeConnectionTypes,
	NodeOperationError,
	type ICredentialDataDecryptedObject,
	type ICredentialTestFunctions,
	type ICredentialsDecrypted,
	type IDataObject,
	type INodeCredentialTestResult,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeParameters,
	type INodeType,
	type INodeTypeBaseDescription,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';
import { approvalPage, applyEdits, asText, getPath, MAX_EDIT_LENGTH, messagePage, parseDecisionForm, requestText, resendPage, type FieldChange, type ShownItem } from '../../shared/domain/approval/approval-request';
import { advanceClock, applyDecisions, awaiting, checkVoter, dueTimes, planTimeline, startProgress, type ApprovalMode, type Notice, type Progress, type Timeline, type TimeoutAction, type Transition } from '../../shared/domain/approval/progress';
import { decideApprovalNeed, type PolicyDecision, type Tier } from '../../shared/domain/approval/policy';
import { ApprovalRules } from '../../shared/domain/approval/rules';
import { signLink, verifyLink, verifyTick } from '../../shared/domain/approval/signed-link';
import { BusinessCalendar } from '../../shared/domain/business-calendar';
import { companyAlertChannel } from '../../shared/domain/crm/company-config';
import { ConfigError } from '../../shared/domain/config-error';
import { safeText } from '../../shared/domain/text';
import { addAudit, type AuditEntry } from '../../shared/n8n/audit';
import { readCalendar, splitList } from '../../shared/n8n/calendar-params';
import { InjectionScreen } from '../../shared/domain/trust/injection-screen';
import { outsideFields } from '../../shared/domain/trust/item-trust';
import { trustOf } from '../../shared/n8n/trust';
import { itemParameter, toNodeError } from '../../shared/n8n/item-router';
import { deliverRequest, verifySmtp, type Channel } from './delivery';
import { approvalGateProperties } from './description';
import { collectDecision, isBusy, isCollecting, markHandedOver } from './resume-guard';
import { timerWorkflow } from './timer-workflow';

const WEBHOOK_PATH = 'approval';
const APPROVED = 0;
const REJECTED = 1;
const TIMED_OUT = 2;
/** n8n's own timer resumes the run this long after the last deadline, should the gate's clock have failed. */
const FALLBACK_GRACE_MS = 2 * 60_000;

/**
 * Three outputs, or one (route on approval.decision): on n8n 1.x, n8n's own fallback timer resumes a
 * waiting node on its first output only.
 */
const configuredOutputs = (parameters: INodeParameters) =>
	parameters.outputLayout === 'single'
		? [{ type: 'main', displayName: 'Decided' }]
		: [
				{ type: 'main', displayName: 'Approved' },
				{ type: 'main', displayName: 'Rejected' },
				{ type: 'main', displayName: 'Timed Out' },
			];

interface ApprovalRecord extends IDataObject {
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
interface Held {
	index: number;
	original: IDataObject;
	record: ApprovalRecord;
	/** The live state; null when the policy decided alone, or before the first request. */
	progress: Progress | null;
}

/** What the waiting webhook hands to the resumed gate. */
type GateEvent = { type: 'decisions'; decisions: DecisionEvent[] } | { type: 'tick'; at: string };
/** One decision sent through a signed link; `edits` by item index. */
interface DecisionEvent {
	approver: string;
	decision: 'approved' | 'rejected';
	comment: string | null;
	edits: Record<string, Record<string, string>>;
	at: string;
}

const EVENT_KEY = 'revopsApproval';

/** The waiting items' state, compact: a resume handed over from it has been applied once it changes. */
function stateStamp(items: INodeExecutionData[]): string {
	return JSON.stringify(items.map((item) => {
		const p = live(item.json.approval as ApprovalRecord);
		return p ? [p.votes.length, p.notices.length, p.reminded.length, p.step, p.escalated, p.outcome?.decision ?? null] : null;
	}));
}

interface GateSettings {
	approvers: string[];
	escalateTo: string[];
	mode: ApprovalMode;
	channel: Channel;
	/** Slack, Teams or generic webhook channels: where the request is POSTed. */
	webhookUrl: string;
	title: string;
	showFields: string[];
	editableFields: string[];
	layout: 'separate' | 'single';
}

/** Per-run settings, read from the first item. */
function readGateSettings(ctx: IExecuteFunctions): GateSettings {
	const get = (name: string, fallback: string) => String(ctx.getNodeParameter(name, 0, fallback) ?? fallback);
	const mode = get('approvalMode', 'any');
	let channel = get('channel', 'none') as Channel | 'company';
	let webhookUrl = channel === 'slack' || channel === 'teams' || channel === 'webhook' ? get('webhookUrl', '') : '';
	if (channel === 'company') {
		// The company's own channel, from the config a Company Config node put on the item.
		try {
			({ channel, url: webhookUrl } = companyAlertChannel(ctx.getInputData()[0]?.json?.companyConfig));
		} catch (error) {
			throw toNodeError(ctx, error, 0);
		}
	}
	return {
		approvers: splitList(get('approvers', '')),
		escalateTo: splitList(get('escalateTo', '')),
		mode: mode === 'all' || mode === 'chain' ? mode : 'any',
		channel,
		webhookUrl,
		...readPageSettings(ctx),
		layout: get('outputLayout', 'separate') === 'single' ? 'single' : 'separate',
	};
}

/**
 * What the approval page needs. The waiting webhook has no items to evaluate expressions against,
 * so who decides comes from the state on the waiting items, never from parameters read here.
 */
function readPageSettings(ctx: IExecuteFunctions | IWebhookFunctions): Pick<GateSettings, 'title' | 'showFields' | 'editableFields'> {
	const get = (name: string, fallback: string) => {
		try {
			return String(('getInputData' in ctx ? ctx.getNodeParameter(name, 0, fallback) : ctx.getNodeParameter(name, fallback)) ?? fallback);
		} catch {
			return fallback;
		}
	};
	return { title: get('title', 'Approval needed') || 'Approval needed', showFields: splitList(get('showFields', '')), editableFields: splitList(get('editableFields', '')) };
}

function shown(item: IDataObject, index: number, settings: Pick<GateSettings, 'showFields' | 'editableFields'>): ShownItem {
	return {
		index,
		fields: settings.showFields.map((path) => ({ label: path, value: asText(getPath(item, path)) })).filter((f) => f.value !== ''),
		editable: settings.editableFields.map((path) => ({ path, value: asText(getPath(item, path)) })),
	};
}

function outputIndex(decision: ApprovalRecord['decision'], layout: GateSettings['layout']): number {
	if (layout === 'single') return 0;
	return decision === 'approved' ? APPROVED : decision === 'rejected' ? REJECTED : TIMED_OUT;
}

function withRecord(json: IDataObject, record: ApprovalRecord, nodeVersion: number, started: number): IDataObject {
	const audit: AuditEntry = {
		node: 'approvalGate',
		nodeVersion,
		decidedBy: record.decidedBy === 'policy' ? 'rule' : record.decidedBy === 'timeout' ? 'fallback' : 'human',
		rulesetVersion: null,
		ruleId: record.ruleId,
		approval: record.decision,
		approvalDecidedBy: record.decidedBy,
		// Every decision sent through a link, also those that did not count (decided meanwhile, a second click).
		approvalAttempts: (record.progress?.votes.length ?? 0) + (record.progress?.notCounted?.length ?? 0) + (record.progress?.notCountedOverflow ?? 0),
		approvalNotCounted: (record.progress?.notCounted ?? []).map((a) => `${a.approver} ${a.decision} at ${a.at}: ${a.reason}`),
		latencyMs: Date.now() - started,
		at: new Date().toISOString(),
	};
	return addAudit({ ...json, approval: record }, audit);
}

/** Adds signed claims to n8n's resume URL, which already carries n8n's own token. */
function gateUrl(resumeUrl: string, claims: Record<string, string>): string {
	const [base, query = ''] = resumeUrl.split('?');
	const params = new URLSearchParams(query);
	for (const [k, v] of Object.entries(claims)) params.set(k, v);
	return `${base.replace(/\/$/, '')}/${WEBHOOK_PATH}?${params.toString()}`;
}

/** The input item as it came, from an item the gate laid out while waiting. */
function unwrap(json: IDataObject): { original: IDataObject; record: ApprovalRecord } {
	const rest: IDataObject = { ...json };
	const approval = rest.approval;
	delete rest.approval;
	delete rest._meta;
	const trail = Array.isArray(rest.auditTrail) ? (rest.auditTrail as IDataObject[]) : null;
	if (trail && trail[trail.length - 1]?.node === 'approvalGate') rest.auditTrail = trail.slice(0, -1);
	return { original: rest, record: approval as unknown as ApprovalRecord };
}

const live = (record: ApprovalRecord): Progress | null => (record.live as unknown as Progress | undefined) ?? null;

/** One line per thing that happened, for the approval page. */
function history(progress: Progress): string[] {
	return [
		...progress.votes.map((v) => `${v.approver} ${v.decision} at ${v.at}${v.comment ? `: "${v.comment}"` : ''}`),
		...(progress.escalated ? [`Escalated to ${progress.escalateTo.join(', ')}`] : []),
		...(progress.outcome ? [] : [`Waiting for: ${awaiting(progress).join(', ') || 'nobody'}`]),
	];
}

/** The waiting execution's id, from the request path: n8n has already checked its token for it. */
function executionIdFromPath(path: string): string {
	const parts = path.split('?')[0].split('/').filter(Boolean);
	const at = parts.lastIndexOf(WEBHOOK_PATH);
	return at > 0 ? parts[at - 1] : '';
}

export class ApprovalGateV1 implements INodeType {
	description: INodeTypeDescription;

	methods = {
		credentialTest: {
			/** The secret must be long enough to sign with; SMTP settings, when given, must reach a server that accepts them. */
			async revOpsApprovalTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
				const data = credential.data ?? {};
				if (String(data.secret ?? '').length < 16) return { status: 'Error', message: 'The link signing secret needs at least 16 characters' };
				if (!data.smtpHost) return { status: 'OK', message: 'The signing secret is usable (no SMTP server set)' };
				try {
					await verifySmtp(data);
					return { status: 'OK', message: 'The signing secret is usable and the SMTP server accepted the settings' };
				} catch (error) {
					return { status: 'Error', message: `SMTP: ${(error as Error).message}` };
				}
			},
		},
	};

	constructor(baseDescription: INodeTypeBaseDescription) {
		this.description = {
			...baseDescription,
			version: 1,
			subtitle: '={{ "T2 auto ≥ " + $parameter["t2AutoConfidence"] + ", T3 auto ≥ " + $parameter["t3AutoConfidence"] }}',
			defaults: { name: 'Approval Gate' },
			inputs: [NodeConnectionTypes.Main],
			outputs: `={{(${configuredOutputs})($parameter)}}`,
			credentials: [{ name: 'revOpsApprovalApi', required: true, testedBy: 'revOpsApprovalTest' }],
			usableAsTool: true,
			webhooks: [
				{ name: 'default', httpMethod: 'GET', responseMode: 'onReceived', responseData: '', path: WEBHOOK_PATH, restartWebhook: true, isFullPath: true },
				{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', responseData: '', path: WEBHOOK_PATH, restartWebhook: true, isFullPath: true },
			],
			properties: approvalGateProperties,
		};
	}

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const event = (this.getExecuteData().metadata as Record<string, unknown> | undefined)?.[EVENT_KEY] as GateEvent | undefined;
		const settings = readGateSettings(this);
		const held = event ? heldFromWaitingItems(this.getInputData()) : await holdNewItems(this, settings);
		const waiting = held.filter((h) => h.record.humanRequired && !h.progress?.outcome);
		if (waiting.length === 0) return outputsFor(this, held, settings);

		const now = DateTime.utc();
		const resumeUrl = String(this.evaluateExpression('{{ $execution.resumeUrl }}', 0) ?? '');

		const timeline = waiting[0].record.timeline!;
		const expiresAt = Date.parse(timeline.finalAt) + FALLBACK_GRACE_MS;
		const credentials = await this.getCredentials('revOpsApprovalApi');
		const secret = String(credentials.secret ?? '');
		const claims = { executionId: this.getExecutionId(), nodeId: this.getNode().id };
		const linkFor = (approver: string) => ({ approver, url: gateUrl(resumeUrl, { approver, exp: String(expiresAt), sig: signLink({ ...claims, approver, expiresAt }, secret) }) });

		// Move every waiting item on: the new run's first request, or a decision, or the clock.
		const sends: Array<{ notice: Notice; held: Held }> = [];
		for (const h of waiting) {
			let progress = h.progress;
			if (!progress) {
				const started = startProgress(settings.mode, settings.approvers, settings.escalateTo, now);
				progress = started.progress;
				started.send.forEach((notice) => sends.push({ notice, held: h }));
			} else if (event?.type === 'decisions') {
				// Every decision is applied in arrival order; one that does not count stays on the item with why.
				const applied = applyDecisions(progress, event.decisions.map((d) => ({ approver: d.approver, decision: d.decision, at: d.at, comment: d.comment, edits: d.edits[String(h.index)] ?? {} })));
				progress = applied.progress;
				applied.send.forEach((notice) => sends.push({ notice, held: h }));
			}
			const ticked: Transition = advanceClock(progress, timeline, now, h.record.timeoutAction ?? 'timedOut', h.record.tier);
			ticked.send.forEach((notice) => sends.push({ notice, held: h }));
			h.progress = ticked.progress;
		}

		// The clock starts before the messages go out, so that the moment between a message arriving
		// and the run waiting (when n8n would answer a click with 409 "running") stays short.
		if (!event) {
			const clock = await startClock(this, timeline, now, resumeUrl, claims, secret);
			for (const h of waiting) h.record = { ...h.record, clock };
		}
		let failed: Map<Notice, string>;
		try {
			failed = await deliverNotices(this, settings, sends, linkFor, new Date(expiresAt).toISOString(), credentials, !event);
		} catch (error) {
			// The first request did not go out, so nobody could decide: with "On Error: Continue" the
			// waiting items leave as error items (n8n puts them on the Error output), the rest as decided.
			const nodeError = toNodeError(this, error, waiting[0].index);
			if (!this.continueOnFail()) throw nodeError;
			const outputs = outputsFor(this, held.filter((h) => !h.record.humanRequired), settings);
			outputs[0].push(...waiting.map((h) => ({ json: { error: nodeError.message }, error: nodeError, pairedItem: { item: h.index } })));
			return outputs;
		}
		for (const h of waiting) h.progress = { ...h.progress!, notices: h.progress!.notices.map((n) => (failed.has(n) ? { ...n, error: failed.get(n) } : n)) };

		if (waiting.every((h) => h.progress!.outcome)) return outputsFor(this, held, settings);

		// What happens if nobody decides is known now, so it is laid out as the node's input for n8n's
		// own timer: should the gate's clock fail, n8n passes these arrays to the outputs as they are
		// when the wait ends. Each item also keeps its live state, from which a decision or a tick
		// continues.
		const atDeadline = DateTime.fromMillis(expiresAt);
		const fallback = held.map((h) => ({
			...h,
			progress: h.progress && !h.progress.outcome ? advanceClock(h.progress, timeline, atDeadline, h.record.timeoutAction ?? 'timedOut', h.record.tier).progress : h.progress,
			extra: { live: h.progress as unknown as IDataObject },
		}));
		const executeData = this.getExecuteData();
		executeData.data.main = outputsFor(this, fallback, settings);
		executeData.metadata = { forwardAllOutputs: true } as typeof executeData.metadata;
		await this.putExecutionToWait(new Date(expiresAt));
		// Shown in the execution view while the run waits: each item, where it stands and its links.
		return [
			held.map((h) => ({
				json: { ...h.original, approval: { ...recordFor(h), links: h.progress ? awaiting(h.progress).map(linkFor) : [] } as unknown as IDataObject },
				pairedItem: { item: h.index },
			})),
		];
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const req = this.getRequestObject();
		const res = this.getResponseObject();
		const settings = readPageSettings(this);
		const send = (status: number, html: string): IWebhookResponseData => {
			res.status(status).setHeader('content-type', 'text/html; charset=utf-8');
			res.setHeader('cache-control', 'no-store');
			res.end(html);
			return { noWebhookResponse: true };
		};
		const query = req.query as Record<string, string | undefined>;
		const credentials = await this.getCredentials('revOpsApprovalApi');
		const secret = String(credentials.secret ?? '');
		const executionId = executionIdFromPath(req.originalUrl ?? req.url);

		// The items wait as this node's input (laid out for n8n's timer), each with its live state.
		const entry = (this as unknown as { executeData?: { node?: { name?: string; disabled?: boolean }; data?: { main?: Array<INodeExecutionData[] | null> }; metadata?: Record<string, unknown> } }).executeData;
		const items = (entry?.data?.main ?? []).flatMap((list) => list ?? []).sort((a, b) => (a.json.approval as ApprovalRecord).index - (b.json.approval as ApprovalRecord).index);
		const open = items.map((item) => live(item.json.approval as ApprovalRecord)).filter((p): p is Progress => p !== null && !p.outcome);

		const stamp = stateStamp(items);
		const busy = isBusy(executionId, stamp);
		// n8n has just disabled the waiting node so that a resumed run passes data straight through; the
		// gate instead runs again and continues from the state on its items. Any other layout is unknown.
		const resumable = !!entry?.node && entry.node.name === this.getNode().name;
		const cannotContinue = () => send(500, messagePage('Cannot continue', 'This n8n version resumes waiting runs in a way the Approval Gate does not know. Nothing was changed.'));

		/** Runs the gate again with the event, so the decision or tick is applied and persisted by n8n. */
		const resume = (event: GateEvent, respond: () => void): IWebhookResponseData => {
			markHandedOver(executionId, stamp);
			if (!resumable || !entry?.node) return cannotContinue();
			entry.node.disabled = false;
			entry.metadata = { ...entry.metadata, [EVENT_KEY]: event };
			respond();
			return { noWebhookResponse: true, workflowData: [items.map((item) => ({ json: item.json, pairedItem: { item: (item.json.approval as ApprovalRecord).index } }))] };
		};

		if (query.tick !== undefined) {
			if (!verifyTick(executionId, this.getNode().id, Number(query.tick), String(query.sig ?? ''), secret)) {
				res.status(401).json({ error: 'invalid tick' });
				return { noWebhookResponse: true };
			}
			if (open.length === 0) {
				res.status(409).json({ error: 'nothing is waiting' });
				return { noWebhookResponse: true };
			}
			if (busy) {
				// The clock tries again shortly (see timer-workflow.ts).
				res.status(409).json({ error: 'a decision is being recorded' });
				return { noWebhookResponse: true };
			}
			return resume({ type: 'tick', at: new Date().toISOString() }, () => res.status(200).json({ accepted: true }));
		}

		const approver = String(query.approver ?? '');
		const state = open[0] ?? items.map((item) => live(item.json.approval as ApprovalRecord)).find((p) => p !== null) ?? null;
		const check = verifyLink(
			{ executionId, nodeId: this.getNode().id, approver, expiresAt: Number(query.exp) },
			String(query.sig ?? ''),
			secret,
			state ? [...state.approvers, ...state.escalateTo] : [],
			Date.now(),
		);
		if (!check.ok) return send(check.status, messagePage('This link cannot be used', `Nothing was changed: ${check.reason}.`));
		if (!state) return send(409, messagePage('Nothing to decide', 'This request has no items waiting for a decision.'));
		const pendingItems = items.filter((item) => live(item.json.approval as ApprovalRecord)?.outcome === null);
		const expiresIso = new Date(Number(query.exp)).toISOString();
		if (req.method !== 'POST') {
			const refusal = checkVoter(state, approver);
			if (refusal) return send(refusal.status, messagePage(refusal.status === 409 ? 'Already decided' : 'Not yet', `${refusal.reason} Nothing was changed.`));
			// Opening the link never decides, so link previews and mail scanners cannot approve.
			return send(200, approvalPage(settings.title, approver, pendingItems.map((item) => shown(unwrap(item.json).original, (item.json.approval as ApprovalRecord).index, settings)), expiresIso, history(state)));
		}

		const parsed = parseDecisionForm(this.getBodyData(), settings.editableFields);
		if ('error' in parsed) return send(400, messagePage('No decision', parsed.error));
		if (open.length === 0) return send(409, messagePage('Already decided', `${checkVoter(state, approver)?.reason ?? 'This request has no items waiting for a decision.'} Nothing was changed.`));
		if (busy && !isCollecting(executionId, stamp)) {
			const form = Object.fromEntries(Object.entries((this.getBodyData() ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v ?? '').slice(0, MAX_EDIT_LENGTH)]));
			return send(
				409,
				resendPage(`Another decision on this request is being recorded right now. Your decision (${parsed.decision === 'approved' ? 'approve' : 'reject'}) has not been recorded yet; it is sent again in a moment, and the next page says what became of it.`, form, 1500 + Math.random() * 1000),
			);
		}
		if (!resumable) return cannotContinue();
		// Decisions arriving together go to n8n as one resume (resume-guard.ts): each is applied in
		// arrival order, and each sender is told what became of theirs, from the same rules the run applies.
		const attempt: DecisionEvent = { approver: check.claims.approver, decision: parsed.decision, comment: parsed.comment || null, edits: Object.fromEntries([...parsed.edits].map(([i, e]) => [String(i), e])), at: new Date().toISOString() };
		const { index, result } = await collectDecision(executionId, stamp, attempt, (attempts) => ({
			attempts,
			applied: applyDecisions(state, attempts.map((a) => ({ approver: a.approver, decision: a.decision, at: a.at, comment: a.comment, edits: {} }))),
		}));
		const refused = result.applied.answers[index];
		const verb = parsed.decision === 'approved' ? 'approval' : 'rejection';
		const answer = () =>
			refused
				? send(refused.status, messagePage(refused.status === 409 ? 'Already decided' : 'Not counted', `Not counted: ${refused.reason} Your ${verb} is kept in the request's record.`))
				: send(
						200,
						messagePage(
							parsed.decision === 'approved' ? 'Approved' : 'Rejected',
							`Recorded: ${parsed.decision} by ${approver} at ${attempt.at}.${result.applied.progress.outcome ? '' : ` Next: ${awaiting(result.applied.progress).join(', ')}.`}${parsed.notes.length ? ` ${parsed.notes.join(' ')}` : ''} You can close this page.`,
						),
					);
		if (index > 0) return answer();
		return resume({ type: 'decisions', decisions: result.attempts }, () => void answer());
	}
}

/** New items: the policy decides per item whether a person is needed; those wait with a fresh timeline. */
async function holdNewItems(ctx: IExecuteFunctions, settings: GateSettings): Promise<Held[]> {
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
		const read = (name: string, fallback: unknown) => itemParameter(ctx, name, i, fallback, () => undefined);
		const confidenceText = safeText(read('confidence', '') ?? '', 100).trim();
		policies.push(
			decideApprovalNeed(
				{
					tier: read('tier', ''),
					confidence: confidenceText === '' ? null : Number(confidenceText),
					confidenceText,
					// Privilege never comes from text: the item's own trust flag and the gate's screen of its
					// outside fields count whatever the parameter says (an expression can be edited away).
					injectionSuspected: safeText(read('injectionSuspected', false), 10).trim().toLowerCase() === 'true' || trust[i].injectionSuspected || trust[i].screen.suspected,
					injectionReason: trust[i].screen.reason ?? trust[i].reasons[0] ?? null,
					commitments: trust[i].commitments,
					riskFlags: splitList(safeText(read('riskFlags', '') ?? '', 1_000)),
					matchedRules: await rules.matching(items[i].json),
				},
				{ t2AutoConfidence: Number(ctx.getNodeParameter('t2AutoConfidence', 0, 0.9)), t3AutoConfidence: Number(ctx.getNodeParameter('t3AutoConfidence', 0, 0.7)), unknownTier: 'T1' },
			),
		);
	}
	const firstHuman = policies.findIndex((p) => p.needsHuman);
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
function heldFromWaitingItems(items: INodeExecutionData[]): Held[] {
	return items.map((item) => {
		const { original, record } = unwrap(item.json);
		const { live: state, ...rest } = record;
		return { index: record.index, original, record: rest as ApprovalRecord, progress: (state as unknown as Progress | undefined) ?? null };
	});
}

/** The item's record as it leaves the gate: the outcome, who decided, the comment and the edits made. */
function recordFor(h: Held): ApprovalRecord {
	const o = h.progress?.outcome;
	if (!h.progress || !o) return { ...h.record, progress: h.progress };
	const deciding = [...h.progress.votes].reverse().find((v) => o.decidedBy.split(', ').includes(v.approver));
	return { ...h.record, decision: o.decision, decidedBy: o.decidedBy, decidedAt: o.at, comment: o.decidedBy === 'timeout' ? null : (deciding?.comment ?? null), progress: h.progress };
}

/** Approving votes' edits, applied in order, each recorded with before and after. */
function editedJson(h: Held, editable: string[]): { json: IDataObject; changes: FieldChange[] } {
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

function outputsFor(ctx: IExecuteFunctions, held: Array<Held & { extra?: IDataObject }>, settings: GateSettings): INodeExecutionData[][] {
	const outputs: INodeExecutionData[][] = Array.from({ length: settings.layout === 'single' ? 1 : 3 }, () => []);
	const nodeVersion = ctx.getNode().typeVersion;
	for (const h of held) {
		const { json, changes } = editedJson(h, settings.editableFields);
		const record = { ...recordFor(h), edits: changes, ...h.extra };
		const started = Date.parse(record.requestedAt ?? record.decidedAt ?? '') || Date.now();
		outputs[outputIndex(record.decision, settings.layout)].push({ json: withRecord({ ...json }, record, nodeVersion, started), pairedItem: { item: h.index } });
	}
	return outputs;
}

const NOTICE_TITLE: Record<Notice['kind'], (title: string) => string> = {
	request: (title) => title,
	reminder: (title) => `Reminder: ${title}`,
	escalation: (title) => `Escalated: ${title}`,
};

/**
 * Sends each message once for all the items it concerns, each recipient with their own link. A
 * run's first request must go out (otherwise nothing would wait for it), so its failure stops the
 * run; a reminder or escalation that fails is recorded on the items and the run keeps waiting.
 */
async function deliverNotices(
	ctx: IExecuteFunctions,
	settings: GateSettings,
	sends: Array<{ notice: Notice; held: Held }>,
	linkFor: (approver: string) => { approver: string; url: string },
	expiresAt: string,
	credentials: ICredentialDataDecryptedObject,
	mustSucceed: boolean,
): Promise<Map<Notice, string>> {
	const groups = new Map<string, Array<{ notice: Notice; held: Held }>>();
	for (const s of sends) {
		const key = `${s.notice.kind}|${s.notice.to.join(',')}`;
		groups.set(key, [...(groups.get(key) ?? []), s]);
	}
	const failed = new Map<Notice, string>();
	for (const group of groups.values()) {
		const { kind, to } = group[0].notice;
		const title = NOTICE_TITLE[kind](settings.title);
		const shownItems = group.map((s) => shown(s.held.original, s.held.index, settings));
		const links = to.map(linkFor);
		try {
			await deliverRequest(ctx, settings.channel, settings.webhookUrl, { title, kind, text: requestText(title, shownItems, links, expiresAt, settings.channel === 'none' ? 'plain' : settings.channel), items: shownItems, links, expiresAt, credentials });
		} catch (error) {
			const firstIndex = group[0].held.index;
			if (mustSucceed) {
				if (error instanceof NodeOperationError || error instanceof ConfigError) throw toNodeError(ctx, error, firstIndex);
				// n8n may replace the message with its own wording for connection errors (ECONNREFUSED...);
				// the description says it was the approval request that failed, and what to check.
				throw new NodeOperationError(ctx.getNode(), `The approval request could not be sent via ${settings.channel}: ${(error as Error).message}`, {
					itemIndex: firstIndex,
					description: `The approval request could not be sent via ${settings.channel}. Check the webhook URL or SMTP settings; nothing is waiting until the request goes out.`,
				});
			}
			for (const s of group) failed.set(s.notice, (error as Error).message);
		}
	}
	return failed;
}

/** Starts the gate's clock (a sub-execution of Wait nodes and signed ticks); says why not when it cannot. */
async function startClock(ctx: IExecuteFunctions, timeline: Timeline, now: DateTime, resumeUrl: string, claims: { executionId: string; nodeId: string }, secret: string): Promise<string> {
	const ticks = dueTimes(timeline, now).map((at) => {
		const dueAt = Date.parse(at);
		return { at, url: gateUrl(resumeUrl, { tick: String(dueAt), sig: signLink({ ...claims, approver: '', expiresAt: dueAt, purpose: 'tick' }, secret) }) };
	});
	if (ticks.length === 0) return 'not needed';
	try {
		const workflow = ctx.getWorkflow();
		await ctx.executeWorkflow({ code: timerWorkflow(`Approval clock: ${workflow.name ?? workflow.id} / ${ctx.getNode().name} / execution ${claims.executionId}`, ticks) }, [{ json: { executionId: claims.executionId } }], undefined, {
			doNotWaitToFinish: true,
			parentExecution: { executionId: claims.executionId, workflowId: String(workflow.id ?? '') },
		});
		return `running: ${ticks.length} ticks until ${ticks[ticks.length - 1].at}`;
	} catch (error) {
		// Without the clock there are no reminders or escalation, but n8n's own timer still applies the
		// timeout action, so nothing waits forever.
		return `not started (${(error as Error).message}); the timeout action still applies at ${timeline.finalAt}`;
	}
}
