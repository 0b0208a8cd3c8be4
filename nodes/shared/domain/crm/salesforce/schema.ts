import { ConfigError } from '../../config-error';
import { STATE_OBJECT, type StoreObject } from '../store';
import { SalesforceError, type SalesforceApi } from './api';
import { BOOKKEEPING, CHANGE_FIELDS, CHANGE_OBJECT, EVENT, fieldDefinition, fieldsOf, objectOfSObject, SOBJECTS, type FieldMap, type OrgModel } from './mapping';

/**
 * What the org must have for the canonical model: the custom fields of ours on each sObject, the
 * bookkeeping fields, the RevOps_Change__c and RevOps_State__c custom objects, and every field the
 * company's fieldMap names. Salesforce's REST API cannot add fields (that is the Metadata API and an
 * admin's job), so the check names each missing one with the type to create; the CRM node's Check
 * Setup shows the list before the first run, and a run against an org that lacks them stops with it.
 * An activity's fields are Activity custom fields (Setup > Object Manager > Activity), which Task and
 * Event share: one list entry each, checked on both.
 */

/** Where an admin creates the fields Tasks and Events share. */
export const ACTIVITY = 'Activity';

export interface MissingField {
	/** The sObject (or custom object) the field belongs on. */
	object: string;
	/** Its API name; `*` for a missing custom object. */
	field: string;
	/** What to create in Setup: `Text(255), External ID, Unique (case sensitive)`, `Number(18, 4)`... */
	definition: string;
	/** The canonical field it holds, or the bookkeeping role. */
	holds: string;
	/** Named by the company config's fieldMap (a typo there, rather than a field to create). */
	mapped: boolean;
}

interface Needed {
	object: string;
	field: string;
	definition: string;
	holds: string;
	mapped: boolean;
}

const KEY_DEFINITION = 'Text(255), External ID, Unique (case sensitive)';

/** Every field the canonical model needs, by object. */
export function neededFields(fieldMap: FieldMap = {}): Needed[] {
	const out: Needed[] = [];
	for (const object of Object.keys(SOBJECTS) as StoreObject[]) {
		const sobject = object === 'activity' ? ACTIVITY : SOBJECTS[object];
		if (object === STATE_OBJECT) out.push({ object: sobject, field: '*', definition: 'Custom Object (Record Name: Text)', holds: 'shared node state', mapped: false });
		out.push({ object: sobject, field: BOOKKEEPING.key, definition: KEY_DEFINITION, holds: 'match key', mapped: false });
		out.push({ object: sobject, field: BOOKKEEPING.revision, definition: 'Number(18, 0)', holds: 'revision', mapped: false });
		out.push({ object: sobject, field: BOOKKEEPING.meta, definition: 'Long Text Area(131072)', holds: 'validated fields, repeats, idempotency keys', mapped: false });
		if (object === 'account') out.push({ object: sobject, field: BOOKKEEPING.aliases, definition: 'Text(255)', holds: 'other domains', mapped: false });
		for (const f of fieldsOf(object, fieldMap)) {
			// Salesforce's own fields (DEFAULT_FIELD_MAP) are on every org; ours and the company's must be checked.
			if (f.custom) out.push({ object: sobject, field: f.name, definition: fieldDefinition(f.type, f.short), holds: `${object}.${f.field}`, mapped: false });
			else if (object !== STATE_OBJECT && fieldMap[object]?.[f.field]) out.push({ object: sobject, field: f.name, definition: 'an existing field', holds: `${object}.${f.field}`, mapped: true });
		}
	}
	out.push({ object: CHANGE_OBJECT, field: '*', definition: 'Custom Object (Record Name: Text)', holds: 'one record per write: history and write lock', mapped: false });
	out.push({ object: CHANGE_OBJECT, field: CHANGE_FIELDS.writeKey, definition: KEY_DEFINITION, holds: 'record and revision written', mapped: false });
	out.push({ object: CHANGE_OBJECT, field: CHANGE_FIELDS.recordId, definition: 'Text(18)', holds: 'record id', mapped: false });
	out.push({ object: CHANGE_OBJECT, field: CHANGE_FIELDS.object, definition: 'Text(40)', holds: 'canonical object', mapped: false });
	out.push({ object: CHANGE_OBJECT, field: CHANGE_FIELDS.revision, definition: 'Number(18, 0)', holds: 'revision', mapped: false });
	out.push({ object: CHANGE_OBJECT, field: CHANGE_FIELDS.entries, definition: 'Long Text Area(131072)', holds: 'the changes of the write', mapped: false });
	return out;
}

interface Described {
	fields: Array<{ name: string; picklistValues?: Array<{ value: string; active?: boolean }> }>;
	recordTypeInfos?: Array<{ recordTypeId: string; name: string; active?: boolean }>;
}

async function describe(api: SalesforceApi, object: string): Promise<Described | null> {
	try {
		return (await api.call('GET', api.path(`/sobjects/${object}/describe`))).body as Described;
	} catch (error) {
		if (!(error instanceof SalesforceError) || error.status !== 404) throw error;
		return null;
	}
}

/** The Activity fields: those both Task and Event have (a field on one only is not an Activity field); Task's record types. */
async function describeActivity(api: SalesforceApi): Promise<Described> {
	const [task, event] = [await describe(api, 'Task'), await describe(api, EVENT)];
	const onEvent = new Set((event?.fields ?? []).map((f) => f.name));
	return { fields: (task?.fields ?? []).filter((f) => onEvent.has(f.name)), recordTypeInfos: task?.recordTypeInfos };
}

/**
 * The needed fields the org lacks, and what the company config names that the org does not have
 * (a picklist value, a record type): one describe call per object (two for Activity: Task and Event).
 */
export async function missingFields(api: SalesforceApi, model: OrgModel = {}): Promise<MissingField[]> {
	const needed = neededFields(model.fieldMap);
	const out: MissingField[] = [];
	for (const object of [...new Set(needed.map((n) => n.object))]) {
		const described = object === ACTIVITY ? await describeActivity(api) : await describe(api, object);
		const have = described ? new Set((described.fields ?? []).map((f) => f.name)) : null;
		for (const n of needed.filter((x) => x.object === object)) {
			if (have === null ? n.field === '*' || object.endsWith('__c') : n.field !== '*' && !have.has(n.field)) out.push(n);
		}
		const canonical = object === ACTIVITY ? 'activity' : objectOfSObject(object);
		if (!described || !canonical || canonical === STATE_OBJECT) continue;
		for (const [field, values] of Object.entries(model.picklists?.[canonical] ?? {})) {
			const name = fieldsOf(canonical, model.fieldMap).find((f) => f.field === field)?.name ?? field;
			const options = described.fields.find((f) => f.name === name)?.picklistValues?.filter((v) => v.active !== false).map((v) => v.value);
			for (const [value, sf] of Object.entries(values)) {
				if (!options?.includes(sf)) out.push({ object, field: name, definition: options ? `an active picklist value "${sf}"` : 'a picklist field', holds: `${canonical}.${field} "${value}" (crm.picklists)`, mapped: true });
			}
		}
		const recordType = model.recordTypes?.[canonical];
		if (recordType && !(described.recordTypeInfos ?? []).some((r) => r.active !== false && r.recordTypeId.slice(0, 15) === recordType.slice(0, 15))) {
			out.push({ object, field: 'RecordTypeId', definition: `an active record type ${recordType}`, holds: `${canonical} (crm.recordTypes)`, mapped: true });
		}
	}
	return out;
}

const checked = new Map<string, { at: number; done: Promise<void> }>();
const CHECK_TTL_MS = 10 * 60_000;

/**
 * Stops, once per org and process (a passing check is trusted for ten minutes), when the org lacks
 * what the model needs: a ConfigError that names each missing field and the type to create.
 */
export async function ensureFields(api: SalesforceApi, model: OrgModel, org: string | null): Promise<void> {
	const key = org ? `${org}|${JSON.stringify(model)}` : null;
	const hit = key ? checked.get(key) : undefined;
	if (hit && Date.now() - hit.at < CHECK_TTL_MS) return await hit.done;
	const done = (async () => {
		const missing = await missingFields(api, model);
		if (missing.length === 0) return;
		const mapped = missing.filter((m) => m.mapped);
		if (mapped.length) {
			throw new ConfigError(`Salesforce has no ${mapped.map((m) => `${m.object}.${m.field} (${m.definition === 'an existing field' ? 'field' : m.definition})`).join(', ')} that the company config names`, `Correct the company config (${mapped.map((m) => m.holds).join(', ')}) to what the org has (Check Setup lists it), or remove the entry`);
		}
		const byObject = [...new Set(missing.map((m) => m.object))].map((o) => `${o} ${missing.filter((m) => m.object === o).length}`);
		throw new ConfigError(`Salesforce lacks ${missing.length} fields the canonical model needs (${byObject.join(', ')})`, 'Run the RevOps CRM node\'s Check Setup operation for the list (field, type to create), create them in Setup > Object Manager (or deploy them with the Metadata API), give the integration user access, and run again');
	})();
	if (key) checked.set(key, { at: Date.now(), done });
	done.catch(() => key && checked.delete(key));
	return await done;
}
