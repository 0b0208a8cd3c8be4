import type { FieldValue } from '../merge';
import { CRM_FIELDS, type CrmObject, type FieldType } from '../model';
import { STATE_OBJECT, type StoreObject } from '../store';

/**
 * Where the canonical model lives in Salesforce: which sObject holds which canonical object, which
 * field holds which canonical field, and how a value is written and read back. The one home of these
 * names; the store (store.ts) and the setup check (schema.ts) read them.
 *
 * - account -> Account, contact -> Contact, lead -> Lead, opportunity -> Opportunity, case -> Case,
 *   a node's shared state -> RevOps_State__c.
 * - activity -> Task or Event, Salesforce's two kinds of activity: a meeting whose start and length
 *   are known is a calendar Event (isCalendarEvent; Salesforce requires both of an Event, and neither
 *   is ever invented), every other activity (calls, e-mails, notes, tasks, a meeting without a time)
 *   a Task. An Event holds occurredAt and durationMinutes in its own StartDateTime and
 *   DurationInMinutes, so a meeting a rep moves in the calendar reads back moved; the other canonical
 *   fields are Activity custom fields, which Task and Event share. A record's id tells which it is
 *   (00T a Task, 00U an Event), and a record stays what it was created as.
 * - A canonical field goes to Salesforce's own field where one exists (DEFAULT_FIELD_MAP: an
 *   opportunity's amount, stage and close date, a lead's company), else to a custom field
 *   `RevOps_<Field_Name>__c`; the company config's fieldMap overrides either.
 * - What the upsert engine keeps beside the fields lives in RevOps_Key__c (the match key: an external
 *   id, unique and case-sensitive), RevOps_Revision__c, RevOps_Meta__c and, on accounts,
 *   RevOps_Aliases__c. Every write adds one RevOps_Change__c record (the history of that write, and
 *   the lock that makes the write conditional: see store.ts).
 */

export type SObject = 'Account' | 'Contact' | 'Lead' | 'Opportunity' | 'Case' | 'Task' | 'Event' | 'RevOps_State__c';

export const SOBJECTS: Record<StoreObject, SObject> = {
	account: 'Account',
	contact: 'Contact',
	lead: 'Lead',
	opportunity: 'Opportunity',
	case: 'Case',
	activity: 'Task',
	[STATE_OBJECT]: 'RevOps_State__c',
};

/** The canonical object an sObject holds (the node state's custom object included), or undefined. */
export function objectOfSObject(type: string): StoreObject | undefined {
	if (type === EVENT) return 'activity';
	return (Object.keys(SOBJECTS) as StoreObject[]).find((o) => SOBJECTS[o] === type);
}

/** Salesforce's calendar activity, and the first characters of its records' ids. */
export const EVENT = 'Event';
const EVENT_PREFIX = '00U';
/** The canonical fields an Event keeps in its own fields (the start and the length it must have). */
const EVENT_FIELD_MAP: Record<string, string> = { occurredAt: 'StartDateTime', durationMinutes: 'DurationInMinutes' };
/** The longest Event Salesforce takes (a multi-day event: 14 days). */
export const MAX_EVENT_MINUTES = 14 * 24 * 60;

/** The sObjects that hold a canonical object's records (an activity: Tasks and Events). */
export function sobjectsOf(object: StoreObject): SObject[] {
	return object === 'activity' ? ['Task', EVENT] : [SOBJECTS[object]];
}

/** The sObject a stored record is in, told by its id (an activity's 00U: an Event). */
export function sobjectOfId(object: StoreObject, id: string): SObject {
	return object === 'activity' && id.startsWith(EVENT_PREFIX) ? EVENT : SOBJECTS[object];
}

/** Whether a new activity is written as a calendar Event: a meeting with a start and a length Salesforce takes. */
export function isCalendarEvent(fields: Readonly<Record<string, unknown>>): boolean {
	const minutes = typeof fields.durationMinutes === 'number' ? fields.durationMinutes : Number.NaN;
	return fields.type === 'meeting' && typeof fields.occurredAt === 'string' && Number.isFinite(Date.parse(fields.occurredAt)) && minutes >= 0 && minutes <= MAX_EVENT_MINUTES;
}

/** The custom object that holds one record per write: its history, and its lock. */
export const CHANGE_OBJECT = 'RevOps_Change__c';
export const CHANGE_FIELDS = { writeKey: 'RevOps_Write_Key__c', recordId: 'RevOps_Record_Id__c', object: 'RevOps_Object__c', revision: 'RevOps_Revision__c', entries: 'RevOps_Entries__c' } as const;

/** The bookkeeping fields on every sObject we write (aliases on accounts only). */
export const BOOKKEEPING = { key: 'RevOps_Key__c', revision: 'RevOps_Revision__c', meta: 'RevOps_Meta__c', aliases: 'RevOps_Aliases__c' } as const;

/** Salesforce's own fields that hold a canonical field on a fresh org. */
export const DEFAULT_FIELD_MAP: Partial<Record<CrmObject, Record<string, string>>> = {
	account: { name: 'Name', domain: 'Website', employeeCount: 'NumberOfEmployees', annualRevenue: 'AnnualRevenue', country: 'BillingCountry' },
	contact: { email: 'Email', firstName: 'FirstName', lastName: 'LastName', phone: 'Phone', jobTitle: 'Title' },
	lead: { email: 'Email', firstName: 'FirstName', lastName: 'LastName', phone: 'Phone', jobTitle: 'Title', company: 'Company', website: 'Website', country: 'Country' },
	opportunity: { name: 'Name', amount: 'Amount', crmStage: 'StageName', closeDate: 'CloseDate' },
	case: { subject: 'Subject', description: 'Description' },
	activity: { summary: 'Description' },
};

/** Salesforce's date fields (a day, no time) among the defaults. */
const DATE_ONLY = new Set(['CloseDate', 'ActivityDate']);
/** Salesforce's whole-number fields among the defaults (a fraction is refused, so it is rounded). */
const WHOLE_NUMBERS = new Set(['NumberOfEmployees', 'DurationInMinutes']);

/** What Salesforce's web-to-lead writes for a required name it was not given: shown, never invented. */
export const NOT_PROVIDED = '[not provided]';

export type FieldMap = Partial<Record<CrmObject, Record<string, string>>>;
/** Canonical value -> Salesforce picklist value, per object and canonical field (the company config's crm.picklists). */
export type Picklists = Partial<Record<CrmObject, Record<string, Record<string, string>>>>;
/** The record type id new records of an object get (crm.recordTypes). */
export type RecordTypes = Partial<Record<CrmObject, string>>;

/** How the company's org holds the model: its field map, picklist values and record types. */
export interface OrgModel {
	fieldMap?: FieldMap;
	picklists?: Picklists;
	recordTypes?: RecordTypes;
}

/** A canonical value as the org's picklist value (unmapped values go as they are: Salesforce names a wrong one). */
export function toPicklist(picklists: Picklists | undefined, object: StoreObject, field: string, value: unknown): unknown {
	const map = object === STATE_OBJECT ? undefined : picklists?.[object]?.[field];
	return map && typeof value === 'string' && value in map ? map[value] : value;
}

/** The org's picklist value as the canonical one (the first canonical value mapped to it). */
export function fromPicklist(picklists: Picklists | undefined, object: StoreObject, field: string, value: unknown): unknown {
	const map = object === STATE_OBJECT ? undefined : picklists?.[object]?.[field];
	if (!map || typeof value !== 'string') return value;
	return Object.entries(map).find(([, sf]) => sf === value)?.[0] ?? value;
}

/** `icpFitScore` -> `RevOps_Icp_Fit_Score__c` (Salesforce: 40 characters before `__c`, no double underscore). */
export function customField(field: string): string {
	const words = field.replace(/([a-z0-9])([A-Z])/g, '$1_$2').split(/[^A-Za-z0-9]+/).filter(Boolean);
	return `RevOps_${words.map((w) => w[0].toUpperCase() + w.slice(1).toLowerCase()).join('_')}`.slice(0, 40).replace(/_+$/, '') + '__c';
}

export interface SalesforceField {
	field: string;
	/** The Salesforce field's API name. */
	name: string;
	type: FieldType;
	/** A custom field of ours (RevOps_*__c), as opposed to Salesforce's own or a company-mapped one. */
	custom: boolean;
	/** A text of a few words (one of a list of values): a Text(255) field, which reports can group and queries filter. */
	short: boolean;
	description: string;
}

/**
 * The fields of a canonical object and the Salesforce field each lives in; `sobject` Event: an
 * activity's fields on an Event, whose start and length are its own fields.
 */
export function fieldsOf(object: StoreObject, fieldMap: FieldMap = {}, sobject?: SObject): SalesforceField[] {
	if (object === STATE_OBJECT) return [{ field: 'value', name: 'RevOps_Value__c', type: 'json', custom: true, short: false, description: 'Shared state of a RevOps node (e.g. the routing rotation)' }];
	const own = { ...DEFAULT_FIELD_MAP[object], ...(sobject === EVENT ? EVENT_FIELD_MAP : {}) };
	const mapped = sobject === EVENT ? { ...fieldMap[object], ...EVENT_FIELD_MAP } : (fieldMap[object] ?? {});
	return Object.entries(CRM_FIELDS[object]).map(([field, spec]) => {
		const name = mapped[field] ?? own[field] ?? customField(field);
		return { field, name, type: spec.type, custom: !(field in mapped) && !(field in own), short: spec.type === 'string' && Boolean(spec.values), description: spec.description };
	});
}

/** A canonical value as Salesforce takes it: numbers and booleans as such, lists and objects as JSON text, a date field as the day. */
export function encodeValue(type: FieldType, name: string, value: FieldValue | undefined): unknown {
	if (value === null || value === undefined || value === '') return null;
	if (type === 'list' || type === 'json' || typeof value === 'object') return JSON.stringify(value);
	if (type === 'number') return Number.isFinite(Number(value)) ? (WHOLE_NUMBERS.has(name) ? Math.round(Number(value)) : Number(value)) : String(value);
	if (type === 'boolean') return value === true || value === 'true';
	if (type === 'date' && DATE_ONLY.has(name)) return String(value).slice(0, 10);
	return String(value);
}

/**
 * Salesforce's value as the canonical one (null: empty). A checkbox that is not ticked reads as
 * unknown (Salesforce stores no "empty" checkbox, so false and never-written look the same); a
 * date-time comes back as ISO 8601 in UTC; a list a person typed as "a; b" is read as two entries.
 */
export function decodeValue(type: FieldType, value: unknown): FieldValue | null {
	if (value === null || value === undefined || value === '') return null;
	if (type === 'number') {
		const n = Number(value);
		return Number.isFinite(n) ? n : null;
	}
	if (type === 'boolean') return value === true || value === 'true' ? true : null;
	if (type === 'date') {
		const text = String(value);
		return /[+-]0000$/.test(text) ? text.replace(/[+-]0000$/, 'Z') : text;
	}
	if (type === 'list' || type === 'json') {
		if (typeof value !== 'string') return value as FieldValue;
		try {
			return JSON.parse(value) as FieldValue;
		} catch {
			return type === 'list' ? value.split(';').map((x) => x.trim()).filter(Boolean) : value;
		}
	}
	return String(value);
}

/** The custom field an admin creates for a canonical type (Setup > Object Manager > Fields & Relationships). */
export function fieldDefinition(type: FieldType, short = false): string {
	if (short) return 'Text(255)';
	if (type === 'number') return 'Number(18, 4)';
	if (type === 'date') return 'Date/Time';
	if (type === 'boolean') return 'Checkbox';
	return 'Long Text Area(131072)';
}
