import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { ConfigError } from '../domain/config-error';
import { readCompanyConfig } from './crm-store';

/**
 * The rules table that builders fill in the node UI, shared by the ICP Scorer and the Health Score,
 * and its translation into the playbook format (nodes/shared/domain/scoring/playbook-schema.ts), so
 * both ways of configuring a node end in the same validated playbook.
 */

const OPERATOR_OPTIONS = [
	{ name: 'Between (Min–Max)', value: 'between' },
	{ name: 'Bands (Ranges → Points)', value: 'bands' },
	{ name: 'Contains All Of', value: 'containsAll' },
	{ name: 'Contains Any Of', value: 'containsAny' },
	{ name: 'Equals', value: 'equals' },
	{ name: 'Exists', value: 'exists' },
	{ name: 'Greater Than', value: 'gt' },
	{ name: 'Greater Than or Equal', value: 'gte' },
	{ name: 'Is Not Set', value: 'notExists' },
	{ name: 'JSONata Expression', value: 'jsonata' },
	{ name: 'Less Than', value: 'lt' },
	{ name: 'Less Than or Equal', value: 'lte' },
	{ name: 'Not Equals', value: 'notEquals' },
	{ name: 'Not One Of', value: 'notIn' },
	{ name: 'Older Than (Days)', value: 'olderThanDays' },
	{ name: 'One Of', value: 'in' },
	{ name: 'Within Last (Days)', value: 'withinDays' },
];

function conditionFields(withScoring: boolean): INodeProperties[] {
	const fields: INodeProperties[] = [
		{ displayName: 'ID', name: 'id', type: 'string', default: '', placeholder: 'e.g. industry', description: 'Stable identifier shown in the reasons' },
		{ displayName: 'Label', name: 'label', type: 'string', default: '', placeholder: 'e.g. Target industry', description: 'Words used in the explanation' },
		{ displayName: 'Field', name: 'field', type: 'string', default: '', placeholder: 'e.g. account.industry', description: 'Dot path of the value on the item (not needed for JSONata)' },
		{ displayName: 'Operator', name: 'op', type: 'options', options: OPERATOR_OPTIONS, default: 'equals' },
		{ displayName: 'Value', name: 'value', type: 'string', default: '', description: 'For Equals, Not Equals and the numeric comparisons' },
		{ displayName: 'Values', name: 'values', type: 'string', default: '', placeholder: 'e.g. software, fintech', description: 'Comma-separated, for One Of, Not One Of and Contains' },
		{ displayName: 'Min', name: 'min', type: 'string', default: '', description: 'For Between; empty means no lower bound' },
		{ displayName: 'Max', name: 'max', type: 'string', default: '', description: 'For Between; empty means no upper bound' },
		{ displayName: 'Days', name: 'days', type: 'number', default: 30, description: 'For Within Last and Older Than' },
		{
			displayName: 'Bands',
			name: 'bands',
			type: 'string',
			default: '',
			placeholder: 'e.g. 0-20:10, 20-200:60, 200-:100',
			description: 'For Bands: comma-separated min-max:points; min inclusive, max exclusive, either may be empty',
		},
		{ displayName: 'JSONata Expression', name: 'expression', type: 'string', default: '', placeholder: 'e.g. employees > 50 and country = "US"', description: 'For JSONata: true means the condition matches' },
	];
	if (withScoring) {
		fields.push(
			{ displayName: 'Weight', name: 'weight', type: 'number', default: 10, typeOptions: { minValue: 0 }, description: 'Relative importance; weights need not add up to 100' },
			{ displayName: 'Points When Matched', name: 'points', type: 'number', default: 100, typeOptions: { minValue: 0, maxValue: 100 } },
			{ displayName: 'Points Otherwise', name: 'elsePoints', type: 'number', default: 0, typeOptions: { minValue: 0, maxValue: 100 } },
		);
	}
	return fields;
}

/** "Rules Table", "Playbook JSON" or "Company Config": the first parameter of both scoring nodes. */
export function configSourceProperty(rulesDescription: string): INodeProperties {
	return {
		displayName: 'Configure With',
		name: 'configSource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Company Config', value: 'companyConfig', description: 'The playbook in the portfolio company\'s config (playbooks), from the Company Config on the item or the Company Config node: no expression to keep up to date' },
			{ name: 'Playbook JSON', value: 'playbook', description: 'One JSON playbook per portfolio company, typed in or from an expression or an earlier node' },
			{ name: 'Rules Table', value: 'rules', description: rulesDescription },
		],
		default: 'rules',
	};
}

/** Which of the company config's playbooks a scoring node uses (shown for "Company Config"). */
export function companyPlaybookProperty(keys: Array<{ name: string; value: string; description: string }>): INodeProperties {
	// eslint-disable-next-line n8n-nodes-base/node-param-default-missing -- the default is the node's first key, set below
	return {
		displayName: 'Playbook In Company Config',
		name: 'playbookKey',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { configSource: ['companyConfig'] } },
		options: keys,
		default: keys[0].value,
	};
}

/**
 * The playbook the company config holds under playbooks.<playbookKey>: read in code from the config on
 * the first item (or the Company Config node), once a run, as a run works for one company.
 */
export function companyPlaybook(ctx: IExecuteFunctions, i: number): unknown {
	const key = String(ctx.getNodeParameter('playbookKey', i));
	const playbook = (readCompanyConfig(ctx, i).config.playbooks as Record<string, unknown>)[key];
	if (!playbook) throw new ConfigError(`The company config has no playbooks.${key}`, `Add the ${key} playbook to the company's config (workflows/companies/*.json shows one), or configure the node with a Playbook JSON or the Rules Table`, `playbooks.${key}`);
	return playbook;
}

export function playbookProperty(example: string, description: string): INodeProperties {
	return {
		displayName: 'Playbook',
		name: 'playbook',
		type: 'json',
		default: example,
		displayOptions: { show: { configSource: ['playbook'] } },
		description,
	};
}

export function missingDataProperty(): INodeProperties {
	return {
		displayName: 'Missing Data',
		name: 'missingData',
		type: 'options',
		displayOptions: { show: { configSource: ['rules'] } },
		options: [
			{ name: 'Exclude and Renormalize Weights', value: 'exclude', description: 'Score only on what is known' },
			{ name: 'Neutral (50)', value: 'neutral' },
			{ name: 'Zero', value: 'zero', description: 'Unknown counts against the account' },
		],
		default: 'exclude',
	};
}

export function conditionTable(name: string, displayName: string, description: string, withScoring: boolean, displayOptions: INodeProperties['displayOptions']): INodeProperties {
	return {
		displayName,
		name,
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: `Add ${withScoring ? 'Criterion' : 'Rule'}`,
		default: {},
		description,
		displayOptions,
		options: [{ name: 'rows', displayName: withScoring ? 'Criterion' : 'Rule', values: conditionFields(withScoring) }],
	};
}

function parseNumber(text: unknown): number | undefined {
	if (text === undefined || text === null || String(text).trim() === '') return undefined;
	const n = Number(String(text).replace(/[,\s_]/g, ''));
	return Number.isFinite(n) ? n : (Number.NaN as number);
}

function parseScalar(text: unknown): string | number | boolean | undefined {
	if (text === undefined || text === null) return undefined;
	if (typeof text !== 'string') return text as number | boolean;
	const t = text.trim();
	if (t === '') return undefined;
	if (t === 'true') return true;
	if (t === 'false') return false;
	const n = Number(t);
	return Number.isFinite(n) && /^[+-]?\d/.test(t) ? n : t;
}

function parseBands(text: string): Array<{ min?: number; max?: number; points: number }> | undefined {
	if (!text.trim()) return undefined;
	return text.split(',').map((part) => {
		const m = /^\s*(-?[\d.]*)\s*-\s*(-?[\d.]*)\s*:\s*([\d.]+)\s*$/.exec(part);
		if (!m) return { points: Number.NaN, label: part.trim() } as never; // the playbook schema reports it
		return {
			...(m[1] !== '' ? { min: Number(m[1]) } : {}),
			...(m[2] !== '' ? { max: Number(m[2]) } : {}),
			points: Number(m[3]),
		};
	});
}

/** One rules-table row as a playbook condition or criterion; empty cells are left out. */
function rowToCondition(row: IDataObject, index: number, withScoring: boolean): IDataObject {
	const op = String(row.op ?? 'equals');
	const numericOp = ['gt', 'gte', 'lt', 'lte'].includes(op);
	const out: IDataObject = { id: String(row.id || `rule-${index + 1}`), op };
	if (row.label) out.label = String(row.label);
	if (row.field) out.field = String(row.field);
	const value = numericOp ? parseNumber(row.value) : parseScalar(row.value);
	if (value !== undefined) out.value = value;
	if (['in', 'notIn', 'containsAny', 'containsAll'].includes(op) && row.values) {
		out.values = String(row.values)
			.split(',')
			.map((v) => parseScalar(v))
			.filter((v) => v !== undefined) as unknown as IDataObject[];
	}
	if (op === 'between') {
		const min = parseNumber(row.min);
		const max = parseNumber(row.max);
		if (min !== undefined) out.min = min;
		if (max !== undefined) out.max = max;
	}
	if (op === 'withinDays' || op === 'olderThanDays') out.days = Number(row.days);
	if (op === 'bands') out.bands = parseBands(String(row.bands ?? '')) as unknown as IDataObject[];
	if (op === 'jsonata' && row.expression) out.expression = String(row.expression);
	if (withScoring) {
		out.weight = Number(row.weight ?? 10);
		out.points = Number(row.points ?? 100);
		out.elsePoints = Number(row.elsePoints ?? 0);
	}
	return out;
}

export function rowsToConditions(ctx: IExecuteFunctions, name: string, i: number, withScoring: boolean): IDataObject[] {
	const rows = (ctx.getNodeParameter(`${name}.rows`, i, []) as IDataObject[]) ?? [];
	return rows.map((row, index) => rowToCondition(row, index, withScoring));
}

/** "name:number, name:number" -> { name: number } */
export function parsePairs(text: string): Record<string, number> {
	const out: Record<string, number> = {};
	for (const part of text.split(',')) {
		const [k, v] = part.split(':').map((s) => s.trim());
		if (k) out[k] = Number(v);
	}
	return out;
}

/**
 * Whether any parameter of the node is an expression that reads the current item: then settings are
 * resolved per item; otherwise once, which keeps re-scoring 100,000 accounts fast.
 */
export function parametersDependOnItem(ctx: IExecuteFunctions): boolean {
	const raw = JSON.stringify(ctx.getNode().parameters);
	return /=\s*\{\{[^}]*(\$json|\$input\.item|\.item\b|\$itemIndex|\$binary)/.test(raw) || /"=[^"]*\$json/.test(raw);
}
