import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { safeText } from '../../shared/domain/text';
import { fieldAt, firstField } from '../../shared/n8n/item-defaults';
import { calendarProperty } from '../../shared/n8n/calendar-params';

/** The Approval Gate's parameters: who decides, how, through which channel, and when it times out. */
export const approvalGateProperties: INodeProperties[] = [
	{
		displayName: 'Tier',
		name: 'tier',
		type: 'string',
		default: '',
		placeholder: 'Empty: the item\'s crm.tier, else icp.tier, else tier',
		description: 'T1, T2 or T3 (also "Tier 2" or 2). Anything else counts as T1, so an unknown account is human-led. Empty: the item\'s crm.tier (the tier on record, after a RevOps CRM node), else icp.tier, else tier.',
	},
	{
		displayName: 'Confidence',
		name: 'confidence',
		type: 'string',
		default: '',
		placeholder: 'Empty: the item\'s intent.confidence, else confidence',
		description: 'From 0 to 1. Empty: the item\'s intent.confidence, else confidence; when the item has none, T2 and T3 items ask a person.',
	},
	{
		displayName: 'Injection Suspected',
		name: 'injectionSuspected',
		type: 'string',
		default: '',
		placeholder: 'Empty: the item\'s trust, intent or own injectionSuspected flag',
		description: 'True when the item may carry a prompt injection; such items always go to a person. Empty: true when the item\'s trust.injectionSuspected, intent.injectionSuspected or injectionSuspected is true.',
	},
	{
		displayName: 'Risk Flags',
		name: 'riskFlags',
		type: 'string',
		default: '',
		placeholder: 'Empty: the item\'s riskFlags',
		description: 'Comma-separated; any flag sends the item to a person. Empty: the item\'s riskFlags (a list of flags or their IDs).',
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
		displayName: 'Approvers From Company Config',
		name: 'approversFromConfig',
		type: 'boolean',
		default: false,
		description:
			"Whether the approvers are the company config's approvers who may approve the items' tier (approvers[].tiers), and escalation goes to its channels.notifyEmail. The config is the one a Company Config node put on the item.",
	},
	{
		displayName: 'Approvers',
		name: 'approvers',
		type: 'string',
		default: '',
		required: true,
		displayOptions: { show: { approversFromConfig: [false] } },
		placeholder: 'e.g. manager@example.com, vp@example.com',
		description: 'The allow-list, comma-separated, in order for a chain. Each gets a personal signed link; nobody else can decide.',
	},
	{
		displayName: 'Who Must Approve',
		name: 'approvalMode',
		type: 'options',
		description: 'An expression may choose per run (read from the first item), e.g. a chain for T1 accounts',
		options: [
			{ name: 'Any One of Them', value: 'any', description: 'Everyone is asked at once; the first decision wins' },
			{ name: 'All of Them', value: 'all', description: 'Everyone is asked at once; each must approve, one rejection rejects' },
			{ name: 'Each in Turn (Chain)', value: 'chain', description: 'Asked one after another in the order listed (e.g. manager, then VP); each must approve' },
		],
		default: 'any',
	},
	{
		displayName: 'Escalate To',
		name: 'escalateTo',
		type: 'string',
		default: '',
		displayOptions: { show: { approversFromConfig: [false] } },
		placeholder: 'e.g. head-of-sales@example.com',
		description: 'Comma-separated. When a step runs out of time undecided, these people are asked too and any one of them decides; then the timeout action applies. Empty: no escalation.',
	},
	{
		displayName: 'Send Request Via',
		name: 'channel',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'E-Mail (SMTP)', value: 'email', description: 'One e-mail per approver with their own link; SMTP settings come from the credential' },
			{ name: 'From Company Config', value: 'company', description: 'The company\'s Slack webhook, else its Teams webhook (channels in the config a Company Config node put on the item)' },
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
		displayName: 'Time to Decide (Business Minutes)',
		name: 'timeoutMinutes',
		type: 'number',
		typeOptions: { minValue: 0.1, numberPrecision: 2 },
		default: 480,
		description: 'Working minutes, counted with the calendar below, each step has (a chain: each approver; an escalation: again as long) before the request moves on',
	},
	{
		displayName: 'Remind Before Time Runs Out (Business Minutes)',
		name: 'reminderMinutes',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 2 },
		default: 60,
		description: 'Whoever has not decided gets the request again this long before their time runs out; 0 sends no reminder',
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
	calendarProperty('Working time for the timeout', 'IANA time zone of the approvers'),
	{
		displayName: 'Outputs',
		name: 'outputLayout',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Approved, Rejected, Timed Out', value: 'separate' },
			{ name: 'One Output (Use approval.decision)', value: 'single', description: 'Every item on one output; route on approval.decision yourself' },
		],
		default: 'separate',
	},
	{
		displayName: 'Clock',
		name: 'clock',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Loop Through the Clock Output',
				value: 'loop',
				description: 'No extra execution: the gate adds a first output, Clock, that you wire back into its own input (through a No Operation node); this run wakes at each reminder or deadline',
			},
			{ name: 'Separate Clock Execution', value: 'execution', description: 'A small run of Wait nodes per waiting run sends the ticks; needs no wiring' },
		],
		default: 'execution',
		description: 'What wakes the waiting run for reminders, escalation and the timeout',
	},
];

/** What each of the policy's inputs is, left empty: read from the item in code (item-defaults.ts says why). */
export const POLICY_INPUTS_FROM_ITEM: Record<'tier' | 'confidence' | 'injectionSuspected' | 'riskFlags', (json: IDataObject) => unknown> = {
	tier: (json) => firstField(json, ['crm.tier', 'icp.tier', 'tier']) ?? '',
	confidence: (json) => firstField(json, ['intent.confidence', 'confidence']) ?? '',
	injectionSuspected: (json) => fieldAt(json, 'trust.injectionSuspected') === true || fieldAt(json, 'intent.injectionSuspected') === true || json.injectionSuspected === true,
	riskFlags: (json) =>
		([] as unknown[])
			.concat(json.riskFlags ?? [])
			.map((f) => safeText(f !== null && typeof f === 'object' ? ((f as IDataObject).id ?? f) : (f ?? ''), 200))
			.join(', '),
};
