import { DateTime } from 'luxon';
import {
	NodeApiError,
	NodeConnectionTypes,
	NodeOperationError,
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
	type JsonObject,
} from 'n8n-workflow';
import { actionOnTimeout, type TimeoutAction } from '../../shared/domain/approval/escalation';
import { approvalPage, applyEdits, asText, getPath, messagePage, parseDecisionForm, requestText, type FieldChange, type ShownItem } from '../../shared/domain/approval/approval-request';
import { decideApprovalNeed, type PolicyDecision, type Tier } from '../../shared/domain/approval/policy';
import { ApprovalRules } from '../../shared/domain/approval/rules';
import { signLink, verifyLink } from '../../shared/domain/approval/signed-link';
import { BusinessCalendar } from '../../shared/domain/business-calendar';
import { ConfigError } from '../../shared/domain/config-error';
import { addAudit, type AuditEntry } from '../../shared/n8n/audit';
import { calendarProperty, readCalendar, splitList } from '../../shared/n8n/calendar-params';
import { toNodeError } from '../../shared/n8n/item-router';
import { deliverRequest, verifySmtp, type Channel } from './delivery';

const WEBHOOK_PATH = 'approval';
const APPROVED = 0;
const REJECTED = 1;
const TIMED_OUT = 2;

/** Three outputs, or one for n8n 1.x, which resumes a waiting node on its first output only. */
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
	/** An approver's address, "policy" or "timeout". */
	decidedBy: string | null;
	decidedAt: string | null;
	requestedAt: string | null;
	expiresAt: string | null;
	tier: Tier;
	ruleId: string;
	reason: string;
	comment: string | null;
	edits: FieldChange[];
	channel: Channel | null;
	approvers: string[];
}

interface GateSettings {
	approvers: string[];
	channel: Channel;
	title: string;
	showFields: string[];
	editableFields: string[];
	layout: 'separate' | 'single';
}

function readGateSettings(ctx: IExecuteFunctions | IWebhookFunctions): GateSettings {
	return {
		approvers: splitList(String(ctx.getNodeParameter('approvers', '') ?? '')),
		channel: ctx.getNodeParameter('channel', 'none') as Channel,
		title: String(ctx.getNodeParameter('title', 'Approval needed') || 'Approval needed'),
		showFields: splitList(String(ctx.getNodeParameter('showFields', '') ?? '')),
		editableFields: splitList(String(ctx.getNodeParameter('editableFields', '') ?? '')),
		layout: ctx.getNodeParameter('outputLayout', 'separate') === 'single' ? 'single' : 'separate',
	};
}

function shown(item: IDataObject, index: number, settings: GateSettings): ShownItem {
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
		latencyMs: Date.now() - started,
		at: new Date().toISOString(),
	};
	return addAudit({ ...json, approval: record }, audit);
}

/** Adds the approver's signed claims to n8n's resume URL, which already carries n8n's own token. */
function approvalLink(resumeUrl: string, approver: string, expiresAt: number, signature: string): string {
	const [base, query = ''] = resumeUrl.split('?');
	const params = new URLSearchParams(query);
	params.set('approver', approver);
	params.set('exp', String(expiresAt));
	params.set('sig', signature);
	return `${base.replace(/\/$/, '')}/${WEBHOOK_PATH}?${params.toString()}`;
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
			properties: [
				{
					displayName: 'Tier',
					name: 'tier',
					type: 'string',
					default: '={{ $json.icp?.tier ?? $json.tier ?? "" }}',
					description: 'T1, T2 or T3 (also "Tier 2" or 2). Anything else counts as T1, so an unknown account is human-led.',
				},
				{
					displayName: 'Confidence',
					name: 'confidence',
					type: 'string',
					default: '={{ $json.intent?.confidence ?? $json.confidence ?? "" }}',
					description: 'From 0 to 1; empty when the item has none (then T2 and T3 items ask a person)',
				},
				{
					displayName: 'Injection Suspected',
					name: 'injectionSuspected',
					type: 'string',
					default: '={{ $json.intent?.injectionSuspected === true || $json.injectionSuspected === true }}',
					description: 'True when the item may carry a prompt injection; such items always go to a person',
				},
				{
					displayName: 'Risk Flags',
					name: 'riskFlags',
					type: 'string',
					default: '={{ [].concat($json.riskFlags ?? []).map(f => f?.id ?? f).join(", ") }}',
					description: 'Comma-separated; any flag sends the item to a person',
				},
				{
					displayName: 'T2: Proceed Automatically at Confidence',
					name: 't2AutoConfidence',
					type: 'number',
					typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
					default: 0.9,
					description: 'T2 is co-pilot: a person approves unless the confidence is at least this',
				},
				{
					displayName: 'T3: Proceed Automatically at Confidence',
					name: 't3AutoConfidence',
					type: 'number',
					typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
					default: 0.7,
					description: 'T3 is AI-led: automatic when at least this confident and free of risk flags',
				},
				{
					displayName: 'Always Ask a Person When',
					name: 'approvalRules',
					type: 'fixedCollection',
					typeOptions: { multipleValues: true },
					placeholder: 'Add Rule',
					default: {},
					description: 'JSONata conditions on the item; when one is true, a person decides whatever the tier',
					options: [
						{
							name: 'rules',
							displayName: 'Rule',
							values: [
								{ displayName: 'Condition (JSONata)', name: 'condition', type: 'string', default: '', placeholder: 'e.g. crmPatch.discountPercent > 20' },
								{ displayName: 'Name', name: 'name', type: 'string', default: '', placeholder: 'e.g. big-discount' },
							],
						},
					],
				},
				{
					displayName: 'Approvers',
					name: 'approvers',
					type: 'string',
					default: '',
					required: true,
					placeholder: 'e.g. manager@example.com, vp@example.com',
					description: 'The allow-list, comma-separated. Each gets a personal signed link; the first valid decision wins.',
				},
				{
					displayName: 'Send Request Via',
					name: 'channel',
					type: 'options',
					noDataExpression: true,
					options: [
						{ name: 'E-Mail (SMTP)', value: 'email', description: 'One e-mail per approver with their own link; SMTP settings come from the credential' },
						{ name: 'Generic Webhook', value: 'webhook', description: 'POST the request as JSON, links included, to any URL' },
						{ name: 'Microsoft Teams Webhook', value: 'teams' },
						{ name: 'Nothing (Links on the Waiting Item Only)', value: 'none' },
						{ name: 'Slack Incoming Webhook', value: 'slack' },
					],
					default: 'slack',
				},
				{
					displayName: 'Webhook URL',
					name: 'webhookUrl',
					type: 'string',
					default: '',
					placeholder: 'e.g. https://hooks.slack.com/services/...',
					displayOptions: { show: { channel: ['slack', 'teams', 'webhook'] } },
				},
				{
					displayName: 'Title',
					name: 'title',
					type: 'string',
					default: 'Approval needed',
				},
				{
					displayName: 'Fields to Show',
					name: 'showFields',
					type: 'string',
					default: 'lead.fullName, lead.company, icp.tier, intent.category, summary.text, draft',
					description: 'Comma-separated paths of the fields the request and the approval page show',
				},
				{
					displayName: 'Fields the Approver May Edit',
					name: 'editableFields',
					type: 'string',
					default: '',
					placeholder: 'e.g. draft',
					description: 'Comma-separated paths; changes are applied on approval and recorded with before and after',
				},
				{
					displayName: 'Timeout (Business Minutes)',
					name: 'timeoutMinutes',
					type: 'number',
					typeOptions: { minValue: 1 },
					default: 480,
					description: 'Working minutes, counted with the calendar below, before the timeout action applies',
				},
				{
					displayName: 'On Timeout',
					name: 'timeoutAction',
					type: 'options',
					options: [
						{ name: 'Send to Timed Out', value: 'timedOut' },
						{ name: 'Approve (Never for T1)', value: 'approve', description: 'T1 items go to Timed Out instead' },
						{ name: 'Reject', value: 'reject' },
					],
					default: 'timedOut',
				},
				calendarProperty('Working time for the timeout (Monday to Friday, 09:00 to 17:00 UTC unless changed)', 'IANA time zone of the approvers'),
				{
					displayName: 'Outputs',
					name: 'outputLayout',
					type: 'options',
					noDataExpression: true,
					options: [
						{ name: 'Approved, Rejected, Timed Out', value: 'separate', description: 'Needs n8n 2.x to route a resumed run' },
						{ name: 'One Output (Use approval.decision)', value: 'single', description: 'For n8n 1.x, which resumes a waiting node on its first output only' },
					],
					default: 'separate',
				},
			],
		};
	}

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const started = Date.now();
		const items = this.getInputData();
		const nodeVersion = this.getNode().typeVersion;
		const settings = readGateSettings(this);
		const outputCount = settings.layout === 'single' ? 1 : 3;
		let rules: ApprovalRules;
		let calendar: BusinessCalendar;
		try {
			rules = new ApprovalRules(((this.getNodeParameter('approvalRules.rules', 0, []) as IDataObject[]) ?? []).map((r) => ({ name: String(r.name ?? ''), condition: String(r.condition ?? '') })));
			calendar = new BusinessCalendar(readCalendar(this, 0));
		} catch (error) {
			throw toNodeError(this, error, 0);
		}

		const policies: PolicyDecision[] = [];
		for (let i = 0; i < items.length; i++) {
			const confidenceText = String(this.getNodeParameter('confidence', i, '') ?? '').trim();
			policies.push(
				decideApprovalNeed(
					{
						tier: this.getNodeParameter('tier', i, ''),
						confidence: confidenceText === '' ? null : Number(confidenceText),
						confidenceText,
						injectionSuspected: String(this.getNodeParameter('injectionSuspected', i, false)).trim().toLowerCase() === 'true',
						riskFlags: splitList(String(this.getNodeParameter('riskFlags', i, '') ?? '')),
						matchedRules: await rules.matching(items[i].json),
					},
					{ t2AutoConfidence: Number(this.getNodeParameter('t2AutoConfidence', 0, 0.9)), t3AutoConfidence: Number(this.getNodeParameter('t3AutoConfidence', 0, 0.7)), unknownTier: 'T1' },
				),
			);
		}

		const now = DateTime.utc();
		const nowIso = now.toISO()!;
		const record = (i: number, over: Partial<ApprovalRecord>): ApprovalRecord => ({
			index: i,
			humanRequired: policies[i].needsHuman,
			decision: 'approved',
			decidedBy: 'policy',
			decidedAt: nowIso,
			requestedAt: null,
			expiresAt: null,
			tier: policies[i].tier,
			ruleId: policies[i].ruleId,
			reason: policies[i].reason,
			comment: null,
			edits: [],
			channel: null,
			approvers: [],
			...over,
		});
		const route = (records: ApprovalRecord[]) => {
			const outputs: INodeExecutionData[][] = Array.from({ length: outputCount }, () => []);
			records.forEach((r, i) => outputs[outputIndex(r.decision, settings.layout)].push({ json: withRecord(items[i].json, r, nodeVersion, started), pairedItem: { item: i } }));
			return outputs;
		};

		const pending = policies.map((p, i) => (p.needsHuman ? i : -1)).filter((i) => i >= 0);
		if (pending.length === 0) return route(policies.map((_, i) => record(i, {})));

		if (settings.approvers.length === 0) {
			throw new NodeOperationError(this.getNode(), 'No approvers are set, but an item needs a person', {
				itemIndex: pending[0],
				description: 'List the approvers (e-mail addresses or names) in Approvers, comma-separated.',
			});
		}
		const credentials = await this.getCredentials('revOpsApprovalApi');
		const secret = String(credentials.secret ?? '');
		const timeoutMinutes = Number(this.getNodeParameter('timeoutMinutes', 0, 480));
		const timeoutAt = calendar.addBusinessMinutes(now, timeoutMinutes).toUTC();
		const expiresAt = timeoutAt.toMillis();
		const timeoutAction = this.getNodeParameter('timeoutAction', 0, 'timedOut') as TimeoutAction;

		const resumeUrl = String(this.evaluateExpression('{{ $execution.resumeUrl }}', 0) ?? '');
		const claims = { executionId: this.getExecutionId(), nodeId: this.getNode().id };
		let links: Array<{ approver: string; url: string }>;
		try {
			links = settings.approvers.map((approver) => ({ approver, url: approvalLink(resumeUrl, approver, expiresAt, signLink({ ...claims, approver, expiresAt }, secret)) }));
		} catch (error) {
			throw toNodeError(this, error, pending[0]);
		}
		const shownItems = pending.map((i) => shown(items[i].json, i, settings));
		const expiresIso = timeoutAt.toISO()!;
		try {
			await deliverRequest(this, settings.channel, {
				title: settings.title,
				text: requestText(settings.title, shownItems, links, expiresIso),
				items: shownItems,
				links,
				expiresAt: expiresIso,
				credentials,
			});
		} catch (error) {
			if (error instanceof NodeApiError || error instanceof NodeOperationError || error instanceof ConfigError) throw toNodeError(this, error, pending[0]);
			throw new NodeApiError(this.getNode(), { message: (error as Error).message } as JsonObject, {
				itemIndex: pending[0],
				message: `The approval request could not be sent via ${settings.channel}: ${(error as Error).message}`,
				description: 'Check the webhook URL or SMTP settings; nothing is waiting until the request goes out.',
			});
		}

		// What happens if nobody decides is known now, so it is laid out as the node's input for n8n's
		// timer: when the wait ends without a decision, n8n passes these arrays to the outputs as they are.
		const waitingRecord = (i: number, decision: ApprovalRecord['decision'], decidedBy: string | null, decidedAt: string | null) =>
			record(i, { decision, decidedBy, decidedAt, requestedAt: nowIso, expiresAt: expiresIso, channel: settings.channel, approvers: settings.approvers });
		const onTimeout = policies.map((p, i) => {
			if (!p.needsHuman) return waitingRecord(i, 'approved', 'policy', nowIso);
			const action = actionOnTimeout(timeoutAction, p.tier);
			return waitingRecord(i, action === 'approve' ? 'approved' : action === 'reject' ? 'rejected' : 'timedOut', 'timeout', expiresIso);
		});
		const waitingView = policies.map((p, i) => (p.needsHuman ? { ...waitingRecord(i, 'pending', null, null), links } : waitingRecord(i, 'approved', 'policy', nowIso)));

		const executeData = this.getExecuteData();
		executeData.data.main = route(onTimeout);
		executeData.metadata = { ...executeData.metadata, forwardAllOutputs: true } as typeof executeData.metadata;
		await this.putExecutionToWait(timeoutAt.toJSDate());
		// Shown in the execution view while the run waits: each item with its links.
		return [items.map((item, i) => ({ json: { ...item.json, approval: waitingView[i] as unknown as IDataObject }, pairedItem: { item: i } }))];
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const req = this.getRequestObject();
		const res = this.getResponseObject();
		const settings = readGateSettings(this);
		const send = (status: number, html: string): IWebhookResponseData => {
			res.status(status).setHeader('content-type', 'text/html; charset=utf-8');
			res.setHeader('cache-control', 'no-store');
			res.end(html);
			return { noWebhookResponse: true };
		};
		const query = req.query as Record<string, string | undefined>;
		const approver = String(query.approver ?? '');
		const credentials = await this.getCredentials('revOpsApprovalApi');
		const check = verifyLink(
			{ executionId: executionIdFromPath(req.originalUrl ?? req.url), nodeId: this.getNode().id, approver, expiresAt: Number(query.exp) },
			String(query.sig ?? ''),
			String(credentials.secret ?? ''),
			settings.approvers,
			Date.now(),
		);
		if (!check.ok) return send(check.status, messagePage('This link cannot be used', `Nothing was changed: ${check.reason}.`));

		// The items wait as this node's input, laid out for the timeout; a decision re-routes them.
		const waiting = ((this as unknown as { executeData?: { data?: { main?: Array<INodeExecutionData[] | null> } } }).executeData?.data?.main ?? [])
			.flatMap((items) => items ?? [])
			.sort((a, b) => ((a.json.approval as ApprovalRecord).index ?? 0) - ((b.json.approval as ApprovalRecord).index ?? 0));
		if (waiting.length === 0) return send(409, messagePage('Nothing to decide', 'This request has no items waiting for a decision.'));
		const pendingItems = waiting.filter((item) => (item.json.approval as ApprovalRecord).humanRequired);
		const expiresIso = new Date(Number(query.exp)).toISOString();

		if (req.method !== 'POST') {
			// Opening the link never decides, so link previews and mail scanners cannot approve.
			return send(200, approvalPage(settings.title, approver, pendingItems.map((item) => shown(item.json, (item.json.approval as ApprovalRecord).index, settings)), expiresIso));
		}

		const parsed = parseDecisionForm(this.getBodyData(), settings.editableFields);
		if ('error' in parsed) return send(400, messagePage('No decision', parsed.error));
		const decidedAt = new Date().toISOString();
		const outputCount = settings.layout === 'single' ? 1 : 3;
		const outputs: INodeExecutionData[][] = Array.from({ length: outputCount }, () => []);
		for (const item of waiting) {
			const previous = item.json.approval as ApprovalRecord;
			const json: IDataObject = { ...item.json };
			delete json.approval;
			delete json._meta;
			const base = { ...json, auditTrail: Array.isArray(json.auditTrail) ? (json.auditTrail as IDataObject[]).slice(0, -1) : json.auditTrail };
			let recordOut: ApprovalRecord = previous;
			let edited: IDataObject = base;
			if (previous.humanRequired) {
				const result = parsed.decision === 'approved' ? applyEdits(base, parsed.edits.get(previous.index), settings.editableFields) : { json: base, changes: [] };
				edited = result.json;
				recordOut = { ...previous, decision: parsed.decision, decidedBy: check.claims.approver, decidedAt, comment: parsed.comment || null, edits: result.changes };
			}
			outputs[outputIndex(recordOut.decision, settings.layout)].push({ json: withRecord(edited, recordOut, this.getNode().typeVersion, Date.parse(previous.requestedAt ?? decidedAt)), pairedItem: { item: previous.index } });
		}
		send(200, messagePage(parsed.decision === 'approved' ? 'Approved' : 'Rejected', `Recorded: ${parsed.decision} by ${check.claims.approver} at ${decidedAt}. You can close this page.`));
		return { noWebhookResponse: true, workflowData: outputs };
	}
}
