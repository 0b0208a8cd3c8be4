import fs from 'node:fs';
import path from 'node:path';
import {
	canonStage,
	companyAlertChannel,
	companyApprovers,
	companyConfigReference,
	configReferenceOf,
	loadCompanyConfigById,
	parseCompanyConfig,
	policiesFor,
	resolveCompanyConfig,
	SECTIONS_LEFT_TO_FILE,
} from '../../nodes/shared/domain/crm/company-config';
import { ConfigError } from '../../nodes/shared/domain/config-error';

const dir = path.join(__dirname, '../../workflows/companies');
const examples = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));
const read = (f: string) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));

describe('company config', () => {
	it('ships two example companies that validate and differ where companies differ', () => {
		expect(examples.sort()).toEqual(['acme-saas-us.json', 'nordwind-services-eu.json']);
		const [acme, nord] = examples.map((f) => parseCompanyConfig(read(f)).config);
		expect(acme.crm.backend).toBe('dataTables');
		expect(nord.crm).toEqual({ backend: 'postgres', schema: 'nordwind_crm' });
		expect(acme.calendar.timezone).not.toBe(nord.calendar.timezone);
		expect(acme.company.currency).not.toBe(nord.company.currency);
		expect(acme.playbooks.icp).toBeDefined();
		expect(nord.playbooks.icp?.criteria).not.toEqual(acme.playbooks.icp?.criteria);
	});

	it('accepts JSON text as well as an object, and gives equal configs one version', () => {
		const text = fs.readFileSync(path.join(dir, 'acme-saas-us.json'), 'utf8');
		expect(parseCompanyConfig(text).version).toBe(parseCompanyConfig(read('acme-saas-us.json')).version);
	});

	it('reads a config again from memory, yet never hands back an old parse for a changed config', () => {
		const config = read('nordwind-services-eu.json');
		const first = parseCompanyConfig(config);
		expect(parseCompanyConfig(config)).toBe(first);
		// Keys in another order: other text, the same content, so the same version and parse.
		const reordered = Object.fromEntries(Object.entries(config).reverse());
		expect(parseCompanyConfig(reordered)).toBe(first);
		// Changed in place, as a Code node could: the next read sees the change, valid or not.
		config.calendar.timezone = 'America/Chicago';
		const changed = parseCompanyConfig(config);
		expect(changed.config.calendar.timezone).toBe('America/Chicago');
		expect(changed.version).not.toBe(first.version);
		config.calendar.timezone = 'Mars/Olympus';
		expect(() => parseCompanyConfig(config)).toThrow(/calendar\.timezone/);
		expect(() => parseCompanyConfig(config)).toThrow(/calendar\.timezone/);
		config.calendar.timezone = first.config.calendar.timezone;
		expect(parseCompanyConfig(config)).toBe(first);
		// Its parsed form, as a Company Config node puts it on items, reads back as itself.
		expect(parseCompanyConfig(first.config).config).toEqual(first.config);
		expect(parseCompanyConfig(first.config).version).toBe(parseCompanyConfig(first.config).version);
	});

	it('names every wrong path and what it must be', () => {
		let error: ConfigError | undefined;
		try {
			parseCompanyConfig({ configVersion: 1, company: { id: 'Acme Inc', name: 'Acme' }, crm: { backend: 'postgres', schema: 'acme revops' }, calendar: { timezone: 'Mars/Olympus' }, stageMap: { Won: 'closing' }, bogus: true });
		} catch (e) {
			error = e as ConfigError;
		}
		expect(error).toBeInstanceOf(ConfigError);
		expect(error!.message).toMatch(/company\.id: lower-case letters/);
		expect(error!.message).toMatch(/crm\.schema: a plain lower-case PostgreSQL name/);
		expect(error!.message).toMatch(/calendar\.timezone: an IANA time zone/);
		expect(error!.message).toMatch(/stageMap\.Won/);
		expect(error!.message).toMatch(/bogus/);
		expect(error!.fix).toMatch(/company-config\.schema\.json/);
	});

	it.each([
		['{ not json', /not valid JSON/],
		[null, /No company config on the item/],
		[[1], /No company config on the item/],
		[{ configVersion: 2 }, /configVersion/],
		// A backend takes its own settings only; an unknown backend is named.
		[{ configVersion: 1, company: { id: 'ok_id', name: 'x' }, crm: { backend: 'pipedrive' }, calendar: { timezone: 'UTC' } }, /crm\.backend/],
		[{ configVersion: 1, company: { id: 'ok_id', name: 'x' }, crm: { backend: 'salesforce', createProperties: true }, calendar: { timezone: 'UTC' } }, /crm/],
		[{ configVersion: 1, company: { id: 'ok_id', name: 'x' }, crm: { backend: 'hubspot', schema: 'acme' }, calendar: { timezone: 'UTC' } }, /crm/],
		[{ configVersion: 1, company: { id: 'ok_id', name: 'x' }, crm: { backend: 'dataTables' }, calendar: { timezone: 'UTC' }, mergePolicies: { lead: { nope: 'lastWrite' } } }, /mergePolicies\.lead\.nope: not a canonical lead field/],
	])('refuses %j', (raw, message) => {
		expect(() => parseCompanyConfig(raw)).toThrow(message);
	});

	it('takes HubSpot as the backend, creating missing properties unless told not to', () => {
		const base = { configVersion: 1, company: { id: 'acme_hs', name: 'Acme' }, calendar: { timezone: 'UTC' } };
		expect(parseCompanyConfig({ ...base, crm: { backend: 'hubspot' } }).config.crm).toEqual({ backend: 'hubspot', createProperties: true });
		expect(parseCompanyConfig({ ...base, crm: { backend: 'hubspot', createProperties: false } }).config.crm).toEqual({ backend: 'hubspot', createProperties: false });
		expect(parseCompanyConfig({ ...base, crm: { backend: 'salesforce' } }).config.crm).toEqual({ backend: 'salesforce' });
		expect(parseCompanyConfig({ ...base, crm: { backend: 'salesforce', picklists: { lead: { status: { new: 'Open - Not Contacted' } } }, recordTypes: { opportunity: '0125g000000AbCdEAA' } } }).config.crm).toMatchObject({ picklists: { lead: { status: { new: 'Open - Not Contacted' } } } });
		expect(() => parseCompanyConfig({ ...base, crm: { backend: 'salesforce', picklists: { lead: { stage: { a: 'b' } } } } })).toThrow(/crm\.picklists\.lead\.stage: not a canonical lead field/);
		expect(() => parseCompanyConfig({ ...base, crm: { backend: 'salesforce', recordTypes: { lead: 'Partner' } } })).toThrow(/crm\.recordTypes\.lead: a record type id/);
	});

	it('maps a CRM stage name to the canon, and reads merge policy overrides', () => {
		const nord = parseCompanyConfig(read('nordwind-services-eu.json')).config;
		expect(canonStage(nord, ' angebot ')).toBe('pipeline_progression');
		expect(canonStage(nord, 'close_onboard')).toBe('close_onboard');
		expect(canonStage(nord, 'Unheard Of')).toBeNull();
		expect(policiesFor(nord, 'lead')).toEqual({ owner: 'lastWrite' });
		expect(policiesFor(nord, 'contact')).toBeUndefined();
	});
});

describe('company config files found by company id', () => {
	const os = require('node:os') as typeof import('node:os');
	let own: string;
	beforeEach(() => {
		own = fs.mkdtempSync(path.join(os.tmpdir(), 'revops-companies-'));
	});
	afterEach(() => fs.rmSync(own, { recursive: true, force: true }));

	it('finds the operator\'s file first, then the shipped examples, and re-reads a changed file', () => {
		const mine = { ...read('acme-saas-us.json'), company: { id: 'acme_saas', name: 'Acme (operator copy)', currency: 'USD' } };
		fs.writeFileSync(path.join(own, 'anything.json'), JSON.stringify(mine));
		expect(loadCompanyConfigById('acme_saas', [own, dir]).config.company.name).toBe('Acme (operator copy)');
		expect(loadCompanyConfigById('nordwind_services', [own, dir]).config.crm.backend).toBe('postgres');
		fs.writeFileSync(path.join(own, 'anything.json'), JSON.stringify({ ...mine, company: { ...mine.company, name: 'Acme renamed here too' } }));
		expect(loadCompanyConfigById('acme_saas', [own, dir]).config.company.name).toBe('Acme renamed here too');
	});

	it('names the folder and the known ids when the id is unknown, and says how to choose one when none is given', () => {
		expect(() => loadCompanyConfigById('globex', [own, dir])).toThrow(expect.objectContaining({ message: 'No company config with id "globex"', fix: expect.stringMatching(new RegExp(`in ${own}, or pick one of: acme_saas, nordwind_services`)) }));
		expect(() => loadCompanyConfigById(' ', [own, dir])).toThrow(expect.objectContaining({ fix: expect.stringContaining('REVOPS_COMPANY') }));
		fs.writeFileSync(path.join(own, 'broken.json'), '{ nope');
		expect(() => loadCompanyConfigById('acme_saas', [own, dir])).toThrow(/broken\.json is not readable JSON/);
	});
});

describe('a reference to the config file on items, in place of the whole config', () => {
	const os = require('node:os') as typeof import('node:os');
	let own: string;
	beforeEach(() => {
		own = fs.mkdtempSync(path.join(os.tmpdir(), 'revops-companies-'));
	});
	afterEach(() => fs.rmSync(own, { recursive: true, force: true }));

	it.each(examples)('%s: keeps every small section as it is, leaves out the large ones, and is a fraction of the size', (file) => {
		const loaded = parseCompanyConfig(read(file));
		const ref = companyConfigReference(loaded);
		for (const [key, value] of Object.entries(loaded.config)) {
			if ((SECTIONS_LEFT_TO_FILE as readonly string[]).includes(key)) expect(ref).not.toHaveProperty(key);
			else expect(ref[key]).toEqual(value);
		}
		expect(ref.configReference).toEqual({ companyId: loaded.config.company.id, version: loaded.version, leftOut: SECTIONS_LEFT_TO_FILE.filter((k) => k in loaded.config) });
		expect(JSON.stringify(ref).length).toBeLessThan(JSON.stringify(loaded.config).length / 4);
		// What the alert, approver and calendar readers take from an item works on the reference alone.
		expect(companyAlertChannel(ref)).toEqual(companyAlertChannel(loaded.config));
		expect(companyApprovers(ref, ['T2'])).toEqual(companyApprovers(loaded.config, ['T2']));
		// One shared object per loaded config: n8n stores an execution's items' copy once.
		expect(companyConfigReference(loaded)).toBe(ref);
	});

	it('resolves a reference (object or JSON text) to the whole config from its file, and a whole config as it is', () => {
		const loaded = loadCompanyConfigById('acme_saas', [own, dir]);
		const ref = companyConfigReference(loaded);
		expect(resolveCompanyConfig(ref, [own, dir])).toBe(loaded);
		expect(resolveCompanyConfig(JSON.stringify(ref), [own, dir])).toBe(loaded);
		expect(resolveCompanyConfig(loaded.config, [own, dir])).toBe(parseCompanyConfig(loaded.config));
		expect(configReferenceOf(loaded.config)).toBeNull();
		expect(configReferenceOf(JSON.stringify(loaded.config))).toBeNull();
		expect(configReferenceOf('{ not json "configReference"')).toBeNull();
	});

	it('reads the file as it is now when it changed since the run began (a run resumed after days waiting for an approval)', () => {
		const mine = read('acme-saas-us.json');
		fs.writeFileSync(path.join(own, 'acme.json'), JSON.stringify(mine));
		const before = loadCompanyConfigById('acme_saas', [own, dir]);
		const ref = JSON.parse(JSON.stringify(companyConfigReference(before))); // as n8n stores and loads it
		const approvers = [{ name: 'New Approver', email: 'new.approver@acme.example', tiers: ['T1', 'T2'] }];
		const routing = { ...mine.routing, queueOwner: 'new.queue@acme.example' };
		fs.writeFileSync(path.join(own, 'acme.json'), JSON.stringify({ ...mine, approvers, routing }));
		const now = resolveCompanyConfig(ref, [own, dir]);
		expect(now.version).not.toBe(before.version);
		expect(ref.configReference.version).toBe(before.version);
		expect(now.config.routing).toEqual(parseCompanyConfig({ ...mine, routing }).config.routing);
		expect(now.config.routing).not.toEqual(before.config.routing);
		expect(now.config.approvers).toEqual(approvers);
		// The small settings on the item are as they were when the run began.
		expect(ref.approvers).toEqual(before.config.approvers);
	});

	it('says what to do when the file cannot be loaded where the reference is read, or the reference is broken', () => {
		const ref = { ...companyConfigReference(loadCompanyConfigById('acme_saas', [own, dir])), configReference: { companyId: 'globex_gone', version: 'x' } };
		expect(() => resolveCompanyConfig(ref, [own, dir])).toThrow(ConfigError);
		expect(() => resolveCompanyConfig(ref, [own, dir])).toThrow(
			expect.objectContaining({ message: expect.stringMatching(/reference to company globex_gone's config file.*No company config with id "globex_gone"/), fix: expect.stringMatching(/REVOPS_CONFIG_DIR.*Whole Config/), path: 'companyConfig' }),
		);
		expect(() => resolveCompanyConfig({ configReference: { version: 'x' } }, [own, dir])).toThrow(expect.objectContaining({ message: expect.stringContaining('without its companyId'), path: 'companyConfig' }));
	});
});

describe("a company's channel and its stage exit criteria", () => {
	const example = (file: string) => JSON.parse(fs.readFileSync(path.join(__dirname, '../../workflows/companies', file), 'utf8'));

	it('sends to Slack when the company has a Slack webhook, else to Teams, and says what to add when it has neither', () => {
		expect(companyAlertChannel(parseCompanyConfig(example('acme-saas-us.json')).config)).toEqual({ channel: 'slack', url: 'https://hooks.slack.com/services/REPLACE/ME/PLEASE' });
		expect(companyAlertChannel(parseCompanyConfig(example('nordwind-services-eu.json')).config)).toMatchObject({ channel: 'teams' });
		expect(() => companyAlertChannel({ channels: { slackWebhookUrl: 'javascript:alert(1)' } })).toThrow(expect.objectContaining({ fix: expect.stringContaining('incoming-webhook URL') }));
		expect(() => companyAlertChannel(undefined)).toThrow(expect.objectContaining({ fix: expect.stringContaining('Company Config node') }));
	});

	it('accepts exit criteria only between stages of the stage map', () => {
		const config = example('acme-saas-us.json');
		expect(parseCompanyConfig(config).config.stageExitCriteria?.Discovery).toMatchObject({ next: 'Demo Scheduled' });
		config.stageExitCriteria = { Discovery: { next: 'Demo', requires: ['champion'] }, Nowhere: { next: 'Negotiation', requires: [] } };
		expect(() => parseCompanyConfig(config)).toThrow(/stageExitCriteria\.Discovery\.next: "Demo" is not a stage of stageMap.*stageExitCriteria\.Nowhere: "Nowhere" is not a stage/s);
		config.stageExitCriteria = { Discovery: { next: 'Demo Scheduled', requires: ['budget'] } };
		expect(() => parseCompanyConfig(config)).toThrow(/stageExitCriteria\.Discovery\.requires\.0: Invalid option/);
	});

	it("names the approvers who may approve every given tier, in the config's order, and escalation to the notify e-mail", () => {
		const { config } = parseCompanyConfig(example('nordwind-services-eu.json'));
		const all = config.approvers.map((a) => a.email);
		expect(companyApprovers(config, ['T3']).approvers).toEqual(config.approvers.filter((a) => a.tiers.includes('T3')).map((a) => a.email));
		expect(all.length).toBeGreaterThan(0);
		const raw = {
			approvers: [{ email: ' a@x.test ', tiers: ['T1'] }, { email: 'b@x.test' }, { email: 'a@x.test', tiers: ['T1', 'T2'] }, { email: '', tiers: ['T1'] }, 'c@x.test', null],
			channels: { notifyEmail: 'b@x.test' },
		};
		// No tiers listed: every tier (the schema's default). An address already asked is not also the escalation.
		expect(companyApprovers(raw, ['T1', 'T1'])).toEqual({ approvers: ['a@x.test', 'b@x.test'], escalateTo: [] });
		expect(companyApprovers({ ...raw, channels: { notifyEmail: 'head@x.test' } }, ['T2', 'T1'])).toEqual({ approvers: ['b@x.test', 'a@x.test'], escalateTo: ['head@x.test'] });
		expect(() => companyApprovers({ ...raw, approvers: raw.approvers.filter((a) => a !== raw.approvers[1]) }, ['T3', 'T2'])).toThrow(expect.objectContaining({ message: 'No approver in the company config may approve T2 and T3 items', path: 'approvers' }));
		expect(() => companyApprovers(undefined, ['T1'])).toThrow(ConfigError);
		expect(() => companyApprovers({ approvers: 'a@x.test' }, ['T1'])).toThrow(/No approver/);
	});
});

