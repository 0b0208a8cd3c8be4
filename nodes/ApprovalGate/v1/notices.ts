// The gate's messages (request, reminder, escalation) and its clock.
import { DateTime } from 'luxon';
import {
	NodeOperationError,
	type ICredentialDataDecryptedObject,
	type IExecuteFunctions,
} from 'n8n-workflow';
import { requestText } from '../../shared/domain/approval/approval-request';
import { dueTimes, type Notice, type Timeline } from '../../shared/domain/approval/progress';
import { signLink } from '../../shared/domain/approval/signed-link';
import { ConfigError } from '../../shared/domain/config-error';
import { toNodeError } from '../../shared/n8n/item-router';
import { deliverRequest } from './delivery';
import { timerWorkflow } from './timer-workflow';
import { gateUrl, shown, type Held } from './held-items';
import { type GateSettings } from './settings';

export const NOTICE_TITLE: Record<Notice['kind'], (title: string) => string> = {
	request: (title) => title,
	reminder: (title) => `Reminder: ${title}`,
	escalation: (title) => `Escalated: ${title}`,
};

/**
 * Sends each message once for all the items it concerns, each recipient with their own link. A
 * run's first request must go out (otherwise nothing would wait for it), so its failure stops the
 * run; a reminder or escalation that fails is recorded on the items and the run keeps waiting.
 */
export async function deliverNotices(
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
export async function startClock(ctx: IExecuteFunctions, timeline: Timeline, now: DateTime, resumeUrl: string, claims: { executionId: string; nodeId: string }, secret: string): Promise<string> {
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
