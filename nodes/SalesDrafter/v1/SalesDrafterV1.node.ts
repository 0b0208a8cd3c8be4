import { type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeBaseDescription, type INodeTypeDescription } from 'n8n-workflow';
import { CUSTOMER_FACING, draftingConfig, type DraftKind } from '../../shared/domain/drafting/config';
import { answerSchema, draftWithModel, SalesDrafter, type Draft, type DraftAnswer, type DraftRequest } from '../../shared/domain/drafting/drafter';
import { sentPatch } from '../../shared/domain/drafting/sequence';
import { draftFacts, draftValues } from '../../shared/domain/drafting/values';
import type { ModelCallMeta } from '../../shared/domain/model/model-client';
import { unusableAnswer } from '../../shared/domain/model/model-error';
import { addAudit, nodeAudit } from '../../shared/n8n/audit';
import { readCompanyConfig, crmCredentials } from '../../shared/n8n/crm-store';
import { itemParameter, routeItemsConcurrently, toNodeError } from '../../shared/n8n/item-router';
import { firstField, parameterOrItem } from '../../shared/n8n/item-defaults';
import { lazyModelClient, MODEL_NODE_INPUTS, modelAudit, type ModelOptions } from '../../shared/n8n/model-access';
import { trustOf, withTrust } from '../../shared/n8n/trust';
import { configuredOutputs, DEFAULT_PROMPT, OUTPUT_OF, OUTPUTS, salesDrafterProperties, SEQUENCE_KINDS } from './description';
import { sequenceStep } from './sequence';

/** A persona is a short text; anything else (an object from a hostile record) is no persona. */
const personaOf = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim().slice(0, 100) : null);

/**
 * Sales Drafter: one draft per item, on the output its route names (Send, Review, Owner Only; Not Now
 * under sequence rules). The
 * drafting rules live in nodes/shared/domain/drafting; this file reads parameters, calls the model and
 * writes the item.
 */
export class SalesDrafterV1 implements INodeType {
	description: INodeTypeDescription;

	constructor(baseDescription: INodeTypeBaseDescription) {
		this.description = {
			...baseDescription,
			version: 1,
			subtitle: '={{ $parameter["kind"] + ($parameter["mode"] === "template" ? ", template" : ", model, grounded") }}',
			defaults: { name: 'Sales Drafter' },
			inputs: MODEL_NODE_INPUTS,
			outputs: `={{(${configuredOutputs})($parameter)}}`,
			credentials: [
				{ name: 'revOpsModelApi', required: false, displayOptions: { show: { mode: ['model'] } } },
				// The daily send cap lives in the company's CRM store (its backend's credential).
				...crmCredentials({ kind: SEQUENCE_KINDS, sequenceRules: [true] }),
			],
			usableAsTool: true,
			properties: salesDrafterProperties,
		};
	}

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const kind = this.getNodeParameter('kind', 0) as DraftKind;
		const mode = this.getNodeParameter('mode', 0, 'model') as string;
		const onModelError = this.getNodeParameter('onModelError', 0, 'template') as string;
		const onUngrounded = this.getNodeParameter('onUngrounded', 0, 'retry') as string;
		const options = this.getNodeParameter('options', 0, {}) as IDataObject & ModelOptions;
		const outputField = String(options.outputField || 'draft');
		const prompt = String(this.getNodeParameter('prompt', 0, '') || '').trim() || DEFAULT_PROMPT;
		const getClient = lazyModelClient(this, options);
		const nodeVersion = this.getNode().typeVersion;
		const sequenced = SEQUENCE_KINDS.includes(kind) && this.getNodeParameter('sequenceRules', 0, true) !== false;
		const step = sequenced ? sequenceStep(this, kind === 'outboundTouch' ? 'outbound' : 'reengagement') : null;

		return await routeItemsConcurrently(this, sequenced ? OUTPUTS.length : OUTPUTS.length - 1, OUTPUT_OF.review, async (item, i) => {
			const started = Date.now();
			const loaded = readCompanyConfig(this, i);
			const drafter = new SalesDrafter(prompt, draftingConfig(loaded.config.drafting));
			const mapped = (itemParameter(this, 'values', i, {}, () => undefined) ?? {}) as IDataObject;
			const values = draftValues(item.json, { companyName: loaded.config.company.name, drafting: drafter.config }, mapped);
			const upstream = trustOf(item.json);
			const tier = parameterOrItem(this, 'tier', i, (json) => firstField(json, ['icp.tier', 'account.tier', 'tier']) ?? '');
			const due = step ? step.decide(item.json, tier, loaded) : null;
			if (due && !due.due) return { output: OUTPUT_OF.notNow, json: addAudit({ ...item.json, sequence: due as unknown as IDataObject }, nodeAudit('salesDrafter', nodeVersion, null, started)) };
			const touch = due?.touch ?? Number(itemParameter(this, 'touch', i, 1, () => undefined));
			const r: DraftRequest = {
				kind,
				tier,
				facts: draftFacts(item.json),
				values,
				vocabulary: [loaded.config.company.name, values.ownerName ?? ''],
				persona: personaOf(parameterOrItem(this, 'persona', i, (json) => firstField(json, ['lead.jobTitle', 'contact.jobTitle']) ?? '')),
				touch: Number.isInteger(touch) && touch > 0 ? touch : null,
				flagged: upstream.injectionSuspected,
			};
			const calls: ModelCallMeta[] = [];
			let draft: Draft;
			if (mode === 'template') draft = drafter.fromTemplate(r);
			else {
				try {
					const ask = async (system: string, user: string) => {
						const answer = await (await getClient()).complete({ system, user, schema: answerSchema, schemaName: 'sales_draft' });
						calls.push(answer.meta);
						return answer.value as DraftAnswer;
					};
					draft = await draftWithModel(drafter, r, ask, onUngrounded === 'retry');
				} catch (error) {
					// A broken answer is this item's problem; an outage is too when the user chose the template.
					if (onModelError !== 'template' && !unusableAnswer(error)) throw toNodeError(this, error, i);
					draft = drafter.fromTemplate(r, `the model failed: ${toNodeError(this, error, i).message}`);
				}
			}
			// A message to send takes a slot of the sender's daily cap; without one it waits for tomorrow.
			if (step && draft.route === 'send') {
				const slot = await step.claim(loaded, values.ownerEmail ?? values.ownerName ?? 'default');
				if (!slot.granted) return { output: OUTPUT_OF.notNow, json: addAudit({ ...item.json, sequence: { ...due, due: false, reason: slot.reason } as unknown as IDataObject }, nodeAudit('salesDrafter', nodeVersion, null, started)) };
			}
			const json: IDataObject = { ...item.json };
			if (due) json.sequence = { ...due, leadPatch: sentPatch(touch, new Date().toISOString()) } as unknown as IDataObject;
			json[outputField] = {
				...draft,
				to: CUSTOMER_FACING[kind] ? values.recipientEmail : values.ownerEmail,
				owner: { name: values.ownerName, email: values.ownerEmail },
				// What to log in the CRM once the draft is sent or filed (a RevOps CRM "Log Activity").
				crmActivity: {
					type: CUSTOMER_FACING[kind] ? 'email' : 'note',
					outcome: `drafted (${draft.route})`,
					summary: draft.subject,
					occurredAt: new Date().toISOString(),
					contactEmail: values.recipientEmail,
					leadKey: (item.json.lead as IDataObject | undefined)?.dedupeKey ?? null,
					accountDomain: (item.json.account as IDataObject | undefined)?.domain ?? null,
				},
			} as unknown as IDataObject;
			// The Approval Gate after Review sees why a person must look.
			if (draft.route === 'review') json.riskFlags = [...(Array.isArray(item.json.riskFlags) ? item.json.riskFlags : []), ...draft.reviewReasons.map((reason) => `draft: ${reason.slice(0, 200)}`)];
			withTrust(json, upstream, 'salesDrafter', drafter.screen(r), draft.commitments);
			const decidedBy = draft.method === 'model' ? 'model' : draft.method === 'fallback' ? 'fallback' : 'rule';
			const audit = { ...nodeAudit('salesDrafter', nodeVersion, drafter.promptVersion, started, decidedBy), ...modelAudit(calls, drafter.promptVersion), route: draft.route, removed: draft.removed.length };
			return { output: OUTPUT_OF[draft.route], json: addAudit(json, audit) };
		});
	}
}
