import {
	NodeConnectionTypes,
	NodeOperationError,
	type ICredentialTestFunctions,
	type ICredentialsDecrypted,
	type IDataObject,
	type IExecuteFunctions,
	type INodeCredentialTestResult,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeBaseDescription,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { canonStage, policiesFor } from '../../shared/domain/crm/company-config';
import type { MergePolicy } from '../../shared/domain/crm/model';
import type { CrmObject } from '../../shared/domain/crm/model';
import { HubSpotStore } from '../../shared/domain/crm/hubspot/store';
import { SalesforceStore } from '../../shared/domain/crm/salesforce/store';
import { legacyHttpRequest, salesforceStore } from '../../shared/n8n/crm-store';
import { PostgresStore } from '../../shared/domain/crm/postgres-store';
import { matchKeyOf } from '../../shared/domain/crm/requests';
import { accountView, checkObject, matchLeads, writeRecords, type WriteInput, type WriteResult } from '../../shared/domain/crm/service';
import type { CrmStore, SearchCondition, StoredRecord } from '../../shared/domain/crm/store';
import type { UpsertOutcome } from '../../shared/domain/crm/upsert';
import { addAudit, type AuditEntry, nodeAudit } from '../../shared/n8n/audit';
import { crmCredentials, openCrmStore, recordView } from '../../shared/n8n/crm-store';
import { refusedUnder, routeBatch, type RoutedItem } from '../../shared/n8n/item-router';
import { crmProperties } from './description';

const OUT = 0;
/** Items per store round trip: one read and one write statement per batch. */
const BATCH = 500;


function outcomeView(o: UpsertOutcome) {
	return {
		action: o.action,
		isNew: o.action === 'created',
		repeat: o.repeat,
		attempts: o.attempts,
		changes: o.changes,
		skipped: o.skipped,
		record: o.record ? recordView(o.record) : null,
	};
}

export class RevOpsCrmV1 implements INodeType {
	description: INodeTypeDescription;

	constructor(baseDescription: INodeTypeBaseDescription) {
		this.description = {
			...baseDescription,
			version: 1,
			subtitle: '={{ ({upsert: "Upsert ", find: "Find ", search: "Search ", history: "History of ", logActivity: "Log activity", associate: "Associate records", matchAccount: "Match lead to account", checkSetup: "Check setup"})[$parameter["operation"]] + (["logActivity", "associate", "matchAccount", "checkSetup"].includes($parameter["operation"]) ? "" : $parameter["object"]) }}',
			defaults: { name: 'RevOps CRM' },
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main],
			usableAsTool: true,
			credentials: crmCredentials(undefined, true),
			properties: crmProperties,
		};
	}

	methods = {
		credentialTest: {
			async revOpsPostgresConnectionTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
				const c = credential.data ?? {};
				const store = new PostgresStore({ host: String(c.host), port: Number(c.port), database: String(c.database), user: String(c.user), password: c.password ? String(c.password) : undefined, ssl: c.ssl === true, schema: 'public', maxConnections: 1 });
				try {
					await store.findByKeys('lead', []);
					await store.search('lead', [], 1).catch((error: Error) => {
						// The tables may not exist yet (the node creates them); reaching the server is the test.
						if (!/does not exist/.test(error.message)) throw error;
					});
					return { status: 'OK', message: 'Connected' };
				} catch (error) {
					return { status: 'Error', message: (error as Error).message };
				} finally {
					await store.close();
				}
			},
			async revOpsSalesforceConnectionTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
				// Signs in with the credential's flow and asks for the org's limits: the session and API access are the test.
				const store = salesforceStore({ helpers: { httpRequest: legacyHttpRequest(this) } }, credential.data ?? {}, null);
				try {
					const usage = await store.apiUsage();
					return { status: 'OK', message: usage ? `Connected (${usage.used} of ${usage.max} API requests used today)` : 'Connected' };
				} catch (error) {
					return { status: 'Error', message: (error as Error).message };
				}
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const operation = this.getNodeParameter('operation', 0) as string;
		const node = this.getNode();
		const executionId = this.getExecutionId?.() ?? null;

		/** An item whose own data cannot be written (no match key, values that break the model): refused, saying why. */
		const refuse = refusedUnder('crm', OUT, { operation });
		return await routeBatch(this, 1, OUT, async (items) => {
			const started = Date.now();
			const { store, config } = await openCrmStore(this, 0, { ensure: operation !== 'checkSetup' });
			const audit = (): AuditEntry => nodeAudit('revOpsCrm', node.typeVersion, config?.version ?? null, started);
			const base = { backend: store.backend, companyId: config?.config.company.id ?? null };
			const out = (item: INodeExecutionData, crm: IDataObject): RoutedItem => ({ output: OUT, json: addAudit({ ...item.json, crm: { ...base, ...crm } }, audit()) });

			if (operation === 'upsert' || operation === 'logActivity') {
				const object: CrmObject = operation === 'logActivity' ? 'activity' : checkObject(this.getNodeParameter('object', 0));
				const options = this.getNodeParameter('options', 0, {}) as IDataObject;
				const inputs: Array<WriteInput | Error> = items.map((item, i) => {
					try {
						return { fields: readFields(this, item, i, operation), settings: readWriteSettings(this, i, node.name, object, config?.config.company.id ?? null) };
					} catch (error) {
						return error as Error;
					}
				});
				const results: Array<WriteResult | Error> = [];
				for (let start = 0; start < inputs.length; start += BATCH) {
					results.push(
						...(await writeRecords(store, object, inputs.slice(start, start + BATCH), {
							dryRun: options.dryRun === true,
							matchAccounts: options.matchAccounts !== false,
							logSubmissions: options.logSubmissions !== false,
							policies: policiesFor(config?.config ?? null, object) as Record<string, MergePolicy> | undefined,
							canonStage: config ? (stage) => canonStage(config.config, stage) : undefined,
							executionId,
						})),
					);
				}
				return results.map((r, i) => {
					if (r instanceof Error) return r;
					const fields = r.outcome.record?.fields ?? {};
					return out(items[i], {
						object,
						dryRun: options.dryRun === true,
						...outcomeView(r.outcome),
						existingCustomer: object === 'lead' ? fields.existingCustomer === true : undefined,
						tier: object === 'lead' || object === 'account' ? (fields.tier ?? null) : undefined,
						tierSource: object === 'lead' ? (fields.tierSource ?? null) : undefined,
						owner: fields.owner ?? null,
						account: r.account,
						activityId: r.activity?.record?.id ?? null,
					} as IDataObject);
				});
			}

			if (operation === 'checkSetup') {
				const stageMap = config?.config.stageMap ?? {};
				// HubSpot: the properties to create (the node can); Salesforce: the fields an admin creates, with their types.
				const { missing, toCreate, mappedButMissing } =
					store instanceof HubSpotStore
						? ((m) => ({ missing: m, toCreate: m.filter((x) => x.creatable).length, mappedButMissing: m.filter((x) => !x.creatable).map((x) => `${x.type}.${x.name} (${x.holds})`) }))(await store.missingProperties())
						: store instanceof SalesforceStore
							? ((m) => ({ missing: m, toCreate: m.filter((x) => !x.mapped).length, mappedButMissing: m.filter((x) => x.mapped).map((x) => `${x.object}.${x.field} (${x.holds})`) }))(await store.missingFields())
							: (await store.ensureSchema(), { missing: [], toCreate: 0, mappedButMissing: [] });
				const stages = store instanceof HubSpotStore || store instanceof SalesforceStore ? await store.checkStages(stageMap) : null;
				const view = { ready: missing.length === 0 && (stages?.unknown.length ?? 0) === 0, missing, toCreate, mappedButMissing, stages };
				return items.map((item) => out(item, view as unknown as IDataObject));
			}

			if (operation === 'matchAccount') {
				const leads = items.map((item) => (item.json.crmPatch && typeof item.json.crmPatch === 'object' ? (item.json.crmPatch as Record<string, unknown>) : {}));
				const matches = await matchLeads(store, leads);
				return items.map((item, i) => out(item, { object: 'lead', ...accountView(matches[i], leads[i].icpTier) } as unknown as IDataObject));
			}

			if (operation === 'find') {
				const object = checkObject(this.getNodeParameter('object', 0));
				const keys = items.map((item, i) => lookupKey(this, item, i, object));
				const found = await findMany(store, object, keys);
				return items.map((item, i) => {
					const key = keys[i];
					if (key instanceof Error) return key;
					const record = found.get(key) ?? null;
					return out(item, { object, key, found: record !== null, record: record ? recordView(record) : null } as IDataObject);
				});
			}

			if (operation === 'history') {
				const object = checkObject(this.getNodeParameter('object', 0));
				const keys = items.map((item, i) => lookupKey(this, item, i, object));
				const found = await findMany(store, object, keys);
				const results: Array<RoutedItem | Error> = [];
				for (const [i, item] of items.entries()) {
					const key = keys[i];
					if (key instanceof Error) {
						results.push(key);
						continue;
					}
					const record = found.get(key);
					const limit = Number(this.getNodeParameter('limit', i, 50));
					const history = record ? await store.history(object, record.id, limit) : [];
					results.push(out(item, { object, key, found: !!record, record: record ? recordView(record) : null, history } as unknown as IDataObject));
				}
				return results;
			}

			if (operation === 'search') {
				const object = checkObject(this.getNodeParameter('object', 0));
				const results: Array<RoutedItem[] | Error> = [];
				for (const [i, item] of items.entries()) {
					const where = ((this.getNodeParameter('conditions.values', i, []) as IDataObject[]) ?? []).map((c) => ({ field: String(c.field ?? '').trim(), op: c.op as SearchCondition['op'], value: c.value as string }));
					try {
						const records = await store.search(object, where, Number(this.getNodeParameter('limit', i, 50)));
						// A search that finds nothing still answers its item (items in == items out).
						results.push(records.length ? records.map((r) => out(item, { object, found: true, record: recordView(r) } as IDataObject)) : [out(item, { object, found: false, record: null })]);
					} catch (error) {
						results.push(error as Error);
					}
				}
				return results;
			}

			// associate
			const links = items.map((item, i) => {
				try {
					const from = checkObject(this.getNodeParameter('fromObject', i));
					const to = checkObject(this.getNodeParameter('toObject', i));
					return { from, to, fromKey: matchKeyOf(from, {}, this.getNodeParameter('fromKey', i)), toKey: matchKeyOf(to, {}, this.getNodeParameter('toKey', i)), label: String(this.getNodeParameter('label', i, 'related')) };
				} catch (error) {
					return error as Error;
				}
			});
			const results: Array<RoutedItem | Error> = [];
			for (const [i, link] of links.entries()) {
				if (link instanceof Error) {
					results.push(link);
					continue;
				}
				const [a] = await store.findByKeys(link.from, [link.fromKey]);
				const [b] = await store.findByKeys(link.to, [link.toKey]);
				if (!a || !b) {
					results.push(new Error(`No ${!a ? `${link.from} "${link.fromKey}"` : `${link.to} "${link.toKey}"`} to link; write it first (Upsert Record), then associate`));
					continue;
				}
				const added = await store.associate([{ from: { object: link.from, id: a.id }, to: { object: link.to, id: b.id }, label: link.label }]);
				results.push(out(items[i], { from: { object: link.from, id: a.id, key: a.key }, to: { object: link.to, id: b.id, key: b.key }, label: link.label, linked: true, isNew: added > 0 }));
			}
			return results;
		}, refuse);
	}
}

function readFields(ctx: IExecuteFunctions, item: INodeExecutionData, i: number, operation: string): Record<string, unknown> {
	const raw = operation === 'logActivity' ? ctx.getNodeParameter('activity', i, {}) : ctx.getNodeParameter('fieldsFrom', i, 'crmPatch') === 'json' ? ctx.getNodeParameter('fieldsJson', i, {}) : item.json.crmPatch;
	const value = typeof raw === 'string' ? JSON.parse(raw) : raw;
	if (!value || typeof value !== 'object' || Array.isArray(value)) {
		const fromPatch = operation === 'upsert' && ctx.getNodeParameter('fieldsFrom', i, 'crmPatch') === 'crmPatch';
		throw new NodeOperationError(ctx.getNode(), fromPatch ? 'The item has no crmPatch to write' : 'The fields are not an object of canonical field names and values', {
			itemIndex: i,
			description: fromPatch ? 'Put a RevOps node (e.g. Lead Normalizer) before this one, or set Fields From to JSON' : 'Give an object such as {"domain": "acme.com", "lifecycle": "customer"}',
		});
	}
	return value as Record<string, unknown>;
}

function readWriteSettings(ctx: IExecuteFunctions, i: number, nodeName: string, object: CrmObject, companyId: string | null) {
	const options = ctx.getNodeParameter('options', i, {}) as IDataObject;
	const kind = (options.writtenBy as 'rule' | 'model' | 'human') ?? 'rule';
	const key = ctx.getNodeParameter('matchKey', i, '') as string;
	return {
		writer: { kind, name: String(options.writerName || nodeName) },
		validates: kind === 'human' ? String(options.validatedFields ?? '').split(/[,;\s]+/).filter(Boolean) : undefined,
		key: key === '' ? undefined : key,
		aliases: options.aliases,
		repeatCounts: (object === 'lead' || object === 'contact') && options.repeatCounts !== false,
		idempotencyKey: options.idempotencyId ? String(options.idempotencyId) : undefined,
		companyId,
	};
}

function lookupKey(ctx: IExecuteFunctions, item: INodeExecutionData, i: number, object: CrmObject): string | Error {
	try {
		const given = ctx.getNodeParameter('matchKey', i, '') as string;
		return matchKeyOf(object, (item.json.crmPatch as Record<string, unknown>) ?? {}, given === '' ? undefined : given);
	} catch (error) {
		return error as Error;
	}
}

async function findMany(store: CrmStore, object: CrmObject, keys: Array<string | Error>): Promise<Map<string, StoredRecord>> {
	const wanted = [...new Set(keys.filter((k): k is string => typeof k === 'string'))];
	const found = new Map<string, StoredRecord>();
	for (let start = 0; start < wanted.length; start += BATCH) {
		for (const record of await store.findByKeys(object, wanted.slice(start, start + BATCH))) {
			found.set(record.key, record);
			for (const alias of record.aliases) found.set(alias, record);
		}
	}
	return found;
}
