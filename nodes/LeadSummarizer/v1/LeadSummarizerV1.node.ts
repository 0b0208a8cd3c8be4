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
import type { ModelCallMeta } from '../../shared/domain/model/model-client';
import { LeadSummarizer, type LeadSummary, type SummaryInput } from '../../shared/domain/summary/lead-summary';
import { unusableAnswer } from '../../shared/domain/model/model-error';
import { addAudit, mergeCrmPatch, type AuditEntry, nodeAudit } from '../../shared/n8n/audit';
import { itemParameter, routeItemsConcurrently, toNodeError } from '../../shared/n8n/item-router';
import { MAX_FIELD_LENGTH } from '../../shared/domain/text';
import { lazyModelClient, MODEL_NODE_INPUTS, modelAudit, modelOptionFields, promptProperty, type ModelOptions } from '../../shared/n8n/model-access';
import { readPrompt } from '../../shared/n8n/prompt-files';
import { InjectionScreen } from '../../shared/domain/trust/injection-screen';
import { trustOf, withTrust } from '../../shared/n8n/trust';

const DEFAULT_PROMPT = readPrompt('lead-summarizer.md');

/**
 * Where each field is read from when the user has not mapped it: the shape the Lead Normalizer and
 * Intent Classifier produce, then plain top-level names.
 */
const AUTO: Record<keyof SummaryInput, (j: IDataObject) => unknown> = {
	name: (j) => (j.lead as IDataObject)?.fullName ?? j.name,
	title: (j) => (j.lead as IDataObject)?.jobTitle ?? j.jobTitle ?? j.title,
	company: (j) => (j.lead as IDataObject)?.company ?? j.company,
	country: (j) => (j.lead as IDataObject)?.countryName ?? j.country,
	source: (j) => ((j.lead as IDataObject)?.source as IDataObject)?.source ?? j.source,
	medium: (j) => ((j.lead as IDataObject)?.source as IDataObject)?.medium ?? j.medium,
	campaign: (j) => ((j.lead as IDataObject)?.source as IDataObject)?.campaign ?? j.campaign,
	category: (j) => (j.intent as IDataObject)?.category ?? j.category,
	urgency: (j) => (j.intent as IDataObject)?.urgency ?? j.urgency,
	message: (j) => (j.lead as IDataObject)?.message ?? j.message,
	transcript: (j) => j.transcript,
};

const field = (name: string, displayName: string, auto: string): INodeProperties => ({
	displayName,
	name,
	type: 'string',
	default: '',
	description: `When not set: ${auto}`,
});

const properties: INodeProperties[] = [
	{
		displayName: 'Summarize With',
		name: 'mode',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Model', value: 'model', description: 'A model writes the summary; a check rejects anything not in the input' },
			{ name: 'Template', value: 'template', description: 'A fixed sentence template over the fields; no model needed' },
		],
		default: 'model',
	},
	{
		displayName: 'Lead Fields',
		name: 'fields',
		type: 'collection',
		placeholder: 'Change Field',
		default: {},
		description: 'Map fields from other shapes; unmapped fields are read from the Lead Normalizer and Intent Classifier output (lead.*, intent.*) or same-named fields',
		options: [
			field('campaign', 'Campaign', 'lead.source.campaign, then campaign'),
			field('category', 'Intent', 'intent.category, then category'),
			field('company', 'Company', 'lead.company, then company'),
			field('country', 'Country', 'lead.countryName, then country'),
			field('medium', 'Medium', 'lead.source.medium, then medium'),
			field('message', 'Message', 'lead.message, then message'),
			field('name', 'Name', 'lead.fullName, then name'),
			field('source', 'Source', 'lead.source.source, then source'),
			field('title', 'Job Title', 'lead.jobTitle, then jobTitle or title'),
			field('transcript', 'Transcript', 'the transcript field; a chat or e-mail transcript adds the main questions, topics and goals'),
			field('urgency', 'Urgency', 'intent.urgency, then urgency'),
		],
	},
	{
		displayName: 'Max Words',
		name: 'maxWords',
		type: 'number',
		typeOptions: { minValue: 10 },
		default: 80,
	},
	{
		displayName: 'Language',
		name: 'language',
		type: 'string',
		default: 'English',
		description: 'Language of the summary',
		displayOptions: { show: { mode: ['model'] } },
	},
	{
		displayName: 'When a Summary Is Not Grounded',
		name: 'onUngrounded',
		type: 'options',
		displayOptions: { show: { mode: ['model'] } },
		options: [
			{ name: 'Ask Again, Then Use the Template', value: 'retryThenTemplate' },
			{ name: 'Use the Template', value: 'template' },
			{ name: 'Keep It, Flagged', value: 'flag', description: 'The item says what the input does not support' },
		],
		default: 'retryThenTemplate',
		description: 'What to do when the model\'s summary mentions numbers, names or companies that are not in the input',
	},
	{
		displayName: 'When the Model Fails',
		name: 'onModelError',
		type: 'options',
		displayOptions: { show: { mode: ['model'] } },
		options: [
			{ name: 'Fail the Item', value: 'error', description: 'The item fails; the node\'s On Error setting decides what happens next' },
			{ name: 'Use the Template', value: 'template', description: 'The item gets the template summary and says why in summary.modelError' },
		],
		default: 'error',
		description: 'What to do when no model answers after retries, or none is configured. An answer that breaks the required format (after one repair) always gives that item the template summary, with the reason in summary.modelError.',
	},
	promptProperty(DEFAULT_PROMPT, '{{maxWords}} and {{language}} are replaced', 8, { show: { mode: ['model'] } }),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: modelOptionFields('summary'),
	},
];

export class LeadSummarizerV1 implements INodeType {
	description: INodeTypeDescription;

	constructor(baseDescription: INodeTypeBaseDescription) {
		this.description = {
			...baseDescription,
			version: 1,
			subtitle: '={{ $parameter["mode"] === "template" ? "Template" : "Model, grounded" }}',
			defaults: { name: 'Lead Summarizer' },
			inputs: MODEL_NODE_INPUTS,
			outputs: [NodeConnectionTypes.Main],
			credentials: [{ name: 'revOpsModelApi', required: false, displayOptions: { show: { mode: ['model'] } } }],
			usableAsTool: true,
			properties,
		};
	}

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const mode = this.getNodeParameter('mode', 0) as string;
		const onUngrounded = this.getNodeParameter('onUngrounded', 0, 'retryThenTemplate') as string;
		const onModelError = this.getNodeParameter('onModelError', 0, 'error') as string;
		const options = this.getNodeParameter('options', 0, {}) as IDataObject & ModelOptions;
		const outputField = String(options.outputField || 'summary');
		let summarizer: LeadSummarizer;
		try {
			summarizer = new LeadSummarizer({
				maxWords: Number(this.getNodeParameter('maxWords', 0, 80)),
				language: String(this.getNodeParameter('language', 0, 'English') || 'English'),
				prompt: String(this.getNodeParameter('prompt', 0, '') || '').trim() || DEFAULT_PROMPT,
			});
		} catch (error) {
			throw toNodeError(this, error, 0);
		}
		const getClient = lazyModelClient(this, options);
		const nodeVersion = this.getNode().typeVersion;
		const screen = new InjectionScreen();

		return await routeItemsConcurrently(this, 1, 0, async (item, i) => {
			const started = Date.now();
			const f = (itemParameter(this, 'fields', i, {}, () => undefined) ?? {}) as IDataObject;
			const text = (k: keyof SummaryInput) => {
				const v = f[k] !== undefined && f[k] !== '' ? f[k] : AUTO[k](item.json);
				if (v === undefined || v === null || typeof v === 'object' || typeof v === 'function' || String(v).trim() === '') return null;
				// Short fields are short: a 20,000-character "name" is cut, only the message and transcript run long.
				return k === 'message' || k === 'transcript' ? String(v).trim() : String(v).trim().slice(0, MAX_FIELD_LENGTH);
			};
			const input: SummaryInput = {
				name: text('name'),
				title: text('title'),
				company: text('company'),
				country: text('country'),
				source: text('source'),
				medium: text('medium'),
				campaign: text('campaign'),
				category: text('category'),
				urgency: text('urgency'),
				message: text('message'),
				transcript: text('transcript'),
			};
			const upstream = trustOf(item.json);
			const check = screen.checkFields({ name: input.name, title: input.title, company: input.company, source: input.source, medium: input.medium, campaign: input.campaign, message: input.message, transcript: input.transcript });
			let summary: LeadSummary;
			let decidedBy: 'rule' | 'model' | 'fallback' = 'rule';
			const calls: ModelCallMeta[] = [];
			let modelUnsupported: string[] = [];
			let modelError: string | null = null;
			if (mode === 'template') summary = summarizer.template(input);
			else try {
				const ask = async (extra: string) => {
					const answer = await (await getClient()).complete({ system: summarizer.systemPrompt, user: summarizer.userMessage(input) + extra, schema: summarizer.answerSchema, schemaName: 'lead_summary' });
					calls.push(answer.meta);
					return summarizer.fromModel(answer.value, input);
				};
				let result = await ask('');
				if (!result.grounded && onUngrounded === 'retryThenTemplate') {
					modelUnsupported = result.unsupported;
					result = await ask(`\n\nYour previous summary mentioned things the input does not contain: ${result.unsupported.join(', ')}. Write it again using only facts from the input.`);
				}
				if (result.grounded || onUngrounded === 'flag') {
					summary = result;
					decidedBy = 'model';
				} else {
					// Nothing invented reaches a rep or a CRM: the template only restates the fields.
					modelUnsupported = [...new Set([...modelUnsupported, ...result.unsupported])];
					summary = summarizer.template(input);
					decidedBy = 'fallback';
				}
			} catch (error) {
				// An answer that broke the format is this item's problem: the template, flagged, and the run goes on.
				if (onModelError !== 'template' && !unusableAnswer(error)) throw toNodeError(this, error, i);
				// A lead must not wait for a model outage: the template only restates the input.
				modelError = toNodeError(this, error, i).message;
				summary = summarizer.template(input);
				decidedBy = 'fallback';
			}
			// Model text reaches the CRM only from an unflagged item and free of commitments; otherwise the
			// template (which only restates the fields) is written and the model's text stays a suggestion.
			let modelSuggestion: IDataObject | null = null;
			let keptOutOfCrm: string | null = null;
			if (summary.method === 'model' && (upstream.injectionSuspected || check.suspected || summary.commitments.length)) {
				keptOutOfCrm = upstream.injectionSuspected || check.suspected ? 'the input carries instructions addressed to an AI' : `the model's text makes commitments: ${summary.commitments.join(', ')}`;
				modelSuggestion = { text: summary.text, recommendedNextStep: summary.recommendedNextStep, unsupported: summary.unsupported, commitments: summary.commitments, why: keptOutOfCrm };
				summary = { ...summarizer.template(input, check.fields), commitments: summary.commitments };
			} else if (check.suspected) {
				// The template restates fields: never the ones that carried instructions.
				summary = summarizer.template(input, check.fields);
			}
			const audit: AuditEntry = {
				...nodeAudit('leadSummarizer', nodeVersion, null, started, decidedBy),
				...modelAudit(calls, summarizer.promptVersion),
				modelUnsupported,
				keptOutOfCrm,
			};
			const json: IDataObject = { ...item.json, [outputField]: { ...summary, modelError, modelSuggestion } as unknown as IDataObject };
			withTrust(json, upstream, 'leadSummarizer', check, summary.commitments);
			json.crmPatch = mergeCrmPatch(item.json, { leadSummary: summary.grounded ? summary.text : null, recommendedNextStep: summary.recommendedNextStep });
			return { output: 0, json: addAudit(json, audit) };
		});
	}
}
