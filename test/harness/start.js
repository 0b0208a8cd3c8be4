#!/usr/bin/env node
// `npm start`: builds and packs this package, then runs n8n (the newest tested version, on Node 24,
// SQLite, n8n's Data Tables as the CRM store) with the package installed exactly as Settings >
// Community Nodes would install it and every template imported. Ctrl-C stops it.
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { LATEST_N8N, ensureN8n, ensureNode24, expressionPoolSize, log, timings } = require('./runtime');
const { REPO_DIR, installTarball, packTarball } = require('./package');
const { N8nServer } = require('./server');
const { listTemplates, needsActivation, WORKFLOWS_DIR } = require('./templates');
const { Inbox, withInboxChannels, withInboxUrls } = require('./inbox');

const USER_FOLDER = process.env.REVOPS_N8N_USER_FOLDER || path.join(REPO_DIR, '.n8n-local');
const PORT = Number(process.env.N8N_PORT || 5678);
const STATE_FILE = path.join(USER_FOLDER, 'revops-start-state.json');
/** Where the templates' placeholder Slack, Teams and reply URLs point: printed in this terminal. */
const INBOX_PORT = Number(process.env.REVOPS_INBOX_PORT || PORT + 1);

function sha(file) {
	return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

function readState() {
	try {
		return JSON.parse(fs.readFileSync(STATE_FILE, 'utf8'));
	} catch {
		return { tarball: null, templates: {}, credential: null };
	}
}

function triggerUrls(server, workflow) {
	const urls = [];
	for (const node of workflow.nodes) {
		if (node.type === 'n8n-nodes-base.formTrigger') urls.push(`form     ${server.baseUrl}/form/${node.parameters.options?.path ?? node.webhookId}`);
		// A webhook may take several methods (multipleMethods: httpMethod is then a list).
		const methods = [].concat(node.parameters.httpMethod || 'GET').join(',');
		if (node.type === 'n8n-nodes-base.webhook') urls.push(`webhook  ${methods.padEnd(4)} ${server.baseUrl}/webhook/${node.parameters.path}`);
	}
	return urls;
}

/** "3m05s" */
const clock = (seconds) => `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;

async function main() {
	const began = Date.now();
	fs.mkdirSync(USER_FOLDER, { recursive: true });
	ensureNode24();
	ensureN8n(LATEST_N8N);
	const state = readState();

	const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'revops-start-'));
	const tarball = packTarball(packDir); // runs the build
	const tarballSha = sha(tarball);
	if (state.tarball !== tarballSha || !fs.existsSync(path.join(USER_FOLDER, '.n8n', 'nodes', 'node_modules', 'n8n-nodes-revops'))) {
		installTarball(USER_FOLDER, tarball);
		state.tarball = tarballSha;
	} else {
		log('package unchanged since the last start; keeping the installed copy');
	}
	fs.rmSync(packDir, { recursive: true, force: true });

	// The company the templates run for; acme_saas (one of the package's example configs) keeps its
	// records in n8n's Data Tables, so nothing else has to run.
	const company = process.env.REVOPS_COMPANY || 'acme_saas';
	const inbox = new Inbox(INBOX_PORT);
	const inboxUrl = await inbox.start();
	// The example companies, copied where n8n reads configs, with their placeholder channels pointed at
	// the inbox. A copy edited since it was written here is left alone; a REVOPS_CONFIG_DIR of your own too.
	const configDir = process.env.REVOPS_CONFIG_DIR || path.join(USER_FOLDER, 'revops-companies');
	if (!process.env.REVOPS_CONFIG_DIR) {
		fs.mkdirSync(configDir, { recursive: true });
		state.configs ??= {};
		const examples = path.join(WORKFLOWS_DIR, 'companies');
		for (const file of fs.readdirSync(examples).filter((f) => f.endsWith('.json'))) {
			const target = path.join(configDir, file);
			if (fs.existsSync(target) && state.configs[file] !== sha(target)) continue;
			fs.writeFileSync(target, JSON.stringify(withInboxChannels(JSON.parse(fs.readFileSync(path.join(examples, file), 'utf8')), inboxUrl), null, 2) + '\n');
			state.configs[file] = sha(target);
		}
	}
	const server = new N8nServer({ version: LATEST_N8N, port: PORT, userFolder: USER_FOLDER, env: { REVOPS_COMPANY: company, REVOPS_CONFIG_DIR: configDir, N8N_EXPRESSION_ENGINE_POOL_SIZE: expressionPoolSize() } });
	server.progress = true;

	const apiKey = process.env.OPENAI_API_KEY;
	if (apiKey) {
		const credential = { apiKey, url: process.env.OPENAI_BASE_URL || 'https://api.openai.com/v1', model: process.env.OPENAI_MODEL || 'gpt-4o-mini' };
		const credSha = crypto.createHash('sha256').update(JSON.stringify(credential)).digest('hex');
		if (state.credential !== credSha) {
			const file = path.join(USER_FOLDER, 'openai-credential.json');
			// Both n8n's own OpenAI credential and the "RevOps Model" credential the templates point at.
			const credentials = [
				// The id the website chat template's chat model points at.
				{ id: 'RevOpsOpenAi0001', name: 'OpenAI', type: 'openAiApi', data: { apiKey, url: credential.url } },
				{ id: 'RevOpsModel00001', name: 'RevOps Model', type: 'revOpsModelApi', data: { baseUrl: credential.url, apiKey, model: credential.model, headers: '{}' } },
			];
			fs.writeFileSync(file, JSON.stringify(credentials), { mode: 0o600 });
			server.importCredentials(file);
			fs.rmSync(file, { force: true });
			state.credential = credSha;
			log(`model credentials "OpenAI" and "RevOps Model" created for ${credential.url}`);
		}
	}

	// The templates' Approval Gates sign their links with the "RevOps Approval" credential: create it
	// once with a random secret (no SMTP; the gates post to Slack-style webhooks).
	if (!state.approvalCredential) {
		const file = path.join(USER_FOLDER, 'approval-credential.json');
		const secret = crypto.randomBytes(32).toString('hex');
		fs.writeFileSync(file, JSON.stringify([{ id: 'RevOpsApproval01', name: 'RevOps Approval', type: 'revOpsApprovalApi', data: { secret } }]), { mode: 0o600 });
		server.importCredentials(file);
		fs.rmSync(file, { force: true });
		state.approvalCredential = true;
		log('approval credential "RevOps Approval" created with a random signing secret');
	}

	// The RevOps CRM node's credentials the templates point at, created once: the Data Tables API key is
	// filled in after start (it needs the owner); the PostgreSQL one points at a local server for a
	// company config that names PostgreSQL.
	if (!state.crmCredentials) {
		log('creating the CRM credentials ("RevOps N8n Data Tables API", "RevOps PostgreSQL")');
		const file = path.join(USER_FOLDER, 'crm-credentials.json');
		fs.writeFileSync(
			file,
			JSON.stringify([
				{ id: 'RevOpsN8nApi0001', name: 'RevOps N8n Data Tables API', type: 'revOpsN8nApi', data: { baseUrl: `${server.baseUrl}/api/v1`, apiKey: 'created-on-first-start' } },
				{ id: 'RevOpsPostgres01', name: 'RevOps PostgreSQL', type: 'revOpsPostgresApi', data: { host: 'localhost', port: 5432, database: 'postgres', user: 'postgres', password: '', ssl: false } },
			]),
			{ mode: 0o600 },
		);
		server.importCredentials(file);
		fs.rmSync(file, { force: true });
		state.crmCredentials = 'placeholder';
	}

	// Import a template only when it is new or its file changed, so edits made in the editor survive a
	// restart unless the template itself was updated.
	const templates = listTemplates();
	const changed = templates.filter(({ file, workflow }) => state.templates[workflow.id] !== sha(file));
	if (changed.length) {
		// One n8n command imports them all (each n8n command boots n8n for several seconds), each with its
		// placeholder Slack and reply URLs pointed at the inbox.
		const importDir = fs.mkdtempSync(path.join(USER_FOLDER, 'import-'));
		for (const { file, workflow } of changed) {
			if (state.templates[workflow.id]) log(`template "${workflow.name}" changed; re-importing it (your edits to it are replaced)`);
			fs.writeFileSync(path.join(importDir, `${workflow.id}.json`), withInboxUrls(fs.readFileSync(file, 'utf8'), inboxUrl));
		}
		log(`importing ${changed.length} template${changed.length === 1 ? '' : 's'}`);
		server.importWorkflows(importDir);
		fs.rmSync(importDir, { recursive: true, force: true });
		const toPublish = changed.filter(({ workflow }) => needsActivation(workflow, server.major));
		for (const [k, { workflow }] of toPublish.entries()) {
			log(`publishing template ${k + 1} of ${toPublish.length}: ${workflow.name}`);
			server.activate(workflow.id);
		}
		for (const { file, workflow } of changed) state.templates[workflow.id] = sha(file);
	}
	fs.writeFileSync(STATE_FILE, JSON.stringify(state, null, 2));

	let stopping = false;
	const stop = async (signal) => {
		if (stopping) return;
		stopping = true;
		log(`${signal}: stopping n8n`);
		await server.stop();
		await inbox.stop();
		process.exit(0);
	};
	process.on('SIGINT', () => stop('SIGINT'));
	process.on('SIGTERM', () => stop('SIGTERM'));

	await server.start({ progress: true, timeoutMs: 600_000 });
	server.child.once('exit', (code) => {
		if (!stopping) {
			log(`n8n exited (code ${code}); its log is ${server.logFile}`);
			process.exit(code ?? 1);
		}
	});

	// A fresh instance gets its owner from here (saved in the data folder), so the CRM's Data Tables API
	// key can be made for it; an owner someone created in the editor is left alone.
	const ownerFile = path.join(USER_FOLDER, 'owner.json');
	let ownerHint = '(sign in with your owner account)';
	let crmHint = '';
	try {
		const settings = await (await fetch(`${server.baseUrl}/rest/settings`)).json();
		const fresh = (settings.data ?? settings).userManagement?.showSetupOnFirstLoad !== false;
		if (fresh && !fs.existsSync(ownerFile)) {
			const owner = { email: 'owner@revops.example', firstName: 'RevOps', lastName: 'Owner', password: `Rv-${crypto.randomBytes(9).toString('base64url')}9` };
			fs.writeFileSync(ownerFile, JSON.stringify(owner, null, 2), { mode: 0o600 });
		}
		if (fs.existsSync(ownerFile)) {
			const owner = JSON.parse(fs.readFileSync(ownerFile, 'utf8'));
			await server.signIn(owner);
			ownerHint = `(sign in as ${owner.email}; the password is in ${ownerFile})`;
			if (state.crmCredentials !== 'ready') {
				const apiKey = await server.createApiKey('RevOps CRM (npm start)');
				await server.rest('PATCH', '/credentials/RevOpsN8nApi0001', { name: 'RevOps N8n Data Tables API', type: 'revOpsN8nApi', data: { baseUrl: `${server.baseUrl}/api/v1`, apiKey } });
				state.crmCredentials = 'ready';
				fs.writeFileSync(STATE_FILE, JSON.stringify(state, null, 2));
				log('credential "RevOps N8n Data Tables API" given an API key of the owner');
			}
		} else if (state.crmCredentials !== 'ready') {
			crmHint = 'CRM: create an API key (Settings > n8n API) and put it in the credential "RevOps N8n Data Tables API".';
		}
	} catch (error) {
		ownerHint = '';
		crmHint = `CRM: could not set up the Data Tables credential (${error.message}); see the README, RevOps CRM.`;
	}
	const lines = [
		'',
		`n8n ${LATEST_N8N} with n8n-nodes-revops is running.`,
		`  editor   ${server.baseUrl}/   ${ownerHint}`,
		`  data     ${USER_FOLDER}`,
		`  log      ${server.logFile}`,
		'',
		'Templates:',
	];
	for (const { workflow } of templates) {
		lines.push(`  ${workflow.name}`);
		for (const url of triggerUrls(server, workflow)) lines.push(`    ${url}`);
	}
	lines.push('');
	lines.push(
		apiKey
			? `Model: OpenAI-compatible API at ${process.env.OPENAI_BASE_URL || 'https://api.openai.com/v1'} (credentials "RevOps Model" and "OpenAI").`
			: 'Model: none configured. Rule-based nodes work; model-based steps report that no model is configured\n       (the inbound template still saves every lead, unclassified).\n       Set OPENAI_API_KEY (and OPENAI_BASE_URL for another OpenAI-compatible API), then npm start again.',
	);
	lines.push(`Company: ${company} (REVOPS_COMPANY; configs in ${configDir}, then workflows/companies/).`);
	lines.push(`Inbox:   ${inboxUrl} stands in for the companies' Slack and Teams channels and the reply endpoint:`);
	lines.push(`         approval requests (with their links), alerts and sent replies are printed here and listed at ${inboxUrl}/`);
	if (crmHint) lines.push(crmHint);
	// How long this start took and where the time went (a first start installs n8n; later ones reuse it).
	const total = Math.round((Date.now() - began) / 1000);
	const parts = timings.map((t) => `${t.step} ${clock(t.seconds)}`);
	const other = total - timings.reduce((sum, t) => sum + t.seconds, 0);
	lines.push(`Start:   ${clock(total)}${parts.length ? ` (${[...parts, `templates, credentials and owner ${clock(Math.max(0, other))}`].join(', ')})` : ''}.`);
	lines.push('Ctrl-C stops n8n.', '');
	process.stdout.write(lines.join('\n') + '\n');
}

main().catch((error) => {
	process.stderr.write(`npm start failed: ${error.message}\n`);
	process.exit(1);
});
