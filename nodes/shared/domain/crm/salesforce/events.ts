import { DomUtils, parseDocument } from 'htmlparser2';
import type { Element } from 'domhandler';
import type { FieldValue } from '../merge';
import { normalizeKey, type CrmObject } from '../model';
import { STATE_OBJECT, type StoredRecord } from '../store';
import { BOOKKEEPING, CHANGE_OBJECT, decodeValue, fieldsOf, fromPicklist, objectOfSObject, type OrgModel, type SObject } from './mapping';

/**
 * Salesforce's outbound messages (a workflow rule's or flow's SOAP call with the record's fields) as
 * canonical CRM events, and the one home of the rule that keeps our own writes from starting
 * workflows again:
 *
 * - A change is ours when the record's LastModifiedById is the integration user the RevOps Salesforce
 *   API credential signs in as: every write of the RevOps nodes is made by that user, and nobody
 *   else's (give the credential a user of its own). The outbound message must carry LastModifiedById;
 *   a message without it is refused with that fix (Salesforce keeps it queued and retries).
 * - A creation is ours when CreatedById (or, without it, LastModifiedById on a record whose
 *   CreatedDate is its LastModifiedDate) is that user.
 * - A message from another org (its OrganizationId) is refused: outbound messages are not signed,
 *   so the org id, checked against the org the credential signs in to, is what tells them apart.
 * Salesforce sends the record's current values, not what changed: the event's `changes` are the
 * canonical fields the message carries (choose them in the outbound message: the fields whose
 * change the rule's criteria watch, e.g. ISCHANGED(StageName)).
 */

/** Salesforce sends at most 100 notifications a message. */
export const MAX_NOTIFICATIONS = 100;

/** The answer Salesforce needs, or it sends the message again. */
export const OUTBOUND_ACK = '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound"><Ack>true</Ack></notificationsResponse></soapenv:Body></soapenv:Envelope>';

export interface OutboundNotification {
	notificationId: string;
	type: string;
	/** The record's fields as sent (null: xsi:nil). */
	fields: Record<string, string | null>;
}

export interface OutboundMessage {
	organizationId: string;
	actionId: string;
	notifications: OutboundNotification[];
}

/** An outbound message's problem, said so Salesforce's admin can fix it (Setup > Outbound Messages shows it). */
export class OutboundMessageError extends Error {
	constructor(
		message: string,
		readonly status: number,
	) {
		super(message);
		this.name = 'OutboundMessageError';
	}
}

const local = (name: string) => name.slice(name.indexOf(':') + 1);
const children = (el: Element) => el.children.filter((c): c is Element => c.type === 'tag');
const child = (el: Element, name: string) => children(el).find((c) => local(c.name) === name);
const text = (el: Element | undefined) => (el ? DomUtils.textContent(el).trim() : '');

/** The SOAP envelope Salesforce posts, read as XML (no entities expanded, no DTD followed). */
export function parseOutboundMessage(xml: string): OutboundMessage {
	if (typeof xml !== 'string' || !/<\s*([\w-]+:)?Envelope[\s>]/.test(xml)) throw new OutboundMessageError('The body is not a Salesforce outbound message (a SOAP envelope); point only outbound messages at this URL', 400);
	if (xml.length > 20_000_000) throw new OutboundMessageError('The outbound message is larger than Salesforce sends', 413);
	const doc = parseDocument(xml, { xmlMode: true });
	const notifications = DomUtils.findOne((e) => local(e.name) === 'notifications', doc.children, true);
	if (!notifications) throw new OutboundMessageError('The SOAP envelope has no notifications element: not a Salesforce outbound message', 400);
	const list = children(notifications).filter((c) => local(c.name) === 'Notification');
	if (list.length > MAX_NOTIFICATIONS) throw new OutboundMessageError(`The message has ${list.length} notifications; Salesforce sends at most 100`, 400);
	return {
		organizationId: text(child(notifications, 'OrganizationId')),
		actionId: text(child(notifications, 'ActionId')),
		notifications: list.map((n, i) => {
			const sObject = child(n, 'sObject');
			const type = local(String(sObject?.attribs['xsi:type'] ?? ''));
			const fields: Record<string, string | null> = {};
			for (const f of sObject ? children(sObject) : []) fields[local(f.name)] = f.attribs['xsi:nil'] === 'true' ? null : text(f).slice(0, 131_072);
			return { notificationId: text(child(n, 'Id')) || `notification-${i}`, type, fields };
		}),
	};
}

/** Salesforce ids: 15 characters case-sensitive, or 18 with a checksum; the first 15 are the id. */
export const sameId = (a: string | null | undefined, b: string | null | undefined) => Boolean(a && b && a.slice(0, 15) === b.slice(0, 15));

export interface SalesforceCrmEvent {
	event: 'created' | 'changed';
	object: CrmObject;
	salesforceType: string;
	id: string;
	key: string | null;
	/** The canonical fields the message carries, with their current values. */
	changes: Array<{ field: string; property: string; value: FieldValue | null }>;
	/** Fields of the message that hold no canonical field (Salesforce's own, or the bookkeeping ones). */
	otherProperties: string[];
	ownChanges: string[];
	ownWrite: boolean;
	why: string;
	occurredAt: string;
	changeSource: string;
	eventIds: string[];
	record: StoredRecord | null;
}


export interface ClassifiedMessage {
	events: SalesforceCrmEvent[];
	/** Notifications this trigger does not handle (another object), and why: named, never dropped silently. */
	ignored: Array<{ notificationId: string; reason: string }>;
}

/**
 * One canonical event per notification, our own writes told apart by the integration user.
 * `records` are the records the notifications name, as the store reads them (by id).
 */
export function classifyOutbound(message: OutboundMessage, integration: { organizationId: string; userId: string }, records: ReadonlyMap<string, StoredRecord>, model: OrgModel = {}): ClassifiedMessage {
	if (!sameId(message.organizationId, integration.organizationId)) throw new OutboundMessageError(`The message comes from org ${message.organizationId.slice(0, 18) || '(none)'}, not the org the credential signs in to`, 403);
	const events: SalesforceCrmEvent[] = [];
	const ignored: ClassifiedMessage['ignored'] = [];
	for (const n of message.notifications) {
		const found = objectOfSObject(n.type);
		const object = found === STATE_OBJECT ? undefined : found;
		if (!object || n.type === CHANGE_OBJECT) {
			ignored.push({ notificationId: n.notificationId, reason: `${n.type || 'an sObject without xsi:type'} holds no canonical object` });
			continue;
		}
		const f = n.fields;
		if (!f.Id) throw new OutboundMessageError(`Notification ${n.notificationId} has no Id field; add Id to the outbound message's fields`, 400);
		if (!('LastModifiedById' in f)) throw new OutboundMessageError('The outbound message does not send LastModifiedById, which tells the RevOps nodes\' own writes apart; add LastModifiedById (and CreatedById, CreatedDate, LastModifiedDate) to its fields in Setup > Outbound Messages', 400);
		const created = f.CreatedDate && f.LastModifiedDate ? Date.parse(f.CreatedDate) === Date.parse(f.LastModifiedDate) : false;
		const ours = created ? sameId(f.CreatedById ?? f.LastModifiedById, integration.userId) : sameId(f.LastModifiedById, integration.userId);
		const byName = new Map(fieldsOf(object, model.fieldMap, n.type as SObject).map((x) => [x.name, x]));
		const changes: SalesforceCrmEvent['changes'] = [];
		const otherProperties: string[] = [];
		for (const [name, value] of Object.entries(f)) {
			const spec = byName.get(name);
			if (spec) changes.push({ field: spec.field, property: name, value: decodeValue(spec.type, fromPicklist(model.picklists, object, spec.field, value) as string | null) });
			else if (!['Id', 'CreatedById', 'LastModifiedById', 'CreatedDate', 'LastModifiedDate', 'SystemModstamp'].includes(name)) otherProperties.push(name);
		}
		const record = records.get(f.Id.slice(0, 15)) ?? null;
		// A record not yet ours is named as the CRM node would adopt it: e-mail, domain, or its own id.
		const key = record?.key || f[BOOKKEEPING.key] || (object === 'contact' || object === 'lead' ? normalizeKey('contact', f.Email) : object === 'account' ? normalizeKey('account', f.Website) : f.Id) || null;
		events.push({
			event: created ? 'created' : 'changed',
			object,
			salesforceType: n.type,
			id: f.Id,
			key,
			changes: ours ? [] : changes,
			otherProperties: ours ? [] : otherProperties,
			ownChanges: ours ? changes.map((c) => c.field) : [],
			ownWrite: ours,
			why: ours ? `${created ? 'created' : 'changed'} by the RevOps integration user (LastModifiedById)` : `${created ? 'created' : 'changed'} in Salesforce by user ${String(f.LastModifiedById).slice(0, 18)}`,
			occurredAt: f.LastModifiedDate ? new Date(Date.parse(f.LastModifiedDate) || Date.now()).toISOString() : new Date().toISOString(),
			changeSource: `salesforce outbound message ${message.actionId.slice(0, 18)}`.trim(),
			eventIds: [n.notificationId],
			record,
		});
	}
	return { events, ignored };
}
