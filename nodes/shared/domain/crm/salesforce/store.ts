import { randomUUID } from 'node:crypto';
import { ConfigError } from '../../config-error';
import { matches } from '../data-table-store';
import { normalizeKey, type CrmObject } from '../model';
import { RecordRejectedError, searchByScan, STATE_OBJECT, type Association, type CrmStore, type HistoryEntry, type ScanPage, type SearchCondition, type StoreObject, type StoredRecord, type WriteAnswer } from '../store';
import { faultOf, GRAPH_NODES, soqlString, type GraphNode, type SalesforceApi, type SoqlRecord } from './api';
import { BOOKKEEPING, CHANGE_FIELDS, CHANGE_OBJECT, decodeValue, encodeValue, EVENT, fieldsOf, fromPicklist, isCalendarEvent, NOT_PROVIDED, SOBJECTS, sobjectOfId, sobjectsOf, toPicklist, type FieldMap, type OrgModel, type SalesforceField, type SObject } from './mapping';
import { ensureFields, missingFields, type MissingField } from './schema';

/**
 * Salesforce as the CRM backend: the canonical records are the org's own Accounts, Contacts, Leads,
 * Opportunities, Cases, Tasks and Events (mapping.ts), and the upsert engine's rules hold unchanged because
 * this store keeps the CrmStore promise with what Salesforce offers:
 *
 * - A conditional insert: RevOps_Key__c is a unique external id, so Salesforce refuses a second
 *   record with the same key (DUPLICATE_VALUE); that record answers null and the engine re-reads.
 * - A conditional update: Salesforce's REST API has no "update if unchanged" for a batch, so every
 *   write also creates its RevOps_Change__c record, whose RevOps_Write_Key__c (unique) is
 *   `<record id>@<new revision>`, and the two go in one composite graph (all or nothing). Two writers
 *   that read the same revision both try to create the same change key: Salesforce lets one through
 *   and rolls the other's graph back, record update included; that record answers null and the
 *   engine re-reads and merges again. The change record is also the write's history.
 * - Graphs hold a few records each and a call up to 500 nodes (200 records), so a refused record
 *   (its field error, RecordRejectedError) rolls back only its own graph; the others of that graph
 *   are sent again in the next call.
 * - Records the org already had (a rep's contact or lead with the e-mail, an account with the
 *   domain as its website) are adopted the first time they are found: key and revision 1.
 */

export interface SalesforceStoreOptions extends OrgModel {
	api: SalesforceApi;
	/** Identifies the org for the once-per-process setup check. */
	org?: string;
}

export interface SalesforceStageCheck {
	pipelines: Array<{ id: string; label: string; stages: Array<{ id: string; label: string; canon: string | null }> }>;
	unmapped: string[];
	unknown: string[];
}

type Compact = [field: string, before: unknown, after: unknown, change: string, writer: string, executionId: string | null, at: string];

/** The id prefixes of the sObjects whose records a key may name by their Salesforce id (an activity: a Task or an Event). */
const SALESFORCE_PREFIX: Partial<Record<CrmObject, string[]>> = { opportunity: ['006'], case: ['500'], activity: ['00T', '00U'] };

/** Records per graph: a refusal rolls back this many (and they go again in the next call). */
const GRAPH_RECORDS = 10;
/** Records per call: two nodes each (the record and its change). */
const CALL_RECORDS = Math.floor(GRAPH_NODES / 2 / GRAPH_RECORDS) * GRAPH_RECORDS;
/** Keys per SOQL IN list, at most (see inLists). */
const KEYS_PER_QUERY = 1000;
/**
 * Characters of one IN list as sent in the query's URL: Salesforce takes URLs up to 16,384 characters,
 * and the field list of the statement needs its share.
 */
const IN_LIST_CHARS = 11_000;

const parse = <T>(text: unknown, fallback: T): T => {
	if (typeof text !== 'string' || !text) return fallback;
	try {
		return JSON.parse(text) as T;
	} catch {
		return fallback;
	}
};

/** Values as SOQL IN lists that keep a query's URL within what Salesforce takes. */
function inLists(values: readonly string[]): string[][] {
	const out: string[][] = [];
	let current: string[] = [];
	let length = 0;
	for (const v of values) {
		const quoted = encodeURIComponent(`${soqlString(v)}, `).length;
		if (current.length && (current.length >= KEYS_PER_QUERY || length + quoted > IN_LIST_CHARS)) {
			out.push(current);
			current = [];
			length = 0;
		}
		current.push(v);
		length += quoted;
	}
	if (current.length) out.push(current);
	return out;
}

/** Ids grouped by the sObject they are records of (an activity's: Tasks and Events). */
function bySObject(object: StoreObject, ids: readonly string[]): Map<SObject, string[]> {
	const out = new Map<SObject, string[]>();
	for (const id of ids) {
		const sobject = sobjectOfId(object, id);
		out.set(sobject, [...(out.get(sobject) ?? []), id]);
	}
	return out;
}

const chunks = <T>(list: readonly T[], size: number): T[][] => Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, i * size + size));

interface Pending {
	i: number;
	nodes: GraphNode[];
	/** What the record node's failure means: DUPLICATE_VALUE on our key or lock = moved on (null). */
	recordRef: string;
	lockRef: string | null;
	/** The record as written, from its node's answer (a new record's id). */
	written: (answer: unknown) => StoredRecord;
}

export class SalesforceStore implements CrmStore {
	readonly backend = 'salesforce';
	private readonly api: SalesforceApi;
	private readonly fieldMap: FieldMap;

	constructor(private readonly options: SalesforceStoreOptions) {
		this.api = options.api;
		this.fieldMap = options.fieldMap ?? {};
	}

	get calls(): number {
		return this.api.calls;
	}

	async ensureSchema(): Promise<void> {
		await ensureFields(this.api, this.model(), this.options.org ?? null);
	}

	/** What the org lacks for the canonical model (the CRM node's Check Setup). */
	async missingFields(): Promise<MissingField[]> {
		return await missingFields(this.api, this.model());
	}

	/** The company's field map, picklist values and record types. */
	model(): OrgModel {
		return { fieldMap: this.fieldMap, picklists: this.options.picklists, recordTypes: this.options.recordTypes };
	}

	/** The company's stageMap against the org's opportunity stages (StageName's picklist values). */
	async checkStages(stageMap: Readonly<Record<string, string>>): Promise<SalesforceStageCheck> {
		const res = await this.api.call('GET', this.api.path('/sobjects/Opportunity/describe'));
		const field = ((res.body as { fields?: Array<{ name: string; picklistValues?: Array<{ value: string; label: string; active: boolean }> }> }).fields ?? []).find((f) => f.name === 'StageName');
		const stages = (field?.picklistValues ?? []).filter((v) => v.active !== false).map((v) => ({ id: v.value, label: v.label }));
		const mapped = new Map(Object.entries(stageMap).map(([k, v]) => [k.toLowerCase(), v]));
		return {
			pipelines: [{ id: 'StageName', label: 'Opportunity stages', stages: stages.map((st) => ({ ...st, canon: mapped.get(st.id.toLowerCase()) ?? null })) }],
			unmapped: stages.filter((st) => !mapped.has(st.id.toLowerCase())).map((st) => `${st.label} (${st.id})`),
			unknown: Object.keys(stageMap)
				.filter((k) => !stages.some((st) => st.id.toLowerCase() === k.toLowerCase()))
				.map((k) => `${k}: no active value of Opportunity.StageName (a record type's own stages count too: check its sales process)`),
		};
	}

	/** The org and the integration user this store writes as (whose changes are ours). */
	async identity(): Promise<{ organizationId: string; userId: string }> {
		return await this.api.identity();
	}

	/** Records of an object by their Salesforce ids, keyed by the 15-character id (the trigger's events). */
	async readByIds(object: StoreObject, ids: readonly string[]): Promise<Map<string, StoredRecord>> {
		const out = new Map<string, StoredRecord>();
		for (const [sobject, list] of bySObject(object, [...new Set(ids)])) {
			for (const chunk of inLists(list)) {
				for (const rec of await this.api.queryAll(`SELECT ${this.select(object, sobject)} FROM ${sobject} WHERE Id IN (${chunk.map(soqlString).join(', ')})`)) out.set(rec.Id.slice(0, 15), this.decode(object, rec));
			}
		}
		return out;
	}

	/** The org's API usage today (a call to its limits resource): the credential test. */
	async apiUsage(): Promise<{ used: number; max: number } | null> {
		await this.api.call('GET', this.api.path('/limits'));
		return this.api.usage;
	}

	async close(): Promise<void> {}

	// ---- reading

	/** The fields of each object (and sObject) under the company's field map, worked out once (decode runs per record). */
	private readonly fieldLists = new Map<string, SalesforceField[]>();

	private fields(object: StoreObject, sobject: SObject = SOBJECTS[object]): SalesforceField[] {
		let list = this.fieldLists.get(sobject);
		if (!list) this.fieldLists.set(sobject, (list = fieldsOf(object, this.fieldMap, sobject)));
		return list;
	}

	private select(object: StoreObject, sobject: SObject = SOBJECTS[object]): string {
		const names = new Set(['Id', 'CreatedDate', 'LastModifiedDate', BOOKKEEPING.key, BOOKKEEPING.revision, BOOKKEEPING.meta, ...(object === 'account' ? [BOOKKEEPING.aliases, 'Website'] : []), ...(object === 'contact' || object === 'lead' ? ['Email'] : []), ...this.fields(object, sobject).map((f) => f.name)]);
		return [...names].join(', ');
	}

	private decode(object: StoreObject, rec: SoqlRecord): StoredRecord {
		const fields: StoredRecord['fields'] = {};
		const sobject = sobjectOfId(object, rec.Id);
		for (const f of this.fields(object, sobject)) {
			const v = decodeValue(f.type, fromPicklist(this.options.picklists, object, f.field, rec[f.name]));
			if (v !== null) fields[f.field] = v;
		}
		// A calendar Event is a meeting, whoever made it.
		if (sobject === EVENT) fields.type ??= 'meeting';
		const meta = parse<{ validated?: string[]; duplicates?: number; writeKeys?: string[] }>(rec[BOOKKEEPING.meta], {});
		return {
			id: rec.Id,
			object,
			key: String(rec[BOOKKEEPING.key] ?? ''),
			aliases: String(rec[BOOKKEEPING.aliases] ?? '').split(';').filter(Boolean),
			fields,
			validated: meta.validated ?? [],
			revision: Number(rec[BOOKKEEPING.revision]) || 1,
			duplicates: meta.duplicates ?? 0,
			writeKeys: meta.writeKeys ?? [],
			createdAt: decodeValue('date', rec.CreatedDate) as string,
			updatedAt: decodeValue('date', rec.LastModifiedDate) as string,
		};
	}

	async findByKeys(object: StoreObject, keys: readonly string[]): Promise<StoredRecord[]> {
		const wanted = [...new Set(keys)];
		if (wanted.length === 0) return [];
		const out = new Map<string, StoredRecord>();
		for (const sobject of sobjectsOf(object)) {
			for (const chunk of inLists(wanted)) {
				for (const rec of await this.api.queryAll(`SELECT ${this.select(object, sobject)} FROM ${sobject} WHERE ${BOOKKEEPING.key} IN (${chunk.map(soqlString).join(', ')})`)) {
					const record = this.decode(object, rec);
					// SOQL compares text without case; a key is exact.
					if (wanted.includes(record.key)) out.set(record.id, record);
				}
			}
		}
		const known = new Set([...out.values()].flatMap((r) => [r.key, ...r.aliases]));
		const missing = wanted.filter((k) => !known.has(k));
		if (missing.length && (object === 'account' || object === 'contact' || object === 'lead')) {
			for (const r of await this.findOthers(object, missing)) out.set(r.id, r);
		} else if (missing.length && object !== STATE_OBJECT) {
			for (const r of await this.findById(object, missing)) out.set(r.id, r);
		}
		return [...out.values()];
	}

	/**
	 * Records not found by their key: accounts by another of their domains, and records the org had
	 * before we wrote them (an account whose website is the domain, a contact or lead with the
	 * e-mail), which are adopted: they get the key and revision 1, and merge like ours from then on.
	 */
	private async findOthers(object: 'account' | 'contact' | 'lead', missing: string[]): Promise<StoredRecord[]> {
		const sobject = SOBJECTS[object];
		const found: StoredRecord[] = [];
		const strangers: StoredRecord[] = [];
		if (object === 'account') {
			for (const chunk of chunks(missing, 20)) {
				const any = chunk.flatMap((k) => [`${BOOKKEEPING.aliases} LIKE ${soqlString(`%;${k};%`)}`, `Website LIKE ${soqlString(`%${k}%`)}`]);
				for (const rec of await this.api.queryAll(`SELECT ${this.select(object)} FROM ${sobject} WHERE (${any.join(' OR ')}) ORDER BY CreatedDate`)) {
					const record = this.decode(object, rec);
					if (record.key) {
						if (record.aliases.some((a) => chunk.includes(a))) found.push(record);
						continue;
					}
					const domain = normalizeKey('account', rec.Website);
					// A domain the org holds twice (duplicate accounts): the oldest is the account.
					if (domain && chunk.includes(domain) && !strangers.some((s) => s.key === domain)) strangers.push({ ...record, key: domain });
				}
			}
		} else {
			const emails = missing.filter((k) => /^[^@\s]+@[^@\s]+$/.test(k));
			for (const chunk of inLists(emails)) {
				for (const rec of await this.api.queryAll(`SELECT ${this.select(object)} FROM ${sobject} WHERE Email IN (${chunk.map(soqlString).join(', ')}) AND ${BOOKKEEPING.key} = null ORDER BY CreatedDate`)) {
					const email = normalizeKey('contact', rec.Email);
					const key = chunk.find((k) => k.toLowerCase() === email);
					if (key && !strangers.some((s) => s.key === key)) strangers.push({ ...this.decode(object, rec), key });
				}
			}
		}
		return [...found, ...(await this.adopt(object, strangers))];
	}

	/**
	 * Opportunities, cases, tasks and events whose key is their own Salesforce id (a deal a rep created,
	 * named by a Salesforce event or a stage-change request): adopted with that id as their key.
	 */
	private async findById(object: CrmObject, missing: string[]): Promise<StoredRecord[]> {
		const prefixes = SALESFORCE_PREFIX[object] ?? [];
		const ids = missing.filter((k) => prefixes.some((p) => k.startsWith(p)) && /^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(k));
		const strangers: StoredRecord[] = [];
		for (const [sobject, list] of bySObject(object, ids)) {
			for (const chunk of inLists(list)) {
				for (const rec of await this.api.queryAll(`SELECT ${this.select(object, sobject)} FROM ${sobject} WHERE Id IN (${chunk.map(soqlString).join(', ')}) AND ${BOOKKEEPING.key} = null`)) {
					const key = chunk.find((k) => k.slice(0, 15) === rec.Id.slice(0, 15));
					if (key) strangers.push({ ...this.decode(object, rec), key });
				}
			}
		}
		return await this.adopt(object, strangers);
	}

	/** Gives records the org had before their key and revision 1 (a refusal, the key taken meanwhile, leaves them out). */
	private async adopt(object: StoreObject, strangers: StoredRecord[]): Promise<StoredRecord[]> {
		const adopted: StoredRecord[] = [];
		for (const chunk of chunks(strangers, 200)) {
			const res = await this.api.call('PATCH', this.api.path('/composite/sobjects'), { allOrNone: false, records: chunk.map((r) => ({ attributes: { type: sobjectOfId(object, r.id) }, id: r.id, [BOOKKEEPING.key]: r.key, [BOOKKEEPING.revision]: 1 })) });
			const results = res.body as Array<{ success: boolean }>;
			chunk.forEach((r, i) => results[i]?.success && adopted.push({ ...r, revision: 1 }));
		}
		return adopted;
	}

	// ---- writing

	private encode(record: StoredRecord, sobject: SObject): Record<string, unknown> {
		const out: Record<string, unknown> = {};
		for (const f of this.fields(record.object, sobject)) {
			const v = encodeValue(f.type, f.name, record.fields[f.field] as never);
			if (v !== null) out[f.name] = toPicklist(this.options.picklists, record.object, f.field, v);
		}
		out[BOOKKEEPING.key] = record.key;
		out[BOOKKEEPING.revision] = record.revision;
		out[BOOKKEEPING.meta] = JSON.stringify({ validated: record.validated, duplicates: record.duplicates, writeKeys: record.writeKeys });
		if (record.object === 'account') out[BOOKKEEPING.aliases] = record.aliases.length ? `;${record.aliases.join(';')};`.slice(0, 255) : null;
		return out;
	}

	/** What Salesforce requires of a new record that the canonical one may lack; a reason when it cannot be had. */
	private required(record: StoredRecord, sobject: SObject, values: Record<string, unknown>): string | null {
		const f = record.fields;
		// crm.recordTypes.activity is a Task record type (an Event's are its own).
		const recordType = record.object === STATE_OBJECT || sobject === EVENT ? undefined : this.options.recordTypes?.[record.object];
		if (recordType) values.RecordTypeId = recordType;
		switch (record.object) {
			case 'account':
				values.Name ??= f.name ?? record.key;
				return null;
			case 'contact':
				values.LastName ??= NOT_PROVIDED;
				return null;
			case 'lead':
				values.LastName ??= NOT_PROVIDED;
				values.Company ??= NOT_PROVIDED;
				return null;
			case 'opportunity':
				values.Name ??= record.key;
				if (!values.StageName) return 'Salesforce needs a stage (StageName) for a new opportunity: give the item its crmStage (a value of the org\'s StageName picklist)';
				if (!values.CloseDate) return 'Salesforce needs a close date (CloseDate) for a new opportunity: give the item its closeDate';
				return null;
			case 'activity':
				values.Subject ??= String(f.type ?? 'activity').replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());
				// An Event has its start and length (isCalendarEvent) and no status.
				if (sobject !== EVENT) values.Status ??= f.taskStatus === 'open' ? 'Not Started' : 'Completed';
				return null;
			case STATE_OBJECT:
				values.Name = record.key.slice(0, 80);
				return null;
			default:
				return null;
		}
	}

	private change(writeKey: string, recordId: string, record: StoredRecord, entries: readonly HistoryEntry[]): Record<string, unknown> {
		const compact = entries.map((h): Compact => [h.field, h.before, h.after, h.change, h.writer, h.executionId, h.at]);
		return { Name: writeKey.slice(0, 80), [CHANGE_FIELDS.writeKey]: writeKey, [CHANGE_FIELDS.recordId]: recordId, [CHANGE_FIELDS.object]: record.object, [CHANGE_FIELDS.revision]: record.revision, [CHANGE_FIELDS.entries]: JSON.stringify(compact) };
	}

	/**
	 * Where a new task belongs in Salesforce: WhatId (its opportunity, else its account) and WhoId (its
	 * contact, else its lead), found by the activity's canonical keys, so a rep sees it on the record.
	 * Salesforce takes no WhatId beside a lead.
	 */
	private async taskLinks(records: readonly StoredRecord[]): Promise<Array<Record<string, string>>> {
		const refs: Array<[CrmObject, string]> = [['opportunity', 'opportunityId'], ['account', 'accountDomain'], ['contact', 'contactEmail'], ['lead', 'leadKey']];
		const found = new Map<string, string>();
		for (const [object, field] of refs) {
			const keys = [...new Set(records.filter((r) => r.object === 'activity').map((r) => normalizeKey(object, r.fields[field])).filter((k): k is string => Boolean(k)))];
			if (keys.length) for (const r of await this.findByKeys(object, keys)) found.set(`${object}:${r.key}`, r.id);
		}
		return records.map((r) => {
			if (r.object !== 'activity' || found.size === 0) return {};
			const id = (object: CrmObject, field: string) => found.get(`${object}:${normalizeKey(object, r.fields[field])}`);
			const who = id('contact', 'contactEmail') ?? id('lead', 'leadKey');
			const what = who?.startsWith('00Q') ? undefined : (id('opportunity', 'opportunityId') ?? id('account', 'accountDomain'));
			return { ...(who ? { WhoId: who } : {}), ...(what ? { WhatId: what } : {}) };
		});
	}

	async insert(records: readonly StoredRecord[], history: readonly HistoryEntry[][]): Promise<WriteAnswer[]> {
		const out: WriteAnswer[] = new Array(records.length).fill(null);
		const pending: Pending[] = [];
		const links = records.some((r) => r.object === 'activity') ? await this.taskLinks(records) : [];
		records.forEach((record, i) => {
			const sobject = record.object === 'activity' && isCalendarEvent(record.fields) ? EVENT : SOBJECTS[record.object];
			const values = { ...this.encode(record, sobject), ...links[i] };
			const missing = this.required(record, sobject, values);
			if (record.key.length > 255) out[i] = new RecordRejectedError(`The ${record.object} key "${record.key.slice(0, 80)}..." is longer than Salesforce's 255 characters for an external id`, 'Shorten the match key (e.g. a dedupe key) and run the item again');
			else if (missing) out[i] = new RecordRejectedError(missing, 'Add the value to the item and run it again');
			else {
				const created = new Date().toISOString();
				pending.push({
					i,
					recordRef: `r${i}`,
					lockRef: null,
					nodes: [
						{ method: 'POST', url: this.api.path(`/sobjects/${sobject}`), referenceId: `r${i}`, body: values },
						// The first change is no lock (the key's uniqueness is): a fresh write key.
						{ method: 'POST', url: this.api.path(`/sobjects/${CHANGE_OBJECT}`), referenceId: `c${i}`, body: this.change(`new:${randomUUID()}`, `@{r${i}.id}`, record, history[i]) },
					],
					written: (answer) => ({ ...record, id: String((answer as { id?: string } | null)?.id ?? record.id), createdAt: created, updatedAt: created }),
				});
			}
		});
		await this.writeGraphs(pending, out);
		return out;
	}

	async update(records: ReadonlyArray<{ record: StoredRecord; expectedRevision: number }>, history: readonly HistoryEntry[][]): Promise<WriteAnswer[]> {
		const out: WriteAnswer[] = new Array(records.length).fill(null);
		const pending: Pending[] = records.map(({ record }, i) => {
			const sobject = sobjectOfId(record.object, record.id);
			const at = new Date().toISOString();
			return {
				i,
				recordRef: `r${i}`,
				lockRef: `c${i}`,
				nodes: [
					// The lock first: a second writer of this revision fails here, and its graph writes nothing.
					{ method: 'POST', url: this.api.path(`/sobjects/${CHANGE_OBJECT}`), referenceId: `c${i}`, body: this.change(`${record.id}@${record.revision}`, record.id, record, history[i]) },
					{ method: 'PATCH', url: this.api.path(`/sobjects/${sobject}/${encodeURIComponent(record.id)}`), referenceId: `r${i}`, body: this.encode(record, sobject) },
				],
				written: () => ({ ...record, updatedAt: at }),
			};
		});
		await this.writeGraphs(pending, out);
		return out;
	}

	/**
	 * Sends the writes as composite graphs (GRAPH_RECORDS records a graph, CALL_RECORDS a call, a few
	 * calls at once). A graph that fails is rolled back whole: its failing record gets its answer (null
	 * when the key or the lock was taken, else the refusal), the rest go again in the next round.
	 */
	private async writeGraphs(pending: Pending[], out: WriteAnswer[]): Promise<void> {
		let left = pending;
		for (let round = 0; left.length && round < 50; round++) {
			const again: Pending[] = [];
			await this.api.inChunks(left, CALL_RECORDS, async (call) => {
				const graphs = chunks(call, GRAPH_RECORDS).map((group, g) => ({ graphId: `g${g}`, group, nodes: group.flatMap((p) => p.nodes) }));
				const answers = await this.api.graph(graphs.map(({ graphId, nodes }) => ({ graphId, nodes })));
				for (const graph of graphs) {
					const answer = answers.find((a) => a.graphId === graph.graphId);
					if (answer?.isSuccessful) {
						for (const p of graph.group) out[p.i] = p.written(answer.nodes.find((n) => n.referenceId === p.recordRef)?.body);
						continue;
					}
					const failed = answer?.nodes.find((n) => n.status >= 400 && faultOf(n.body).errorCode !== 'PROCESSING_HALTED');
					const culprit = failed ? graph.group.find((p) => p.nodes.some((n) => n.referenceId === failed.referenceId)) : undefined;
					for (const p of graph.group) {
						if (p !== culprit) again.push(p);
						else out[p.i] = this.refusal(p, failed!.referenceId, failed!.body);
					}
				}
				return call;
			});
			left = again.sort((a, b) => a.i - b.i);
		}
		for (const p of left) out[p.i] = new RecordRejectedError('Salesforce kept rolling this record\'s write back (too many refused records in its calls)', 'Run the item again');
	}

	private refusal(p: Pending, ref: string, body: unknown): WriteAnswer {
		const fault = faultOf(body);
		const fields = fault.fields ?? [];
		// Our key (a concurrent insert) or our lock (a concurrent update) taken, or the record deleted: moved on.
		if (fault.errorCode === 'DUPLICATE_VALUE' && (ref === p.lockRef || fields.includes(BOOKKEEPING.key) || /RevOps_Key__c/.test(fault.message ?? ''))) return null;
		if (fault.errorCode === 'ENTITY_IS_DELETED' || fault.errorCode === 'NOT_FOUND') return null;
		const what = fields.length ? ` (${fields.join(', ')})` : '';
		return new RecordRejectedError(`Salesforce refused the record${what}: ${fault.errorCode ?? 'ERROR'}: ${fault.message ?? 'no reason given'}`, 'Correct the value Salesforce names (or the field or picklist in Salesforce) and run the item again');
	}

	// ---- searching

	/** The conditions Salesforce can filter by (numbers, dates, short texts); the rest are checked on the records read. */
	private soqlWhere(object: CrmObject, sobject: SObject, where: readonly SearchCondition[]): string[] {
		const fields = new Map(this.fields(object, sobject).map((f) => [f.field, f]));
		const out: string[] = [];
		for (const c of where) {
			const f = fields.get(c.field);
			if (!f) throw new ConfigError(`"${c.field.slice(0, 60)}" is not a canonical ${object} field`, 'Search by a field of the canonical model (dist/schemas/crm-model.schema.json)', c.field);
			const op = { eq: '=', gt: '>', gte: '>=', lt: '<', lte: '<=' }[c.op as 'eq'];
			if (!op || c.value === null || c.value === undefined) continue;
			if (f.type === 'number' && Number.isFinite(Number(c.value))) out.push(`${f.name} ${op} ${Number(c.value)}`);
			else if (f.type === 'date' && f.custom && Number.isFinite(Date.parse(String(c.value)))) out.push(`${f.name} ${op} ${new Date(String(c.value)).toISOString()}`);
		}
		return out;
	}

	/**
	 * A page of records in id order. An activity's pages run through its Tasks, then its Events (00T
	 * ids sort before 00U), so the cursor, the last id read, says where to go on in either.
	 */
	async scan(object: CrmObject, where: readonly SearchCondition[], historyFields: readonly string[], cursor: string | null, pageSize: number): Promise<ScanPage> {
		const limit = Math.max(1, Math.min(2000, Math.floor(pageSize)));
		const page: SoqlRecord[] = [];
		const sobjects = sobjectsOf(object);
		for (const sobject of sobjects.slice(cursor ? Math.max(0, sobjects.indexOf(sobjectOfId(object, cursor))) : 0)) {
			if (page.length >= limit) break;
			const conditions = [`${BOOKKEEPING.key} != null`, ...this.soqlWhere(object, sobject, where), ...(cursor ? [`Id > ${soqlString(cursor)}`] : [])];
			page.push(...(await this.api.queryAll(`SELECT ${this.select(object, sobject)} FROM ${sobject} WHERE ${conditions.join(' AND ')} ORDER BY Id LIMIT ${limit - page.length}`)));
		}
		const records = page.map((rec) => this.decode(object, rec)).filter((r) => where.every((c) => matches(object, r.fields[c.field] as never, c)));
		const wanted = new Set(historyFields);
		const history = wanted.size && records.length ? (await this.changes(object, records.map((r) => r.id))).filter((h) => wanted.has(h.field)) : [];
		return { records, history, next: page.length === limit ? page.at(-1)!.Id : null };
	}

	async search(object: CrmObject, where: readonly SearchCondition[], limit: number): Promise<StoredRecord[]> {
		return await searchByScan(this, object, where, limit, 2000);
	}

	/** The history of records, oldest first per record, from their change records. */
	private async changes(object: CrmObject, ids: readonly string[]): Promise<HistoryEntry[]> {
		const out: HistoryEntry[] = [];
		for (const chunk of inLists(ids)) {
			const rows = await this.api.queryAll(`SELECT ${CHANGE_FIELDS.recordId}, ${CHANGE_FIELDS.revision}, ${CHANGE_FIELDS.entries} FROM ${CHANGE_OBJECT} WHERE ${CHANGE_FIELDS.recordId} IN (${chunk.map(soqlString).join(', ')}) ORDER BY ${CHANGE_FIELDS.revision}`);
			for (const row of rows) {
				const recordId = String(row[CHANGE_FIELDS.recordId]);
				for (const [field, before, after, change, writer, executionId, at] of parse<Compact[]>(row[CHANGE_FIELDS.entries], [])) {
					out.push({ object, recordId, field, before: before as never, after: after as never, change, writer, executionId, at });
				}
			}
		}
		return out;
	}

	async history(object: CrmObject, recordId: string, limit: number): Promise<HistoryEntry[]> {
		return (await this.changes(object, [recordId])).slice(0, Math.max(1, limit));
	}

	// ---- links

	/** Salesforce links records by lookup fields: which field of which side holds a link of two objects. */
	private lookup(a: { object: CrmObject; id: string }, b: { object: CrmObject; id: string }): { on: { object: CrmObject; id: string }; field: string; value: string } | null {
		const pairs: Array<[CrmObject, CrmObject[], string]> = [
			['contact', ['account'], 'AccountId'],
			['opportunity', ['account'], 'AccountId'],
			['case', ['account'], 'AccountId'],
			['case', ['contact'], 'ContactId'],
			['activity', ['contact', 'lead'], 'WhoId'],
			['activity', ['account', 'opportunity', 'case'], 'WhatId'],
		];
		for (const [from, to, field] of pairs) {
			if (a.object === from && to.includes(b.object)) return { on: a, field, value: b.id };
			if (b.object === from && to.includes(a.object)) return { on: b, field, value: a.id };
		}
		return null;
	}

	/** Sets the lookup field a link is in Salesforce; a link already there is not written again. */
	async associate(links: readonly Association[]): Promise<number> {
		const wanted = new Map<string, { object: CrmObject; id: string; field: string; value: string }>();
		const roles: Array<{ contact: string; opportunity: string; role: string }> = [];
		for (const l of links) {
			const pair = [l.from, l.to];
			const contact = pair.find((x) => x.object === 'contact');
			const opportunity = pair.find((x) => x.object === 'opportunity');
			if (contact && opportunity) {
				roles.push({ contact: contact.id, opportunity: opportunity.id, role: l.label });
				continue;
			}
			const lookup = this.lookup(l.from, l.to);
			if (!lookup) throw new ConfigError(`Salesforce has no lookup that links a ${l.from.object} to a ${l.to.object}`, 'Link a contact, opportunity or case to its account, a contact to an opportunity (a contact role), a case to its contact, or an activity to its contact, lead, account, opportunity or case');
			wanted.set(`${lookup.on.id}.${lookup.field}`, { object: lookup.on.object, id: lookup.on.id, field: lookup.field, value: lookup.value });
		}
		const changes: Array<{ sobject: SObject; id: string; field: string; value: string }> = [];
		const bySObject = new Map<SObject, typeof changes>();
		for (const w of wanted.values()) {
			const sobject = sobjectOfId(w.object, w.id);
			bySObject.set(sobject, [...(bySObject.get(sobject) ?? []), { ...w, sobject }]);
		}
		for (const [sobject, list] of bySObject) {
			const fieldsRead = [...new Set(list.map((w) => w.field))];
			const current = new Map<string, SoqlRecord>();
			for (const chunk of inLists([...new Set(list.map((w) => w.id))])) {
				for (const rec of await this.api.queryAll(`SELECT Id, ${fieldsRead.join(', ')} FROM ${sobject} WHERE Id IN (${chunk.map(soqlString).join(', ')})`)) current.set(rec.Id, rec);
			}
			changes.push(...list.filter((w) => current.get(w.id)?.[w.field] !== w.value));
		}
		const added = roles.length ? await this.contactRoles(roles) : 0;
		for (const chunk of chunks(changes, 200)) {
			const res = await this.api.call('PATCH', this.api.path('/composite/sobjects'), { allOrNone: false, records: chunk.map((c) => ({ attributes: { type: c.sobject }, id: c.id, [c.field]: c.value })) });
			const failed = (res.body as Array<{ success: boolean; errors?: unknown[] }>).find((r) => !r.success);
			if (failed) throw new RecordRejectedError(`Salesforce refused a link: ${JSON.stringify(failed.errors?.[0] ?? {}).slice(0, 300)}`, 'Check that both records exist and the integration user may edit the lookup field');
		}
		return changes.length + added;
	}

	/**
	 * A contact's part in a deal is Salesforce's OpportunityContactRole (the link's label its Role, e.g.
	 * Economic Buyer): one per contact, deal and role, never made twice.
	 */
	private async contactRoles(roles: ReadonlyArray<{ contact: string; opportunity: string; role: string }>): Promise<number> {
		const existing = new Set<string>();
		const id15 = (id: unknown) => String(id).slice(0, 15);
		for (const chunk of inLists([...new Set(roles.map((r) => r.opportunity))])) {
			for (const rec of await this.api.queryAll(`SELECT Id, ContactId, OpportunityId, Role FROM OpportunityContactRole WHERE OpportunityId IN (${chunk.map(soqlString).join(', ')})`)) existing.add(`${id15(rec.ContactId)}|${id15(rec.OpportunityId)}|${String(rec.Role ?? '')}`);
		}
		const fresh = roles.filter((r, i) => {
			const k = `${id15(r.contact)}|${id15(r.opportunity)}|${r.role}`;
			const first = roles.findIndex((x) => `${id15(x.contact)}|${id15(x.opportunity)}|${x.role}` === k) === i;
			return first && !existing.has(k);
		});
		for (const chunk of chunks(fresh, 200)) {
			const res = await this.api.call('POST', this.api.path('/composite/sobjects'), { allOrNone: false, records: chunk.map((r) => ({ attributes: { type: 'OpportunityContactRole' }, ContactId: r.contact, OpportunityId: r.opportunity, Role: r.role.slice(0, 40) })) });
			const failed = (res.body as Array<{ success: boolean; errors?: unknown[] }>).find((r) => !r.success);
			if (failed) throw new RecordRejectedError(`Salesforce refused a contact role: ${JSON.stringify(failed.errors?.[0] ?? {}).slice(0, 300)}`, 'Check that both records exist, and that Role has the value (Setup > Opportunity Contact Roles > Role picklist)');
		}
		return fresh.length;
	}
}
