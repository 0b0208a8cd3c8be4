import { DateTime } from 'luxon';
import {
	NodeConnectionTypes,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeBaseDescription,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { detectFields } from '../../shared/domain/field-detection';
import { canonicalJson } from '../../shared/domain/hash';
import {
	LEAD_FIELDS,
	LeadNormalizer,
	type LeadNormalizerSettings,
	type RawLead,
	type RequiredField,
} from '../../shared/domain/lead-normalizer';
import { addAudit, mergeCrmPatch, nodeAudit } from '../../shared/n8n/audit';
import { routeItems } from '../../shared/n8n/item-router';
import { readCalendar, splitList } from '../../shared/n8n/calendar-params';
import { leadNormalizerProperties } from './description';

const VALID = 0;
const INVALID = 1;

/** The company config's country (company.country) and default first-response SLA (slas.firstResponseMinutes.default), where it has them. */
function companySettings(config: unknown): { country?: string; firstResponseMinutes?: number } {
	const c = config && typeof config === 'object' ? (config as { company?: { country?: unknown }; slas?: { firstResponseMinutes?: { default?: unknown } } }) : {};
	const country = c.company?.country;
	const minutes = c.slas?.firstResponseMinutes?.default;
	return { ...(typeof country === 'string' && country.trim() ? { country } : {}), ...(typeof minutes === 'number' && Number.isFinite(minutes) && minutes >= 0 ? { firstResponseMinutes: minutes } : {}) };
}

function readSettings(ctx: IExecuteFunctions, i: number): LeadNormalizerSettings {
	const options = ctx.getNodeParameter('options', i, {}) as IDataObject;
	// The company's own country and first-response SLA, when the node is told to take them from the
	// Company Config on the item (read in code: item-defaults.ts says why no expression).
	const company = ctx.getNodeParameter('companySettings', i, false) === true ? companySettings(ctx.getInputData()[i]?.json?.companyConfig) : {};
	const defaultCountry = String(company.country ?? ctx.getNodeParameter('defaultCountry', i, '') ?? '').trim().toUpperCase();
	return {
		defaultCountry: defaultCountry === '' ? null : defaultCountry,
		calendar: readCalendar(ctx, i),
		firstResponseSlaMinutes: company.firstResponseMinutes ?? Number(ctx.getNodeParameter('firstResponseSlaMinutes', i, 60)),
		requiredFields: ctx.getNodeParameter('requiredFields', i, ['emailOrPhone']) as RequiredField[],
		disposableEmailIsInvalid: options.disposableEmailIsInvalid !== false,
		freeMailIsInvalid: options.freeMailIsInvalid === true,
		ownDomain: options.ownDomain ? String(options.ownDomain).trim().toLowerCase() : null,
		// Only when set: a node that keeps the defaults keeps the ruleset version it had before these options.
		...(options.deadlineTextFormat !== undefined || options.deadlineTextLocale !== undefined
			? { deadlineText: { format: String(options.deadlineTextFormat ?? ''), locale: String(options.deadlineTextLocale ?? '') } }
			: {}),
	};
}

function readLead(ctx: IExecuteFunctions, item: INodeExecutionData, i: number): { raw: RawLead; fieldMap: IDataObject } {
	if (ctx.getNodeParameter('mappingMode', i, 'auto') === 'manual') {
		const raw = ctx.getNodeParameter('fields', i, {}) as RawLead;
		return { raw, fieldMap: Object.fromEntries(Object.keys(raw).map((k) => [k, 'mapped'])) };
	}
	const extra = ctx.getNodeParameter('extraFieldNames.names', i, []) as Array<{ field: string; names: string }>;
	const extraNames: Record<string, string[]> = {};
	for (const { field, names } of extra) {
		extraNames[field] = [...(extraNames[field] ?? []), ...splitList(names ?? '')];
	}
	const { values, paths } = detectFields(item.json, LEAD_FIELDS, extraNames);
	return { raw: values as RawLead, fieldMap: paths };
}

export class LeadNormalizerV1 implements INodeType {
	description: INodeTypeDescription;

	constructor(baseDescription: INodeTypeBaseDescription) {
		this.description = {
			...baseDescription,
			version: 1,
			subtitle: '={{ $parameter["mappingMode"] === "manual" ? "Mapped fields" : "Auto-detect fields" }}',
			defaults: { name: 'Lead Normalizer' },
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
			outputNames: ['Valid', 'Invalid'],
			usableAsTool: true,
			properties: leadNormalizerProperties,
		};
	}

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		// Settings may differ per item through expressions; compile each distinct set once.
		const normalizers = new Map<string, LeadNormalizer>();
		const version = this.getNode().typeVersion;
		// Where the result goes is part of the item's shape, so it is the same for the whole run.
		const outputField = String((this.getNodeParameter('options', 0, {}) as IDataObject).outputField || 'lead');

		return await routeItems(this, 2, INVALID, (item, i) => {
			const started = Date.now();
			const settings = readSettings(this, i);
			const cacheKey = canonicalJson(settings);
			let normalizer = normalizers.get(cacheKey);
			if (!normalizer) {
				normalizer = new LeadNormalizer(settings);
				normalizers.set(cacheKey, normalizer);
			}
			const { raw, fieldMap } = readLead(this, item, i);
			const result = normalizer.normalize(raw, DateTime.utc());
			const { lead } = result;

			const json: IDataObject = {
				...item.json,
				// The deadline as the sender reads it, for a thank-you page (the domain's results leave it out: a bulk run needs none).
				[outputField]: { ...lead, firstResponseDueText: normalizer.firstResponseDueText(lead) } as unknown as IDataObject,
				validation: {
					valid: result.valid,
					reasons: result.reasons as unknown as IDataObject[],
					warnings: result.warnings as unknown as IDataObject[],
				},
			};
			json.crmPatch = mergeCrmPatch(item.json, {
				email: lead.email,
				phone: lead.phone,
				firstName: lead.firstName,
				lastName: lead.lastName,
				jobTitle: lead.jobTitle,
				company: lead.company,
				companyDomain: lead.companyDomain,
				website: lead.website,
				country: lead.country,
				message: lead.message,
				leadSource: lead.source.source,
				leadMedium: lead.source.medium,
				leadCampaign: lead.source.campaign,
				dedupeKey: lead.dedupeKey,
				lastTouchAt: lead.receivedAt,
				firstResponseDueAt: lead.firstResponseDueAt,
			});
			return {
				output: result.valid ? VALID : INVALID,
				json: addAudit(json, { ...nodeAudit('leadNormalizer', version, normalizer.rulesetVersion, started), fieldMap }),
			};
		});
	}
}
