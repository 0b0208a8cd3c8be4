import type { INodeProperties } from 'n8n-workflow';
import { companyConfigProperty } from '../../shared/n8n/crm-store';

/** The Lead Router's parameters: which step of the handoff, the company, and how owners are told. */

const show = (operation: string[], extra: Record<string, string[]> = {}) => ({ show: { operation, ...extra } });
const NOTIFYING = ['assign', 'checkSla', 'recordResponse'];

export const DEFAULT_RESPONSE_PATH = 'revops-lead-response';

export const leadRouterProperties: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Assign Owner',
				value: 'assign',
				action: 'Assign an owner to a lead',
				description: 'Pick the owner by the company\'s routing rules and round-robin, start the first-response SLA, store both on the lead and tell the owner',
			},
			{
				name: 'Check SLAs',
				value: 'checkSla',
				action: 'Remind escalate or reassign overdue leads',
				description: 'Run on a schedule: reminds owners, alerts managers at the deadline, reassigns leads after the set number of missed deadlines',
			},
			{
				name: 'Record Owner Response',
				value: 'recordResponse',
				action: 'Record an owner s click on accepted contacted or not a fit',
				description: 'Behind a Webhook node: checks the signed link, records the answer and response time on the lead (a released review is routed to sales), and answers with a page',
			},
		],
		default: 'assign',
	},
	companyConfigProperty('The portfolio company\'s config (routing, SLAs, calendar, CRM backend)'),
	{
		displayName: 'Lead Fields From',
		name: 'leadFrom',
		type: 'string',
		default: 'crm.record',
		displayOptions: show(['assign']),
		placeholder: 'e.g. crm.record',
		description: 'Where the stored lead is on the item: the output of a RevOps CRM upsert or find (crm.record). The lead must be saved first, so its owner and SLA are written on it.',
	},
	{
		displayName: 'Review Queue',
		name: 'review',
		type: 'options',
		options: [
			{ name: 'When the Intent Classifier Asks', value: 'classifier', description: 'Leads whose intent.needsReview is true (unsure, or an injection suspected) go to routing.review first' },
			{ name: 'Never', value: 'never', description: 'Every lead goes to sales by the rules' },
			{ name: 'Always', value: 'always', description: 'A person checks every lead first' },
		],
		default: 'classifier',
		displayOptions: show(['assign']),
		description: 'Which leads a person checks before sales gets them. The reviewer releases a lead to sales, or marks it not a fit.',
	},
	{
		displayName: 'Split by First Reply',
		name: 'splitByFirstReply',
		type: 'boolean',
		default: false,
		noDataExpression: true,
		displayOptions: show(['assign']),
		description: 'Whether to send the leads owed a first reply (new, not Disqualified, not held for review) to a Reply Owed output and the rest to No Reply. Every assigned item says which and why in firstReply either way.',
	},
	{
		displayName: 'Notify Through',
		name: 'channel',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'E-Mail', value: 'email', description: 'One e-mail per person, over the SMTP server of the RevOps Approval credential' },
			{ name: 'From Company Config', value: 'company', description: 'The company\'s Slack webhook, else its Teams webhook' },
			{ name: 'Microsoft Teams', value: 'teams', description: 'A Teams incoming webhook' },
			{ name: 'Nobody', value: 'none', description: 'Only write the CRM; send the item\'s message yourself' },
			{ name: 'Slack', value: 'slack', description: 'A Slack incoming webhook' },
			{ name: 'Webhook (JSON)', value: 'webhook', description: 'POST the message and its data to your own endpoint' },
		],
		default: 'company',
		displayOptions: show(NOTIFYING),
	},
	{
		displayName: 'Webhook URL',
		name: 'webhookUrl',
		type: 'string',
		default: '',
		required: true,
		displayOptions: show(NOTIFYING, { channel: ['slack', 'teams', 'webhook'] }),
		placeholder: 'https://hooks.slack.com/services/...',
	},
	{
		displayName: 'Response Webhook URL',
		name: 'responseUrl',
		type: 'string',
		default: '',
		displayOptions: show(NOTIFYING),
		placeholder: `e.g. https://n8n.example.com/webhook/${DEFAULT_RESPONSE_PATH}`,
		description: `Where the owner's one-click links go: the Webhook node of the lead-owner-sla template. Empty: this n8n's /webhook/${DEFAULT_RESPONSE_PATH}. The links are signed with the RevOps Approval credential's secret.`,
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Check As Of',
				name: 'asOf',
				type: 'string',
				default: '',
				placeholder: 'e.g. 2026-12-02T15:00:00Z',
				displayOptions: { show: { '/operation': ['checkSla'] } },
				description: 'Check as if it were this time (ISO 8601), to replay a missed run; empty: now',
			},
			{
				displayName: 'Leads Per Stage',
				name: 'perStage',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 200,
				displayOptions: { show: { '/operation': ['checkSla'] } },
				description: 'At most this many due leads per SLA stage in one run; the rest wait for the next run',
			},
			{
				displayName: 'Form Values From',
				name: 'extraFrom',
				type: 'string',
				default: 'lead',
				displayOptions: { show: { '/operation': ['assign'] } },
				description: 'Where the rules find what the canonical lead has no field for (state, region, employees, revenue, product line): the Lead Normalizer\'s lead by default',
			},
		],
	},
];
