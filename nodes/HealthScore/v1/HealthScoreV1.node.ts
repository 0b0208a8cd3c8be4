import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeParameters,
	type INodeProperties,
	type INodeType,
	type INodeTypeBaseDescription,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { assertBandsHaveOutputs, HealthScorer } from '../../shared/domain/scoring/health-scorer';
import { companyPlaybook, companyPlaybookProperty, conditionTable, configSourceProperty, missingDataProperty, playbookProperty, rowsToConditions } from '../../shared/n8n/playbook-params';
import { runScoringNode } from '../../shared/n8n/scoring-node';

const RULES = { show: { configSource: ['rules'] } };

/**
 * One output per band, named after the bands. Evaluated by n8n in the editor and the engine, so it
 * must be self-contained plain JavaScript (n8n's Switch node does the same).
 */
const configuredOutputs = (parameters: INodeParameters) =>
	String(parameters.bandOutputs || 'green, yellow, red')
		.split(',')
		.map((name) => name.trim())
		.filter((name) => name !== '')
		.slice(0, 6)
		.map((name) => ({ type: 'main', displayName: name }));

function bandOutputNames(text: string): string[] {
	return configuredOutputs({ bandOutputs: text }).map((o) => o.displayName);
}

const properties: INodeProperties[] = [
	configSourceProperty('Measures, bands and flags set below'),
	companyPlaybookProperty([{ name: 'Account Health (Health)', value: 'health', description: 'The config\'s playbooks.health' }]),
	{
		displayName: 'Band Outputs',
		name: 'bandOutputs',
		type: 'string',
		noDataExpression: true,
		default: 'green, yellow, red',
		description: 'Names of the bands from best to worst, comma-separated (2 to 6); one output each, in this order. A playbook must use the same band names.',
	},
	{
		displayName: 'Band Thresholds',
		name: 'bandMins',
		type: 'string',
		default: '70, 40, 0',
		displayOptions: RULES,
		description: 'Lowest score of each band, in the order of Band Outputs; the last must be 0',
	},
	playbookProperty('{\n  "measures": [\n    { "id": "adoption", "field": "weeklyActiveUsersPct", "op": "bands", "weight": 50, "bands": [ { "max": 25, "points": 10 }, { "min": 25, "max": 60, "points": 60 }, { "min": 60, "points": 100 } ] },\n    { "id": "payment", "field": "paymentStatus", "op": "equals", "value": "current", "weight": 50 }\n  ]\n}', 'Health playbook (measures, segments, bands, trend, churn risks, expansion signals, override); the package ships a JSON Schema of this format'),
	conditionTable('measures', 'Measures', 'Each measure maps one field to 0-100 (bands or a condition); the health score is their weighted average', true, RULES),
	conditionTable('churnRisks', 'Churn-Risk Rules', 'Matches are listed on the item with their reason', false, RULES),
	conditionTable('expansionSignals', 'Expansion-Signal Rules', 'Matches are listed on the item with their reason', false, RULES),
	missingDataProperty(),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{ displayName: 'Override Field', name: 'overrideField', type: 'string', default: '', placeholder: 'e.g. healthOverride', description: 'Item field with a manual override { score or band, reason, by, expiresAt } that wins until it expires (rules table only)' },
			{ displayName: 'Previous Score Field', name: 'previousScoreField', type: 'string', default: '', placeholder: 'e.g. previousHealthScore', description: 'Item field with the last score, for the trend (rules table only)' },
			{ displayName: 'Put Result In Field', name: 'outputField', type: 'string', default: 'health', description: 'Field that receives the score, band and reasons' },
			{ displayName: 'Segment Field', name: 'segmentField', type: 'string', default: '', placeholder: 'e.g. tier', description: 'Item field whose value picks a weight set (rules table only)' },
			{ displayName: 'Segment Weights', name: 'segmentWeights', type: 'json', default: '{}', description: 'Per segment value, measure ID to weight, e.g. {"T1": {"adoption": 40}}; "default" applies to other values (rules table only)' },
		],
	},
];

function playbookFromParameters(ctx: IExecuteFunctions, i: number): unknown {
	const source = ctx.getNodeParameter('configSource', i);
	if (source === 'companyConfig') return companyPlaybook(ctx, i);
	if (source === 'playbook') return ctx.getNodeParameter('playbook', i);
	const names = bandOutputNames(String(ctx.getNodeParameter('bandOutputs', i, '')));
	const mins = String(ctx.getNodeParameter('bandMins', i, '')).split(',').map((s) => Number(s.trim()));
	const options = ctx.getNodeParameter('options', i, {}) as IDataObject;
	const playbook: IDataObject = {
		missingData: ctx.getNodeParameter('missingData', i, 'exclude'),
		measures: rowsToConditions(ctx, 'measures', i, true),
		churnRisks: rowsToConditions(ctx, 'churnRisks', i, false),
		expansionSignals: rowsToConditions(ctx, 'expansionSignals', i, false),
		bands: names.map((name, k) => ({ name, min: mins[k] })),
	};
	if (options.previousScoreField) playbook.trend = { previousScoreField: String(options.previousScoreField) };
	if (options.overrideField) playbook.override = { field: String(options.overrideField) };
	if (options.segmentField) {
		const weights = typeof options.segmentWeights === 'string' ? JSON.parse(options.segmentWeights || '{}') : (options.segmentWeights ?? {});
		playbook.segments = { field: String(options.segmentField), weights };
	}
	return playbook;
}

export class HealthScoreV1 implements INodeType {
	description: INodeTypeDescription;

	constructor(baseDescription: INodeTypeBaseDescription) {
		this.description = {
			...baseDescription,
			version: 1,
			subtitle: '={{ $parameter["configSource"] === "playbook" ? "Playbook JSON" : $parameter["configSource"] === "companyConfig" ? "Company Config: " + $parameter["playbookKey"] : "Rules table" }}',
			defaults: { name: 'Health Score' },
			inputs: [NodeConnectionTypes.Main],
			outputs: `={{(${configuredOutputs})($parameter)}}`,
			usableAsTool: true,
			properties,
		};
	}

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const outputs = bandOutputNames(String(this.getNodeParameter('bandOutputs', 0, '')));
		if (outputs.length < 2) {
			throw new NodeOperationError(this.getNode(), 'Band Outputs needs at least two band names', {
				description: 'List the bands from best to worst, for example: green, yellow, red.',
			});
		}
		return await runScoringNode(this, {
			node: 'healthScore',
			outputCount: outputs.length,
			errorOutput: outputs.length - 1,
			readPlaybook: (i) => playbookFromParameters(this, i),
			build: (playbook) => {
				const scorer = new HealthScorer(playbook);
				assertBandsHaveOutputs(scorer.bandNames, outputs);
				return scorer;
			},
			score: (scorer, json, now, jsonata) => scorer.score(json, now, jsonata),
			output: (_scorer, result) => outputs.indexOf(result.band),
			crmPatch: (r, scorer) => ({
				healthScore: r.healthScore,
				healthBand: r.band,
				healthTrend: r.trend?.direction,
				healthDelta: r.trend?.delta,
				healthChurnRisks: r.churnRisks.map((c) => c.label).join('; '),
				healthExpansionSignals: r.expansionSignals.map((c) => c.label).join('; '),
				healthExplanation: r.explanation,
				healthOverrideActive: r.override?.active ?? false,
				healthRulesetVersion: scorer.rulesetVersion,
			}),
		});
	}
}
