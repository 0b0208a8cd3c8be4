import { DateTime } from 'luxon';
import {
	NodeConnectionTypes,
	NodeOperationError,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeParameters,
	type INodeType,
	type INodeTypeBaseDescription,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { getPath } from '../../shared/domain/approval/approval-request';
import type { LoadedCompanyConfig } from '../../shared/domain/crm/company-config';
import type { StoredRecord } from '../../shared/domain/crm/store';
import { assignLeads, checkSlas, previewResponse, recordResponse, repOf, type HandoffContext, type SlaStepResult } from '../../shared/domain/routing/handoff';
import { firstReplyFor } from '../../shared/domain/routing/first-reply';
import { ownerMessage, type MessageKind } from '../../shared/domain/routing/message';
import { checkResponseQuery, OWNER_ACTIONS, responseConfirmPage, responseLinks, responsePage, REVIEW_ACTIONS, type ResponseAction } from '../../shared/domain/routing/response';
import { addAudit, mergeCrmPatch, type AuditEntry, nodeAudit } from '../../shared/n8n/audit';
import { openCrmStore, recordView, crmCredentials } from '../../shared/n8n/crm-store';
import { refusedUnder, routeBatch, type RoutedItem } from '../../shared/n8n/item-router';
import { resolveChannel, sendNotice, type NotifyChannel } from '../../shared/n8n/notify';
import { DEFAULT_RESPONSE_PATH, leadRouterProperties } from './description';

const OUT = 0;
/** With Split by First Reply: Reply Owed is the first output, No Reply (and refused items) the second. */
const NO_REPLY = 1;

/** One output, or Reply Owed and No Reply when assigning with Split by First Reply. */
const configuredOutputs = (parameters: INodeParameters) =>
	parameters.operation !== 'checkSla' && parameters.operation !== 'recordResponse' && parameters.splitByFirstReply === true
		? [
				{ type: 'main', displayName: 'Reply Owed' },
				{ type: 'main', displayName: 'No Reply' },
			]
		: ['main'];

interface Messenger {
	/** Sends one message; answers what the item records about it (never throws: the CRM is already written). */
	send(kind: MessageKind, to: string, lead: StoredRecord, extra: { owner: string; previousOwner?: string; why?: string; links?: boolean }): Promise<IDataObject>;
}

export class LeadRouterV1 implements INodeType {
	description: INodeTypeDescription;

	constructor(baseDescription: INodeTypeBaseDescription) {
		this.description = {
			...baseDescription,
			version: 1,
			subtitle: '={{ ({assign: "Assign owner", checkSla: "Check SLAs", recordResponse: "Record owner response"})[$parameter["operation"]] }}',
			defaults: { name: 'Lead Router' },
			inputs: [NodeConnectionTypes.Main],
			outputs: `={{(${configuredOutputs})($parameter)}}`,
			usableAsTool: true,
			credentials: [
				...crmCredentials(),
				{ name: 'revOpsApprovalApi', required: false },
			],
			properties: leadRouterProperties,
		};
	}

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const operation = this.getNodeParameter('operation', 0) as 'assign' | 'checkSla' | 'recordResponse';
		const node = this.getNode();
		const executionId = this.getExecutionId?.() ?? null;
		const signing = (await this.getCredentials('revOpsApprovalApi').catch(() => null)) as ICredentialDataDecryptedObject | null;
		const secret = typeof signing?.secret === 'string' && signing.secret.length >= 16 ? signing.secret : null;
		const split = operation === 'assign' && this.getNodeParameter('splitByFirstReply', 0, false) === true;
		// Where an assigned item goes, and why it is or is not owed a first reply (said on every assigned item).
		const answered = (json: IDataObject): RoutedItem => {
			const crm = (json.crm ?? {}) as IDataObject;
			const firstReply = firstReplyFor({ isNew: crm.isNew, tier: crm.tier, decidedBy: (json.routing as IDataObject | undefined)?.decidedBy });
			return { output: split && !firstReply.owed ? NO_REPLY : OUT, json: { ...json, firstReply: firstReply as unknown as IDataObject } };
		};
		const errorOutput = split ? NO_REPLY : OUT;

		return await routeBatch(this, split ? 2 : 1, errorOutput, async (items) => {
			const started = Date.now();
			const { store, config: loaded } = await openCrmStore(this, 0);
			const config = (loaded as LoadedCompanyConfig).config;
			const audit = (decidedBy: AuditEntry['decidedBy'] = 'rule'): AuditEntry => nodeAudit('leadRouter', node.typeVersion, (loaded as LoadedCompanyConfig).version, started, decidedBy);
			const options = this.getNodeParameter('options', 0, {}) as IDataObject;
			const asOf = typeof options.asOf === 'string' && options.asOf.trim() ? DateTime.fromISO(options.asOf.trim(), { zone: 'utc' }) : DateTime.utc();
			if (!asOf.isValid) throw new NodeOperationError(node, `Check As Of "${String(options.asOf).slice(0, 40)}" is not a time`, { itemIndex: 0, description: 'Write it as ISO 8601, e.g. 2026-12-02T15:00:00Z, or leave it empty for now' });
			// The history names the node as the rule that wrote, as the CRM node's writes do.
			const ctx: HandoffContext = { store, config, now: asOf, executionId, writer: { kind: 'rule', name: node.name } };

			// The response webhook answers owners; it notifies only a lead released from review, as the assignment would.
			const choice = this.getNodeParameter('channel', 0, 'company') as NotifyChannel;
			const responseUrl = String(this.getNodeParameter('responseUrl', 0, '') || '').trim() || `${this.getInstanceBaseUrl().replace(/\/+$/, '')}/webhook/${DEFAULT_RESPONSE_PATH}`;
			const messenger: Messenger = {
				send: async (kind, to, lead, extra) => {
					const rep = repOf(config, extra.owner);
					const links = extra.links && secret ? responseLinks(responseUrl, { company: config.company.id, lead: lead.key, owner: extra.owner }, secret, ctx.now.toMillis(), kind === 'review' ? REVIEW_ACTIONS : OWNER_ACTIONS) : undefined;
					const sent: IDataObject = { kind, to: [to], channel: choice, sent: false, links: (links ?? null) as IDataObject | null };
					if (extra.links && !secret) sent.linksMissing = 'Add a RevOps Approval credential (signing secret) to the Lead Router so owners get one-click links';
					try {
						const { channel, url } = resolveChannel(choice, String(this.getNodeParameter('webhookUrl', 0, '') ?? ''), config);
						sent.channel = channel;
						await sendNotice(this, channel, url, signing, {
							to: [to],
							render: (textChannel) => ownerMessage({ kind, lead: lead.fields, owner: extra.owner, ownerName: rep?.name, timezone: rep?.timezone ?? config.calendar.timezone, calendarLink: kind === 'escalation' ? undefined : rep?.calendarLink, links: links as Partial<Record<ResponseAction, string>> | undefined, previousOwner: extra.previousOwner, why: extra.why }, textChannel),
							data: { kind, lead: lead.key, owner: extra.owner, links: links ?? null },
						});
						sent.sent = channel !== 'none';
					} catch (error) {
						// The lead is assigned and stored either way; the SLA watcher reminds later. The item says what failed.
						sent.error = (error as Error).message;
						sent.fix = (error as { fix?: string }).fix ?? 'Check the channel\'s webhook URL or SMTP settings';
					}
					return sent;
				},
			};

			if (operation === 'recordResponse') {
				return await Promise.all(
					items.map(async (item) => {
						// Opening a link (GET, the claims in the query) only shows a confirmation form; its button
						// POSTs the same signed values (in the body), and only that records anything.
						const body = item.json.body && typeof item.json.body === 'object' ? (item.json.body as IDataObject) : {};
						const posted = typeof body.s === 'string';
						const claims = (posted ? body : (item.json.query ?? item.json)) as Record<string, unknown>;
						const check = secret ? checkResponseQuery(claims, secret, ctx.now.toMillis()) : { ok: false as const, status: 400 as const, message: 'The response links cannot be checked: the Lead Router has no RevOps Approval credential with a signing secret.' };
						let response: IDataObject;
						if (!check.ok) response = { status: check.status, title: 'Not recorded', message: check.message, written: false };
						else if (!posted) {
							const preview = await previewResponse(ctx, check.claims);
							response = { status: preview.page.status, title: preview.page.title, message: preview.page.message, written: false, action: check.claims.action, lead: check.claims.lead, owner: check.claims.owner, confirm: preview.confirm };
							if (preview.confirm) response.html = responseConfirmPage(check.claims.action, preview.leadName, claims);
						} else {
							const result = await recordResponse(ctx, check.claims, check.reason, check.note);
							// Released from review: the new owner hears of it as of any new lead.
							const notification = result.released ? await messenger.send('new', result.released.owner, result.released.record, { owner: result.released.owner, links: true }) : undefined;
							const html = result.needsReason ? responseConfirmPage('not_a_fit', '', claims, result.page.message) : undefined;
							response = { status: result.page.status, title: result.page.title, message: result.page.message, written: result.written, action: check.claims.action, lead: check.claims.lead, owner: check.claims.owner, needsReason: result.needsReason === true, ...(html ? { html } : {}), fields: (result.fields ?? null) as IDataObject, ...(notification ? { notification, routing: result.released!.decision as unknown as IDataObject } : {}) };
						}
						response.html ??= responsePage(String(response.title), String(response.message));
						return { output: OUT, json: addAudit({ ...item.json, response }, audit(check.ok && posted ? 'human' : 'rule')) } as RoutedItem;
					}),
				);
			}

			// A company without routing in its config: leads pass on flagged (the first reply still starts)
			// and the watcher has nothing to watch; neither stops a run or fills the executions with errors.
			if (!config.routing) {
				const skipped = { configured: false, reason: `The company config of ${config.company.id} has no routing`, fix: 'Add routing (reps, rules, queueOwner) to the company config to assign owners and watch SLAs' };
				return items.map((item) => (operation === 'assign' ? answered(addAudit({ ...item.json, routing: skipped }, audit())) : { output: OUT, json: addAudit({ ...item.json, sla: { action: 'none', ...skipped } }, audit()) }));
			}

			if (operation === 'assign') {
				const leadFrom = String(this.getNodeParameter('leadFrom', 0, 'crm.record') || 'crm.record');
				const extraFrom = String(options.extraFrom || 'lead');
				const inputs = items.map((item, i) => {
					const record = getPath(item.json, leadFrom) as StoredRecord | undefined;
					if (!record || typeof record !== 'object' || typeof record.key !== 'string' || !record.fields) {
						return new NodeOperationError(node, `No stored lead at "${leadFrom}" on the item`, { itemIndex: i, description: 'Save the lead first with a RevOps CRM node (Create or Update, Lead) and put the Lead Router after it, or set Lead Fields From to where the record is' });
					}
					const extra = getPath(item.json, extraFrom);
					const account = getPath(item.json, 'crm.account') as { owner?: unknown } | null | undefined;
					const when = this.getNodeParameter('review', i, 'classifier') as string;
					const review = when === 'always' ? 'every lead is reviewed first' : when === 'classifier' && (item.json.intent as IDataObject | undefined)?.needsReview === true ? reviewReason(item.json) : null;
					return { record, extra: extra && typeof extra === 'object' ? (extra as Record<string, unknown>) : {}, accountOwner: account?.owner, review };
				});
				const results = await assignLeads(ctx, inputs);
				return await Promise.all(
					results.map(async (r, i) => {
						if (r instanceof Error) return r;
						const d = r.decision;
						const rep = repOf(config, r.owner);
						const notification = d ? await messenger.send(d.decidedBy === 'review-queue' ? 'review' : 'new', r.owner, r.record, { owner: r.owner, links: true, why: d.decidedBy === 'review-queue' ? d.steps[0]?.outcome : undefined }) : { sent: false, reason: r.outcome?.refused ?? 'the lead already has an owner the router assigned (a repeat submission)' };
						const routing = d
							? { owner: d.owner, ownerName: d.ownerName, repId: d.repId, team: d.team, decidedBy: d.decidedBy, ruleId: d.ruleId, offHours: d.offHours, calendarLink: d.calendarLink, steps: d.steps, attempts: r.attempts, kept: false }
							: { owner: r.owner, ownerName: rep?.name ?? null, repId: rep?.id ?? null, decidedBy: 'existing-owner', calendarLink: rep?.calendarLink ?? null, kept: true, steps: [{ rule: 'existing-owner', outcome: `${r.owner} already owns the lead` }] };
						const f = r.record.fields;
						const sla = { minutes: f.slaMinutes ?? null, reason: r.plan?.reason ?? null, remindAt: f.slaRemindAt ?? null, dueAt: f.slaDueAt ?? f.firstResponseDueAt ?? null, reassignAt: f.slaReassignAt ?? null, highIntent: r.plan?.highIntent ?? null, stage: f.slaStage ?? null };
						const json = { ...items[i].json, routing, sla, notification, crm: { ...((items[i].json.crm as IDataObject) ?? {}), record: recordView(r.record) as unknown as IDataObject, owner: r.owner } } as IDataObject;
						json.crmPatch = mergeCrmPatch(json, { owner: r.owner, ownerAssignedAt: f.ownerAssignedAt, slaDueAt: f.slaDueAt, firstResponseDueAt: f.firstResponseDueAt });
						return answered(addAudit(json, audit()));
					}),
				);
			}

			// checkSla: every input item (usually one schedule tick) runs one pass for its company.
			const results: Array<RoutedItem[] | Error> = [];
			for (const item of items) {
				try {
					const check = await checkSlas(ctx, Math.min(5000, Number(options.perStage ?? 200)));
					const out: RoutedItem[] = [];
					for (const step of check.steps) out.push({ output: OUT, json: addAudit({ sla: { ...stepView(step), checked: check.checked, skipped: check.skipped }, notifications: await notifyStep(messenger, step) } as IDataObject, audit()) });
					// A pass with nothing due still answers its item (items in == items out).
					results.push(out.length ? out : [{ output: OUT, json: addAudit({ ...item.json, sla: { action: 'none', checked: check.checked, skipped: check.skipped, at: ctx.now.toISO() } }, audit()) }]);
				} catch (error) {
					results.push(error as Error);
				}
			}
			return results;
		}, refusedUnder('routing', errorOutput));
	}
}

/** Why the Intent Classifier wants a person to look (its needsReview flag), in words for the reviewer. */
function reviewReason(json: IDataObject): string {
	const intent = (json.intent ?? {}) as IDataObject;
	if (intent.injectionSuspected === true) return 'the message looks like it tries to instruct our systems';
	if (typeof intent.confidence === 'number') return `the Intent Classifier was unsure (confidence ${intent.confidence.toFixed(2)})`;
	return 'the Intent Classifier asked for a review';
}


function stepView(step: SlaStepResult): IDataObject {
	const f = step.record.fields;
	return {
		action: step.action,
		lead: step.record.key,
		owner: step.owner,
		previousOwner: step.action === 'reassign' ? step.previousOwner : null,
		manager: step.manager,
		stayed: step.stayed,
		stage: f.slaStage ?? null,
		dueAt: f.slaDueAt ?? null,
		nextAt: f.slaNextAt ?? null,
		breaches: f.slaBreaches ?? 0,
		routingSteps: (step.decision?.steps ?? null) as IDataObject[] | null,
		record: recordView(step.record) as unknown as IDataObject,
	};
}

/** Who hears about a step: the owner (reminder), the manager (deadline), the new owner and the manager (reassignment). */
async function notifyStep(messenger: Messenger, step: SlaStepResult): Promise<IDataObject[]> {
	if (step.action === 'remind') return [await messenger.send('reminder', step.owner, step.record, { owner: step.owner, links: true })];
	if (step.action === 'escalate') return [await messenger.send('escalation', step.manager, step.record, { owner: step.owner, previousOwner: step.owner })];
	if (step.stayed) return [await messenger.send('escalation', step.manager, step.record, { owner: step.owner, previousOwner: step.owner, why: 'Nobody else in the routing can take it now, so it stays with its owner: please step in.' })];
	return [
		await messenger.send('reassigned', step.owner, step.record, { owner: step.owner, previousOwner: step.previousOwner, links: true }),
		await messenger.send('escalation', step.manager, step.record, { owner: step.owner, previousOwner: step.previousOwner, why: `It was reassigned to ${step.owner}.` }),
	];
}
