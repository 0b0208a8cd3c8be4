import type { FieldValue } from '../merge';
import { CRM_FIELDS, type CrmObject, type FieldType } from '../model';
import { STATE_OBJECT, type StoreObject } from '../store';

/**
 * Where the canonical model lives in HubSpot: which object type holds which canonical object, which
 * property holds which canonical field, and how a value is written as HubSpot's text and read back.
 * The one home of these names; the store (store.ts) and the property check (schema.ts) read them.
 *
 * - account -> companies, contact and lead -> contacts (in HubSpot a lead is a contact), opportunity
 *   -> deals, case -> tickets, activity -> notes, calls, meetings or tasks by its type.
 * - A canonical field goes to HubSpot's own property where one exists (DEFAULT_FIELD_MAP, e.g. a
 *   deal's amount, a contact's e-mail), else to a custom property `revops_<field in snake case>`;
 *   the company config's fieldMap overrides either.
 * - What the upsert engine keeps beside the fields (the match key, the revision its conditional
 *   writes compare, validated fields, repeat count, idempotency keys, the history of changes) lives in
 *   a few `revops_<object>_*` properties per canonical object, so a lead and a contact on the same
 *   HubSpot contact never share a revision.
 */

export type HubSpotType = 'companies' | 'contacts' | 'deals' | 'tickets' | 'notes' | 'calls' | 'meetings' | 'tasks';

export const OBJECT_TYPES: Record<StoreObject, readonly HubSpotType[]> = {
	account: ['companies'],
	contact: ['contacts'],
	lead: ['contacts'],
	opportunity: ['deals'],
	case: ['tickets'],
	activity: ['notes', 'calls', 'meetings', 'tasks'],
	[STATE_OBJECT]: ['notes'],
};

/** The HubSpot object an activity of this type is written to. */
export function activityType(type: unknown): HubSpotType {
	return type === 'call' ? 'calls' : type === 'meeting' ? 'meetings' : type === 'task' ? 'tasks' : 'notes';
}

const ENGAGEMENT_BODY: Partial<Record<HubSpotType, string>> = { notes: 'hs_note_body', calls: 'hs_call_body', meetings: 'hs_meeting_body', tasks: 'hs_task_body' };
export const isEngagement = (type: HubSpotType) => type in ENGAGEMENT_BODY;

/** HubSpot's own properties that hold a canonical field on a fresh portal. */
export const DEFAULT_FIELD_MAP: Partial<Record<CrmObject, Record<string, string>>> = {
	account: { name: 'name', domain: 'domain', employeeCount: 'numberofemployees', annualRevenue: 'annualrevenue', country: 'country' },
	contact: { email: 'email', firstName: 'firstname', lastName: 'lastname', phone: 'phone', jobTitle: 'jobtitle' },
	lead: { email: 'email', firstName: 'firstname', lastName: 'lastname', phone: 'phone', jobTitle: 'jobtitle', company: 'company', website: 'website', country: 'country' },
	opportunity: { name: 'dealname', amount: 'amount', crmStage: 'dealstage', closeDate: 'closedate' },
	case: { subject: 'subject', description: 'content' },
	activity: { occurredAt: 'hs_timestamp' },
};

export type FieldMap = Partial<Record<CrmObject, Record<string, string>>>;

const snake = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

/** The bookkeeping properties of a canonical object (contacts are matched by HubSpot's own e-mail). */
export function bookkeeping(object: StoreObject) {
	const p = `revops_${object === STATE_OBJECT ? 'state' : object}`;
	return { key: object === 'contact' ? 'email' : `${p}_key`, version: `${p}_version`, meta: `${p}_meta`, history: `${p}_history`, aliases: object === 'account' ? `${p}_aliases` : null };
}

export interface FieldProperty {
	field: string;
	property: string;
	type: FieldType;
	maxLength?: number;
	description: string;
}

/** The fields of a canonical object and the HubSpot property each lives in, on this HubSpot type. */
export function fieldProperties(object: StoreObject, type: HubSpotType, fieldMap: FieldMap = {}): FieldProperty[] {
	if (object === STATE_OBJECT) return [{ field: 'value', property: 'revops_state_value', type: 'json', description: 'Shared state of a RevOps node (e.g. the routing rotation)' }];
	const map: Record<string, string> = { ...DEFAULT_FIELD_MAP[object], ...(object === 'activity' && ENGAGEMENT_BODY[type] ? { summary: ENGAGEMENT_BODY[type] } : {}), ...fieldMap[object] };
	return Object.entries(CRM_FIELDS[object]).map(([field, spec]) => ({ field, property: map[field] ?? `revops_${snake(field)}`, type: spec.type, maxLength: spec.maxLength, description: spec.description }));
}

/** A canonical value as HubSpot's property text: numbers and booleans as text, lists and objects as JSON. */
export function encodeValue(type: FieldType, value: FieldValue | undefined): string | null {
	if (value === null || value === undefined || value === '') return null;
	if (type === 'list' || type === 'json') return JSON.stringify(value);
	if (typeof value === 'object') return JSON.stringify(value);
	return String(value);
}

/** HubSpot's property text as the canonical value (null: empty). A list a person typed as "a; b" is read as two entries. */
export function decodeValue(type: FieldType, text: string | null | undefined): FieldValue | null {
	if (text === null || text === undefined || text === '') return null;
	if (type === 'number') {
		const n = Number(text);
		return Number.isFinite(n) ? n : null;
	}
	if (type === 'boolean') return text === 'true' ? true : text === 'false' ? false : null;
	if (type === 'list' || type === 'json') {
		try {
			return JSON.parse(text) as FieldValue;
		} catch {
			return type === 'list' ? text.split(';').map((x) => x.trim()).filter(Boolean) : text;
		}
	}
	return text;
}

/** How a property is created in HubSpot for a canonical type. */
export function propertyDefinition(type: FieldType, long: boolean) {
	if (type === 'number') return { type: 'number', fieldType: 'number' };
	if (type === 'date') return { type: 'datetime', fieldType: 'date' };
	if (type === 'boolean') return { type: 'enumeration', fieldType: 'booleancheckbox', options: [{ label: 'Yes', value: 'true', displayOrder: 0 }, { label: 'No', value: 'false', displayOrder: 1 }] };
	return { type: 'string', fieldType: long || type === 'list' || type === 'json' ? 'textarea' : 'text' };
}
