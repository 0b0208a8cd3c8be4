import { DateTime } from 'luxon';
import {
	NodeConnectionTypes,
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
} from 'n8n-workflow';
import { advanceClock, applyDecisions, awaiting, dueTimes, startProgress, type Notice, type Transition } from '../../shared/domain/approval/progress';
import { signClockItem, signLink } from '../../shared/domain/approval/signed-link';
import { toNodeError } from '../../shared/n8n/item-router';
import { verifySmtp } from './delivery';
import { approvalGateProperties } from './description';
import { EVENT_KEY, FALLBACK_GRACE_MS, firstDecisionOutput, gateUrl, WEBHOOK_PATH, heldFromWaitingItems, holdNewItems, outputsFor, recordFor, type GateEvent, type Held } from './held-items';
import { readGateSettings } from './settings';
import { deliverNotices, startClock } from './notices';
import { clockLoopsBack, clockOutputs, isClockLap, loopClock } from './loop-clock';
import { approvalWebhook } from './webhook';

/**
 * Three outputs, or one (route on approval.decision): on n8n 1.x, n8n's own fallback timer resumes a
 * waiting node on its first output only. With the loop clock, Clock comes first, for that reason too:
 * n8n's timer passes the waiting items on it back into the gate on 1.x and 2.x alike.
 */
const configuredOutputs = (parameters: INodeParameters) => [
	...(parameters.clock === 'loop' ? [{ type: 'main', displayName: 'Clock' }] : []),
	...(parameters.outputLayout === 'single'
		? [{ type: 'main', displayName: 'Decided' }]
		: [
				{ type: 'main', displayName: 'Approved' },
				{ type: 'main', displayName: 'Rejected' },
				{ type: 'main', displayName: 'Timed Out' },
			]),
];

/** Shown in the execution view while the run waits: each item, where it stands and its links. */
function waitingView(held: Held[], linkFor: (approver: string) => { approver: string; url: string }): INodeExecutionData[][] {
	return [
		held.map((h) => ({
			json: { ...h.original, approval: { ...recordFor(h), links: h.progress ? awaiting(h.progress).map(linkFor) : [] } as unknown as IDataObject },
			pairedItem: { item: h.index },
		})),
	];
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
		const settings = readGateSettings(this);
		// A decision (the waiting webhook hands it over), a lap of the loop clock (n8n's timer brought the
		// items back through the Clock output), or new items.
		const handedOver = (this.getExecuteData().metadata as Record<string, unknown> | undefined)?.[EVENT_KEY] as GateEvent | undefined;
		const lap = !handedOver && settings.clock === 'loop' && (await isClockLap(this, this.getInputData()));
		const event: GateEvent | undefined = handedOver ?? (lap ? { type: 'tick', at: new Date().toISOString() } : undefined);
		const held = event ? heldFromWaitingItems(this.getInputData()) : await holdNewItems(this, settings);
		const waiting = held.filter((h) => h.record.humanRequired && !h.progress?.outcome);
		if (waiting.length === 0) return outputsFor(this, held, settings);

		const now = DateTime.utc();
		// Read through n8n's data proxy in code, not by evaluating an expression (item-defaults.ts says why).
		const resumeUrl = String((this.getWorkflowDataProxy(0).$execution as { resumeUrl?: string } | undefined)?.resumeUrl ?? '');

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
		const loop = settings.clock === 'loop' && clockLoopsBack(this);
		if (!event) {
			const clock = loop ? loopClock(timeline, now) : `${settings.clock === 'loop' ? 'the Clock output does not lead back into this gate, so a separate clock execution runs instead; ' : ''}${await startClock(this, timeline, now, resumeUrl, claims, secret)}`;
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
			outputs[firstDecisionOutput(settings)].push(...waiting.map((h) => ({ json: { error: nodeError.message }, error: nodeError, pairedItem: { item: h.index } })));
			return outputs;
		}
		for (const h of waiting) h.progress = { ...h.progress!, notices: h.progress!.notices.map((n) => (failed.has(n) ? { ...n, error: failed.get(n) } : n)) };

		if (waiting.every((h) => h.progress!.outcome)) return outputsFor(this, held, settings);

		const executeData = this.getExecuteData();
		if (loop) {
			// n8n's timer wakes this run at the next moment something may be due and passes the items on
			// the Clock output back into the gate, which sends what is due and waits again (or decides).
			executeData.data.main = clockOutputs(this, held, settings, (index) => signClockItem(claims.executionId, claims.nodeId, index, secret));
			await this.putExecutionToWait(new Date(dueTimes(timeline, now)[0] ?? expiresAt));
			return waitingView(held, linkFor);
		}
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
		executeData.data.main = outputsFor(this, fallback, settings);
		executeData.metadata = { forwardAllOutputs: true } as typeof executeData.metadata;
		await this.putExecutionToWait(new Date(expiresAt));
		return waitingView(held, linkFor);
	}


	webhook = approvalWebhook;
}
