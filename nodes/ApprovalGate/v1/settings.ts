// The gate's settings for a run (who decides, the channel, what the page shows), read from its parameters.
import {
	type IExecuteFunctions,
	type IWebhookFunctions,
} from 'n8n-workflow';
import { type ApprovalMode } from '../../shared/domain/approval/progress';
import { companyAlertChannel } from '../../shared/domain/crm/company-config';
import { splitList } from '../../shared/n8n/calendar-params';
import { toNodeError } from '../../shared/n8n/item-router';
import { type Channel } from './delivery';

export interface GateSettings {
	/** Empty until the items' tiers are known when they come from the company config (held-items.ts). */
	approvers: string[];
	escalateTo: string[];
	/** Whether approvers and escalation come from the config a Company Config node put on the item. */
	approversFromConfig: boolean;
	mode: ApprovalMode;
	channel: Channel;
	/** Slack, Teams or generic webhook channels: where the request is POSTed. */
	webhookUrl: string;
	title: string;
	showFields: string[];
	editableFields: string[];
	layout: 'separate' | 'single';
	/** What wakes the waiting run: a separate clock execution, or this run itself through the Clock output (outputs shift by one). */
	clock: 'execution' | 'loop';
}

/** Per-run settings, read from the first item. */
export function readGateSettings(ctx: IExecuteFunctions): GateSettings {
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
	const approversFromConfig = ctx.getNodeParameter('approversFromConfig', 0, false) === true;
	return {
		approvers: approversFromConfig ? [] : splitList(get('approvers', '')),
		escalateTo: approversFromConfig ? [] : splitList(get('escalateTo', '')),
		approversFromConfig,
		mode: mode === 'all' || mode === 'chain' ? mode : 'any',
		channel,
		webhookUrl,
		...readPageSettings(ctx),
		layout: get('outputLayout', 'separate') === 'single' ? 'single' : 'separate',
		clock: get('clock', 'execution') === 'loop' ? 'loop' : 'execution',
	};
}

/**
 * What the approval page needs. The waiting webhook has no items to evaluate expressions against,
 * so who decides comes from the state on the waiting items, never from parameters read here.
 */
export function readPageSettings(ctx: IExecuteFunctions | IWebhookFunctions): Pick<GateSettings, 'title' | 'showFields' | 'editableFields'> {
	const get = (name: string, fallback: string) => {
		try {
			return String(('getInputData' in ctx ? ctx.getNodeParameter(name, 0, fallback) : ctx.getNodeParameter(name, fallback)) ?? fallback);
		} catch {
			return fallback;
		}
	};
	return { title: get('title', 'Approval needed') || 'Approval needed', showFields: splitList(get('showFields', '')), editableFields: splitList(get('editableFields', '')) };
}
