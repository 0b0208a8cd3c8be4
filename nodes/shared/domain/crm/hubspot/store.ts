import { ConfigError } from '../../config-error';
import { matches } from '../data-table-store';
import { normalizeKey, type CrmObject } from '../model';
import type { EventRecord } from './events';
import { RecordRejectedError, searchByScan, STATE_OBJECT, type Association, type CrmStore, type WriteAnswer, type HistoryEntry, type ScanPage, type SearchCondition, type StoreObject, type StoredRecord } from '../store';
import { HUBSPOT_BATCH_SIZE, HUBSPOT_SEARCH_PAGE, HubSpotError, type BatchAnswer, type BatchError, type HubSpotApi, type HubSpotRecord, type SearchFilter } from './api';
import { activityType, bookkeeping, decodeValue, encodeValue, fieldProperties, isEngagement, OBJECT_TYPES, type FieldMap, type FieldProperty, type HubSpotType } from './mapping';
import { ensureProperties, missingProperties, type MissingProperty } from './schema';

/**
 * HubSpot as the CRM backend: the canonical records are HubSpot's own companies, contacts, deals,
 * tickets and engagements (mapping.ts), and the upsert engine's rules hold unchanged because this
 * store keeps the CrmStore promise with what HubSpot offers:
 *
 * - A conditional insert: HubSpot refuses to create a record whose unique-value property (our match
 *   key property, or a contact's e-mail) is taken; that record answers null and the engine re-reads.
 * - A conditional update: every record carries `revops_<object>_version` = `<key>@<revision>`, a
 *   unique-value property, and an update is sent *by that property's value* (batch update with
 *   idProperty). When another writer moved the record on, no record has that value any more: HubSpot
 *   answers "not found" for it, nothing is written, and the engine re-reads and merges again. (HubSpot
 *   does not document how it isolates two updates of one record that arrive in the same instant; the
 *   window is inside HubSpot, not the read-merge-write round trip.)
 * - Records HubSpot already had (a rep's contact, a company with the lead's domain) are adopted the
 *   first time they are found: they get their key and revision 1, and from then on merge like ours.
 * - One record's refusal (a value HubSpot rejects, a unique e-mail held by another record) is that
 *   record's error (RecordRejectedError, store.ts); the rest of the batch is written.
 * - History lives on the record (`revops_<object>_history`, the newest changes that fit HubSpot's
 *   65,536-character property; HubSpot's own property history keeps every value), written in the
 *   same call as the record.
 * - Searches and scans use HubSpot's search API, which indexes a write a few seconds later: lookups
 *   by key never depend on it (batch read by the unique key property), lookups by an account's other
 *   domains and by conditions do.
 */

export interface StageCheck {
	pipelines: Array<{ id: string; label: string; stages: Array<{ id: string; label: string; canon: string | null }> }>;
	/** HubSpot stages the company's stageMap does not map: a deal there has no canon stage. */
	unmapped: string[];
	/** stageMap keys that are no HubSpot stage id, and why. */
	unknown: string[];
}

export interface HubSpotStoreOptions {
	api: HubSpotApi;
	/** Canonical field -> HubSpot property, per object (the company config's fieldMap). */
	fieldMap?: FieldMap;
	/** Create the custom properties that are missing (default); false: ensureSchema names them instead. */
	createProperties?: boolean;
	/** Identifies the portal for the once-per-process property check (base URL and a token digest). */
	portal?: string;
}

/** The link label that means "linked" with no role of its own (the CRM node's default): HubSpot's unlabeled association. */
const PLAIN_LINK = 'related';
/**
 * New association labels one store (one run) makes at most: a label comes from item data, and a
 * portal's label list is shared by every rep, so a run never floods it.
 */
const MAX_NEW_LABELS = 20;
/** An association label's internal name: lower-case letters, digits and underscores. */
const labelName = (label: string) => `revops_${label.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '')}`.slice(0, 100);

/** The largest history kept on a record, in characters (HubSpot's limit for a text property is 65,536). */
const HISTORY_CHARS = 60_000;
/** Histories kept from the last reads, for the update that follows them (read-merge-write). */
const HISTORY_CACHE = 5_000;

type Compact = [field: string, before: unknown, after: unknown, change: string, writer: string, executionId: string | null, at: string];
type Outcome = WriteAnswer;

const parse = <T>(text: string | null | undefined, fallback: T): T => {
	if (!text) return fallback;
	try {
		return JSON.parse(text) as T;
	} catch {
		return fallback;
	}
};

/** A record's stored history property as the store's history entries, oldest first. */
function historyOf(object: CrmObject, recordId: string, text: string | null | undefined): HistoryEntry[] {
	return parse<Compact[]>(text, []).map(([field, before, after, change, writer, executionId, at]) => ({ object, recordId, field, before: before as never, after: after as never, change, writer, executionId, at }));
}

export class HubSpotStore implements CrmStore {
	readonly backend = 'hubspot';
	private readonly api: HubSpotApi;
	private readonly fieldMap: FieldMap;
	/** Stored history text of records as last read, by `id@revision`. */
	private readonly histories = new Map<string, string>();
	/** Records read that HubSpot had before we wrote them (no revision of ours): adopted by findByKeys. */
	private readonly strangers = new Set<string>();

	constructor(private readonly options: HubSpotStoreOptions) {
		this.api = options.api;
		this.fieldMap = options.fieldMap ?? {};
	}

	get calls(): number {
		return this.api.calls;
	}

	async ensureSchema(): Promise<void> {
		await ensureProperties(this.api, this.fieldMap, { create: this.options.createProperties !== false, portal: this.options.portal ?? null });
	}

	/**
	 * The records webhook events name, by `type/id`, with each canonical view they hold (a contact may
	 * be a lead and a contact) and its history: what the trigger tells our own writes apart by.
	 */
	async readForEvents(refs: ReadonlyArray<{ type: HubSpotType; id: string }>): Promise<Map<string, EventRecord>> {
		const out = new Map<string, EventRecord>();
		const byType = new Map<HubSpotType, string[]>();
		for (const r of refs) byType.set(r.type, [...new Set([...(byType.get(r.type) ?? []), r.id])]);
		for (const [type, ids] of byType) {
			const objects = (Object.keys(OBJECT_TYPES) as StoreObject[]).filter((o): o is CrmObject => o !== 'activity' && o !== STATE_OBJECT && OBJECT_TYPES[o].includes(type));
			const properties = [...new Set(objects.flatMap((o) => this.propertiesToRead(o, type)))];
			for (const rec of await this.readBy(type, null, ids, properties)) {
				const views: EventRecord['views'] = [];
				for (const object of objects) {
					const bk = bookkeeping(object);
					const p = rec.properties ?? {};
					if (!(object === 'contact' ? p.email : p[bk.key]) && objects.length > 1) continue;
					const record = this.decode(object, type, rec);
					const history = historyOf(object, record.id, p[bk.history]);
					views.push({ object, record, history });
				}
				out.set(`${type}/${rec.id}`, { views });
			}
		}
		return out;
	}

	/**
	 * The company's stageMap against the portal's deal pipelines: a deal's `crmStage` is HubSpot's stage
	 * id, so a map key must be one. Names the stages the map lacks, and the keys HubSpot has no stage
	 * for (with the id when the key is a stage's label, the usual slip).
	 */
	async checkStages(stageMap: Readonly<Record<string, string>>): Promise<StageCheck> {
		const res = await this.api.call('GET', '/crm/v3/pipelines/deals');
		const pipelines = ((res.body as { results?: Array<{ id: string; label: string; stages?: Array<{ id: string; label: string }> }> }).results ?? []).map((p) => ({ id: p.id, label: p.label, stages: p.stages ?? [] }));
		const mapped = new Map(Object.entries(stageMap).map(([k, v]) => [k.toLowerCase(), v]));
		const all = pipelines.flatMap((p) => p.stages.map((st) => ({ ...st, pipeline: p.label })));
		return {
			pipelines: pipelines.map((p) => ({ id: p.id, label: p.label, stages: p.stages.map((st) => ({ id: st.id, label: st.label, canon: mapped.get(st.id.toLowerCase()) ?? null })) })),
			unmapped: all.filter((st) => !mapped.has(st.id.toLowerCase())).map((st) => `${st.label} (${st.id}) in ${st.pipeline}`),
			unknown: Object.keys(stageMap)
				.filter((k) => !all.some((st) => st.id.toLowerCase() === k.toLowerCase()))
				.map((k) => {
					const byLabel = all.find((st) => st.label.toLowerCase() === k.toLowerCase());
					return byLabel ? `${k}: a stage label; its id is ${byLabel.id} (use the id as the stageMap key)` : `${k}: no stage of any deal pipeline has this id`;
				}),
		};
	}

	/** What the portal lacks for the canonical model, creating nothing (the CRM node's Check Setup). */
	async missingProperties(): Promise<MissingProperty[]> {
		return await missingProperties(this.api, this.fieldMap);
	}

	async close(): Promise<void> {}

	// ---- reading

	private fields(object: StoreObject, type: HubSpotType): FieldProperty[] {
		return fieldProperties(object, type, this.fieldMap);
	}

	private propertiesToRead(object: StoreObject, type: HubSpotType, withHistory = true): string[] {
		const bk = bookkeeping(object);
		return [...new Set([...this.fields(object, type).map((f) => f.property), bk.key, bk.version, bk.meta, ...(withHistory ? [bk.history] : []), ...(bk.aliases ? [bk.aliases] : [])])];
	}

	private idOf(object: StoreObject, type: HubSpotType, hsId: string): string {
		return OBJECT_TYPES[object].length > 1 ? `${type}:${hsId}` : hsId;
	}

	private typeOf(object: StoreObject, id: string): { type: HubSpotType; hsId: string } {
		const types = OBJECT_TYPES[object];
		if (types.length === 1) return { type: types[0], hsId: id };
		const at = id.indexOf(':');
		const type = id.slice(0, at) as HubSpotType;
		if (at < 0 || !types.includes(type)) throw new ConfigError(`"${id.slice(0, 60)}" is not the id of a HubSpot ${object}`, `Use the id the CRM node gave the ${object} (e.g. calls:123)`);
		return { type, hsId: id.slice(at + 1) };
	}

	private decode(object: StoreObject, type: HubSpotType, rec: HubSpotRecord): StoredRecord {
		const p = rec.properties ?? {};
		const bk = bookkeeping(object);
		const fields: StoredRecord['fields'] = {};
		for (const f of this.fields(object, type)) {
			const v = decodeValue(f.type, p[f.property]);
			if (v !== null) fields[f.field] = v;
		}
		const version = p[bk.version] ?? '';
		const at = version.lastIndexOf('@');
		const meta = parse<{ validated?: string[]; duplicates?: number; writeKeys?: string[] }>(p[bk.meta], {});
		const key = object === 'contact' ? (normalizeKey('contact', p.email) ?? '') : String(p[bk.key] ?? '');
		const record: StoredRecord = {
			id: this.idOf(object, type, String(rec.id)),
			object,
			key,
			aliases: bk.aliases && p[bk.aliases] ? p[bk.aliases]!.split(';').filter(Boolean) : [],
			fields,
			validated: meta.validated ?? [],
			// A record HubSpot had before we wrote it counts as revision 1 (findByKeys adopts it).
			revision: at > 0 ? Number(version.slice(at + 1)) || 1 : 1,
			duplicates: meta.duplicates ?? 0,
			writeKeys: meta.writeKeys ?? [],
			createdAt: rec.createdAt,
			updatedAt: rec.updatedAt,
		};
		if (at <= 0) this.strangers.add(record.id);
		else this.strangers.delete(record.id);
		this.remember(record, p[bk.history] ?? '');
		return record;
	}

	private remember(record: StoredRecord, history: string): void {
		const k = `${record.id}@${record.revision}`;
		this.histories.delete(k);
		this.histories.set(k, history);
		if (this.histories.size > HISTORY_CACHE) this.histories.delete(this.histories.keys().next().value!);
	}

	/** Reads records of one type by a unique property's values, HUBSPOT_BATCH_SIZE a call. */
	private async readBy(type: HubSpotType, idProperty: string | null, ids: readonly string[], properties: string[]): Promise<HubSpotRecord[]> {
		const found = await this.api.inChunks(ids, HUBSPOT_BATCH_SIZE, async (chunk) => {
			const answer = await this.api.batch(`/crm/v3/objects/${type}/batch/read`, { ...(idProperty ? { idProperty } : {}), inputs: chunk.map((id) => ({ id })), properties, propertiesWithHistory: [] });
			if (answer instanceof HubSpotError) throw answer;
			return [answer.results];
		});
		return found.flat().filter(Boolean).flat();
	}

	async findByKeys(object: StoreObject, keys: readonly string[]): Promise<StoredRecord[]> {
		if (keys.length === 0) return [];
		const bk = bookkeeping(object);
		const out: StoredRecord[] = [];
		for (const type of OBJECT_TYPES[object]) {
			const properties = this.propertiesToRead(object, type);
			for (const rec of await this.readBy(type, bk.key, keys, properties)) out.push(this.decode(object, type, rec));
		}
		if (object === 'account') out.push(...(await this.findAccountsBySearch(keys, out)));
		if (object === 'opportunity' || object === 'case') out.push(...(await this.findById(object, keys, out)));
		return await this.adopt(object, out);
	}

	/**
	 * Accounts not found by their key: by an account's other domains, and companies HubSpot had before
	 * (by their domain). Search calls, so a few seconds behind the latest writes.
	 */
	private async findAccountsBySearch(keys: readonly string[], found: StoredRecord[]): Promise<StoredRecord[]> {
		const known = new Set(found.flatMap((r) => [r.key, ...r.aliases]));
		const missing = [...new Set(keys)].filter((k) => !known.has(k));
		if (missing.length === 0) return [];
		const bk = bookkeeping('account');
		const properties = this.propertiesToRead('account', 'companies');
		const groups: Array<{ filters: SearchFilter[] }> = [];
		for (let i = 0; i < missing.length; i += 100) groups.push({ filters: [{ propertyName: 'domain', operator: 'IN', values: missing.slice(i, i + 100) }] });
		for (const k of missing) groups.push({ filters: [{ propertyName: bk.aliases!, operator: 'CONTAINS_TOKEN', value: k }] });
		const byId = new Map<string, StoredRecord>();
		// HubSpot takes at most five filter groups a search.
		for (let i = 0; i < groups.length; i += 5) {
			for await (const page of this.api.search('companies', groups.slice(i, i + 5), properties)) {
				for (const rec of page) {
					const record = this.decode('account', 'companies', rec);
					if (!record.key) record.key = normalizeKey('account', rec.properties.domain) ?? '';
					const matched = missing.includes(record.key) || record.aliases.some((a) => missing.includes(a));
					if (matched && !known.has(record.key) && !byId.has(record.id)) byId.set(record.id, record);
				}
			}
		}
		// A domain HubSpot holds twice (duplicate companies): the oldest one is the account.
		const byKey = new Map<string, StoredRecord>();
		for (const r of [...byId.values()].sort((a, b) => Number(a.id) - Number(b.id))) if (!byKey.has(r.key)) byKey.set(r.key, r);
		return [...byKey.values()];
	}

	/**
	 * Deals and tickets not found by their key whose key is their own HubSpot id (a deal a rep created,
	 * named by a stage-change request or a trigger's event): adopted with that id as their key.
	 */
	private async findById(object: 'opportunity' | 'case', keys: readonly string[], found: StoredRecord[]): Promise<StoredRecord[]> {
		const known = new Set(found.map((r) => r.key));
		const ids = [...new Set(keys)].filter((k) => !known.has(k) && /^\d{1,20}$/.test(k));
		if (ids.length === 0) return [];
		const type = OBJECT_TYPES[object][0];
		const out: StoredRecord[] = [];
		for (const rec of await this.readBy(type, null, ids, this.propertiesToRead(object, type))) {
			const record = this.decode(object, type, rec);
			// Only a record that is no one's yet: one with a key of ours is found by that key.
			if (!record.key && this.strangers.has(record.id)) out.push({ ...record, key: String(rec.id) });
		}
		return out;
	}

	/** Gives records HubSpot had before (no revision of ours yet) their key and revision 1, one call per type. */
	private async adopt(object: StoreObject, records: StoredRecord[]): Promise<StoredRecord[]> {
		const bk = bookkeeping(object);
		const byType = new Map<HubSpotType, Array<{ id: string; properties: Record<string, string> }>>();
		for (const r of records) {
			if (!this.strangers.has(r.id) || !r.key) continue;
			const { type, hsId } = this.typeOf(object, r.id);
			byType.set(type, [...(byType.get(type) ?? []), { id: hsId, properties: { ...(object === 'contact' ? {} : { [bk.key]: r.key }), [bk.version]: `${r.key}@1` } }]);
		}
		for (const [type, inputs] of byType) {
			await this.api.inChunks(inputs, HUBSPOT_BATCH_SIZE, async (chunk) => {
				// Two adopters write the same values; a refusal (the key already on another record) leaves it a stranger.
				const answer = await this.api.batch(`/crm/v3/objects/${type}/batch/update`, { inputs: chunk });
				if (answer instanceof HubSpotError) throw answer;
				for (const rec of answer.results) this.strangers.delete(this.idOf(object, type, String(rec.id)));
				return chunk;
			});
		}
		return records;
	}

	// ---- writing

	private encode(record: StoredRecord, type: HubSpotType, history: string): Record<string, string> {
		const object = record.object;
		const bk = bookkeeping(object);
		const props: Record<string, string> = {};
		for (const f of this.fields(object, type)) {
			const v = encodeValue(f.type, record.fields[f.field] as never);
			if (v !== null) props[f.property] = v;
		}
		if (object !== 'contact') props[bk.key] = record.key;
		props[bk.version] = `${record.key}@${record.revision}`;
		props[bk.meta] = JSON.stringify({ validated: record.validated, duplicates: record.duplicates, writeKeys: record.writeKeys });
		props[bk.history] = history;
		if (bk.aliases) props[bk.aliases] = record.aliases.join(';');
		return props;
	}

	/** The record's stored history with the new entries after it, the oldest dropped to fit HubSpot's property. */
	private historyText(stored: string, entries: readonly HistoryEntry[]): string {
		const all = [...parse<Compact[]>(stored, []), ...entries.map((h): Compact => [h.field, h.before, h.after, h.change, h.writer, h.executionId, h.at])];
		let text = JSON.stringify(all);
		while (text.length > HISTORY_CHARS && all.length > 1) {
			all.splice(0, Math.max(1, Math.ceil(all.length / 10)));
			text = JSON.stringify(all);
		}
		return text;
	}

	private typeForNew(record: StoredRecord): HubSpotType {
		return record.object === 'activity' ? activityType(record.fields.type) : OBJECT_TYPES[record.object][0];
	}

	/** What HubSpot requires of a new record that the canonical one may lack. */
	/** The deal pipelines' stage ids, by pipeline id (read once per store). */
	private pipelines: Promise<Map<string, string[]>> | null = null;

	private async dealPipelines(): Promise<Map<string, string[]>> {
		this.pipelines ??= this.api.call('GET', '/crm/v3/pipelines/deals').then((res) => new Map(((res.body as { results?: Array<{ id: string; stages?: Array<{ id: string }> }> }).results ?? []).map((p) => [p.id, (p.stages ?? []).map((st) => st.id)])));
		this.pipelines.catch(() => (this.pipelines = null));
		return await this.pipelines;
	}

	private required(type: HubSpotType, record: StoredRecord, props: Record<string, string>, pipelines: Map<string, string[]> | null): void {
		if (isEngagement(type)) props.hs_timestamp ??= record.createdAt;
		if (type === 'deals') {
			props.dealname ??= record.key;
			// A new deal goes in the pipeline its stage belongs to (HubSpot refuses a stage of another).
			const stage = props.dealstage;
			props.pipeline ??= (stage && [...(pipelines ?? new Map<string, string[]>())].find(([, stages]) => stages.includes(stage))?.[0]) || 'default';
		}
		if (type === 'tickets') {
			props.subject ??= record.key;
			props.hs_pipeline ??= '0';
			props.hs_pipeline_stage ??= '1';
		}
	}

	private written(record: StoredRecord, type: HubSpotType, rec: HubSpotRecord, history: string): StoredRecord {
		const out = { ...record, id: this.idOf(record.object, type, String(rec.id)), createdAt: record.revision === 1 ? rec.createdAt : record.createdAt, updatedAt: rec.updatedAt };
		this.remember(out, history);
		return out;
	}

	async insert(records: readonly StoredRecord[], history: readonly HistoryEntry[][]): Promise<Outcome[]> {
		const out: Outcome[] = new Array(records.length).fill(null);
		const byType = new Map<HubSpotType, number[]>();
		records.forEach((r, i) => byType.set(this.typeForNew(r), [...(byType.get(this.typeForNew(r)) ?? []), i]));
		for (const [type, indexes] of byType) {
			const bk = bookkeeping(records[indexes[0]].object);
			const pipelines = type === 'deals' ? await this.dealPipelines() : null;
			const prepared = indexes.map((i) => {
				const text = this.historyText('', history[i]);
				const props = this.encode(records[i], type, text);
				this.required(type, records[i], props, pipelines);
				return { i, props, text };
			});
			await this.api.inChunks(prepared, HUBSPOT_BATCH_SIZE, async (chunk) => {
				const answer = await this.api.batch(`/crm/v3/objects/${type}/batch/create`, { inputs: chunk.map((c) => ({ properties: c.props })) });
				// HubSpot refuses a whole create batch for one taken unique value or one bad value: one at a time then.
				if (answer instanceof HubSpotError) {
					for (const c of chunk) out[c.i] = await this.createOne(type, records[c.i], c.props, c.text);
					return chunk;
				}
				for (const c of chunk) {
					const rec = answer.results.find((r) => r.properties?.[bk.version] === c.props[bk.version]);
					out[c.i] = rec ? this.written(records[c.i], type, rec, c.text) : null;
				}
				return chunk;
			});
		}
		return out;
	}

	private async createOne(type: HubSpotType, record: StoredRecord, props: Record<string, string>, history: string): Promise<Outcome> {
		try {
			const res = await this.api.call('POST', `/crm/v3/objects/${type}`, { properties: props });
			return this.written(record, type, res.body as HubSpotRecord, history);
		} catch (error) {
			if (!(error instanceof HubSpotError)) throw error;
			if (error.status === 409) return await this.resolveTaken(type, record, error.message);
			return new RecordRejectedError(`HubSpot refused the ${record.object} "${record.key.slice(0, 80)}": ${error.message}`);
		}
	}

	/**
	 * A create HubSpot refused because a unique value is taken. Our key taken: null (another writer
	 * created it; the engine re-reads). A lead whose e-mail belongs to a contact without a lead of ours:
	 * that contact becomes the lead (adopted), then null. Anything else is the record's error.
	 */
	private async resolveTaken(type: HubSpotType, record: StoredRecord, message: string): Promise<Outcome> {
		const id = /Existing ID: ?(\d+)/i.exec(message)?.[1];
		const bk = bookkeeping(record.object);
		if (!id) return null;
		const res = await this.api.call('GET', `/crm/v3/objects/${type}/${id}?properties=${encodeURIComponent([bk.key, bk.version].join(','))}`);
		const p = (res.body as HubSpotRecord).properties ?? {};
		const theirs = record.object === 'contact' ? normalizeKey('contact', p.email) : p[bk.key];
		if (theirs === record.key) return null;
		if (record.object === 'lead' && !p[bk.key]) {
			await this.api.call('PATCH', `/crm/v3/objects/${type}/${id}`, { properties: { [bk.key]: record.key, [bk.version]: `${record.key}@1` } });
			return null;
		}
		return new RecordRejectedError(`HubSpot already has another ${type.replace(/s$/, '')} (id ${id}) with one of this ${record.object}'s unique values: ${message}`, 'Merge the two records in HubSpot, or give this record its own e-mail, then run the item again');
	}

	async update(records: ReadonlyArray<{ record: StoredRecord; expectedRevision: number }>, history: readonly HistoryEntry[][]): Promise<Outcome[]> {
		const out: Outcome[] = new Array(records.length).fill(null);
		const byType = new Map<HubSpotType, number[]>();
		records.forEach(({ record }, i) => {
			const { type } = this.typeOf(record.object, record.id);
			byType.set(type, [...(byType.get(type) ?? []), i]);
		});
		for (const [type, indexes] of byType) {
			const object = records[indexes[0]].record.object;
			const bk = bookkeeping(object);
			// The stored history the new entries go after (read with the record; read again if it was not).
			const unknown = indexes.filter((i) => !this.histories.has(`${records[i].record.id}@${records[i].expectedRevision}`));
			if (unknown.length) {
				for (const rec of await this.readBy(type, null, unknown.map((i) => this.typeOf(object, records[i].record.id).hsId), [bk.history, bk.version])) {
					this.remember({ id: this.idOf(object, type, String(rec.id)), revision: Number(String(rec.properties[bk.version] ?? '').split('@').pop()) || 1 } as StoredRecord, rec.properties[bk.history] ?? '');
				}
			}
			const prepared = indexes.map((i) => {
				const { record, expectedRevision } = records[i];
				const text = this.historyText(this.histories.get(`${record.id}@${expectedRevision}`) ?? '', history[i]);
				return { i, from: `${record.key}@${expectedRevision}`, props: this.encode(record, type, text), text };
			});
			await this.api.inChunks(prepared, HUBSPOT_BATCH_SIZE, async (chunk) => {
				// By the version the record was read at: a record another writer moved on is not found.
				const answer = await this.api.batch(`/crm/v3/objects/${type}/batch/update`, { inputs: chunk.map((c) => ({ idProperty: bk.version, id: c.from, properties: c.props })) });
				for (const c of chunk) out[c.i] = answer instanceof HubSpotError ? await this.updateOne(type, records[c.i].record, c.from, c.props, c.text) : this.updated(answer, records[c.i].record, type, c, bk.version);
				return chunk;
			});
		}
		return out;
	}

	private updated(answer: BatchAnswer, record: StoredRecord, type: HubSpotType, c: { from: string; props: Record<string, string>; text: string }, versionProperty: string): Outcome {
		const rec = answer.results.find((r) => r.properties?.[versionProperty] === c.props[versionProperty]);
		if (rec) return this.written(record, type, rec, c.text);
		const e = answer.errors.find((x: BatchError) => Object.values(x.context ?? {}).some((values) => values.includes(c.from)));
		// Not found by its version: another writer got there first. Unexplained: re-read to be sure (the engine re-merges).
		if (!e || e.category === 'OBJECT_NOT_FOUND') return null;
		return new RecordRejectedError(`HubSpot refused the ${record.object} "${record.key.slice(0, 80)}": ${e.message ?? e.category}`, 'Correct the value HubSpot names (or its property type in HubSpot) and run the item again');
	}

	private async updateOne(type: HubSpotType, record: StoredRecord, from: string, props: Record<string, string>, history: string): Promise<Outcome> {
		try {
			const res = await this.api.call('PATCH', `/crm/v3/objects/${type}/${encodeURIComponent(from)}?idProperty=${bookkeeping(record.object).version}`, { properties: props });
			return this.written(record, type, res.body as HubSpotRecord, history);
		} catch (error) {
			if (!(error instanceof HubSpotError)) throw error;
			if (error.status === 404) return null;
			return new RecordRejectedError(`HubSpot refused the ${record.object} "${record.key.slice(0, 80)}": ${error.message}`);
		}
	}

	// ---- searching

	private filtersFor(object: CrmObject, type: HubSpotType, where: readonly SearchCondition[]): SearchFilter[] {
		const props = new Map(this.fields(object, type).map((f) => [f.field, f]));
		const filters: SearchFilter[] = [{ propertyName: bookkeeping(object).key, operator: 'HAS_PROPERTY' }];
		for (const c of where) {
			const f = props.get(c.field);
			if (!f) throw new ConfigError(`"${c.field.slice(0, 60)}" is not a canonical ${object} field`, `Search by a field of the canonical model (dist/schemas/crm-model.schema.json)`, c.field);
			const ordered = f.type === 'number' || f.type === 'date';
			// HubSpot's search compares dates as epoch milliseconds.
			const value = f.type === 'date' && Number.isFinite(Date.parse(String(c.value))) ? String(Date.parse(String(c.value))) : (encodeValue(f.type, c.value as never) ?? '');
			if (c.op === 'empty') filters.push({ propertyName: f.property, operator: 'NOT_HAS_PROPERTY' });
			else if (c.op === 'notEmpty' || c.op === 'contains' || (!ordered && ['gt', 'gte', 'lt', 'lte'].includes(c.op))) filters.push({ propertyName: f.property, operator: 'HAS_PROPERTY' });
			else if (c.op === 'eq' && f.type !== 'list' && f.type !== 'json') filters.push({ propertyName: f.property, operator: 'EQ', value });
			else if (ordered && c.op !== 'neq') filters.push({ propertyName: f.property, operator: c.op.toUpperCase() as SearchFilter['operator'], value });
		}
		// HubSpot takes six filters a group; the rest are checked on the records read.
		return filters.slice(0, 6);
	}

	async scan(object: CrmObject, where: readonly SearchCondition[], historyFields: readonly string[], cursor: string | null, pageSize: number): Promise<ScanPage> {
		const types = OBJECT_TYPES[object];
		const [typeIndex, afterId] = cursor ? [Number(cursor.split(':')[0]), cursor.split(':')[1]] : [0, '0'];
		const type = types[typeIndex];
		if (!type) return { records: [], history: [], next: null };
		const limit = Math.max(1, Math.min(HUBSPOT_SEARCH_PAGE, Math.floor(pageSize)));
		// Paged by id rather than `after`: HubSpot's search reaches only its first 10,000 results.
		const filters = [...this.filtersFor(object, type, where).slice(0, 5), { propertyName: 'hs_object_id', operator: 'GT' as const, value: afterId }];
		const res = await this.api.call('POST', `/crm/v3/objects/${type}/search`, { filterGroups: [{ filters }], properties: this.propertiesToRead(object, type), sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }], limit });
		const page = ((res.body as { results?: HubSpotRecord[] }).results ?? []) as HubSpotRecord[];
		const records = page.map((rec) => this.decode(object, type, rec)).filter((r) => where.every((c) => matches(object, r.fields[c.field] as never, c)));
		const wanted = new Set(historyFields);
		const historyOut: HistoryEntry[] = [];
		for (const r of records) {
			historyOut.push(...historyOf(object, r.id, this.histories.get(`${r.id}@${r.revision}`)).filter((h) => wanted.has(h.field)));
		}
		const last = page.at(-1);
		const next = page.length === limit && last ? `${typeIndex}:${last.id}` : typeIndex + 1 < types.length ? `${typeIndex + 1}:0` : null;
		return { records, history: historyOut, next };
	}

	async search(object: CrmObject, where: readonly SearchCondition[], limit: number): Promise<StoredRecord[]> {
		return await searchByScan(this, object, where, limit, HUBSPOT_SEARCH_PAGE);
	}

	async history(object: CrmObject, recordId: string, limit: number): Promise<HistoryEntry[]> {
		const { type, hsId } = this.typeOf(object, recordId);
		const bk = bookkeeping(object);
		const res = await this.api.call('GET', `/crm/v3/objects/${type}/${encodeURIComponent(hsId)}?properties=${bk.history}`);
		return historyOf(object, recordId, (res.body as HubSpotRecord).properties?.[bk.history]).slice(0, Math.max(1, limit));
	}

	// ---- links

	/**
	 * Links as HubSpot associations (v4): every link is HubSpot's default (unlabeled) association; a
	 * link with a label of its own (not the node's default "related"), e.g. a deal contact's role, also
	 * carries that association label, made in the portal the first time it is used. Engagements
	 * (notes, calls, meetings, tasks) take no labels in HubSpot: theirs are default associations. A
	 * link that exists (with its label) is not made again.
	 */
	async associate(links: readonly Association[]): Promise<number> {
		const pairs = new Map<string, Array<{ from: string; to: string; label: string | null }>>();
		for (const l of links) {
			const from = this.typeOf(l.from.object, l.from.id);
			const to = this.typeOf(l.to.object, l.to.id);
			const k = `${from.type}/${to.type}`;
			const text = String(l.label ?? '').replace(/[\u0000-\u001f\u007f]/g, '').trim();
			const label = text && text !== PLAIN_LINK && !isEngagement(from.type) && !isEngagement(to.type) ? text : null;
			const list = pairs.get(k) ?? [];
			if (!list.some((x) => x.from === from.hsId && x.to === to.hsId && x.label === label)) list.push({ from: from.hsId, to: to.hsId, label });
			pairs.set(k, list);
		}
		let added = 0;
		for (const [k, list] of pairs) {
			const [fromType, toType] = k.split('/');
			const existing = new Map<string, Set<number>>();
			const read = await this.api.inChunks([...new Set(list.map((x) => x.from))], HUBSPOT_BATCH_SIZE, async (chunk) => {
				const answer = await this.api.batch(`/crm/v4/associations/${fromType}/${toType}/batch/read`, { inputs: chunk.map((id) => ({ id })) });
				if (answer instanceof HubSpotError) throw answer;
				return [answer.results as unknown as Array<{ from: { id: string }; to: Array<{ toObjectId: number | string; associationTypes?: Array<{ typeId: number }> }> }>];
			});
			for (const r of read.flat().filter(Boolean).flat()) for (const t of r.to) existing.set(`${r.from.id}>${t.toObjectId}`, new Set((t.associationTypes ?? []).map((a) => a.typeId)));
			const unlinked = [...new Map(list.filter((x) => !existing.has(`${x.from}>${x.to}`)).map((x) => [`${x.from}>${x.to}`, x])).values()];
			await this.api.inChunks(unlinked, HUBSPOT_BATCH_SIZE, async (chunk) => {
				const answer = await this.api.batch(`/crm/v4/associations/${fromType}/${toType}/batch/associate/default`, { inputs: chunk.map((x) => ({ from: { id: x.from }, to: { id: x.to } })) });
				if (answer instanceof HubSpotError) throw answer;
				if (answer.errors.length) throw new HubSpotError(400, answer.errors[0].category ?? 'ERROR', answer.errors[0].message ?? 'HubSpot refused a link');
				return chunk;
			});
			added += list.filter((x) => !x.label && !existing.has(`${x.from}>${x.to}`)).length;
			const labeled: Array<{ from: string; to: string; typeId: number }> = [];
			for (const x of list) {
				if (!x.label) continue;
				const typeId = await this.labelType(fromType, toType, x.label);
				if (!existing.get(`${x.from}>${x.to}`)?.has(typeId)) labeled.push({ from: x.from, to: x.to, typeId });
			}
			await this.api.inChunks(labeled, HUBSPOT_BATCH_SIZE, async (chunk) => {
				const answer = await this.api.batch(`/crm/v4/associations/${fromType}/${toType}/batch/create`, { inputs: chunk.map((x) => ({ from: { id: x.from }, to: { id: x.to }, types: [{ associationCategory: 'USER_DEFINED', associationTypeId: x.typeId }] })) });
				if (answer instanceof HubSpotError) throw answer;
				if (answer.errors.length) throw new RecordRejectedError(`HubSpot refused a labeled link: ${answer.errors[0].message ?? answer.errors[0].category ?? 'no reason given'}`, 'Check that both records exist and the association label is still defined in HubSpot');
				return chunk;
			});
			added += labeled.length;
		}
		return added;
	}

	/** The portal's association labels of a pair of object types (read once per store), by label. */
	private readonly labels = new Map<string, Promise<Map<string, number>>>();
	private labelsMade = 0;

	/**
	 * The type id of a label from one object type to another (compared without case), made in the portal
	 * when it has none: HubSpot's label endpoint creates both directions.
	 */
	private async labelType(fromType: string, toType: string, label: string): Promise<number> {
		const pair = `${fromType}/${toType}`;
		let known = this.labels.get(pair);
		if (!known) {
			known = this.api.call('GET', `/crm/v4/associations/${fromType}/${toType}/labels`).then((res) => new Map(((res.body as { results?: Array<{ typeId: number; label?: string | null; category?: string }> }).results ?? []).filter((t) => t.label && t.category === 'USER_DEFINED').map((t) => [t.label!.toLowerCase(), t.typeId])));
			this.labels.set(pair, known);
			known.catch(() => this.labels.delete(pair));
		}
		const map = await known;
		const found = map.get(label.toLowerCase());
		if (found !== undefined) return found;
		if (++this.labelsMade > MAX_NEW_LABELS) throw new RecordRejectedError(`"${label.slice(0, 80)}" would be the ${MAX_NEW_LABELS + 1}th association label this run adds to HubSpot`, `Create the labels in HubSpot first (Settings > Objects > Associations), or link with fewer distinct labels`);
		let res;
		try {
			res = await this.api.call('POST', `/crm/v4/associations/${fromType}/${toType}/labels`, { label, name: labelName(label) });
		} catch (error) {
			if (!(error instanceof HubSpotError) || error.status >= 500 || error.status === 429) throw error;
			throw new RecordRejectedError(`HubSpot has no association label "${label.slice(0, 80)}" from ${fromType} to ${toType}, and refused to create it: ${error.message}`, `Create the label in HubSpot (Settings > Objects > ${toType[0].toUpperCase()}${toType.slice(1)} > Associations), or give the private app the scope HubSpot names, and run again`);
		}
		const made = ((res.body as { results?: Array<{ typeId: number; label?: string | null }> }).results ?? []).find((t) => (t.label ?? '').toLowerCase() === label.toLowerCase());
		if (!made) throw new RecordRejectedError(`HubSpot created the association label "${label}" but did not answer its type id`, 'Run again: the label is read from HubSpot then');
		map.set(label.toLowerCase(), made.typeId);
		return made.typeId;
	}
}
