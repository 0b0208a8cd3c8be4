import { createHmac, timingSafeEqual } from 'node:crypto';
import { canonicalJson } from '../../hash';
import type { FieldValue } from '../merge';
import type { CrmObject } from '../model';
import type { HistoryEntry, StoredRecord } from '../store';
import { bookkeeping, decodeValue, fieldProperties, type FieldMap, type HubSpotType } from './mapping';

/**
 * HubSpot's webhook events as canonical CRM events, and the one home of the rule that keeps our own
 * writes from starting workflows again (the loop a workflow that writes to the record it was started
 * by would otherwise make):
 *
 * - A change of one of our bookkeeping properties (revops_<object>_key, _version, _meta, _history,
 *   _aliases) is ours.
 * - A change of a canonical field is ours when the record's own history (written in the same call as
 *   the value) has us writing that very value to that field shortly before HubSpot's event time
 *   (OWN_WRITE_WINDOW_MS). A person who sets the value we wrote, within that window, is taken for us.
 * - A creation is ours when the record's history starts with our `created` entries.
 * - A deletion, and a change of a property we never write, are never ours.
 * HubSpot sends one event per changed property (batched, up to 100 a call, possibly out of order and
 * more than once); the events of one record in a delivery become one canonical event.
 */

/** How long before HubSpot's event time our history entry may be (rate-limit waits, queues). */
export const OWN_WRITE_WINDOW_MS = 10 * 60_000;
/** HubSpot sends at most 100 events a call; more is not HubSpot. */
export const MAX_EVENTS = 1000;

export interface HubSpotEvent {
	eventId: string;
	subscriptionType: string;
	objectId: string;
	occurredAt: number;
	propertyName?: string;
	propertyValue?: string;
	changeSource?: string;
	sourceId?: string;
}

const PREFIXES: Record<string, HubSpotType> = { contact: 'contacts', company: 'companies', deal: 'deals', ticket: 'tickets' };
const KINDS: Record<string, 'created' | 'changed' | 'deleted'> = { creation: 'created', propertyChange: 'changed', deletion: 'deleted' };

export interface ParsedDelivery {
	events: HubSpotEvent[];
	/** Events that are not HubSpot's CRM object events this trigger handles, and why (named, never dropped silently). */
	ignored: Array<{ index: number; reason: string }>;
}

/** The webhook body (an array of events) checked entry by entry; a malformed body is an error naming the fix. */
export function parseDelivery(body: unknown): ParsedDelivery {
	if (!Array.isArray(body)) throw new Error('The webhook body is not a list of HubSpot events; point only HubSpot\'s webhook subscriptions at this URL');
	if (body.length > MAX_EVENTS) throw new Error(`The webhook body has ${body.length} events; HubSpot sends at most 100 a call`);
	const events: HubSpotEvent[] = [];
	const ignored: ParsedDelivery['ignored'] = [];
	body.forEach((raw, index): void => {
		const e = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
		const type = typeof e.subscriptionType === 'string' ? e.subscriptionType : '';
		const [prefix, kind] = type.split('.');
		const objectId = typeof e.objectId === 'number' || typeof e.objectId === 'string' ? String(e.objectId) : '';
		const problem = !PREFIXES[prefix] || !KINDS[kind] ? `subscription type "${type.slice(0, 60)}" is not a contact, company, deal or ticket creation, change or deletion` : !/^\d{1,20}$/.test(objectId) ? 'no numeric objectId' : kind === 'propertyChange' && typeof e.propertyName !== 'string' ? 'a property change without propertyName' : null;
		if (problem) {
			ignored.push({ index, reason: problem });
			return;
		}
		events.push({
			eventId: String(e.eventId ?? `${type}:${objectId}:${index}`).slice(0, 60),
			subscriptionType: type,
			objectId,
			occurredAt: Number(e.occurredAt) || Date.now(),
			propertyName: typeof e.propertyName === 'string' ? e.propertyName.slice(0, 200) : undefined,
			propertyValue: e.propertyValue === undefined || e.propertyValue === null ? undefined : String(e.propertyValue).slice(0, 65_536),
			changeSource: typeof e.changeSource === 'string' ? e.changeSource.slice(0, 60) : undefined,
			sourceId: typeof e.sourceId === 'string' || typeof e.sourceId === 'number' ? String(e.sourceId).slice(0, 100) : undefined,
		});
	});
	return { events, ignored };
}

export const hubspotTypeOf = (event: HubSpotEvent): HubSpotType => PREFIXES[event.subscriptionType.split('.')[0]];

export interface CrmChange {
	field: string;
	property: string;
	value: FieldValue | null;
}

export interface CrmEvent {
	event: 'created' | 'changed' | 'deleted';
	object: CrmObject;
	hubspotType: HubSpotType;
	/** The record's id as the CRM node gives it (HubSpot's id). */
	id: string;
	key: string | null;
	/** Canonical fields changed by someone else (`changed`). */
	changes: CrmChange[];
	/** HubSpot properties changed that hold no canonical field. */
	otherProperties: string[];
	/** Changes that were our own writes (skipped for `changes`). */
	ownChanges: string[];
	/** Every change (or the creation) was our own write: a workflow must not start for it. */
	ownWrite: boolean;
	why: string;
	occurredAt: string;
	changeSource: string | null;
	eventIds: string[];
	record: StoredRecord | null;
}

/** What the store reads for one HubSpot record: the canonical views it holds and their histories. */
export interface EventRecord {
	views: Array<{ object: CrmObject; record: StoredRecord; history: HistoryEntry[] }>;
}

const same = (a: unknown, b: unknown) => canonicalJson(a ?? null) === canonicalJson(b ?? null);

/** True when our history has us writing `value` to `field` within the window before `at`. */
function wroteIt(history: readonly HistoryEntry[], field: string, value: FieldValue | null, at: number): boolean {
	return history.some((h) => h.field === field && same(h.after, value) && Date.parse(h.at) <= at + 5_000 && Date.parse(h.at) >= at - OWN_WRITE_WINDOW_MS);
}

/**
 * One canonical event per record and kind in the delivery, with our own writes told apart.
 * `records` is what the store read for the records the events name (by HubSpot type and id).
 */
export function classify(events: readonly HubSpotEvent[], records: ReadonlyMap<string, EventRecord>, fieldMap: FieldMap = {}): CrmEvent[] {
	const groups = new Map<string, HubSpotEvent[]>();
	for (const e of events) {
		const k = `${e.subscriptionType}|${e.objectId}`;
		groups.set(k, [...(groups.get(k) ?? []), e]);
	}
	const out: CrmEvent[] = [];
	for (const group of groups.values()) {
		const first = group[0];
		const type = hubspotTypeOf(first);
		const kind = KINDS[first.subscriptionType.split('.')[1]];
		const found = records.get(`${type}/${first.objectId}`);
		const views = found?.views ?? [];
		// A contact holds a lead and a contact: the lead view when it has one (what the templates follow).
		const main = views.find((v) => v.object === 'lead') ?? views[0] ?? null;
		const object: CrmObject = main?.object ?? (type === 'companies' ? 'account' : type === 'deals' ? 'opportunity' : type === 'tickets' ? 'case' : 'contact');
		const at = Math.max(...group.map((e) => e.occurredAt));
		const base = { event: kind, object, hubspotType: type, id: first.objectId, key: main?.record.key || (type === 'deals' || type === 'tickets' ? first.objectId : null), occurredAt: new Date(at).toISOString(), changeSource: first.changeSource ?? null, eventIds: group.map((e) => e.eventId), record: main?.record ?? null };
		if (kind === 'deleted') {
			out.push({ ...base, changes: [], otherProperties: [], ownChanges: [], ownWrite: false, why: 'deleted in HubSpot' });
			continue;
		}
		if (kind === 'created') {
			const ours = views.some((v) => v.history.some((h) => h.change === 'created') && v.history.filter((h) => h.change === 'created').every((h) => Date.parse(h.at) >= first.occurredAt - OWN_WRITE_WINDOW_MS));
			out.push({ ...base, changes: [], otherProperties: [], ownChanges: ours ? ['(created)'] : [], ownWrite: ours, why: ours ? 'created by a RevOps node (its history begins with our created entries)' : 'created in HubSpot' });
			continue;
		}
		const changes: CrmChange[] = [];
		const ownChanges: string[] = [];
		const otherProperties: string[] = [];
		// The latest event of each property (HubSpot may resend, and out of order).
		const latest = new Map<string, HubSpotEvent>();
		for (const e of [...group].sort((a, b) => a.occurredAt - b.occurredAt)) latest.set(e.propertyName!, e);
		for (const e of latest.values()) {
			const property = e.propertyName!;
			const bookkept = (['account', 'contact', 'lead', 'opportunity', 'activity', 'case'] as const).some((o) => Object.values(bookkeeping(o)).includes(property));
			if (bookkept) {
				ownChanges.push(property);
				continue;
			}
			const candidates = (views.length ? views.map((v) => v.object) : [object]).flatMap((o) => fieldProperties(o, type, fieldMap).filter((f) => f.property === property).map((f) => ({ o, f })));
			if (candidates.length === 0) {
				otherProperties.push(property);
				continue;
			}
			const { f } = candidates.find((c) => c.o === object) ?? candidates[0];
			const value = decodeValue(f.type, e.propertyValue);
			const ours = candidates.some((c) => wroteIt(views.find((v) => v.object === c.o)?.history ?? [], c.f.field, decodeValue(c.f.type, e.propertyValue), e.occurredAt));
			if (ours) ownChanges.push(f.field);
			else changes.push({ field: f.field, property, value });
		}
		const ownWrite = changes.length === 0 && otherProperties.length === 0;
		out.push({ ...base, changes, otherProperties, ownChanges, ownWrite, why: ownWrite ? 'every change in it is a RevOps node\'s own write' : `changed in HubSpot: ${[...changes.map((c) => c.field), ...otherProperties].join(', ')}` });
	}
	return out;
}

/** HubSpot's request age limit for signed webhook calls. */
export const SIGNATURE_MAX_AGE_MS = 5 * 60_000;

/**
 * HubSpot's v3 request signature: base64 HMAC-SHA256, keyed with the app's client secret, of method,
 * the URL HubSpot called, the raw body and the timestamp header; refused when older than five minutes.
 * `uris` are the URLs the call may have been made to (n8n behind a proxy sees another host).
 */
export function verifySignatureV3(secret: string, method: string, uris: readonly string[], rawBody: string, timestamp: string | undefined, signature: string | undefined, now = Date.now()): string | null {
	if (!signature || !timestamp) return 'the call has no X-HubSpot-Signature-v3 and X-HubSpot-Request-Timestamp headers';
	const at = Number(timestamp);
	if (!Number.isFinite(at) || Math.abs(now - at) > SIGNATURE_MAX_AGE_MS) return 'the call\'s timestamp is more than five minutes old (a replay, or a clock far off)';
	const given = Buffer.from(signature, 'base64');
	for (const uri of uris) {
		const expected = createHmac('sha256', secret).update(`${method}${uri}${rawBody}${timestamp}`).digest();
		if (expected.length === given.length && timingSafeEqual(expected, given)) return null;
	}
	return 'the signature does not match (another sender, or another client secret)';
}
