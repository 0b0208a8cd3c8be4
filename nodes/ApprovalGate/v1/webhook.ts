// The waiting run's webhook, split from the node file as n8n's sendAndWait splits its own.
import {
	type INodeExecutionData,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';
import { approvalPage, MAX_EDIT_LENGTH, messagePage, parseDecisionForm, resendPage } from '../../shared/domain/approval/approval-request';
import { applyDecisions, awaiting, checkVoter, type Progress } from '../../shared/domain/approval/progress';
import { verifyLink, verifyTick } from '../../shared/domain/approval/signed-link';
import { collectDecision, isBusy, isCollecting, markHandedOver, releaseHandOver } from './resume-guard';
import { EVENT_KEY, executionIdFromPath, history, live, shown, stateStamp, unwrap, type ApprovalRecord, type DecisionEvent, type GateEvent } from './held-items';
import { readPageSettings } from './settings';

/** The waiting run's webhook: the approval page (GET), decisions (POST) and the clock's ticks. */
export async function approvalWebhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
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
	// Refused attempts ride on the resume a counted decision makes anyway, so the record has them. A
	// batch with nothing to count resumes nothing: resuming the run only to note a refusal would keep it
	// busy, and the next real click would meet n8n's own "running already".
	const counts = result.applied.answers.some((a) => a === null);
	const verb = parsed.decision === 'approved' ? 'approval' : 'rejection';
	const answer = () =>
		refused
			? send(refused.status, messagePage(refused.status === 409 ? 'Already decided' : 'Not yet', `Not counted: ${refused.reason} ${counts ? `Your ${verb} is kept in the request's record.` : 'Nothing was changed.'}`))
			: send(
					200,
					messagePage(
						parsed.decision === 'approved' ? 'Approved' : 'Rejected',
						`Recorded: ${parsed.decision} by ${approver} at ${attempt.at}.${result.applied.progress.outcome ? '' : ` Next: ${awaiting(result.applied.progress).join(', ')}.`}${parsed.notes.length ? ` ${parsed.notes.join(' ')}` : ''} You can close this page.`,
					),
				);
	if (index > 0) return answer();
	if (!counts) {
		releaseHandOver(executionId);
		return answer();
	}
	return resume({ type: 'decisions', decisions: result.attempts }, () => void answer());
}
