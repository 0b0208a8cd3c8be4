import {
	NodeConnectionTypes,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type INodeType,
	type INodeTypeBaseDescription,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { ICP_TIERS, IcpScorer } from '../../shared/domain/scoring/icp-scorer';
import { companyPlaybook, companyPlaybookProperty, conditionTable, configSourceProperty, missingDataProperty, playbookProperty, parsePairs, rowsToConditions } from '../../shared/n8n/playbook-params';
import { runScoringNode } from '../../shared/n8n/scoring-node';

const RULES = { show: { configSource: ['rules'] } };

const EXAMPLE_PLAYBOOK = JSON.stringify(
	{
		missingData: 'exclude',
		criteria: [
			{ id: 'industry', label: 'Industry', field: 'industry', op: 'in', values: ['software', 'fintech'], weight: 40 },
			{ id: 'size', label: 'Employees', field: 'employees', op: 'bands', weight: 40, bands: [{ max: 50, points: 20 }, { min: 50, max: 1000, points: 100 }, { min: 1000, points: 70 }] },
			{ id: 'region', label: 'Core market', field: 'country', op: 'in', values: ['US', 'GB', 'DE'], weight: 20 },
		],
		knockouts: [{ id: 'competitor', label: 'Competitor', field: 'isCompetitor', op: 'equals', value: true }],
		tiers: { T1: 75, T2: 50, T3: 25 },
	},
	null,
	2,
);

const properties: INodeProperties[] = [
	configSourceProperty('Criteria, knock-outs and tiers set below'),
	companyPlaybookProperty([{ name: 'Account Fit (Icp)', value: 'icp', description: 'The config\'s playbooks.icp: fit of an account on canonical account fields' }, { name: 'Inbound Lead Fit (leadFit)', value: 'leadFit', description: 'The config\'s playbooks.leadFit: fit of an inbound lead from what its form says' }]),
	playbookProperty(EXAMPLE_PLAYBOOK, 'ICP playbook (criteria, knockouts, tiers, engagement, grades); the package ships a JSON Schema of this format for editors'),
	conditionTable('criteria', 'Fit Criteria', 'Each criterion scores 0-100 on one field; the fit score is their weighted average', true, RULES),
	conditionTable('knockouts', 'Knock-Out Rules', 'Any match sends the item to Disqualified, whatever its score', false, RULES),
	{
		displayName: 'Tier Thresholds',
		name: 'tiers',
		type: 'collection',
		placeholder: 'Change Thresholds',
		default: {},
		displayOptions: RULES,
		description: 'Minimum fit score per tier (defaults T1 75, T2 50, T3 25); below T3 is Disqualified',
		options: [
			{ displayName: 'T1 From', name: 'T1', type: 'number', default: 75 },
			{ displayName: 'T2 From', name: 'T2', type: 'number', default: 50 },
			{ displayName: 'T3 From', name: 'T3', type: 'number', default: 25 },
		],
	},
	missingDataProperty(),
	{
		displayName: 'Engagement',
		name: 'engagement',
		type: 'collection',
		placeholder: 'Add Engagement Scoring',
		default: {},
		displayOptions: RULES,
		description: 'Score activity events with time decay and combine it with fit into a grade (A1 to C3)',
		options: [
			{ displayName: 'Event Date Field', name: 'dateField', type: 'string', default: 'at' },
			{ displayName: 'Event Points', name: 'eventPoints', type: 'string', default: '', placeholder: 'e.g. demo_request:50, pricing_page:20, webinar:15', description: 'Points per event type, comma-separated type:points' },
			{ displayName: 'Event Type Field', name: 'typeField', type: 'string', default: 'type' },
			{ displayName: 'Events Field', name: 'eventsField', type: 'string', default: 'events', description: 'Dot path of the list of events on the item' },
			{ displayName: 'Full Score At', name: 'fullScoreAt', type: 'number', default: 100, description: 'Decayed points that make an engagement score of 100' },
			{ displayName: 'Half-Life (Days)', name: 'halfLifeDays', type: 'number', default: 14, description: 'An event counts half as much after this many days' },
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [{ displayName: 'Put Result In Field', name: 'outputField', type: 'string', default: 'icp', description: 'Field that receives the score, tier and reasons' }],
	},
];

function playbookFromParameters(ctx: IExecuteFunctions, i: number): unknown {
	const source = ctx.getNodeParameter('configSource', i);
	if (source === 'companyConfig') return companyPlaybook(ctx, i);
	if (source === 'playbook') return ctx.getNodeParameter('playbook', i);
	const tiers = ctx.getNodeParameter('tiers', i, {}) as IDataObject;
	const engagement = ctx.getNodeParameter('engagement', i, {}) as IDataObject;
	const playbook: IDataObject = {
		missingData: ctx.getNodeParameter('missingData', i, 'exclude'),
		criteria: rowsToConditions(ctx, 'criteria', i, true),
		knockouts: rowsToConditions(ctx, 'knockouts', i, false),
		tiers: { T1: Number(tiers.T1 ?? 75), T2: Number(tiers.T2 ?? 50), T3: Number(tiers.T3 ?? 25) },
	};
	if (engagement.eventPoints) {
		playbook.engagement = {
			eventsField: String(engagement.eventsField ?? 'events'),
			typeField: String(engagement.typeField ?? 'type'),
			dateField: String(engagement.dateField ?? 'at'),
			halfLifeDays: Number(engagement.halfLifeDays ?? 14),
			fullScoreAt: Number(engagement.fullScoreAt ?? 100),
			eventPoints: parsePairs(String(engagement.eventPoints)),
		};
	}
	return playbook;
}

export class IcpScorerV1 implements INodeType {
	description: INodeTypeDescription;

	constructor(baseDescription: INodeTypeBaseDescription) {
		this.description = {
			...baseDescription,
			version: 1,
			subtitle: '={{ $parameter["configSource"] === "playbook" ? "Playbook JSON" : $parameter["configSource"] === "companyConfig" ? "Company Config: " + $parameter["playbookKey"] : "Rules table" }}',
			defaults: { name: 'ICP Scorer' },
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main, NodeConnectionTypes.Main, NodeConnectionTypes.Main],
			outputNames: [...ICP_TIERS],
			usableAsTool: true,
			properties,
		};
	}

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runScoringNode(this, {
			node: 'icpScorer',
			outputCount: ICP_TIERS.length,
			errorOutput: ICP_TIERS.indexOf('Disqualified'),
			readPlaybook: (i) => playbookFromParameters(this, i),
			build: (playbook) => new IcpScorer(playbook),
			score: (scorer, json, now, jsonata) => scorer.score(json, now, jsonata),
			output: (_scorer, result) => ICP_TIERS.indexOf(result.tier),
			crmPatch: (r, scorer) => ({
				icpFitScore: r.fitScore,
				icpTier: r.tier,
				icpGrade: r.grade,
				icpEngagementScore: r.engagementScore,
				icpExplanation: r.explanation,
				icpRulesetVersion: scorer.rulesetVersion,
			}),
		});
	}
}
