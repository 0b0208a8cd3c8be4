import type { INodeProperties } from 'n8n-workflow';
import { companyConfigProperty } from '../../shared/n8n/crm-store';

/** The RevOps Metrics node's parameters: the operation, the period, the grouping, where the records are. */

const KPIS = ['kpis'];
const READS_DEALS = ['kpis', 'warnings', 'winLoss'];
const PERIODIC = ['kpis', 'winLoss'];
const show = (operation: string[], more: Record<string, string[]> = {}) => ({ show: { operation, ...more } });

export const revOpsMetricsProperties: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Analyze Win/Loss', value: 'winLoss', action: 'Analyze win and loss', description: 'Closed deals in, one item out: by reason, competitor, segment and source; ICP criteria lift; a suggested playbook version for approval' },
			{ name: 'Build Report', value: 'report', action: 'Build the report', description: 'Compute KPIs items in, one item out: the HTML report, Slack text and PNG charts as binary data' },
			{ name: 'Compute KPIs', value: 'kpis', action: 'Compute the sales figures', description: 'All records in, one item per group out: the KPIs of the period beside the previous one, forecast, its accuracy, anomalies' },
			{ name: 'Find Deal Warnings', value: 'warnings', action: 'Find deal warnings', description: 'One item per deal: stalled, stuck in a stage, close date pushed, single-threaded, late without an economic buyer; with who gets it' },
			{ name: 'Post Report to Slack', value: 'slack', action: 'Post the report to a channel', description: 'Build Report items in: the Slack text with the charts as images, in the company\'s channel' },
		],
		default: 'kpis',
	},
	companyConfigProperty('The portfolio company\'s config: its currency, calendar (time zone of the periods), stage map, stage probabilities and metrics thresholds', { displayOptions: { hide: { operation: ['report'] } } }),
	{
		displayName: 'Period',
		name: 'period',
		type: 'options',
		options: [
			{ name: 'Last Complete Week', value: 'week', description: 'Monday to Monday in the company\'s time zone' },
			{ name: 'Last Complete Month', value: 'month' },
			{ name: 'Last Complete Quarter', value: 'quarter' },
			{ name: 'Custom', value: 'custom', description: 'From and To below; the previous and next periods have the same length' },
		],
		default: 'month',
		description: 'The period the figures are for; the one before it is computed beside it, and the forecast looks at the one after it',
		displayOptions: show(PERIODIC),
	},
	{
		displayName: 'From',
		name: 'from',
		type: 'dateTime',
		default: '',
		displayOptions: show(PERIODIC, { period: ['custom'] }),
		description: 'Start of the period (included)',
	},
	{
		displayName: 'To',
		name: 'to',
		type: 'dateTime',
		default: '',
		displayOptions: show(PERIODIC, { period: ['custom'] }),
		description: 'End of the period (not included)',
	},
	{
		displayName: 'Group By Field',
		name: 'groupBy',
		type: 'string',
		default: '',
		placeholder: 'e.g. owner',
		description: 'A field to group by (owner, sourceChannel, tier, productLine...) on deals, leads, activities and accounts alike; empty for the company as a whole. The whole is always the first item.',
		displayOptions: show(KPIS),
	},
	{
		displayName: 'Quota of the Next Period',
		name: 'quota',
		type: 'number',
		default: 0,
		description: 'For pipeline coverage (target 3-5x); 0 takes the config\'s metrics.quota for the period length, or leaves coverage empty',
		displayOptions: show(KPIS),
	},
	{
		displayName: 'Records From',
		name: 'recordsFrom',
		type: 'options',
		options: [
			{ name: 'Input Items', value: 'items', description: 'The records on the items (RevOps CRM searches before this node, or items with the same fields)' },
			{ name: 'The Company\'s CRM Store', value: 'crm', description: 'Every opportunity (with its stage history), lead, activity and account in the company\'s CRM store, read page by page: for whole pipelines too large for n8n items. Input items only start the run.' },
		],
		default: 'items',
		description: 'Where the records come from',
		displayOptions: show(KPIS),
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
		displayOptions: show(READS_DEALS),
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
		description: 'Where the stages a deal passed (and its close-date changes, revenue snapshots of accounts) come from',
		displayOptions: { ...show(READS_DEALS), hide: { recordsFrom: ['crm'] } },
	},
	{
		displayName: 'Deal Fields From',
		name: 'dealFrom',
		type: 'string',
		default: 'crm.record.fields',
		description: 'Where each item holds its record: the output of a RevOps CRM search (crm.record.fields), or the item itself when that path is absent. Records are opportunities unless the search says lead, activity or account (crm.object).',
		displayOptions: { ...show(READS_DEALS), hide: { recordsFrom: ['crm'] } },
	},
	{
		displayName: 'Accounts From',
		name: 'accountFrom',
		type: 'options',
		options: [
			{ name: 'The CRM', value: 'crm', description: 'Each deal\'s account by its accountDomain (one read for all; needs the CRM credential)' },
			{ name: 'The Items', value: 'item', description: 'Each item\'s "account" object' },
		],
		default: 'crm',
		description: 'Where the closed deals\' accounts come from, for the lift of each ICP criterion',
		displayOptions: show(['winLoss']),
	},
	{
		displayName: 'Title',
		name: 'title',
		type: 'string',
		default: 'Sales report',
		description: 'The report\'s title (the period is added)',
		displayOptions: show(['report']),
	},
	{
		displayName: 'Channel',
		name: 'channel',
		type: 'string',
		default: '={{ $(\'Company Config\').first().json.companyConfig.channels.slackChannel }}',
		description: 'Slack channel ID (C0123456789) the Slack app is in',
		displayOptions: show(['slack']),
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
			{
				displayName: 'Keep Forecasts',
				name: 'keepForecasts',
				type: 'boolean',
				default: false,
				description: 'Whether to store the forecast for the next period in the company\'s CRM store (the first one made for a period is kept) and score the one stored for this period against its bookings. Needs the CRM credential.',
			},
			{
				displayName: 'Stage Probabilities',
				name: 'probabilities',
				type: 'options',
				options: [
					{ name: 'From the Config', value: 'config', description: 'The company config\'s stageProbabilities' },
					{ name: 'Learnt From Closed Deals', value: 'learnt', description: 'Won / closed among deals that reached each stage, where enough closed deals exist; the config\'s elsewhere' },
				],
				default: 'config',
			},
		],
		displayOptions: show(READS_DEALS),
	},
];
