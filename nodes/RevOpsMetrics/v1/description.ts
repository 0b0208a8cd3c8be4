import type { INodeProperties } from 'n8n-workflow';

/** The RevOps Metrics node's parameters: the period, the grouping, where the deals are, the quota. */

export const revOpsMetricsProperties: INodeProperties[] = [
	{
		displayName: 'Company Config',
		name: 'companyConfig',
		type: 'json',
		default: '={{ $json.companyConfig ?? $(\'Company Config\').first().json.companyConfig }}',
		description: 'The portfolio company\'s config: its currency, calendar (time zone of the periods), stage map and stage probabilities',
	},
	{
		displayName: 'Period',
		name: 'period',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Last Complete Week', value: 'week', description: 'Monday to Monday in the company\'s time zone' },
			{ name: 'Last Complete Month', value: 'month' },
			{ name: 'Last Complete Quarter', value: 'quarter' },
			{ name: 'Custom', value: 'custom', description: 'From and To below; the previous and next periods have the same length' },
		],
		default: 'month',
		description: 'The period the figures are for; the one before it is computed beside it, and the forecast looks at the one after it',
	},
	{
		displayName: 'From',
		name: 'from',
		type: 'dateTime',
		default: '',
		displayOptions: { show: { period: ['custom'] } },
		description: 'Start of the period (included)',
	},
	{
		displayName: 'To',
		name: 'to',
		type: 'dateTime',
		default: '',
		displayOptions: { show: { period: ['custom'] } },
		description: 'End of the period (not included)',
	},
	{
		displayName: 'Group By Field',
		name: 'groupBy',
		type: 'string',
		default: '',
		placeholder: 'e.g. owner',
		description: 'A deal field to group by (owner, sourceChannel, tier, productLine...); empty for the company as a whole. The whole is always the first item.',
	},
	{
		displayName: 'Quota of the Next Period',
		name: 'quota',
		type: 'number',
		default: 0,
		description: 'For pipeline coverage (target 3-5x); 0 leaves coverage empty',
	},
	{
		displayName: 'Funnel Stages',
		name: 'funnel',
		type: 'options',
		options: [
			{ name: 'Company CRM Stages', value: 'crm', description: 'The stage names of the company\'s stage map, in its order (closed and lost stages left out); deals\' crmStage' },
			{ name: 'Canon Stages', value: 'canon', description: 'The 7-stage canon; deals\' stage' },
		],
		default: 'crm',
		description: 'Which stages stage conversion and time in stage are about. A deal\'s stageHistory ([{ to, at }]) must use the same names.',
	},
	{
		displayName: 'Stage History',
		name: 'stageHistory',
		type: 'options',
		options: [
			{ name: 'From the CRM\'s History', value: 'crm', description: 'Each deal\'s stage changes as the company\'s CRM recorded them (one history read per deal; needs the CRM credential of the company\'s backend)' },
			{ name: 'On the Items', value: 'item', description: 'Each deal\'s stageHistory field: [{ to, at }]' },
		],
		default: 'item',
		description: 'Where stage conversion and time in stage take the stages a deal passed from',
	},
	{
		displayName: 'Deal Fields From',
		name: 'dealFrom',
		type: 'string',
		default: 'crm.record.fields',
		description: 'Where each item holds the opportunity: the output of a RevOps CRM search (crm.record.fields), or the item itself when that path is absent',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'As Of',
				name: 'asOf',
				type: 'dateTime',
				default: '',
				description: 'Compute as if now were this moment (the last complete period before it); empty for now',
			},
		],
	},
];
