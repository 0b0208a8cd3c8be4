import { safeText } from '../../shared/domain/text';
import { dateOutOfRange } from '../../shared/domain/scoring/conditions';
import { DateTime } from 'luxon';
import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeBaseDescription,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { dealContacts, existingFromRecord, opportunityPatch, readParticipants } from '../../shared/domain/meddicc/crm';
import { MeddiccExtractor } from '../../shared/domain/meddicc/extractor';
import { parseStageCriteria, stageProgress, type StageExitCriteria } from '../../shared/domain/meddicc/stage-exit';
import { completeness, dealRisks, MEDDICC_FIELDS, mergeWithCrm, type ExistingValue, type MeddiccAnswer, type MeddiccField, type WritePolicy } from '../../shared/domain/meddicc/meddicc';
import { parseTranscript } from '../../shared/domain/meddicc/transcript';
import type { ModelCallMeta } from '../../shared/domain/model/model-client';
import { unusableAnswer } from '../../shared/domain/model/model-error';
import { addAudit, mergeCrmPatch, type AuditEntry, nodeAudit } from '../../shared/n8n/audit';
import { routeItemsConcurrently, toNodeError } from '../../shared/n8n/item-router';
import { firstField, isUnset, parameterOrItem } from '../../shared/n8n/item-defaults';
import { lazyModelClient, MODEL_NODE_INPUTS, modelAudit, type ModelOptions } from '../../shared/n8n/model-access';
import { InjectionScreen } from '../../shared/domain/trust/injection-screen';
import { trustOf, withTrust } from '../../shared/n8n/trust';
import { DEFAULT_PROMPT, meddiccProperties } from './description';

function readExisting(ctx: IExecuteFunctions, value: unknown, i: number): Partial<Record<MeddiccField, ExistingValue>> {
	let data = value;
	if (typeof data === 'string') {
		try {
			data = data.trim() ? JSON.parse(data) : {};
		} catch {
			throw new NodeOperationError(ctx.getNode(), 'Current CRM Values is not valid JSON', {
				itemIndex: i,
				description: 'Pass an object such as {"economicBuyer": {"value": "Dana Lee", "validated": true}}, or leave it empty.',
			});
		}
	}
	// The RevOps CRM node's opportunity ({fields, validated}) reads as the current values directly.
	const fromRecord = existingFromRecord(data);
	if (fromRecord) return fromRecord;
	const out: Partial<Record<MeddiccField, ExistingValue>> = {};
	if (!data || typeof data !== 'object') return out;
	for (const field of MEDDICC_FIELDS) {
		const entry = (data as Record<string, unknown>)[field];
		if (entry === undefined || entry === null) continue;
		if (typeof entry === 'object') {
			const e = entry as Record<string, unknown>;
			out[field] = { value: e.value === null || e.value === undefined ? null : safeText(e.value, 2_000), validated: e.validated === true || e.state === 'validated' };
		} else out[field] = { value: safeText(entry, 2_000), validated: false };
	}
	return out;
}

export class MeddiccExtractorV1 implements INodeType {
	description: INodeTypeDescription;

	constructor(baseDescription: INodeTypeBaseDescription) {
		this.description = {
			...baseDescription,
			version: 1,
			subtitle: '={{ $parameter["paperProcess"] ? "MEDDPICC" : "MEDDICC" }}',
			defaults: { name: 'MEDDICC Extractor' },
			inputs: MODEL_NODE_INPUTS,
			outputs: [NodeConnectionTypes.Main],
			credentials: [{ name: 'revOpsModelApi', required: false }],
			usableAsTool: true,
			properties: meddiccProperties,
		};
	}

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const options = this.getNodeParameter('options', 0, {}) as IDataObject & ModelOptions;
		let extractor: MeddiccExtractor;
		try {
			extractor = new MeddiccExtractor({
				prompt: String(this.getNodeParameter('prompt', 0, '') || '').trim() || DEFAULT_PROMPT,
				paperProcess: this.getNodeParameter('paperProcess', 0, false) === true,
				maxTokensPerPart: Number(options.maxTokensPerPart ?? 8000),
			});
		} catch (error) {
			throw toNodeError(this, error, 0);
		}
		const policies: Partial<Record<MeddiccField, WritePolicy>> = {};
		for (const f of this.getNodeParameter('suggestOnly', 0, []) as MeddiccField[]) policies[f] = 'suggest';
		for (const f of this.getNodeParameter('neverWrite', 0, []) as MeddiccField[]) policies[f] = 'never';
		const weights: Partial<Record<MeddiccField, number>> = {};
		for (const row of (this.getNodeParameter('weights.values', 0, []) as IDataObject[]) ?? []) weights[row.field as MeddiccField] = Number(row.weight);
		const stalledAfterDays = Number(this.getNodeParameter('stalledAfterDays', 0, 14));
		const getClient = lazyModelClient(this, options);
		const nodeVersion = this.getNode().typeVersion;
		const outputField = String(options.outputField || 'meddicc');
		const screen = new InjectionScreen();
		let stageCriteria: StageExitCriteria;
		try {
			stageCriteria = parseStageCriteria(options.stageExitCriteria);
		} catch (error) {
			throw toNodeError(this, error, 0);
		}
		// A flagged item's findings are suggestions for a person, never CRM writes.
		const suggestAll = Object.fromEntries(MEDDICC_FIELDS.map((f) => [f, policies[f] === 'never' ? 'never' : 'suggest'])) as Partial<Record<MeddiccField, WritePolicy>>;

		return await routeItemsConcurrently(this, 1, 0, async (item, i) => {
			const started = Date.now();
			const flags: Array<{ field: string; code: string; message: string }> = [];
			const unreadable = (field: string) => (reason: string) => flags.push({ field, code: 'unreadable', message: `${reason}; it counts as missing.` });
			const segments = parseTranscript(parameterOrItem(this, 'transcript', i, (json) => firstField(json, ['transcript', 'notes', 'body.transcript']) ?? '', unreadable('transcript')));
			// A given value n8n cannot read stops the item, as before: it is what keeps validated values.
			const givenExisting = this.getNodeParameter('existing', i, '');
			const existing = readExisting(this, isUnset(givenExisting) ? (item.json.meddicc ?? {}) : givenExisting, i);
			const upstream = trustOf(item.json);
			const check = screen.checkFields({ transcript: segments.map((g) => g.text).join('\n'), speakers: [...new Set(segments.map((g) => g.speaker ?? ''))].join('\n') });
			const flagged = upstream.injectionSuspected || check.suspected;
			const calls: ModelCallMeta[] = [];
			const answers: MeddiccAnswer[] = [];
			// Nothing to read, or an answer that broke the format even after a repair: this item's fields stay
			// unknown (a valid answer), it says why, nothing is written, and the run goes on.
			const parts = extractor.parts(segments);
			if (segments.length === 0) {
				flags.push({ field: 'transcript', code: 'missing', message: 'The item has no transcript, notes or e-mail text: map the Transcript parameter to the field that holds the call transcript or notes. Every field stays unknown.' });
			} else {
				// Parts of one transcript are asked together; the node's concurrency limit still applies.
				const client = await getClient();
				try {
					for (const answer of await Promise.all(parts.map((part) => client.complete({ system: extractor.systemPrompt, user: part.user, schema: extractor.schema, schemaName: 'meddicc' })))) {
						calls.push(answer.meta);
						answers.push(answer.value as MeddiccAnswer);
					}
				} catch (error) {
					const unusable = unusableAnswer(error);
					if (!unusable) throw toNodeError(this, error, i);
					answers.length = 0;
					flags.push({ field: 'model', code: 'unusable_answer', message: `${unusable}. Every field stays unknown for this item; nothing is written.` });
				}
			}
			const extracted = extractor.finish(segments, answers);
			const merged = mergeWithCrm(extracted, existing, flagged ? suggestAll : policies, extractor.fields);
			// A Data Table date column arrives as a Date on n8n 1.x and as an ISO string on 2.x.
			const rawActivity = parameterOrItem(this, 'lastActivityAt', i, (json) => json.lastActivityAt ?? '', unreadable('lastActivityAt'));
			const lastActivity = rawActivity instanceof Date ? (Number.isNaN(rawActivity.getTime()) ? '' : rawActivity.toISOString()) : safeText(rawActivity ?? '', 40).trim();
			const activityProblem = lastActivity ? dateOutOfRange(Date.parse(lastActivity), Date.now()) : null;
			if (activityProblem && activityProblem !== 'not a date') flags.push({ field: 'lastActivityAt', code: 'date_out_of_range', message: `lastActivityAt is ${lastActivity}, ${activityProblem}; treated as missing.` });
			const score = completeness(merged.fields, weights, extractor.fields);
			const risks = dealRisks(merged.fields, lastActivity || null, stalledAfterDays, DateTime.utc());
			const result = {
				fields: merged.fields,
				contacts: extracted.contacts,
				dealContacts: dealContacts(extracted.contacts, readParticipants(this.getNodeParameter('options.participants', i, '[]'))),
				rejectedClaims: extracted.rejectedClaims,
				suggestions: merged.suggestions,
				record: merged.record,
				completeness: score,
				risks,
				// A flagged transcript proposes no stage change: its findings are only suggestions.
				stage: stageProgress(this.getNodeParameter('options.currentStage', i, '') as string, flagged ? {} : stageCriteria, merged.fields, score.score),
				flags,
				parts: parts.length,
				transcriptTokens: parts.reduce((s, p) => s + p.tokens, 0),
			};
			const audit: AuditEntry = {
				...nodeAudit('meddiccExtractor', nodeVersion, null, started, answers.length ? 'model' : 'fallback'),
				...modelAudit(calls, extractor.promptVersion),
				rejectedClaims: extracted.rejectedClaims.length,
				flags: flags.map((f) => `${f.field}: ${f.code}`),
				keptOutOfCrm: flagged ? 'the transcript carries instructions addressed to an AI: findings are suggestions only' : null,
			};
			const patch = opportunityPatch(merged.crmPatch, merged.fields);
			patch.meddiccCompleteness = score.score;
			// Risks read the findings: from a flagged transcript they stay on the item, for a person.
			if (!flagged) patch.meddiccRisks = risks.map((r) => r.id).join(', ');
			// Nothing was read: no completeness or risks are written from it.
			if (segments.length === 0 || flags.some((f) => f.field === 'model')) for (const key of Object.keys(patch)) delete patch[key];
			const json: IDataObject = { ...item.json, [outputField]: result as unknown as IDataObject };
			json.crmPatch = mergeCrmPatch(item.json, patch);
			withTrust(json, upstream, 'meddiccExtractor', check);
			return { output: 0, json: addAudit(json, audit) };
		});
	}
}
