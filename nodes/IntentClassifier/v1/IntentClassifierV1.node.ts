import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeParameters,
	type INodeProperties,
	type INodeType,
	type INodeTypeBaseDescription,
	type INodeTypeDescription,
} from 'n8n-workflow';
import defaultTaxonomy from '../../../prompts/intent-taxonomy.json';
import { RequestBatcher } from '../../shared/domain/intent/batcher';
import { IntentClassifier, OTHER, type IntentAnswer, type IntentCategory, type IntentDecision, type IntentInput } from '../../shared/domain/intent/intent-classifier';
import type { ModelCallMeta } from '../../shared/domain/model/model-client';
import { lazyModelClient, MODEL_NODE_INPUTS, modelAudit, modelOptionFields, promptProperty, type ModelOptions } from '../../shared/n8n/model-access';
import { readPrompt } from '../../shared/n8n/prompt-files';
import { addAudit, mergeCrmPatch, type AuditEntry, nodeAudit } from '../../shared/n8n/audit';
import { trustOf, withTrust } from '../../shared/n8n/trust';
import { routeItemsConcurrently, toNodeError } from '../../shared/n8n/item-router';
import { fieldAt, firstField, parameterOrItem } from '../../shared/n8n/item-defaults';
import { unusableAnswer } from '../../shared/domain/model/model-error';
import { inputText, safeText } from '../../shared/domain/text';

const DEFAULT_PROMPT = readPrompt('intent-classifier.md');
const NEEDS_REVIEW = 'Needs Review';

/** One output per category, then Other and Needs Review; plain JavaScript, evaluated by n8n. */
const configuredOutputs = (parameters: INodeParameters) => {
	const rows = ((parameters.categories as { values?: Array<{ name?: string }> } | undefined)?.values ?? []) as Array<{ name?: string }>;
	return [
		...rows.map((row) => ({ type: 'main', displayName: String(row.name || 'Unnamed') })),
		{ type: 'main', displayName: 'Other' },
		{ type: 'main', displayName: 'Needs Review' },
	];
};

const list = (text: unknown) =>
	String(text ?? '')
		.split(/[,\n]/)
		.map((s) => s.trim())
		.filter(Boolean);

const properties: INodeProperties[] = [
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 2 },
		default: '',
		placeholder: 'Empty: the item\'s lead.message, else message',
		description: 'The message to classify. Empty: the form message the Lead Normalizer put on the item (lead.message), else the item\'s message.',
	},
	{
		displayName: 'Sender E-Mail',
		name: 'senderEmail',
		type: 'string',
		default: '',
		placeholder: 'Empty: the item\'s lead.email, else email',
		description: 'Used by sender-domain rules. Empty: the item\'s lead.email, else email.',
	},
	{
		displayName: 'Existing Customer From CRM Match',
		name: 'customerFromCrm',
		type: 'boolean',
		default: false,
		description: "Whether the item's RevOps CRM match (Match Lead To Account: crm.existingCustomer) says if the sender is a customer. Customers go straight to the category below.",
	},
	{
		displayName: 'Existing Customer',
		name: 'existingCustomer',
		type: 'boolean',
		default: false,
		displayOptions: { show: { customerFromCrm: [false] } },
		description: 'Whether the sender is already a customer (usually an expression on a CRM lookup); customers go straight to the category below',
	},
	{
		displayName: 'Mode',
		name: 'mode',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Rules, Then Model', value: 'rulesThenModel', description: 'Rules decide what they can; a model reads the rest' },
			{ name: 'Rules Only', value: 'rulesOnly', description: 'No model; what rules cannot decide goes to Other' },
		],
		default: 'rulesThenModel',
	},
	{
		displayName: 'Categories',
		name: 'categories',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Category',
		description: '2 to 15 categories; each becomes an output. Rules are tried in this order.',
		default: {
			values: (defaultTaxonomy.categories as Array<{ name: string; description: string; keywords: string[]; signals?: string[] }>).map((c) => ({
				name: c.name,
				description: c.description,
				phrases: c.keywords.join(', '),
				signals: (c.signals ?? []).join(', '),
			})),
		},
		options: [
			{
				name: 'values',
				displayName: 'Category',
				values: [
					{
						displayName: 'Description',
						name: 'description',
						type: 'string',
						default: '',
						description: 'What belongs here, in words the model reads',
					},
					{
						displayName: 'Keywords',
						name: 'phrases',
						type: 'string',
						default: '',
						placeholder: 'e.g. pricing, quote, how much',
						description: 'Comma-separated words or phrases;\twhole-word, case-insensitive',
					},
					{
						displayName: 'Name',
						name: 'name',
						type: 'string',
						default: '',
						description: 'Also the name of the output',
					},
					{
						displayName: 'Patterns',
						name: 'patterns',
						type: 'string',
						default: '',
						placeholder: 'e.g. \\b\\d+ (seats|licen[cs\t	]es)\\b',
						description: 'Regular expressions, one per line',
					},
					{
						displayName: 'Sender Domains',
						name: 'senderDomains',
						type: 'string',
						default: '',
						placeholder: 'e.g. partner.com, reseller.io',
						description: 'Comma-separated;\ta sender at one of these domains matches',
					},
					{
						displayName: 'Signals',
						name: 'signals',
						type: 'string',
						default: '',
						placeholder: 'e.g. show us, on a call, meeting',
						description: 'Comma-separated words that hint at this category without deciding it. When one appears, another category\'s keyword alone cannot decide:	the message goes to the model, or to Other in rules-only mode.',
					},
			],
			},
		],
	},
	{
		displayName: 'Existing Customers Go To',
		name: 'existingCustomerCategory',
		type: 'string',
		default: 'Support',
		description: 'Category for items where Existing Customer is true; empty to classify them like anyone else',
	},
	{
		displayName: 'Review Below Confidence',
		name: 'confidenceThreshold',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
		default: 0.6,
		description: 'Model answers less confident than this go to Needs Review',
		displayOptions: { show: { mode: ['rulesThenModel'] } },
	},
	promptProperty(DEFAULT_PROMPT, '{{categories}} is replaced by the category list', 12, { show: { mode: ['rulesThenModel'] } }),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Batch Size',
				name: 'batchSize',
				type: 'number',
				default: 1,
				typeOptions: { minValue: 1, maxValue: 50 },
				description: 'Messages per model request; above 1, several short texts share one request to cut cost. Results are matched by ID, and any a model leaves out is asked again on its own.',
			},
			{
				displayName: 'Multi-Label',
				name: 'multiLabel',
				type: 'boolean',
				default: false,
				description:
					'Whether a message may belong to several categories (e.g. pricing and a demo). All of them are listed in labels; the first one routes the item, so each item still leaves on exactly one output.',
			},
			...modelOptionFields('intent'),
		],
	},
];

function readCategories(ctx: IExecuteFunctions): IntentCategory[] {
	const rows = (ctx.getNodeParameter('categories.values', 0, []) as IDataObject[]) ?? [];
	return rows.map((r) => ({
		name: String(r.name ?? '').trim(),
		description: String(r.description ?? ''),
		keywords: list(r.phrases),
		patterns: String(r.patterns ?? '')
			.split('\n')
			.map((s) => s.trim())
			.filter(Boolean),
		senderDomains: list(r.senderDomains),
		signals: list(r.signals),
	}));
}

export class IntentClassifierV1 implements INodeType {
	description: INodeTypeDescription;

	constructor(baseDescription: INodeTypeBaseDescription) {
		this.description = {
			...baseDescription,
			version: 1,
			subtitle: '={{ $parameter["mode"] === "rulesOnly" ? "Rules only" : "Rules, then model" }}',
			defaults: { name: 'Intent Classifier' },
			inputs: MODEL_NODE_INPUTS,
			outputs: `={{(${configuredOutputs})($parameter)}}`,
			credentials: [{ name: 'revOpsModelApi', required: false, displayOptions: { show: { mode: ['rulesThenModel'] } } }],
			usableAsTool: true,
			properties,
		};
	}

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const categories = readCategories(this);
		const mode = this.getNodeParameter('mode', 0) as string;
		const options = this.getNodeParameter('options', 0, {}) as IDataObject & ModelOptions;
		const outputField = String(options.outputField || 'intent');
		let classifier: IntentClassifier;
		try {
			classifier = new IntentClassifier({
				categories,
				existingCustomerCategory: String(this.getNodeParameter('existingCustomerCategory', 0, '') || '').trim() || null,
				confidenceThreshold: Number(this.getNodeParameter('confidenceThreshold', 0, 0.6)),
				prompt: String(this.getNodeParameter('prompt', 0, '') || '').trim() || DEFAULT_PROMPT,
				multiLabel: options.multiLabel === true,
			});
		} catch (error) {
			throw toNodeError(this, error, 0);
		}
		const outputNames = [...categories.map((c) => c.name), OTHER, NEEDS_REVIEW];
		const getClient = lazyModelClient(this, options);
		type Ask = { input: IntentInput; candidates: string[] };
		type Answered = { value: IntentAnswer; meta: ModelCallMeta };
		const askOne = async ({ input, candidates }: Ask): Promise<Answered> =>
			await (await getClient()).complete({ system: classifier.systemPrompt, user: classifier.userMessage(input, candidates), schema: classifier.answerSchema, schemaName: 'intent' });
		const batchSize = Math.max(1, Math.floor(Number(options.batchSize ?? 1)));
		const batcher = new RequestBatcher<Ask, Answered>(
			batchSize,
			async (entries) => {
				const answer = await (await getClient()).complete({
					system: classifier.systemPrompt,
					user: classifier.batchUserMessage(entries.map(({ id, input }) => ({ id, ...input }))),
					schema: classifier.batchAnswerSchema,
					schemaName: 'intents',
				});
				// Tokens of the shared request are split evenly over the items it answered.
				const share = (n: number) => Math.round(n / entries.length);
				const meta = { ...answer.meta, inputTokens: share(answer.meta.inputTokens), outputTokens: share(answer.meta.outputTokens), costUsd: answer.meta.costUsd === null ? null : answer.meta.costUsd / entries.length };
				const seen = new Map<string, number>();
				for (const r of answer.value.results) seen.set(r.id, (seen.get(r.id) ?? 0) + 1);
				const out = new Map<string, Answered>();
				for (const { id, ...value } of answer.value.results) if (seen.get(id) === 1) out.set(id, { value, meta });
				return out;
			},
			askOne,
		);
		const nodeVersion = this.getNode().typeVersion;
		const customerFromCrm = this.getNodeParameter('customerFromCrm', 0, false) === true;

		return await routeItemsConcurrently(this, outputNames.length, outputNames.length - 1, async (item, i) => {
			const started = Date.now();
			const email = safeText(parameterOrItem(this, 'senderEmail', i, (json) => firstField(json, ['lead.email', 'email'])) ?? '', 320);
			const lead = (item.json.lead as IDataObject | undefined) ?? {};
			const upstream = trustOf(item.json);
			const input: IntentInput = {
				text: inputText(parameterOrItem(this, 'text', i, (json) => firstField(json, ['lead.message', 'message']) ?? '')),
				senderDomain: email.includes('@') ? email.split('@').pop()!.trim().toLowerCase() : null,
				existingCustomer: customerFromCrm ? fieldAt(item.json, 'crm.existingCustomer') === true : this.getNodeParameter('existingCustomer', i, false) === true,
				context: {
					company: lead.company ?? item.json.company,
					name: lead.fullName ?? item.json.name,
					jobTitle: lead.jobTitle ?? item.json.jobTitle,
					website: lead.website ?? item.json.website,
					country: lead.country ?? item.json.country,
				},
				flaggedUpstream: upstream.injectionSuspected ? { suspected: true, reason: upstream.reasons.join('; '), patterns: ['flagged-upstream'], fields: upstream.fields, hidden: false } : null,
			};
			let decision: IntentDecision;
			let model: ModelCallMeta | null = null;
			const rules = classifier.byRules(input);
			if ('decision' in rules) decision = rules.decision;
			else if (mode === 'rulesOnly') decision = classifier.fallback(input, rules.injection, rules.candidates, 'no rule matched (rules-only mode)');
			else if (rules.injection.suspected) {
				decision = classifier.fallback(input, rules.injection, rules.candidates, `not sent to the model: the message ${rules.injection.reason}`);
			} else {
				const ask = { input, candidates: rules.candidates };
				try {
					const answer = batchSize > 1 ? await batcher.request(ask) : await askOne(ask);
					model = answer.meta;
					decision = classifier.fromModel(answer.value, rules.injection, rules.candidates);
				} catch (error) {
					// An answer that broke the format is this message's problem: a person reviews it, the run goes on.
					const unusable = unusableAnswer(error);
					if (!unusable) throw toNodeError(this, error, i);
					decision = { ...classifier.fallback(input, rules.injection, rules.candidates, unusable), needsReview: true };
				}
			}
			const output = decision.needsReview ? outputNames.length - 1 : outputNames.indexOf(decision.category);
			const audit: AuditEntry = {
				...nodeAudit('intentClassifier', nodeVersion, classifier.rulesetVersion, started, decision.decidedBy),
				ruleId: decision.ruleId,
				...modelAudit(model ? [model] : [], classifier.promptVersion),
			};
			const json: IDataObject = { ...item.json, [outputField]: decision as unknown as IDataObject };
			withTrust(json, upstream, 'intentClassifier', { suspected: decision.injectionSuspected, reason: decision.injectionReason, patterns: [], fields: decision.injectionFields, hidden: false });
			json.crmPatch = mergeCrmPatch(item.json, {
				intentCategory: decision.category,
				intentConfidence: decision.confidence,
				intentUrgency: decision.urgency,
				buyingStage: decision.buyingStage,
				intentLabels: decision.labels.map((l) => l.category).join(', '),
			});
			return { output, json: addAudit(json, audit) };
		});
	}
}
