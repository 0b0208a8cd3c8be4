// A Salesforce REST API stand-in for tests only (there is no Salesforce here). It speaks the parts of
// the API the CRM adapter will use, as Salesforce documents them, and it is kept honest by a contract
// test that runs Salesforce's own JavaScript client (jsforce, a test dependency) against it
// (test/vendors/salesforce/contract.test.ts):
// - OAuth 2.0 token endpoint: client credentials, and the JWT bearer flow (the assertion's issuer must
//   be the connected app's consumer key; its signature is not checked here); `instance_url` and `id`;
// - Bearer sessions: 401 INVALID_SESSION_ID for anything else;
// - the org's limits resource (DailyApiRequests);
// - sObjects: describe (fields with types, required, external ids, restricted picklists), create,
//   read, update by id (PATCH), upsert by an external id field (PATCH .../{field}/{value}: 201 created,
//   200 updated, 300 more than one match);
// - sObject Collections: create, update and upsert by external id, at most 200 records a call, one
//   result per record ({ id, success, errors[{ statusCode, message, fields }], created }) and, with
//   allOrNone, every record rolled back when one fails (ALL_OR_NONE_OPERATION_ROLLED_BACK);
// - field-level checks as Salesforce makes them: unknown fields (INVALID_FIELD), required fields on
//   create (REQUIRED_FIELD_MISSING), restricted picklists (INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST),
//   numbers (INVALID_TYPE_ON_FIELD_IN_RECORD; a fraction in a whole-number field too), texts longer than the field (STRING_TOO_LONG), e-mail addresses (INVALID_EMAIL_ADDRESS), unique and
//   external id fields (DUPLICATE_VALUE);
// - composite graphs (POST /composite/graph): each graph all or nothing (a failing node's error, every
//   other node PROCESSING_HALTED, nothing of that graph kept), references @{ref.id} to an earlier node,
//   at most 75 graphs and 500 nodes a payload, processing halted after 14 failed graphs;
// - Events: a start (StartDateTime or ActivityDateTime) and a length (DurationInMinutes or
//   EndDateTime, at most 14 days) unless all-day (REQUIRED_FIELD_MISSING, FIELD_INTEGRITY_EXCEPTION),
//   the other time fields worked out from them; Activity custom fields appear on Task and Event;
// - custom objects and fields as an admin adds them in Setup (external ids, unique, case-sensitive);
// - SOQL: SELECT fields FROM type [WHERE conditions joined by AND, a condition possibly a parenthesised
//   group joined by OR] [ORDER BY field [ASC|DESC]] [LIMIT n], with =, !=, <, <=, >, >=, LIKE, IN (...);
//   long text areas cannot be filtered (INVALID_FIELD); results in batches (2,000 by default, or the
//   Sforce-Query-Options batchSize) and `nextRecordsUrl` for queryMore;
// - the org's daily API request limit: the Sforce-Limit-Info header on every answer, and 403
//   REQUEST_LIMIT_EXCEEDED past it;
// - outbound messages (SOAP, up to 100 notifications) for an object's creates and edits, sent after
//   the request that committed them, with CreatedById and LastModifiedById (the integration user, or
//   a person through humanEdit);
// - latency per request.
// Nothing shipped in the package uses it.
'use strict';
const { StandIn } = require('../stand-in');
const crypto = require('node:crypto');

const API_VERSION = '60.0';
/** The org, the integration user every session signs in as, and a person who edits in the UI. */
const ORG_ID = '00D5g000004TESTEAA';
const INTEGRATION_USER = '0055g00000TESTUAAA';
const HUMAN_USER = '0055g00000HUMANAAA';
const MAX_COLLECTION = 200;

/**
 * An Event's times as Salesforce keeps them: unless all-day, a start (StartDateTime, or its older name
 * ActivityDateTime) and a length (DurationInMinutes, or EndDateTime) of at most 14 days; the other
 * fields are worked out. `before`: the record being updated.
 */
function eventTimes(values, before) {
	const has = (f) => values[f] !== undefined && values[f] !== null && values[f] !== '';
	if ((has('IsAllDayEvent') ? values.IsAllDayEvent : before.IsAllDayEvent) === true) return { fields: {} };
	const start = has('StartDateTime') ? values.StartDateTime : has('ActivityDateTime') ? values.ActivityDateTime : before.StartDateTime;
	if (!start) return { error: err('REQUIRED_FIELD_MISSING', 'Required fields are missing: [ActivityDateTime]', ['ActivityDateTime']) };
	const t = Date.parse(String(start).replace(/\+0000$/, 'Z'));
	if (!Number.isFinite(t)) return { error: err('INVALID_TYPE_ON_FIELD_IN_RECORD', `StartDateTime: value not of required type: ${String(start).slice(0, 80)}`, ['StartDateTime']) };
	const minutes = has('DurationInMinutes') ? Number(values.DurationInMinutes) : has('EndDateTime') ? (Date.parse(String(values.EndDateTime).replace(/\+0000$/, 'Z')) - t) / 60000 : before.DurationInMinutes;
	if (minutes === undefined || minutes === null) return { error: err('REQUIRED_FIELD_MISSING', 'Required fields are missing: [DurationInMinutes]', ['DurationInMinutes']) };
	if (!(minutes >= 0 && minutes <= 14 * 24 * 60)) return { error: err('FIELD_INTEGRITY_EXCEPTION', 'Event duration must be between 0 minutes and 14 days', ['DurationInMinutes']) };
	const iso = (ms) => new Date(ms).toISOString().replace('Z', '+0000');
	return { fields: { StartDateTime: iso(t), ActivityDateTime: iso(t), ActivityDate: iso(t).slice(0, 10), DurationInMinutes: minutes, EndDateTime: iso(t + minutes * 60000) } };
}

const picklist = (...values) => ({ type: 'picklist', restricted: true, values });
/** The standard objects and fields a fresh org has (enough for the adapter), by object. */
const STANDARD = {
	Lead: { prefix: '00Q', required: ['LastName', 'Company'], fields: { FirstName: {}, LastName: {}, Company: {}, Email: { type: 'email' }, Phone: {}, Title: {}, Website: {}, Country: {}, State: {}, LeadSource: {}, Status: picklist('Open - Not Contacted', 'Working - Contacted', 'Closed - Converted', 'Closed - Not Converted'), NumberOfEmployees: { type: 'int' }, AnnualRevenue: { type: 'currency' }, Description: { type: 'textarea' }, OwnerId: { type: 'reference' } } },
	Contact: { prefix: '003', required: ['LastName'], fields: { FirstName: {}, LastName: {}, Email: { type: 'email' }, Phone: {}, Title: {}, AccountId: { type: 'reference' }, OwnerId: { type: 'reference' } } },
	Account: { prefix: '001', required: ['Name'], fields: { Name: {}, Website: {}, Industry: {}, NumberOfEmployees: { type: 'int' }, AnnualRevenue: { type: 'currency' }, BillingCountry: {}, OwnerId: { type: 'reference' } } },
	Opportunity: { prefix: '006', required: ['Name', 'StageName', 'CloseDate'], fields: { Name: {}, StageName: picklist('Prospecting', 'Qualification', 'Needs Analysis', 'Value Proposition', 'Id. Decision Makers', 'Perception Analysis', 'Proposal/Price Quote', 'Negotiation/Review', 'Closed Won', 'Closed Lost'), Amount: { type: 'currency' }, CloseDate: { type: 'date' }, AccountId: { type: 'reference' }, OwnerId: { type: 'reference' }, Description: { type: 'textarea' } } },
	Task: { prefix: '00T', required: [], fields: { Subject: {}, Description: { type: 'textarea' }, ActivityDate: { type: 'date' }, Status: picklist('Not Started', 'In Progress', 'Completed'), WhoId: { type: 'reference' }, WhatId: { type: 'reference' }, OwnerId: { type: 'reference' } } },
	Event: { prefix: '00U', required: [], fields: { Subject: {}, Description: { type: 'textarea' }, StartDateTime: { type: 'datetime' }, ActivityDateTime: { type: 'datetime' }, ActivityDate: { type: 'date' }, EndDateTime: { type: 'datetime' }, DurationInMinutes: { type: 'int' }, IsAllDayEvent: { type: 'boolean' }, Location: {}, WhoId: { type: 'reference' }, WhatId: { type: 'reference' }, OwnerId: { type: 'reference' } } },
	OpportunityContactRole: { prefix: '00K', required: ['ContactId', 'OpportunityId'], fields: { ContactId: { type: 'reference' }, OpportunityId: { type: 'reference' }, Role: { type: 'picklist', values: ['Business User', 'Decision Maker', 'Economic Buyer', 'Economic Decision Maker', 'Evaluator', 'Executive Sponsor', 'Influencer', 'Technical Buyer', 'Other'] }, IsPrimary: { type: 'boolean' } } },
	Case: { prefix: '500', required: [], fields: { Subject: {}, Description: { type: 'textarea' }, Status: picklist('New', 'Working', 'Escalated', 'Closed'), Priority: picklist('High', 'Medium', 'Low'), Origin: {}, AccountId: { type: 'reference' }, ContactId: { type: 'reference' } } },
};
const NUMERIC = ['int', 'double', 'currency', 'percent'];

const err = (statusCode, message, fields = []) => ({ statusCode, message, fields });
/** A whole call refused: Salesforce answers a list of { message, errorCode }. */
const refuse = (status, errorCode, message) => ({ status, body: [{ message, errorCode }] });

class SalesforceServer extends StandIn {
	/**
	 * @param {{ clientId?: string, clientSecret?: string, dailyLimit?: number, latencyMs?: number }} [options]
	 */
	constructor({ clientId = '3MVG9-test-consumer-key', clientSecret = 'test-consumer-secret', dailyLimit = 15_000, latencyMs = 0 } = {}) {
		super();
		this.clientId = clientId;
		this.clientSecret = clientSecret;
		this.dailyLimit = dailyLimit;
		this.latencyMs = latencyMs;
		/** Records per query batch unless the client asks for fewer (Salesforce: 2,000). */
		this.queryBatchSize = 2000;
		/** Every request: method, path, status, records (collections). */
		this.log = [];
		/** API requests counted today (Sforce-Limit-Info). */
		this.apiUsage = 0;
		/** While a composite graph runs: how to undo each of its writes. */
		this.undo = null;
		/** The user making the current change (a person in humanEdit; else the integration user). */
		this.user = null;
		this.outbound = null;
		this.outboundQueue = [];
		this.deliveries = [];
		this.pendingDeliveries = 0;
		this.reset();
	}

	/** Empties the org (records, custom fields, sessions, counters, log). */
	reset() {
		this.objects = new Map(Object.entries(STANDARD).map(([name, o]) => [name, { prefix: o.prefix, required: [...o.required], fields: new Map([['Id', { type: 'id' }], ['RecordTypeId', { type: 'reference' }], ...Object.entries(o.fields).map(([f, spec]) => [f, { type: 'string', ...spec }])]), records: new Map(), recordTypes: [{ recordTypeId: '012000000000000AAA', name: 'Master', developerName: 'Master', master: true, active: true }] }]));
		this.sessions = new Set();
		this.cursors = new Map();
		this.apiUsage = 0;
		this.nextId = 1;
		this.log.length = 0;
	}

	/** A custom field as an admin would add it in Setup (external id and unique as asked); an Activity field is on Task and Event. */
	addField(type, name, spec = {}) {
		if (type === 'Activity') return ['Task', 'Event'].forEach((t) => this.addField(t, name, spec));
		const object = this.objects.get(type);
		if (!object) throw new Error(`no sObject ${type}`);
		object.fields.set(name, { type: 'string', ...spec });
	}

	/** A record type an admin adds to an object; its id. */
	addRecordType(type, name) {
		const id = `0125g0000${String(this.nextId++).padStart(6, '0')}AAA`;
		this.objects.get(type).recordTypes.push({ recordTypeId: id, name, developerName: name.replace(/\W+/g, '_'), master: false, active: true });
		return id;
	}

	/** A custom object as an admin would add it in Setup (its Name field comes with it). */
	addObject(name, prefix = 'a0X') {
		if (!name.endsWith('__c')) throw new Error(`a custom object's API name ends in __c: ${name}`);
		if (!this.objects.has(name)) this.objects.set(name, { prefix, required: [], fields: new Map([['Id', { type: 'id' }], ['Name', { type: 'string' }]]), records: new Map(), recordTypes: [{ recordTypeId: '012000000000000AAA', name: 'Master', developerName: 'Master', master: true, active: true }] });
	}

	/**
	 * Creates what a setup list names, as an admin following it would (the adapter's Check Setup:
	 * { object, field, definition }; field `*` is a custom object).
	 */
	provision(needed) {
		for (const n of needed.filter((x) => x.field === '*')) this.addObject(n.object);
		for (const n of needed.filter((x) => x.field !== '*' && !x.mapped)) {
			const d = n.definition;
			const type = /^Number/.test(d) ? 'double' : /^Date\/Time/.test(d) ? 'datetime' : /^Checkbox/.test(d) ? 'boolean' : /^Long Text/.test(d) ? 'textarea' : 'string';
			this.addField(n.object, n.field, { type, ...(/External ID/.test(d) ? { externalId: true, unique: true } : {}), ...(/case sensitive/.test(d) ? { caseSensitive: true } : {}), ...(type === 'textarea' ? { length: 131072 } : {}) });
		}
	}

	/** Records of an object as stored: id -> fields. */
	records(type) {
		return this.objects.get(type)?.records ?? new Map();
	}

	serve(req, res, raw) {
		const url = new URL(req.url, 'http://x');
		const entry = { method: req.method, path: url.pathname, status: 0, records: 0 };
		this.log.push(entry);
		let out;
		try {
			out = this.route(req, url, raw, entry);
		} catch (e) {
			out = refuse(400, 'JSON_PARSER_ERROR', `The request body is not valid JSON: ${e.message}`);
		}
		entry.status = out.status;
		const headers = { 'content-type': 'application/json;charset=UTF-8', 'sforce-limit-info': `api-usage=${this.apiUsage}/${this.dailyLimit}` };
		res.writeHead(out.status, headers);
		res.end(out.body === undefined ? '' : JSON.stringify(out.body));
		this.flushOutbound();
	}

	/**
	 * An outbound message, as an admin sets one up (Setup > Outbound Messages, fired by a flow or
	 * workflow rule on create and edit of the object): the endpoint URL and the fields it sends. The
	 * messages go out after the request that caused them is committed, up to 100 notifications each,
	 * as SOAP; Salesforce wants the Ack back.
	 * @param {{ url: string, object: string, fields: string[] } | null} message
	 */
	outboundMessage(message) {
		this.outbound = message;
		/** Messages sent: the notifications, n8n's answer status and body. */
		this.deliveries = [];
		this.pendingDeliveries = 0;
		this.outboundQueue.length = 0;
	}

	/** A person edits a record in Salesforce's UI. */
	humanEdit(type, id, values, userId = HUMAN_USER) {
		this.user = userId;
		try {
			const out = this.updateOne(type, id, values);
			if (!out.success) throw new Error(JSON.stringify(out.errors));
		} finally {
			this.user = null;
		}
		this.flushOutbound();
	}

	queueOutbound(type, id) {
		if (this.outbound?.object === type) this.outboundQueue.push({ type, id });
	}

	/** Sends what the last request committed as outbound messages (the record's values at sending). */
	flushOutbound() {
		const queued = this.outboundQueue.splice(0);
		if (!this.outbound || queued.length === 0) return;
		const esc = (v) => String(v).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
		for (let i = 0; i < queued.length; i += 100) {
			const notifications = queued.slice(i, i + 100).map((q) => {
				const record = this.records(q.type).get(q.id);
				if (!record) return '';
				const fields = ['Id', ...this.outbound.fields.filter((f) => f !== 'Id')].map((f) => (record[f] === undefined || record[f] === null ? `<sf:${f} xsi:nil="true"/>` : `<sf:${f}>${esc(record[f])}</sf:${f}>`)).join('');
				return `<Notification><Id>04l5g0000${String(this.nextId++).padStart(6, '0')}AAA</Id><sObject xsi:type="sf:${q.type}" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">${fields}</sObject></Notification>`;
			});
			const body = `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><notifications xmlns="http://soap.sforce.com/2005/09/outbound"><OrganizationId>${ORG_ID}</OrganizationId><ActionId>04k5g000000TESTAAA</ActionId><SessionId xsi:nil="true"/><EnterpriseUrl>${this.baseUrl}/services/Soap/c/${API_VERSION}/${ORG_ID}</EnterpriseUrl><PartnerUrl>${this.baseUrl}/services/Soap/u/${API_VERSION}/${ORG_ID}</PartnerUrl>${notifications.join('')}</notifications></soapenv:Body></soapenv:Envelope>`;
			const delivery = { notifications: queued.slice(i, i + 100), status: 0, answer: null };
			this.deliveries.push(delivery);
			this.pendingDeliveries++;
			fetch(this.outbound.url, { method: 'POST', headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '""' }, body })
				.then(async (res) => {
					delivery.status = res.status;
					delivery.answer = await res.text();
				})
				.catch(() => (delivery.status = -1))
				.finally(() => this.pendingDeliveries--);
		}
	}

	route(req, url, raw, entry) {
		if (url.pathname === '/services/oauth2/token' && req.method === 'POST') return this.token(new URLSearchParams(raw));
		const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
		if (!auth || !this.sessions.has(auth[1])) return refuse(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
		this.apiUsage++;
		if (this.apiUsage > this.dailyLimit) return refuse(403, 'REQUEST_LIMIT_EXCEEDED', `TotalRequests Limit exceeded.`);
		const m = /^\/services\/data\/v(\d+\.\d+)(\/.*)?$/.exec(url.pathname);
		if (!m) return refuse(404, 'NOT_FOUND', 'The requested resource does not exist');
		const path = (m[2] ?? '/').split('/').filter(Boolean).map(decodeURIComponent);
		const body = raw ? JSON.parse(raw) : null;
		if (path[0] === 'query') {
			if (path[1]) return this.queryMore(path[1]);
			const batch = Number(/batchSize=(\d+)/.exec(req.headers['sforce-query-options'] ?? '')?.[1]) || this.queryBatchSize;
			return this.query(url.searchParams.get('q') ?? '', Math.max(200, Math.min(2000, batch)));
		}
		if (path[0] === 'limits' && req.method === 'GET') return { status: 200, body: { DailyApiRequests: { Max: this.dailyLimit, Remaining: Math.max(0, this.dailyLimit - this.apiUsage) } } };
		if (path[0] === 'composite' && path[1] === 'graph' && req.method === 'POST') return this.graphs(body?.graphs);
		if (path[0] === 'composite' && path[1] === 'sobjects') {
			const records = body?.records;
			if (req.method === 'GET') return this.retrieveMany(path[2], (url.searchParams.get('ids') ?? '').split(',').filter(Boolean), (url.searchParams.get('fields') ?? '').split(',').filter(Boolean));
			if (!Array.isArray(records)) return refuse(400, 'INVALID_FIELD', 'records: required');
			entry.records = records.length;
			if (records.length > MAX_COLLECTION) return refuse(400, 'EXCEEDED_ID_LIMIT', `record count exceeds the limit of ${MAX_COLLECTION}`);
			if (req.method === 'POST') return this.collection(records, body.allOrNone === true, (r) => this.createOne(r.attributes?.type, r));
			if (req.method === 'PATCH' && path[2] && path[3]) return this.collection(records, body.allOrNone === true, (r) => this.upsertOne(path[2], path[3], r[path[3]], r));
			if (req.method === 'PATCH') return this.collection(records, body.allOrNone === true, (r) => this.updateOne(r.attributes?.type, r.id ?? r.Id, r));
		}
		if (path[0] === 'sobjects' && !path[1] && req.method === 'GET') return { status: 200, body: { encoding: 'UTF-8', maxBatchSize: 200, sobjects: [...this.objects.keys()].map((name) => ({ name, label: name, custom: name.endsWith('__c'), createable: true, updateable: true, queryable: true })) } };
		if (path[0] === 'sobjects' && path[1]) {
			const type = path[1];
			if (!this.objects.has(type)) return refuse(404, 'NOT_FOUND', `The requested resource does not exist (sObject type '${type}' is not supported)`);
			if (path[2] === 'describe' && req.method === 'GET') return { status: 200, body: this.describe(type) };
			if (path.length === 2 && req.method === 'POST') return this.single(this.createOne(type, body ?? {}), 201);
			if (path.length === 3 && req.method === 'GET') {
				const record = this.records(type).get(path[2]);
				return record ? { status: 200, body: this.shown(type, record) } : refuse(404, 'NOT_FOUND', 'The requested resource does not exist');
			}
			if (path.length === 3 && req.method === 'PATCH') {
				const out = this.updateOne(type, path[2], body ?? {});
				return out.success ? { status: 204 } : this.single(out, 204);
			}
			if (path.length === 4 && req.method === 'PATCH') {
				const out = this.upsertOne(type, path[2], path[3], body ?? {});
				if (out.multiple) return { status: 300, body: out.multiple.map((id) => `/services/data/v${API_VERSION}/sobjects/${type}/${id}`) };
				return out.success ? { status: out.created ? 201 : 200, body: out } : this.single(out, 200);
			}
		}
		return refuse(404, 'NOT_FOUND', `The requested resource does not exist: ${req.method} ${url.pathname}`);
	}

	token(params) {
		const grant = params.get('grant_type');
		if (grant === 'client_credentials') {
			if (params.get('client_id') !== this.clientId || params.get('client_secret') !== this.clientSecret) return { status: 400, body: { error: 'invalid_client', error_description: 'invalid client credentials' } };
		} else if (grant === 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
			let claims = {};
			try {
				claims = JSON.parse(Buffer.from(String(params.get('assertion')).split('.')[1], 'base64url').toString('utf8'));
			} catch {
				return { status: 400, body: { error: 'invalid_grant', error_description: 'invalid assertion' } };
			}
			if (claims.iss !== this.clientId || !(Number(claims.exp) * 1000 > Date.now())) return { status: 400, body: { error: 'invalid_grant', error_description: 'invalid assertion' } };
		} else {
			return { status: 400, body: { error: 'unsupported_grant_type', error_description: 'grant type not supported' } };
		}
		const token = `00D5g000004TEST!${crypto.randomBytes(24).toString('base64url')}`;
		this.sessions.add(token);
		return { status: 200, body: { access_token: token, instance_url: this.baseUrl, id: `${this.baseUrl}/id/${ORG_ID}/${INTEGRATION_USER}`, token_type: 'Bearer', issued_at: String(Date.now()), signature: crypto.randomBytes(32).toString('base64'), scope: 'api' } };
	}

	describe(type) {
		const object = this.objects.get(type);
		return {
			name: type,
			keyPrefix: object.prefix,
			recordTypeInfos: object.recordTypes,
			createable: true,
			updateable: true,
			fields: [...object.fields].map(([name, spec]) => ({ name, label: name, type: spec.type, externalId: spec.externalId === true, unique: spec.unique === true || spec.externalId === true, caseSensitive: spec.caseSensitive === true, nillable: !object.required.includes(name), createable: name !== 'Id', updateable: name !== 'Id', custom: name.endsWith('__c'), restrictedPicklist: spec.restricted === true, picklistValues: (spec.values ?? []).map((value) => ({ active: true, defaultValue: false, label: value, value })), length: spec.length ?? (spec.type === 'textarea' ? 131072 : 255) })),
		};
	}

	shown(type, record, fields) {
		const names = fields?.length ? fields.filter((f) => f !== 'Id') : Object.keys(record).filter((f) => f !== 'Id');
		const out = { attributes: { type, url: `/services/data/v${API_VERSION}/sobjects/${type}/${record.Id}` }, Id: record.Id };
		for (const f of names) out[f] = record[f] ?? null;
		return out;
	}

	/** Why these values cannot be written, or null. `self` is the record being updated. */
	invalid(type, values, self) {
		const object = this.objects.get(type);
		if (!object) return err('INVALID_TYPE', `sObject type '${type}' is not supported.`);
		for (const [name, value] of Object.entries(values)) {
			if (name === 'attributes' || name === 'Id' || name === 'id') continue;
			const spec = object.fields.get(name);
			if (!spec) return err('INVALID_FIELD', `No such column '${name}' on sobject of type ${type}`, [name]);
			if (value === null || value === '') continue;
			if (name === 'RecordTypeId' && !object.recordTypes.some((r) => r.active && r.recordTypeId.slice(0, 15) === String(value).slice(0, 15))) return err('INVALID_CROSS_REFERENCE_KEY', `Record Type ID: this ID value isn't valid for the user: ${String(value).slice(0, 18)}`, [name]);
			if (NUMERIC.includes(spec.type) && (typeof value === 'boolean' || !Number.isFinite(Number(value)) || (spec.type === 'int' && !Number.isInteger(Number(value))))) return err('INVALID_TYPE_ON_FIELD_IN_RECORD', `${name}: value not of required type: ${String(value).slice(0, 80)}`, [name]);
			const max = spec.length ?? (spec.type === 'textarea' ? 131072 : ['string', 'email', 'picklist'].includes(spec.type) ? 255 : null);
			if (max !== null && typeof value === 'string' && value.length > max) return err('STRING_TOO_LONG', `${name}: data value too large: ${value.slice(0, 40)}... (max length=${max})`, [name]);
			if (spec.type === 'email' && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(String(value))) return err('INVALID_EMAIL_ADDRESS', `${name}: invalid email address: ${String(value).slice(0, 80)}`, [name]);
			if (spec.restricted && !spec.values.includes(String(value))) return err('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', `${name}: bad value for restricted picklist field: ${String(value).slice(0, 80)}`, [name]);
			if (spec.unique || spec.externalId) {
				const same = (a) => (spec.caseSensitive ? String(a) === String(value) : String(a).toLowerCase() === String(value).toLowerCase());
				const other = [...object.records.values()].find((r) => r !== self && r[name] !== undefined && r[name] !== null && same(r[name]));
				if (other) return err('DUPLICATE_VALUE', `duplicate value found: ${name} duplicates value on record with id: ${other.Id}`, [name]);
			}
		}
		return null;
	}

	fieldsOf(values) {
		const out = {};
		for (const [k, v] of Object.entries(values)) if (k !== 'attributes' && k !== 'Id' && k !== 'id') out[k] = v;
		return out;
	}

	newId(type) {
		const n = String(this.nextId++).padStart(9, '0');
		return `${this.objects.get(type).prefix}5g0${n}AAA`;
	}

	createOne(type, values) {
		const object = this.objects.get(type);
		if (!object) return { success: false, errors: [err('INVALID_TYPE', `sObject type '${type}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name.`)] };
		const problem = this.invalid(type, values, null);
		if (problem) return { success: false, errors: [problem] };
		const missing = object.required.filter((f) => values[f] === undefined || values[f] === null || values[f] === '');
		if (missing.length) return { success: false, errors: [err('REQUIRED_FIELD_MISSING', `Required fields are missing: [${missing.join(', ')}]`, missing)] };
		const times = type === 'Event' ? eventTimes(values, {}) : { fields: {} };
		if (times.error) return { success: false, errors: [times.error] };
		const Id = this.newId(type);
		const now = new Date().toISOString().replace('Z', '+0000');
		const user = this.user ?? INTEGRATION_USER;
		object.records.set(Id, { ...this.fieldsOf(values), ...times.fields, Id, CreatedDate: now, LastModifiedDate: now, CreatedById: user, LastModifiedById: user });
		this.queueOutbound(type, Id);
		this.undo?.push(() => object.records.delete(Id));
		return { id: Id, success: true, errors: [] };
	}

	updateOne(type, id, values) {
		const record = this.records(type).get(String(id)) ?? [...this.records(type).values()].find((r) => String(id).length === 15 && r.Id.startsWith(String(id)));
		if (!record) return { id, success: false, errors: [err('ENTITY_IS_DELETED', 'entity is deleted')] };
		const problem = this.invalid(type, values, record);
		if (problem) return { id, success: false, errors: [problem] };
		const times = type === 'Event' ? eventTimes(values, record) : { fields: {} };
		if (times.error) return { id, success: false, errors: [times.error] };
		const before = { ...record };
		this.undo?.push(() => {
			for (const k of Object.keys(record)) delete record[k];
			Object.assign(record, before);
		});
		Object.assign(record, this.fieldsOf(values), times.fields, { LastModifiedDate: new Date().toISOString().replace('Z', '+0000'), LastModifiedById: this.user ?? INTEGRATION_USER });
		this.queueOutbound(type, record.Id);
		return { id: record.Id, success: true, errors: [] };
	}

	upsertOne(type, field, value, values) {
		const object = this.objects.get(type);
		if (!object) return { success: false, errors: [err('INVALID_TYPE', `sObject type '${type}' is not supported.`)] };
		const spec = object.fields.get(field);
		if (!spec?.externalId) return { success: false, errors: [err('INVALID_FIELD', `Field ${field} is not an External ID or indexed field for ${type}`, [field])] };
		if (value === undefined || value === null || value === '') return { success: false, errors: [err('MISSING_ARGUMENT', `${field} not specified`, [field])] };
		const matches = [...object.records.values()].filter((r) => (spec.caseSensitive ? String(r[field] ?? '') === String(value) : String(r[field] ?? '').toLowerCase() === String(value).toLowerCase()));
		if (matches.length > 1) return { success: false, multiple: matches.map((r) => r.Id), errors: [err('MULTIPLE_RECORDS_FOUND', `Multiple records found for ${field} = ${value}`)] };
		const { [field]: _ignored, ...rest } = this.fieldsOf(values);
		if (matches.length === 1) return { ...this.updateOne(type, matches[0].Id, rest), created: false };
		return { ...this.createOne(type, { ...rest, [field]: value }), created: true };
	}

	/** One record's answer on its own: Salesforce answers a list of errors with the status. */
	single(out, okStatus) {
		if (out.success) return { status: okStatus, body: out };
		const e = out.errors[0];
		const status = e.statusCode === 'ENTITY_IS_DELETED' ? 404 : 400;
		return { status, body: out.errors.map((x) => ({ message: x.message, errorCode: x.statusCode, fields: x.fields })) };
	}

	/** A collection call: one result per record; with allOrNone nothing is kept when one fails. */
	collection(records, allOrNone, write) {
		const snapshot = allOrNone ? new Map([...this.objects].map(([t, o]) => [t, new Map([...o.records].map(([id, r]) => [id, { ...r }]))])) : null;
		const results = records.map((r) => {
			const out = write(r);
			delete out.multiple;
			return out;
		});
		if (allOrNone && results.some((r) => !r.success)) {
			for (const [t, records_] of snapshot) this.objects.get(t).records = records_;
			return { status: 200, body: results.map((r) => (r.success ? { id: null, success: false, errors: [err('ALL_OR_NONE_OPERATION_ROLLED_BACK', 'Record rolled back because not all records were valid and the request was using AllOrNone header')] } : { ...r, id: null })) };
		}
		return { status: 200, body: results };
	}

	/**
	 * Composite graphs: each graph's nodes run in order, in one transaction of their own; the first node
	 * that fails rolls its graph back (its error, every other node of the graph PROCESSING_HALTED).
	 */
	graphs(graphs) {
		if (!Array.isArray(graphs) || graphs.length === 0) return refuse(400, 'INVALID_INPUT', 'graphs: required');
		if (graphs.length > 75) return refuse(400, 'INVALID_INPUT', 'Number of graphs exceeds the limit of 75');
		const nodes = graphs.reduce((n, g) => n + (g.compositeRequest?.length ?? 0), 0);
		if (nodes > 500) return refuse(400, 'INVALID_INPUT', `Number of nodes in the payload exceeds the limit of 500: ${nodes}`);
		let failures = 0;
		const out = graphs.map((graph) => {
			const requests = graph.compositeRequest ?? [];
			if (failures > 14) return { graphId: graph.graphId, graphResponse: { compositeResponse: requests.map((r) => halted(r.referenceId)) }, isSuccessful: false };
			// What the graph's writes undo, newest first, if one of its nodes fails (their outbound messages too).
			this.undo = [];
			const queued = this.outboundQueue.length;
			const refs = new Map();
			const results = [];
			let failed = false;
			for (const node of requests) {
				if (failed) {
					results.push(halted(node.referenceId));
					continue;
				}
				const result = this.graphNode(node, refs);
				results.push({ body: result.body, httpHeaders: {}, httpStatusCode: result.status, referenceId: node.referenceId });
				if (result.status >= 400) failed = true;
				else refs.set(node.referenceId, result.body);
			}
			if (failed) {
				failures++;
				for (const undo of this.undo.reverse()) undo();
				this.outboundQueue.length = queued;
				for (const r of results) if (r.httpStatusCode < 400) Object.assign(r, halted(r.referenceId));
			}
			this.undo = null;
			return { graphId: graph.graphId, graphResponse: { compositeResponse: results }, isSuccessful: !failed };
		});
		return { status: 200, body: { graphs: out } };
	}

	/** One node of a graph: create (POST sobjects/Type) or update (PATCH sobjects/Type/id), @{ref.field} resolved. */
	graphNode(node, refs) {
		const unresolved = [];
		const resolve = (value) => (typeof value === 'string' ? value.replace(/@\{(\w+)\.(\w+)\}/g, (_, ref, field) => (refs.has(ref) ? String(refs.get(ref)[field]) : (unresolved.push(ref), ''))) : value);
		const body = Object.fromEntries(Object.entries(node.body ?? {}).map(([k, v]) => [k, resolve(v)]));
		const m = /^\/services\/data\/v[\d.]+\/sobjects\/(\w+)(?:\/([^/]+))?\/?$/.exec(resolve(node.url ?? ''));
		if (unresolved.length) return refuse(400, 'INVALID_REFERENCE', `Invalid reference specified. No value for ${unresolved[0]}.id found in ${unresolved[0]}`);
		if (!m) return refuse(400, 'NOT_FOUND', `The requested resource does not exist: ${node.url}`);
		if (node.method === 'POST' && !m[2]) {
			const out = this.createOne(m[1], body);
			return out.success ? { status: 201, body: out } : this.single(out, 201);
		}
		if (node.method === 'PATCH' && m[2]) {
			const out = this.updateOne(m[1], m[2], body);
			return out.success ? { status: 204, body: null } : this.single(out, 204);
		}
		return refuse(400, 'METHOD_NOT_ALLOWED', `HTTP Method '${node.method}' not allowed in a graph for ${node.url}`);
	}

	retrieveMany(type, ids, fields) {
		if (!this.objects.has(type)) return refuse(404, 'NOT_FOUND', `sObject type '${type}' is not supported.`);
		return { status: 200, body: ids.map((id) => (this.records(type).has(id) ? this.shown(type, this.records(type).get(id), fields) : null)) };
	}

	query(soql, batchSize) {
		let parsed;
		try {
			parsed = parseSoql(soql);
		} catch (e) {
			return refuse(400, 'MALFORMED_QUERY', e.message);
		}
		const object = this.objects.get(parsed.from);
		if (!object) return refuse(400, 'INVALID_TYPE', `sObject type '${parsed.from}' is not supported.`);
		const conditions = parsed.where.flatMap((w) => w.any ?? [w]);
		for (const f of [...parsed.fields, ...conditions.map((w) => w.field), ...(parsed.orderBy ? [parsed.orderBy.field] : [])]) {
			if (!object.fields.has(f) && !['CreatedDate', 'LastModifiedDate', 'CreatedById', 'LastModifiedById'].includes(f)) return refuse(400, 'INVALID_FIELD', `No such column '${f}' on entity '${parsed.from}'.`);
		}
		const longText = conditions.find((w) => object.fields.get(w.field)?.type === 'textarea');
		if (longText) return refuse(400, 'INVALID_FIELD', `field '${longText.field}' can not be filtered in a query call`);
		// An id matches in its 15-character (case-sensitive) or 18-character form.
		const id15 = (w) => (w.field === 'Id' ? { ...w, value: typeof w.value === 'string' ? w.value.slice(0, 15) : w.value, values: w.values?.map((v) => String(v).slice(0, 15)) } : w);
		const valueOf = (r, field) => (field === 'Id' ? String(r.Id).slice(0, 15) : r[field]);
		const holds = (r, w) => (w.any ? w.any.some((x) => test(valueOf(r, x.field), id15(x))) : test(valueOf(r, w.field), id15(w)));
		let rows = [...object.records.values()].filter((r) => parsed.where.every((w) => holds(r, w)));
		const order = parsed.orderBy ?? { field: 'Id', desc: false };
		rows.sort((a, b) => compare(a[order.field], b[order.field]) * (order.desc ? -1 : 1));
		if (parsed.limit !== null) rows = rows.slice(0, parsed.limit);
		const shown = rows.map((r) => this.shown(parsed.from, r, parsed.fields));
		return this.page(crypto.randomBytes(8).toString('hex').toUpperCase(), shown, 0, batchSize);
	}

	page(locator, rows, offset, batchSize) {
		const records = rows.slice(offset, offset + batchSize);
		const done = offset + batchSize >= rows.length;
		if (!done) this.cursors.set(locator, { rows, batchSize });
		else this.cursors.delete(locator);
		return { status: 200, body: { totalSize: rows.length, done, records, ...(done ? {} : { nextRecordsUrl: `/services/data/v${API_VERSION}/query/${locator}-${offset + batchSize}` }) } };
	}

	queryMore(cursor) {
		const [locator, offset] = cursor.split('-');
		const state = this.cursors.get(locator);
		if (!state) return refuse(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
		return this.page(locator, state.rows, Number(offset), state.batchSize);
	}
}

const halted = (referenceId) => ({ body: [{ errorCode: 'PROCESSING_HALTED', message: 'The transaction was rolled back since another operation in the same transaction failed.' }], httpHeaders: {}, httpStatusCode: 400, referenceId });

function compare(a, b) {
	if (a === b) return 0;
	if (a === undefined || a === null) return -1;
	if (b === undefined || b === null) return 1;
	if (typeof a === 'number' && typeof b === 'number') return a - b;
	return String(a) < String(b) ? -1 : 1;
}

function test(value, w) {
	const empty = value === undefined || value === null || value === '';
	if (w.value === null) return w.op === '=' ? empty : w.op === '!=' ? !empty : false;
	if (w.op === 'IN') return !empty && w.values.some((v) => String(v).toLowerCase() === String(value).toLowerCase());
	if (empty) return w.op === '!=';
	if (w.op === 'LIKE') return new RegExp(`^${String(w.value).replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.')}$`, 'i').test(String(value));
	const c = typeof w.value === 'number' ? Number(value) - w.value : String(value).toLowerCase() < String(w.value).toLowerCase() ? -1 : String(value).toLowerCase() > String(w.value).toLowerCase() ? 1 : 0;
	return { '=': c === 0, '!=': c !== 0, '<': c < 0, '<=': c <= 0, '>': c > 0, '>=': c >= 0 }[w.op];
}

/** The SOQL the adapter sends: SELECT, FROM, WHERE with AND, ORDER BY, LIMIT. */
function parseSoql(soql) {
	const m = /^\s*SELECT\s+(.+?)\s+FROM\s+(\w+)(?:\s+WHERE\s+(.+?))?(?:\s+ORDER\s+BY\s+(\w+)(?:\s+(ASC|DESC))?)?(?:\s+LIMIT\s+(\d+))?\s*$/is.exec(soql);
	if (!m) throw new Error(`unexpected token in: ${soql.slice(0, 120)}`);
	const fields = m[1].split(',').map((f) => f.trim());
	const where = [];
	let rest = m[3] ?? '';
	const value = (text) => {
		text = text.trim();
		if (/^null$/i.test(text)) return null;
		if (/^(true|false)$/i.test(text)) return text.toLowerCase() === 'true';
		const q = /^'((?:[^'\\]|\\.)*)'$/.exec(text);
		if (q) return q[1].replace(/\\(.)/g, '$1');
		if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
		if (/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2}))?$/.test(text)) return text;
		throw new Error(`unexpected value: ${text.slice(0, 60)}`);
	};
	const CONDITION = /^\s*(\w+)\s*(=|!=|<=|>=|<|>|LIKE|IN)\s*(\((?:[^()']|'(?:[^'\\]|\\.)*')*\)|'(?:[^'\\]|\\.)*'|[^\s()]+)\s*/i;
	const condition = (c) => {
		const op = c[2].toUpperCase();
		if (op !== 'IN') return { field: c[1], op, value: value(c[3]) };
		const inner = c[3].replace(/^\(|\)$/g, '');
		const values = [...inner.matchAll(/'((?:[^'\\]|\\.)*)'|(-?\d+(?:\.\d+)?)/g)].map((x) => (x[1] !== undefined ? x[1].replace(/\\(.)/g, '$1') : Number(x[2])));
		return { field: c[1], op, values };
	};
	while (rest.trim()) {
		if (/^\s*\(/.test(rest)) {
			// A group of conditions joined by OR.
			rest = rest.replace(/^\s*\(/, '');
			const any = [];
			for (;;) {
				const c = CONDITION.exec(rest);
				if (!c) throw new Error(`unexpected token in WHERE: ${rest.slice(0, 80)}`);
				any.push(condition(c));
				rest = rest.slice(c[0].length);
				const sep = /^(OR\s+|\)\s*)/i.exec(rest);
				if (!sep) throw new Error(`unexpected token in WHERE: ${rest.slice(0, 80)}`);
				rest = rest.slice(sep[0].length);
				if (sep[0].startsWith(')')) break;
			}
			where.push({ any });
		} else {
			const c = CONDITION.exec(rest);
			if (!c) throw new Error(`unexpected token in WHERE: ${rest.slice(0, 80)}`);
			where.push(condition(c));
			rest = rest.slice(c[0].length);
		}
		const and = /^(AND\s+|$)/i.exec(rest);
		if (!and) throw new Error(`unexpected token in WHERE: ${rest.slice(0, 80)}`);
		rest = rest.slice(and[0].length);
	}
	return { fields, from: m[2], where, orderBy: m[4] ? { field: m[4], desc: /desc/i.test(m[5] ?? '') } : null, limit: m[6] ? Number(m[6]) : null };
}

module.exports = { SalesforceServer, API_VERSION, MAX_COLLECTION, parseSoql, ORG_ID, INTEGRATION_USER, HUMAN_USER };
