// A HubSpot CRM v3 stand-in for tests only (there is no HubSpot here). It speaks the parts of the API
// the CRM adapter uses, as HubSpot documents them, and it is kept honest by a contract test that runs
// HubSpot's own client (@hubspot/api-client) against it (test/vendors/hubspot/contract.test.ts):
// - private-app token auth (Authorization: Bearer), 401 with HubSpot's error body; OAuth 2.0 for a
//   public app (POST /oauth/v1/token: refresh token or code for an access token, which can expire);
// - objects: GET /crm/v3/objects/{type}/{id} (idProperty), batch create / read / upsert (at most 100
//   inputs, 400 beyond), upsert by a unique-value property, 207 Multi-Status with one error per
//   invalid record while the valid ones are written;
// - search: POST /crm/v3/objects/{type}/search (filter groups OR-ed, filters AND-ed; EQ, NEQ, IN,
//   HAS_PROPERTY, NOT_HAS_PROPERTY, GT, GTE, LT, LTE, CONTAINS_TOKEN), at most 200 a page, paging
//   by `after`; its own limit of 5 requests a second;
// - objects also: single create (POST /crm/v3/objects/{type}) and update (PATCH .../{id}?idProperty=),
//   batch update by id or by a unique property (idProperty); a batch create that meets a taken unique
//   value or an invalid value fails as a whole (409 "... already exists. Existing ID: n", 400) and
//   writes nothing, as HubSpot's does; batch update answers 207 with one error per record it cannot
//   write (not found, invalid);
// - property values checked by type (a number property takes numbers only, as HubSpot's INVALID_INTEGER);
// - properties: GET and POST /crm/v3/properties/{type} (a custom property, optionally unique-valued,
//   in an existing property group) and property groups (GET / POST /crm/v3/properties/{type}/groups);
// - associations v4: batch read (with each link's association types and labels), batch associate
//   (default type) and batch create (with types) between two object types; association labels
//   (GET and POST /crm/v4/associations/{from}/{to}/labels: a label made in both directions, its name
//   unique, 403 MISSING_SCOPES when the app may not change the schema: labelScope false);
// - pipelines: GET and POST /crm/v3/pipelines/{deals|tickets}; a deal's dealstage (a ticket's
//   hs_pipeline_stage) must be the id of a stage of its pipeline (HubSpot's INVALID_OPTION otherwise);
// - rate limits with HubSpot's headers (X-HubSpot-RateLimit-Max / -Remaining /
//   -Interval-Milliseconds, -Daily / -Daily-Remaining) and its 429 bodies (TEN_SECONDLY_ROLLING,
//   DAILY, and the search API's secondly limit);
// - latency per request, and faults for the next requests (500, a dropped connection).
// Nothing shipped in the package uses it.
'use strict';
const { StandIn } = require('../stand-in');
const crypto = require('node:crypto');

const OBJECTS = ['contacts', 'companies', 'deals', 'notes', 'calls', 'meetings', 'tasks', 'tickets'];
/** Properties HubSpot has on a fresh portal (enough for the adapter's mapping), by object. */
const DEFAULT_PROPERTIES = {
	contacts: ['email', 'firstname', 'lastname', 'phone', 'jobtitle', 'company', 'website', 'country', 'lifecyclestage', 'hs_lead_status', 'hubspot_owner_id'],
	companies: ['name', 'domain', 'industry', 'numberofemployees', 'annualrevenue', 'country', 'lifecyclestage', 'hubspot_owner_id'],
	deals: ['dealname', 'amount', 'dealstage', 'pipeline', 'closedate', 'hubspot_owner_id'],
	notes: ['hs_note_body', 'hs_timestamp'],
	calls: ['hs_call_body', 'hs_call_title', 'hs_timestamp'],
	meetings: ['hs_meeting_title', 'hs_meeting_body', 'hs_timestamp'],
	tasks: ['hs_task_subject', 'hs_task_body', 'hs_task_status', 'hs_timestamp'],
	tickets: ['subject', 'content', 'hs_pipeline', 'hs_pipeline_stage', 'hs_ticket_priority'],
};
/** Unique-value properties a fresh portal has: contacts by e-mail (companies' domain is not unique). */
const DEFAULT_UNIQUE = { contacts: ['email'] };
/** Default properties of type number (HubSpot refuses a value that is not one). */
const NUMBER_PROPERTIES = ['numberofemployees', 'annualrevenue', 'amount'];
/** Default properties with fixed options (HubSpot refuses any other value: INVALID_OPTION). */
const OPTIONS = { industry: ['COMPUTER_SOFTWARE', 'FINANCIAL_SERVICES', 'HOSPITAL_HEALTH_CARE', 'MACHINERY', 'RETAIL'] };
/** HubSpot's object type ids, as its errors name them. */
const TYPE_IDS = { contacts: '0-1', companies: '0-2', deals: '0-3', tickets: '0-5', calls: '0-48', notes: '0-46', meetings: '0-47', tasks: '0-27' };
/** The property group a fresh portal has per object (contactinformation, companyinformation...). */
const GROUP = { contacts: 'contactinformation', companies: 'companyinformation', deals: 'dealinformation', tickets: 'ticketinformation', notes: 'engagement', calls: 'engagement', meetings: 'engagement', tasks: 'engagement' };
const MAX_BATCH = 100;
const MAX_SEARCH_PAGE = 200;

const correlationId = () => crypto.randomUUID();

/** A list query parameter as HubSpot reads it: repeated (`a=x&a=y`) or comma-separated (`a=x,y`). */
function listParam(params, name) {
	const values = params.getAll(name).flatMap((v) => v.split(',')).filter(Boolean);
	return values.length ? values : undefined;
}

/** A batch call's answer as HubSpot gives it: 200, or 207 Multi-Status with one error per record it could not do. */
function batchAnswer(results, errors) {
	const now = new Date().toISOString();
	const body = { status: 'COMPLETE', results, startedAt: now, completedAt: now };
	return errors.length ? { status: 207, body: { ...body, numErrors: errors.length, errors } } : { status: 200, body };
}

function error(status, category, message, extra = {}) {
	return { status, body: { status: 'error', message, correlationId: correlationId(), category, ...extra } };
}

class HubSpotServer extends StandIn {
	/**
	 * `windowMs` shortens HubSpot's ten-second window for tests (the headers say the same interval);
	 * `echoIdProperty: false` leaves the unique property out of an updated record's upsert result.
	 * @param {{ token?: string, tenSecondlyMax?: number, windowMs?: number, dailyMax?: number, searchPerSecond?: number, latencyMs?: number, echoIdProperty?: boolean }} [options]
	 */
	constructor({ token = 'pat-test-token', tenSecondlyMax = 190, windowMs = 10_000, dailyMax = 1_000_000, searchPerSecond = 5, latencyMs = 0, echoIdProperty = true } = {}) {
		super();
		this.windowMs = windowMs;
		this.echoIdProperty = echoIdProperty;
		this.token = token;
		this.tenSecondlyMax = tenSecondlyMax;
		this.dailyMax = dailyMax;
		this.searchPerSecond = searchPerSecond;
		this.latencyMs = latencyMs;
		/** Every request: method, path, status, inputs (for batch calls). */
		this.log = [];
		this.faults = [];
		/** The webhook subscription (subscribe), the calls made to it, and how many await their answer. */
		this.webhook = null;
		/** @type {Array<{ events: object[], status: number, answer?: any }>} */
		this.deliveries = [];
		this.pendingDeliveries = 0;
		/** OAuth 2.0: the public app (oauthApp) and the access tokens issued and not yet expired. */
		this.oauth = null;
		this.accessTokens = new Set();
		this.tokensIssued = 0;
		this.reset();
	}

	/** Empties the portal (records, custom properties, counters, log). */
	reset() {
		this.records = new Map(OBJECTS.map((o) => [o, new Map()]));
		this.properties = new Map(OBJECTS.map((o) => [o, new Map(DEFAULT_PROPERTIES[o].map((name) => [name, { name, label: name, type: NUMBER_PROPERTIES.includes(name) ? 'number' : OPTIONS[name] ? 'enumeration' : 'string', fieldType: NUMBER_PROPERTIES.includes(name) ? 'number' : OPTIONS[name] ? 'select' : 'text', ...(OPTIONS[name] ? { options: OPTIONS[name].map((value, displayOrder) => ({ label: value, value, displayOrder })) } : {}), groupName: GROUP[o], hasUniqueValue: (DEFAULT_UNIQUE[o] ?? []).includes(name) }]))]));
		this.groups = new Map(OBJECTS.map((o) => [o, new Map([[GROUP[o], { name: GROUP[o], label: 'Information', displayOrder: -1, archived: false }]])]));
		/** `${from}/${fromId}` -> Set of `${to}/${toId}` (HubSpot's associations are both ways). */
		this.associations = new Map();
		/** `${from}/${fromId}>${to}/${toId}` -> Set of association type ids (1: the default). */
		this.associationTypes = new Map();
		/** `${from}/${to}` -> the pair's association types beyond the default: { category, typeId, label, name, inverse }. */
		this.labels = new Map();
		this.nextTypeId = 100;
		/** Whether the app's token may create association labels (a schema scope). */
		this.labelScope = true;
		const at = new Date().toISOString();
		const stage = (id, label, displayOrder, probability) => ({ id, label, displayOrder, metadata: { probability: String(probability) }, createdAt: at, updatedAt: at, archived: false });
		/** A fresh portal's pipelines: deals' "Sales Pipeline" and tickets' "Support Pipeline". */
		this.pipelines = {
			deals: [{ id: 'default', label: 'Sales Pipeline', displayOrder: 0, createdAt: at, updatedAt: at, archived: false, stages: [stage('appointmentscheduled', 'Appointment Scheduled', 0, 0.2), stage('qualifiedtobuy', 'Qualified To Buy', 1, 0.4), stage('presentationscheduled', 'Presentation Scheduled', 2, 0.6), stage('decisionmakerboughtin', 'Decision Maker Bought-In', 3, 0.8), stage('contractsent', 'Contract Sent', 4, 0.9), stage('closedwon', 'Closed Won', 5, 1), stage('closedlost', 'Closed Lost', 6, 0)] }],
			tickets: [{ id: '0', label: 'Support Pipeline', displayOrder: 0, createdAt: at, updatedAt: at, archived: false, stages: [stage('1', 'New', 0, 0), stage('2', 'Waiting on contact', 1, 0), stage('3', 'Waiting on us', 2, 0), stage('4', 'Closed', 3, 0)] }],
		};
		this.nextId = 1000;
		this.indexes = new Map();
		this.window = [];
		this.searches = [];
		this.daily = 0;
		this.log.length = 0;
		this.faults.length = 0;
		this.eventQueue = [];
	}

	/**
	 * A public app with OAuth 2.0 (HubSpot's /oauth/v1/token): its client id and secret, and the refresh
	 * token a portal's install gave. Access tokens it issues are accepted until expireAccessTokens().
	 * @param {{ clientId: string, clientSecret: string, refreshToken: string } | null} app
	 */
	oauthApp(app) {
		this.oauth = app;
		this.tokensIssued = 0;
	}

	/** Every access token issued so far stops working (HubSpot's expire after 30 minutes). */
	expireAccessTokens() {
		this.accessTokens.clear();
	}

	/** The token endpoint: a refresh token (or an authorization code) for an access token, as HubSpot answers. */
	oauthToken(form, authorization) {
		const basic = /^Basic (.+)$/i.exec(authorization ?? '')?.[1];
		const [basicId, basicSecret] = basic ? Buffer.from(basic, 'base64').toString('utf8').split(':') : [];
		const clientId = form.get('client_id') ?? basicId;
		const clientSecret = form.get('client_secret') ?? basicSecret;
		if (!this.oauth || clientId !== this.oauth.clientId || clientSecret !== this.oauth.clientSecret) return { status: 400, body: { status: 'BAD_CLIENT_ID', message: 'missing or unknown client id', correlationId: crypto.randomUUID() } };
		const grant = form.get('grant_type');
		if (!((grant === 'refresh_token' && form.get('refresh_token') === this.oauth.refreshToken) || grant === 'authorization_code')) return { status: 400, body: { status: 'BAD_REFRESH_TOKEN', message: 'missing or unknown refresh token', correlationId: crypto.randomUUID() } };
		const accessToken = `COjv-oauth-${crypto.randomBytes(12).toString('hex')}`;
		this.accessTokens.add(accessToken);
		this.tokensIssued++;
		return { status: 200, body: { token_type: 'bearer', refresh_token: this.oauth.refreshToken, access_token: accessToken, expires_in: 1800 } };
	}

	/** The next requests fail: `500` answers an error, `drop` closes the connection. */
	fail(...kinds) {
		this.faults.push(...kinds);
	}

	/**
	 * Records of an object as stored.
	 * @returns {Map<string, { id: string, properties: Record<string, string>, createdAt: string, updatedAt: string }>}
	 */
	objects(type) {
		return this.records.get(type) ?? new Map();
	}

	serve(req, res, raw) {
		const url = new URL(req.url, 'http://x');
		const entry = { method: req.method, path: url.pathname, status: 0, inputs: 0 };
		this.log.push(entry);
		const fault = this.faults.shift();
		if (fault === 'drop') return req.socket.destroy();
		let out;
		try {
			out = fault === '500' ? error(500, 'INTERNAL_ERROR', 'internal error') : url.pathname === '/oauth/v1/token' && req.method === 'POST' ? this.oauthToken(new URLSearchParams(raw), req.headers.authorization) : this.route(req, url, raw ? JSON.parse(raw) : null, entry);
		} catch (e) {
			out = error(400, 'VALIDATION_ERROR', `Invalid input JSON: ${e.message}`);
		}
		entry.status = out.status;
		const headers = { 'content-type': 'application/json;charset=utf-8', ...this.limitHeaders(), ...(out.headers ?? {}) };
		res.writeHead(out.status, headers);
		res.end(out.body === undefined ? '' : JSON.stringify(out.body));
		this.flushEvents();
	}

	limitHeaders() {
		return {
			'x-hubspot-ratelimit-interval-milliseconds': String(this.windowMs),
			'x-hubspot-ratelimit-max': String(this.tenSecondlyMax),
			'x-hubspot-ratelimit-remaining': String(Math.max(0, this.tenSecondlyMax - this.window.length)),
			'x-hubspot-ratelimit-daily': String(this.dailyMax),
			'x-hubspot-ratelimit-daily-remaining': String(Math.max(0, this.dailyMax - this.daily)),
		};
	}

	/** HubSpot's limits: a rolling ten seconds, a day, and the search API's five a second. */
	limited(isSearch) {
		const now = Date.now();
		this.window = this.window.filter((t) => now - t < this.windowMs);
		if (this.daily >= this.dailyMax) return error(429, 'RATE_LIMITS', 'You have reached your daily limit.', { errorType: 'RATE_LIMIT', policyName: 'DAILY' });
		if (this.window.length >= this.tenSecondlyMax) return error(429, 'RATE_LIMITS', 'You have reached your ten_secondly_rolling limit.', { errorType: 'RATE_LIMIT', policyName: 'TEN_SECONDLY_ROLLING' });
		if (isSearch) {
			this.searches = this.searches.filter((t) => now - t < 1000);
			if (this.searches.length >= this.searchPerSecond) return error(429, 'RATE_LIMITS', 'You have reached your secondly limit.', { errorType: 'RATE_LIMIT' });
			this.searches.push(now);
		}
		this.window.push(now);
		this.daily++;
		return null;
	}

	route(req, url, body, entry) {
		const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
		if (bearer !== this.token && !this.accessTokens.has(bearer)) {
			return error(401, 'INVALID_AUTHENTICATION', 'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview');
		}
		const path = url.pathname.split('/').filter(Boolean);
		const isSearch = path[2] === 'objects' && path[4] === 'search';
		const limit = this.limited(isSearch);
		if (limit) return limit;
		if (path[0] === 'crm' && path[1] === 'v3' && path[2] === 'properties' && this.records.has(path[3])) {
			if (path[4] === 'groups') return req.method === 'GET' ? { status: 200, body: { results: [...this.groups.get(path[3]).values()] } } : req.method === 'POST' ? this.createGroup(path[3], body) : error(405, 'VALIDATION_ERROR', 'Method not allowed');
			return req.method === 'GET' ? this.listProperties(path[3]) : req.method === 'POST' ? this.createProperty(path[3], body) : error(405, 'VALIDATION_ERROR', 'Method not allowed');
		}
		if (path[0] === 'crm' && path[1] === 'v3' && path[2] === 'pipelines' && this.pipelines[path[3]] && path.length === 4) {
			if (req.method === 'GET') return { status: 200, body: { results: this.pipelines[path[3]] } };
			if (req.method === 'POST') return { status: 201, body: this.addPipeline(path[3], body?.label, body?.stages ?? [], body?.displayOrder) };
		}
		if (path[0] === 'crm' && path[1] === 'v4' && path[2] === 'associations' && path[5] === 'labels' && path.length === 6) {
			const [from, to] = [path[3], path[4]];
			if (!this.records.has(from) || !this.records.has(to)) return error(400, 'VALIDATION_ERROR', `Unable to infer object type from: ${this.records.has(from) ? to : from}`);
			if (req.method === 'GET') return { status: 200, body: { results: [{ category: 'HUBSPOT_DEFINED', typeId: 1, label: null }, ...(this.labels.get(`${from}/${to}`) ?? []).map(({ category, typeId, label }) => ({ category, typeId, label }))] } };
			if (req.method === 'POST') return this.createLabel(from, to, body);
			return error(405, 'VALIDATION_ERROR', 'Method not allowed');
		}
		if (path[0] === 'crm' && path[1] === 'v4' && path[2] === 'associations' && path[5] === 'batch' && req.method === 'POST') {
			const [from, to] = [path[3], path[4]];
			if (!this.records.has(from) || !this.records.has(to)) return error(400, 'VALIDATION_ERROR', `Unable to infer object type from: ${this.records.has(from) ? to : from}`);
			const inputs = body?.inputs;
			if (!Array.isArray(inputs)) return error(400, 'VALIDATION_ERROR', 'Invalid input JSON on line 1: inputs is required');
			entry.inputs = inputs.length;
			if (inputs.length > MAX_BATCH) return error(400, 'VALIDATION_ERROR', `Batch input size is limited to ${MAX_BATCH}; got ${inputs.length}.`);
			if (path[6] === 'read') return this.readAssociations(from, to, inputs);
			if (path[6] === 'associate' && path[7] === 'default') return this.associateDefault(from, to, inputs);
			if (path[6] === 'create' && path.length === 7) return this.associateTyped(from, to, inputs);
			return error(404, 'OBJECT_NOT_FOUND', `No route for ${url.pathname}`);
		}
		if (path[0] !== 'crm' || path[1] !== 'v3' || path[2] !== 'objects') return error(404, 'OBJECT_NOT_FOUND', `No route for ${url.pathname}`);
		const type = path[3];
		if (!this.records.has(type)) return error(400, 'VALIDATION_ERROR', `Unable to infer object type from: ${type}`);
		if (path[4] === 'batch' && req.method === 'POST') {
			const inputs = body?.inputs;
			if (!Array.isArray(inputs)) return error(400, 'VALIDATION_ERROR', 'Invalid input JSON on line 1: inputs is required');
			entry.inputs = inputs.length;
			if (inputs.length > MAX_BATCH) return error(400, 'VALIDATION_ERROR', `Batch input size is limited to ${MAX_BATCH}; got ${inputs.length}.`);
			if (path[5] === 'upsert') return this.batchUpsert(type, inputs);
			if (path[5] === 'create') return this.batchCreate(type, inputs);
			if (path[5] === 'update') return this.batchUpdate(type, inputs);
			if (path[5] === 'read') return this.batchRead(type, inputs, body.idProperty, body.properties);
			return error(404, 'OBJECT_NOT_FOUND', `No batch operation ${path[5]}`);
		}
		if (isSearch && req.method === 'POST') return this.search(type, body ?? {});
		if (path.length === 4 && req.method === 'GET') return this.list(type, url.searchParams);
		if (path.length === 4 && req.method === 'POST') return this.createOne(type, body ?? {});
		if (path.length === 5 && req.method === 'PATCH') {
			const record = this.find(type, url.searchParams.get('idProperty'), decodeURIComponent(path[4]));
			if (!record) return error(404, 'OBJECT_NOT_FOUND', 'resource not found');
			const problem = this.invalid(type, body?.properties, record);
			if (problem) return error(problem.category === 'CONFLICT' ? 409 : 400, problem.category, problem.message, { context: problem.context });
			this.write(type, record, body?.properties ?? {});
			return { status: 200, body: this.shown(record) };
		}
		if (path.length === 5 && req.method === 'GET') {
			const record = this.find(type, url.searchParams.get('idProperty'), decodeURIComponent(path[4]));
			return record ? { status: 200, body: this.shown(record, listParam(url.searchParams, 'properties')) } : error(404, 'OBJECT_NOT_FOUND', 'resource not found');
		}
		return error(404, 'OBJECT_NOT_FOUND', `No route for ${req.method} ${url.pathname}`);
	}

	listProperties(type) {
		return { status: 200, body: { results: [...this.properties.get(type).values()] } };
	}

	/** A pipeline as an admin makes one (stage ids are HubSpot's unless given, as a test may give them). */
	addPipeline(type, label, stages, displayOrder = 0) {
		const now = new Date().toISOString();
		const pipeline = { id: String(this.nextId++), label, displayOrder, createdAt: now, updatedAt: now, archived: false, stages: stages.map((st, i) => ({ id: st.id ?? String(this.nextId++), label: st.label, displayOrder: st.displayOrder ?? i, metadata: st.metadata ?? {}, createdAt: now, updatedAt: now, archived: false })) };
		this.pipelines[type].push(pipeline);
		return pipeline;
	}

	createGroup(type, body) {
		const groups = this.groups.get(type);
		if (!body?.name || !/^[a-z][a-z0-9_]*$/.test(body.name)) return error(400, 'VALIDATION_ERROR', `Property group name "${body?.name}" is invalid.`);
		if (groups.has(body.name)) return error(409, 'OBJECT_ALREADY_EXISTS', `A property group named '${body.name}' already exists.`);
		const group = { name: body.name, label: body.label ?? body.name, displayOrder: body.displayOrder ?? -1, archived: false };
		groups.set(body.name, group);
		return { status: 201, body: group };
	}

	createProperty(type, body) {
		const props = this.properties.get(type);
		if (body?.groupName && !this.groups.get(type).has(body.groupName)) return error(400, 'VALIDATION_ERROR', `Property group ${body.groupName} does not exist.`);
		if (body?.hasUniqueValue === true && [...props.values()].filter((p) => p.hasUniqueValue && !(DEFAULT_UNIQUE[type] ?? []).includes(p.name)).length >= 10) return error(400, 'VALIDATION_ERROR', 'You can have at most 10 unique value properties per object.');
		if (!body?.name || !/^[a-z][a-z0-9_]*$/.test(body.name)) return error(400, 'VALIDATION_ERROR', `Property name "${body?.name}" is invalid: lower-case letters, digits and underscores, starting with a letter.`);
		if (props.has(body.name)) return error(409, 'OBJECT_ALREADY_EXISTS', `A property named '${body.name}' already exists.`, { context: { name: [body.name] } });
		const property = { name: body.name, label: body.label ?? body.name, type: body.type ?? 'string', fieldType: body.fieldType ?? 'text', groupName: body.groupName ?? GROUP[type], hasUniqueValue: body.hasUniqueValue === true, ...(body.options ? { options: body.options } : {}) };
		props.set(body.name, property);
		this.indexes.delete(`${type}.${body.name}`);
		return { status: 201, body: property };
	}

	/** The record whose `idProperty` (default: HubSpot's id) has this value (any case). */
	find(type, idProperty, value) {
		const records = this.records.get(type);
		if (!idProperty || idProperty === 'hs_object_id') return records.get(String(value));
		const want = String(value).toLowerCase();
		if (this.properties.get(type).get(idProperty)?.hasUniqueValue) {
			const hit = this.uniqueIndex(type, idProperty).get(want);
			return hit && String(hit.properties[idProperty] ?? '').toLowerCase() === want ? hit : undefined;
		}
		for (const r of records.values()) if (String(r.properties[idProperty] ?? '').toLowerCase() === want) return r;
		return undefined;
	}

	/** value -> record of a unique-value property, kept as records are written (HubSpot indexes them too). */
	uniqueIndex(type, property) {
		const key = `${type}.${property}`;
		let index = this.indexes.get(key);
		if (!index) {
			index = new Map();
			for (const r of this.records.get(type).values()) if (r.properties[property]) index.set(String(r.properties[property]).toLowerCase(), r);
			this.indexes.set(key, index);
		}
		return index;
	}

	/** After a write: the record under its unique values. */
	indexRecord(type, record) {
		for (const [name, p] of this.properties.get(type)) {
			if (p.hasUniqueValue && record.properties[name]) this.uniqueIndex(type, name).set(String(record.properties[name]).toLowerCase(), record);
		}
	}

	shown(record, properties) {
		const names = properties?.length ? properties : Object.keys(record.properties);
		const props = { hs_object_id: record.id, createdate: record.createdAt, lastmodifieddate: record.updatedAt };
		for (const n of names) if (n in record.properties) props[n] = record.properties[n];
		return { id: record.id, properties: props, createdAt: record.createdAt, updatedAt: record.updatedAt, archived: false };
	}

	/** Why these properties cannot be written, or null: an unknown property, or a unique value taken. */
	invalid(type, properties, self) {
		const known = this.properties.get(type);
		for (const [name, value] of Object.entries(properties ?? {})) {
			if (!known.has(name)) return { category: 'VALIDATION_ERROR', message: `Property values were not valid: [{"isValid":false,"message":"Property \\"${name}\\" does not exist","error":"PROPERTY_DOESNT_EXIST","name":"${name}"}]`, context: { propertyName: [name] } };
			if (known.get(name).type === 'number' && value !== '' && value !== null && !Number.isFinite(Number(value))) {
				return { category: 'VALIDATION_ERROR', message: `Property values were not valid: [{"isValid":false,"message":"${String(value).slice(0, 100)} was not a valid number.","error":"INVALID_INTEGER","name":"${name}"}]`, context: { propertyName: [name] } };
			}
			const stageProperty = { deals: 'dealstage', tickets: 'hs_pipeline_stage' }[type];
			if (name === stageProperty && value !== '' && value !== null) {
				// The stage must be one of the record's pipeline (as given, or as stored), else of any.
				const pipelineId = properties[{ deals: 'pipeline', tickets: 'hs_pipeline' }[type]] ?? self?.properties?.[{ deals: 'pipeline', tickets: 'hs_pipeline' }[type]];
				const pipelines = this.pipelines[type].filter((pl) => pipelineId === undefined || pipelineId === null || pl.id === String(pipelineId));
				const ids = pipelines.flatMap((pl) => pl.stages.map((st) => st.id));
				if (!ids.includes(String(value))) return { category: 'VALIDATION_ERROR', message: `Property values were not valid: [{"isValid":false,"message":"${String(value).slice(0, 100)} was not one of the allowed options: [${ids.join(', ')}]","error":"INVALID_OPTION","name":"${name}"}]`, context: { propertyName: [name] } };
			}
			const options = known.get(name).options;
			if (known.get(name).type === 'enumeration' && options && value !== '' && value !== null) {
				const allowed = options.map((o) => o.value);
				const bad = String(value).split(';').find((v) => !allowed.includes(v));
				if (bad !== undefined) return { category: 'VALIDATION_ERROR', message: `Property values were not valid: [{"isValid":false,"message":"${bad.slice(0, 100)} was not one of the allowed options: [${allowed.join(', ')}]","error":"INVALID_OPTION","name":"${name}"}]`, context: { propertyName: [name] } };
			}
			if (known.get(name).hasUniqueValue && value !== '' && value !== null) {
				const other = this.find(type, name, value);
				if (other && other !== self) return { category: 'CONFLICT', message: `A ${type.replace(/s$/, '')} with ${name} "${value}" already exists. Existing ID: ${other.id}`, context: { id: [other.id] } };
			}
		}
		return null;
	}

	batchUpsert(type, inputs) {
		const results = [];
		const errors = [];
		const now = new Date().toISOString();
		for (const input of inputs) {
			const idProperty = input.idProperty;
			if (!input.create) {
				if (!idProperty || !this.properties.get(type).get(idProperty)?.hasUniqueValue) {
					errors.push({ status: 'error', category: 'VALIDATION_ERROR', message: `Property ${idProperty} is not a unique identifier property`, context: { idProperty: [String(idProperty)] } });
					continue;
				}
				if (input.id === undefined || input.id === null || input.id === '') {
					errors.push({ status: 'error', category: 'VALIDATION_ERROR', message: 'Missing id for upsert input', context: { id: [''] } });
					continue;
				}
			}
			const existing = input.create ? undefined : this.find(type, idProperty, input.id);
			const properties = { ...(input.properties ?? {}) };
			if (!input.create && !existing) properties[idProperty] = String(input.id);
			const problem = this.invalid(type, properties, existing);
			if (problem) {
				errors.push({ status: 'error', ...problem });
				continue;
			}
			const record = this.write(type, existing ?? {}, properties);
			const echoed = Object.keys(properties).filter((k) => this.echoIdProperty || k !== idProperty || !existing);
			if (this.echoIdProperty && idProperty && !echoed.includes(idProperty)) echoed.push(idProperty);
			this.indexRecord(type, record);
			results.push({ ...this.shown(record, echoed), new: !existing });
		}
		const body = { status: 'COMPLETE', results, startedAt: now, completedAt: new Date().toISOString() };
		if (errors.length) return { status: 207, body: { ...body, numErrors: errors.length, errors } };
		return { status: 200, body };
	}

	/**
	 * Writes properties onto a record (new or stored), indexes its unique values, and queues the
	 * webhook events a subscription asks for: a creation, and a change per property whose value changed.
	 */
	write(type, record, properties, source = { changeSource: 'INTEGRATION', sourceId: String(this.webhook?.appId ?? '') }) {
		const now = new Date().toISOString();
		const created = !record.id;
		const changed = Object.entries(properties ?? {}).filter(([k, v]) => created || String(record.properties[k] ?? '') !== String(v ?? ''));
		if (!created) {
			Object.assign(record.properties, properties);
			record.updatedAt = now;
		} else {
			record.id = String(this.nextId++);
			Object.assign(record, { properties: { ...properties }, createdAt: now, updatedAt: now });
			this.records.get(type).set(record.id, record);
		}
		this.indexRecord(type, record);
		this.queueEvents(type, record.id, created, changed, source);
		return record;
	}

	/**
	 * Webhook subscriptions, as a HubSpot app's Webhooks settings hold them: one target URL, the app's
	 * client secret (requests are signed with X-HubSpot-Signature-v3), and per object type the events:
	 * `creation`, `deletion`, and the properties whose changes are sent. Events go out after the
	 * request that caused them is answered, up to 100 a call, as HubSpot sends them.
	 * @param {{ url: string, clientSecret: string, appId: number, subscriptions: Record<string, { creation?: boolean, properties?: string[] }> } | null} webhook
	 */
	subscribe(webhook) {
		this.webhook = webhook;
		/** Deliveries: the events sent, and n8n's answer status. */
		this.deliveries = [];
		this.pendingDeliveries = 0;
	}

	/** A person edits a record in HubSpot's UI (events with changeSource CRM_UI). */
	humanEdit(type, id, properties, userId = 4242) {
		const record = this.records.get(type).get(String(id));
		if (!record) throw new Error(`no ${type} ${id}`);
		this.write(type, record, properties, { changeSource: 'CRM_UI', sourceId: `userId:${userId}` });
		this.flushEvents();
	}

	queueEvents(type, id, created, changed, source) {
		const sub = this.webhook?.subscriptions?.[type];
		if (!sub) return;
		const prefix = { contacts: 'contact', companies: 'company', deals: 'deal', tickets: 'ticket' }[type];
		if (!prefix) return;
		const base = { portalId: 62515, appId: this.webhook.appId, occurredAt: Date.now(), attemptNumber: 0, objectId: Number(id), changeSource: source.changeSource, sourceId: source.sourceId };
		this.eventQueue ??= [];
		this.nextEventId ??= 1;
		if (created && sub.creation) this.eventQueue.push({ eventId: this.nextEventId++, subscriptionId: 1, subscriptionType: `${prefix}.creation`, ...base });
		for (const [name, value] of changed) {
			if ((sub.properties ?? []).includes(name)) this.eventQueue.push({ eventId: this.nextEventId++, subscriptionId: 2, subscriptionType: `${prefix}.propertyChange`, propertyName: name, propertyValue: String(value ?? ''), ...base });
		}
	}

	/** Sends the queued events (after the response that caused them). */
	flushEvents() {
		const events = this.eventQueue ?? [];
		this.eventQueue = [];
		if (!this.webhook || events.length === 0) return;
		for (let i = 0; i < events.length; i += 100) {
			const body = JSON.stringify(events.slice(i, i + 100));
			const timestamp = String(Date.now());
			const signature = crypto.createHmac('sha256', this.webhook.clientSecret).update(`POST${this.webhook.url}${body}${timestamp}`).digest('base64');
			const delivery = { events: events.slice(i, i + 100), status: 0 };
			this.deliveries.push(delivery);
			this.pendingDeliveries++;
			fetch(this.webhook.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hubspot-signature-v3': signature, 'x-hubspot-request-timestamp': timestamp }, body })
				.then(async (res) => {
					delivery.status = res.status;
					const text = await res.text();
					try {
						delivery.answer = JSON.parse(text);
					} catch {
						delivery.answer = text;
					}
				})
				.catch(() => (delivery.status = -1))
				.finally(() => this.pendingDeliveries--);
		}
	}

	/** Two inputs of one batch with the same unique value conflict with each other as well. */
	batchCreate(type, inputs) {
		const seen = new Map();
		for (const input of inputs) {
			const problem = this.invalid(type, input.properties, undefined);
			if (problem) return error(problem.category === 'CONFLICT' ? 409 : 400, problem.category, problem.category === 'CONFLICT' ? problem.message.replace(/^A [a-z]+ with \S+ "[^"]*"/, `${type[0].toUpperCase()}${type.slice(1).replace(/s$/, '')}`) : problem.message, problem.category === 'CONFLICT' ? {} : { context: problem.context });
			for (const [name, p] of this.properties.get(type)) {
				const v = input.properties?.[name];
				if (!p.hasUniqueValue || v === undefined || v === null || v === '') continue;
				const k = `${name}=${String(v).toLowerCase()}`;
				if (seen.has(k)) return error(400, 'VALIDATION_ERROR', `Duplicate unique value ${name} "${v}" in the batch inputs.`);
				seen.set(k, true);
			}
		}
		const now = new Date().toISOString();
		const results = inputs.map((input) => this.shown(this.write(type, {}, input.properties ?? {})));
		return { status: 201, body: { status: 'COMPLETE', results, startedAt: now, completedAt: new Date().toISOString() } };
	}

	createOne(type, body) {
		const problem = this.invalid(type, body.properties, undefined);
		if (problem) return error(problem.category === 'CONFLICT' ? 409 : 400, problem.category, problem.category === 'CONFLICT' ? problem.message.replace(/^A [a-z]+ with \S+ "[^"]*"/, `${type[0].toUpperCase()}${type.slice(1).replace(/s$/, '')}`) : problem.message, problem.category === 'CONFLICT' ? {} : { context: problem.context });
		return { status: 201, body: this.shown(this.write(type, {}, body.properties ?? {})) };
	}

	/** Update by HubSpot's id, or by a unique property's value (idProperty). */
	batchUpdate(type, inputs) {
		const results = [];
		const errors = [];
		for (const input of inputs) {
			if (input.idProperty && input.idProperty !== 'hs_object_id' && !this.properties.get(type).get(input.idProperty)?.hasUniqueValue) {
				return error(400, 'VALIDATION_ERROR', `Unable to perform update/upsert by non-unique ${TYPE_IDS[type]} property ${input.idProperty}`);
			}
			const record = this.find(type, input.idProperty, input.id);
			if (!record) {
				errors.push({ status: 'error', category: 'OBJECT_NOT_FOUND', message: `Could not find ${type} with ${input.idProperty ?? 'id'} ${input.id}`, context: { ids: [String(input.id)] } });
				continue;
			}
			const problem = this.invalid(type, input.properties, record);
			if (problem) {
				errors.push({ status: 'error', ...problem, context: { ...problem.context, ids: [String(input.id)] } });
				continue;
			}
			this.write(type, record, input.properties ?? {});
			results.push(this.shown(record));
		}
		return batchAnswer(results, errors);
	}

	readAssociations(from, to, inputs) {
		const results = [];
		const errors = [];
		for (const input of inputs) {
			const id = String(input.id);
			if (!this.records.get(from).has(id)) {
				errors.push({ status: 'error', category: 'OBJECT_NOT_FOUND', message: `No ${from} with id ${id}`, context: { ids: [id] } });
				continue;
			}
			const linked = [...(this.associations.get(`${from}/${id}`) ?? [])].filter((x) => x.startsWith(`${to}/`)).map((x) => x.slice(to.length + 1));
			const types = (toId) => [...(this.associationTypes.get(`${from}/${id}>${to}/${toId}`) ?? [1])].map((typeId) => {
				const spec = (this.labels.get(`${from}/${to}`) ?? []).find((l) => l.typeId === typeId);
				return spec ? { category: spec.category, typeId, label: spec.label } : { category: 'HUBSPOT_DEFINED', typeId, label: null };
			});
			if (linked.length) results.push({ from: { id }, to: linked.map((toObjectId) => ({ toObjectId: Number(toObjectId), associationTypes: types(toObjectId) })) });
		}
		return batchAnswer(results, errors);
	}

	associateDefault(from, to, inputs) {
		const results = [];
		const errors = [];
		for (const input of inputs) {
			const [a, b] = [String(input.from?.id), String(input.to?.id)];
			if (!this.records.get(from).has(a) || !this.records.get(to).has(b)) {
				errors.push({ status: 'error', category: 'VALIDATION_ERROR', message: `One or more of the objects (${from} ${a}, ${to} ${b}) does not exist`, context: { fromObjectId: [a], toObjectId: [b] } });
				continue;
			}
			this.link(from, a, to, b, 1, 1);
			results.push({ from: { id: a }, to: { id: b }, associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 1 } });
		}
		return batchAnswer(results, errors);
	}

	/** Links two records both ways with a type (and its inverse for the other direction). */
	link(from, a, to, b, typeId, inverse) {
		const add = (map, k, v) => map.set(k, new Set([...(map.get(k) ?? []), v]));
		add(this.associations, `${from}/${a}`, `${to}/${b}`);
		add(this.associations, `${to}/${b}`, `${from}/${a}`);
		add(this.associationTypes, `${from}/${a}>${to}/${b}`, typeId);
		add(this.associationTypes, `${to}/${b}>${from}/${a}`, inverse);
	}

	/** The labels of the link from one record to another (its labeled association types). */
	linkLabels(from, a, to, b) {
		const specs = this.labels.get(`${from}/${to}`) ?? [];
		return [...(this.associationTypes.get(`${from}/${a}>${to}/${b}`) ?? [])].map((t) => specs.find((l) => l.typeId === t)?.label).filter(Boolean);
	}

	createLabel(from, to, body) {
		if (!this.labelScope) return error(403, 'MISSING_SCOPES', 'This app hasn\'t been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.');
		const label = typeof body?.label === 'string' ? body.label.trim() : '';
		const name = typeof body?.name === 'string' ? body.name : '';
		if (!label || !name) return error(400, 'VALIDATION_ERROR', `Invalid input JSON: ${!label ? 'label' : 'name'} is required`);
		const all = [...this.labels.values()].flat();
		if (all.some((l) => l.name === name && l.pair === `${from}/${to}`) || (this.labels.get(`${from}/${to}`) ?? []).some((l) => l.label.toLowerCase() === label.toLowerCase())) return error(400, 'VALIDATION_ERROR', `An association label named ${name} already exists between ${from} and ${to}`);
		const typeId = this.nextTypeId++;
		const inverse = this.nextTypeId++;
		const push = (pair, spec) => this.labels.set(pair, [...(this.labels.get(pair) ?? []), spec]);
		push(`${from}/${to}`, { category: 'USER_DEFINED', typeId, label, name, inverse, pair: `${from}/${to}` });
		push(`${to}/${from}`, { category: 'USER_DEFINED', typeId: inverse, label, name, inverse: typeId, pair: `${to}/${from}` });
		return { status: 200, body: { results: [{ category: 'USER_DEFINED', typeId, label }, { category: 'USER_DEFINED', typeId: inverse, label }] } };
	}

	associateTyped(from, to, inputs) {
		const results = [];
		const errors = [];
		const specs = this.labels.get(`${from}/${to}`) ?? [];
		for (const input of inputs) {
			const [a, b] = [String(input.from?.id), String(input.to?.id)];
			const types = Array.isArray(input.types) ? input.types : [];
			if (!this.records.get(from).has(a) || !this.records.get(to).has(b)) {
				errors.push({ status: 'error', category: 'VALIDATION_ERROR', message: `One or more of the objects (${from} ${a}, ${to} ${b}) does not exist`, context: { fromObjectId: [a], toObjectId: [b] } });
				continue;
			}
			const unknown = types.find((t) => t.associationTypeId !== 1 && !specs.some((l) => l.typeId === t.associationTypeId && l.category === t.associationCategory));
			if (types.length === 0 || unknown) {
				errors.push({ status: 'error', category: 'VALIDATION_ERROR', message: `${unknown ? `${unknown.associationCategory} ${unknown.associationTypeId} is not a valid association type` : 'types is required'} between ${from} and ${to}`, context: { fromObjectId: [a], toObjectId: [b] } });
				continue;
			}
			for (const t of types) this.link(from, a, to, b, t.associationTypeId, t.associationTypeId === 1 ? 1 : specs.find((l) => l.typeId === t.associationTypeId).inverse);
			results.push({ fromObjectTypeId: from, fromObjectId: Number(a), toObjectTypeId: to, toObjectId: Number(b), labels: types.map((t) => specs.find((l) => l.typeId === t.associationTypeId)?.label).filter(Boolean) });
		}
		// Created: 201 (207 with the refused inputs).
		const answer = batchAnswer(results, errors);
		return answer.status === 200 ? { ...answer, status: 201 } : answer;
	}

	batchRead(type, inputs, idProperty, properties) {
		const results = [];
		const errors = [];
		for (const input of inputs) {
			const record = this.find(type, idProperty, input.id);
			if (record) results.push(this.shown(record, properties));
			else errors.push({ status: 'error', category: 'OBJECT_NOT_FOUND', message: `Could not get some ${type} objects, they may be deleted or not exist. Check that ids are valid.`, context: { ids: [String(input.id)] } });
		}
		return batchAnswer(results, errors);
	}

	/** GET /crm/v3/objects/{type}: a page of records by id (limit up to 100), `after` to go on. */
	list(type, params) {
		const limit = Math.min(Number(params.get('limit') ?? 10), 100);
		const all = [...this.records.get(type).values()].sort((a, b) => Number(a.id) - Number(b.id));
		const after = params.get('after');
		const from = after ? all.findIndex((r) => Number(r.id) > Number(after)) : 0;
		const page = from < 0 ? [] : all.slice(from, from + limit);
		const properties = listParam(params, 'properties');
		const more = from >= 0 && from + limit < all.length;
		return { status: 200, body: { results: page.map((r) => this.shown(r, properties)), ...(more ? { paging: { next: { after: page[page.length - 1].id } } } : {}) } };
	}

	search(type, body) {
		const limit = Math.min(Number(body.limit ?? 10), MAX_SEARCH_PAGE);
		const groups = body.filterGroups ?? [];
		const matches = (record) => {
			const props = { hs_object_id: record.id, ...record.properties };
			const test = (f) => {
				const v = props[f.propertyName];
				const has = v !== undefined && v !== null && v !== '';
				const text = String(v ?? '').toLowerCase();
				const want = String(f.value ?? '').toLowerCase();
				const num = (x) => (/^\d{4}-\d{2}-\d{2}/.test(String(x)) ? Date.parse(x) : Number(x));
				switch (f.operator) {
					case 'EQ': return has && text === want;
					case 'NEQ': return text !== want;
					case 'IN': return has && (f.values ?? []).map((x) => String(x).toLowerCase()).includes(text);
					case 'HAS_PROPERTY': return has;
					case 'NOT_HAS_PROPERTY': return !has;
					case 'GT': return has && num(v) > num(f.value);
					case 'GTE': return has && num(v) >= num(f.value);
					case 'LT': return has && num(v) < num(f.value);
					case 'LTE': return has && num(v) <= num(f.value);
					case 'CONTAINS_TOKEN': {
						// A token, or with * wildcards a pattern of one (HubSpot: "*soft*").
						const pattern = new RegExp(`^${want.split('*').map((x) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
						return has && text.split(/[\s,;]+/).some((t) => pattern.test(t));
					}
					default: return false;
				}
			};
			return groups.length === 0 || groups.some((g) => (g.filters ?? []).every(test));
		};
		// HubSpot returns search results in a stable order (by id unless sorted).
		const all = [...this.records.get(type).values()].filter(matches).sort((a, b) => Number(a.id) - Number(b.id));
		const start = Number(body.after ?? 0);
		// HubSpot's search reaches the first 10,000 results of a query only.
		if (start + limit > 10_000) return error(400, 'VALIDATION_ERROR', 'The search API can only page through the first 10,000 results; narrow the query (e.g. hs_object_id GT the last id)');
		const page = all.slice(start, start + limit).map((r) => this.shown(r, body.properties));
		const next = start + limit < all.length ? { next: { after: String(start + limit) } } : undefined;
		return { status: 200, body: { total: all.length, results: page, ...(next ? { paging: next } : {}) } };
	}
}

module.exports = { HubSpotServer, MAX_BATCH, MAX_SEARCH_PAGE };
