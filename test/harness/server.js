// One real n8n process on 127.0.0.1 (database chosen by the caller's env), its CLI, and the REST calls tests need.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');
const { cleanNpmEnv, ensureN8n, ensureNode24, log, timings } = require('./runtime');

const OWNER = { email: 'owner@revops.test', firstName: 'Rev', lastName: 'Ops', password: 'RevOps-test-1234' };

// A test run that crashes must not leave n8n servers behind holding ports.
const running = new Set();
process.once('exit', () => {
	for (const child of running) child.kill('SIGKILL');
});

async function stopProcess(child) {
	if (child.exitCode !== null || child.signalCode !== null) return;
	const exited = new Promise((resolve) => child.once('exit', resolve));
	child.kill('SIGTERM');
	const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
	await exited;
	clearTimeout(timer);
}

function sleep(ms) {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

class N8nServer {
	/**
	 * @param {{ version: string, port: number, userFolder: string, env?: Record<string,string>, nodeArgs?: string[] }} options
	 * `nodeArgs`: options for the Node that runs `n8n start` only (not its CLI commands), e.g. `--inspect`.
	 */
	constructor({ version, port, userFolder, env = {}, nodeArgs = [] }) {
		this.n8n = ensureN8n(version);
		this.node = ensureNode24();
		this.version = version;
		this.progress = false;
		this.major = this.n8n.major;
		this.port = port;
		this.userFolder = userFolder;
		this.baseUrl = `http://127.0.0.1:${port}`;
		this.extraEnv = env;
		this.nodeArgs = nodeArgs;
		this.child = null;
		this.workers = [];
		this.cookie = null;
		this.logFile = path.join(userFolder, `n8n-${port}.log`);
		fs.mkdirSync(userFolder, { recursive: true });
	}

	env() {
		// Jest sets NODE_ENV=test, under which n8n exits silently at start; npm's own variables are
		// dropped too, as for any n8n started outside this project.
		const { NODE_ENV: _ignored, ...inherited } = cleanNpmEnv();
		return {
			...inherited,
			PATH: `${this.node.binDir}${path.delimiter}${process.env.PATH}`,
			N8N_USER_FOLDER: this.userFolder,
			N8N_PORT: String(this.port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			WEBHOOK_URL: `${this.baseUrl}/`,
			N8N_EDITOR_BASE_URL: `${this.baseUrl}/`,
			// Each process needs its own task-runner broker port, or a second n8n fails on 5679.
			N8N_RUNNERS_BROKER_PORT: String(this.port + 10000),
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_SECURE_COOKIE: 'false',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
			N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
			N8N_ENCRYPTION_KEY: process.env.N8N_ENCRYPTION_KEY || 'revops-local-encryption-key',
			DB_TYPE: 'sqlite',
			N8N_LOG_LEVEL: process.env.N8N_LOG_LEVEL || 'info',
			N8N_PUSH_BACKEND: 'sse',
			...this.extraEnv,
		};
	}

	/** Runs an n8n CLI command to completion; output goes to a file first (piping the CLI can spin). */
	cli(args, { allowFailure = false } = {}) {
		const out = path.join(this.userFolder, `cli-${Date.now()}-${Math.random().toString(36).slice(2)}.log`);
		const fd = fs.openSync(out, 'w');
		// With `progress` (npm start), a command that boots n8n for several seconds says so while it runs.
		const result = this.progress
			? spawnSync(process.execPath, [path.join(__dirname, 'with-progress.js'), `n8n ${args[0]}`, '-', '0', '--', this.node.bin, this.n8n.bin, ...args], { env: this.env(), stdio: ['ignore', fd, 'inherit'], timeout: 180_000 })
			: spawnSync(this.node.bin, [this.n8n.bin, ...args], { env: this.env(), stdio: ['ignore', fd, fd], timeout: 180_000 });
		fs.closeSync(fd);
		const output = fs.readFileSync(out, 'utf8');
		fs.rmSync(out, { force: true });
		if (result.status !== 0 && !allowFailure) {
			throw new Error(`n8n ${args.join(' ')} failed (exit ${result.status}):\n${output.split('\n').slice(-30).join('\n')}`);
		}
		return output;
	}

	/** Node types this n8n knows, as "type@version" strings, read without starting a server. */
	knownNodeTypes() {
		const file = path.join(this.userFolder, 'node-types.json');
		this.cli(['export:nodes', `--output=${file}`]);
		const types = new Set();
		for (const d of JSON.parse(fs.readFileSync(file, 'utf8'))) {
			for (const v of Array.isArray(d.version) ? d.version : [d.version]) types.add(`${d.name}@${v}`);
		}
		return types;
	}

	importWorkflow(file) {
		this.cli(['import:workflow', `--input=${file}`]);
	}

	/** Imports every workflow file in `dir` with one n8n command. */
	importWorkflows(dir) {
		this.cli(['import:workflow', '--separate', `--input=${dir}`]);
	}

	importCredentials(file) {
		this.cli(['import:credentials', `--input=${file}`]);
	}

	activate(workflowId) {
		if (this.major >= 2) this.cli(['publish:workflow', `--id=${workflowId}`]);
		else this.cli(['update:workflow', `--id=${workflowId}`, '--active=true']);
	}

	/**
	 * Starts n8n and waits until its editor API answers. With `progress`, says every few seconds how long
	 * it has been and what n8n last logged (a first start runs its database migrations), and records the
	 * step in the first start's timings.
	 */
	async start({ timeoutMs = 180_000, progress = false } = {}) {
		if (this.child) return;
		const began = Date.now();
		let lastSaid = began;
		const out = fs.openSync(this.logFile, 'a');
		this.child = spawn(this.node.bin, [...this.nodeArgs, this.n8n.bin, 'start'], { env: this.env(), stdio: ['ignore', out, out] });
		fs.closeSync(out);
		const child = this.child;
		running.add(child);
		let exited = false;
		child.once('exit', () => {
			exited = true;
			running.delete(child);
		});
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			if (exited) throw new Error(`n8n ${this.version} exited during start; see ${this.logFile}:\n${this.logTail()}`);
			try {
				// /healthz/readiness answers before the REST API is mounted (n8n 1.123); /rest/settings
				// answers only once the editor's API is there.
				// While booting, n8n answers 200 "n8n is starting up. Please wait" on every path.
				const res = await fetch(`${this.baseUrl}/rest/settings`);
				const text = await res.text();
				if (res.ok && text.startsWith('{')) {
					log(`n8n ${this.version} ready at ${this.baseUrl}`);
					if (progress) timings.push({ step: `n8n ${this.version} start`, seconds: Math.round((Date.now() - began) / 1000) });
					return;
				}
			} catch {
				// not listening yet
			}
			if (progress && Date.now() - lastSaid >= 5_000) {
				lastSaid = Date.now();
				const last = this.logTail().split('\n').map((l) => l.trim()).filter(Boolean).pop() ?? '';
				log(`  n8n ${this.version} starting: ${Math.round((Date.now() - began) / 1000)}s${last ? `, last logged: ${last.slice(0, 100)}` : ''}`);
			}
			await sleep(250);
		}
		throw new Error(`n8n ${this.version} not ready after ${timeoutMs} ms; see ${this.logFile}:\n${this.logTail()}`);
	}

	/**
	 * Starts an n8n worker beside this main process (queue mode: the env must carry Redis settings,
	 * see redis.js). Workers run the executions; the main process takes webhooks and enqueues them.
	 */
	async startWorker({ timeoutMs = 180_000 } = {}) {
		const index = this.workers.length;
		const logFile = path.join(this.userFolder, `n8n-worker-${index}.log`);
		const out = fs.openSync(logFile, 'a');
		const env = { ...this.env(), N8N_RUNNERS_BROKER_PORT: String(this.port + 20000 + index), QUEUE_HEALTH_CHECK_ACTIVE: 'false' };
		const child = spawn(this.node.bin, [this.n8n.bin, 'worker', '--concurrency=10'], { env, stdio: ['ignore', out, out] });
		fs.closeSync(out);
		running.add(child);
		let exited = false;
		child.once('exit', () => {
			exited = true;
			running.delete(child);
		});
		this.workers.push({ child, logFile });
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			if (exited) throw new Error(`n8n ${this.version} worker exited during start; see ${logFile}`);
			if (fs.readFileSync(logFile, 'utf8').includes('n8n worker is now ready')) {
				log(`n8n ${this.version} worker ${index} ready`);
				return logFile;
			}
			await sleep(250);
		}
		throw new Error(`n8n ${this.version} worker not ready after ${timeoutMs} ms; see ${logFile}`);
	}

	logTail(lines = 40) {
		try {
			return fs.readFileSync(this.logFile, 'utf8').split('\n').slice(-lines).join('\n');
		} catch {
			return '';
		}
	}

	/** Stops the workers and the main process. */
	async stop() {
		for (const { child } of this.workers.splice(0)) await stopProcess(child);
		await this.stopMain();
	}

	/** Kills the main process at once (SIGKILL), as a crash or an OOM kill would: nothing gets to clean up. */
	async crash() {
		const child = this.child;
		if (!child) return;
		this.child = null;
		this.cookie = null;
		const exited = new Promise((resolve) => child.once('exit', resolve));
		child.kill('SIGKILL');
		await exited;
	}

	/** An API key of the owner with every scope the owner may grant (Settings > n8n API), raw. */
	async createApiKey(label) {
		const scopes = this.major >= 2 ? await this.rest('GET', '/api-keys/scopes') : undefined;
		const created = await this.rest('POST', '/api-keys', { label, expiresAt: null, ...(scopes ? { scopes } : {}) });
		return created.rawApiKey ?? created.apiKey;
	}

	async stopMain() {
		const child = this.child;
		if (!child) return;
		this.child = null;
		this.cookie = null;
		await stopProcess(child);
	}

	/**
	 * Waits until n8n's event log records that a node finished in an execution. n8n writes the log
	 * after saving the run and reads it back at start-up to recover runs a crash cut short, so a test
	 * that restarts n8n while a run waits first lets n8n finish logging it, as would happen before any
	 * real operator's restart.
	 */
	async nodeFinishLogged(executionId, nodeName, { timeoutMs = 15_000 } = {}) {
		const folder = path.join(this.userFolder, '.n8n');
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			for (const file of fs.existsSync(folder) ? fs.readdirSync(folder) : []) {
				if (!/^n8nEventLog.*\.log$/.test(file)) continue;
				for (const line of fs.readFileSync(path.join(folder, file), 'utf8').split('\n')) {
					if (!line.includes('n8n.node.finished')) continue;
					try {
						const { eventName, payload } = JSON.parse(line);
						if (eventName === 'n8n.node.finished' && String(payload?.executionId) === String(executionId) && payload?.nodeName === nodeName) return;
					} catch {
						// a line still being written
					}
				}
			}
			await sleep(200);
		}
		throw new Error(`n8n's event log never recorded that ${nodeName} finished in execution ${executionId}`);
	}

	/** Restarts the main process; workers (queue mode) keep running, as in a rolling restart. */
	async restart() {
		await this.stopMain();
		await this.start();
	}

	/** Creates the owner account on a fresh instance (or logs in on a used one) and keeps the cookie. */
	async signIn(owner = OWNER) {
		let res = await fetch(`${this.baseUrl}/rest/owner/setup`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(owner),
		});
		if (!res.ok) {
			const body = { emailOrLdapLoginId: owner.email, password: owner.password };
			res = await fetch(`${this.baseUrl}/rest/login`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(body),
			});
		}
		if (!res.ok) throw new Error(`cannot sign in to n8n ${this.version}: ${res.status} ${(await res.text()).slice(0, 300)}`);
		const setCookie = res.headers.getSetCookie ? res.headers.getSetCookie() : [res.headers.get('set-cookie')];
		this.cookie = setCookie
			.filter(Boolean)
			.map((c) => c.split(';')[0])
			.join('; ');
		if (!this.cookie) throw new Error(`n8n ${this.version} signed in without an auth cookie`);
		return owner;
	}

	async rest(method, urlPath, body) {
		if (!this.cookie) await this.signIn();
		const res = await fetch(`${this.baseUrl}/rest${urlPath}`, {
			method,
			headers: { cookie: this.cookie, 'content-type': 'application/json', 'browser-id': 'revops-tests' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await res.text();
		if (!res.ok) throw new Error(`${method} /rest${urlPath} -> ${res.status}: ${text.slice(0, 500)}`);
		const json = text ? JSON.parse(text) : null;
		return json && typeof json === 'object' && 'data' in json ? json.data : json;
	}

	async personalProjectId() {
		const project = await this.rest('GET', '/projects/personal');
		return project.id;
	}

	async dataTables() {
		const projectId = await this.personalProjectId();
		const result = await this.rest('GET', `/projects/${projectId}/data-tables`);
		return { projectId, tables: Array.isArray(result) ? result : result.data };
	}

	async createDataTable(name, columns) {
		const projectId = await this.personalProjectId();
		return await this.rest('POST', `/projects/${projectId}/data-tables`, { name, columns });
	}

	async dataTableRows(tableName) {
		const { projectId, tables } = await this.dataTables();
		const table = tables.find((t) => t.name === tableName);
		if (!table) return null;
		// Every row, a page at a time: n8n caps a page at 250 rows (MAX_ITEMS_PER_PAGE, whatever `take`
		// asks), and a history table outgrows one page within a test file.
		const all = [];
		for (let skip = 0; ; skip += 250) {
			const page = await this.rest('GET', `/projects/${projectId}/data-tables/${table.id}/rows?take=250&skip=${skip}`);
			const rows = Array.isArray(page) ? page : page.data;
			all.push(...rows);
			if (rows.length < 250) return all;
		}
	}

	/**
	 * Readiness comes before n8n has registered the webhooks of active workflows (seconds on a busy
	 * machine); a 404 creates no execution, so retrying on 404 is safe.
	 */
	async fetchWhenRegistered(urlPath, init = {}, { timeoutMs = 60_000 } = {}) {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const body = typeof init.body === 'function' ? init.body() : init.body;
			const res = await fetch(`${this.baseUrl}${urlPath}`, { ...init, body });
			if (res.status !== 404 || Date.now() > deadline) return res;
			await res.arrayBuffer();
			await sleep(250);
		}
	}

	/**
	 * The node descriptions the editor loads for its nodes panel. n8n writes them to
	 * <user folder>/.cache/n8n/public/types/nodes.json (about 18 MB) and rewrites that file in place
	 * (truncate, then stream) whenever node types are processed again, while the route serves it with
	 * sendFile: a request that overlaps a rewrite is cut off ("other side closed"). So wait until the
	 * file is complete and has not changed for a moment, and ask again only when the file changed while
	 * it was being served.
	 */
	async editorNodeTypes({ timeoutMs = 60_000 } = {}) {
		if (!this.cookie) await this.signIn();
		const file = path.join(this.userFolder, '.cache', 'n8n', 'public', 'types', 'nodes.json');
		const deadline = Date.now() + timeoutMs;
		const stamp = () => {
			try {
				const st = fs.statSync(file);
				return `${st.size}:${st.mtimeMs}`;
			} catch {
				return null;
			}
		};
		for (;;) {
			// Complete (the closing bracket written) and unchanged across half a second.
			const before = stamp();
			const complete = before && fs.readFileSync(file, 'utf8').trimEnd().endsWith(']');
			await sleep(500);
			if (!complete || stamp() !== before) {
				if (Date.now() > deadline) throw new Error(`${file} did not settle within ${timeoutMs} ms`);
				continue;
			}
			try {
				const res = await fetch(`${this.baseUrl}/types/nodes.json`, { headers: { cookie: this.cookie } });
				if (!res.ok) throw new Error(`/types/nodes.json -> ${res.status}`);
				return await res.json();
			} catch (error) {
				// Only a fetch that overlapped a rewrite is asked again; anything else is a real failure.
				if (stamp() === before || Date.now() > deadline) throw error;
				log(`types/nodes.json was rewritten while it was served (${error.message}); asking again`);
			}
		}
	}

	async insertRows(tableName, rows) {
		const { projectId, tables } = await this.dataTables();
		const table = tables.find((t) => t.name === tableName);
		if (!table) throw new Error(`no data table ${tableName}`);
		return await this.rest('POST', `/projects/${projectId}/data-tables/${table.id}/insert`, { data: rows, returnType: 'all' });
	}

	/** Waits for the next finished execution of a workflow after `after` (a count of earlier ones). */
	async waitForExecution(workflowId, after, { timeoutMs = 60_000 } = {}) {
		const deadline = Date.now() + timeoutMs;
		let lastError = null;
		while (Date.now() < deadline) {
			let list;
			try {
				list = await this.executions(workflowId);
			} catch (error) {
				// n8n blocks its event loop for seconds while it saves a 100,000-item execution; a status read
				// then meets a reset connection. Reading again is harmless; the last error is reported if
				// the deadline passes.
				if (!/fetch failed|ECONNRESET|ECONNREFUSED|socket/i.test(`${error.message} ${error.cause?.code ?? ''}`)) throw error;
				lastError = error;
				await sleep(1000);
				continue;
			}
			const done = list.filter((e) => e.status !== 'running' && e.status !== 'new' && e.status !== 'waiting');
			if (done.length > after) return done.sort((a, b) => Number(b.id) - Number(a.id))[0];
			await sleep(250);
		}
		throw new Error(`no finished execution of ${workflowId} within ${timeoutMs} ms${lastError ? `; the last status read failed: ${lastError.message} (${lastError.cause?.code ?? 'no code'})` : ''}`);
	}

	/** One execution's data (resultData, executionData...), read with the `flatted` copy inside the n8n install. */
	async executionStatus(executionId) {
		return (await this.rest('GET', `/executions/${executionId}`))?.status;
	}

	async executionData(executionId) {
		const execution = await this.rest('GET', `/executions/${executionId}`);
		const flatted = require(path.join(this.n8n.dir, 'node_modules', 'flatted'));
		return typeof execution.data === 'string' ? flatted.parse(execution.data) : execution.data;
	}

	/** One execution's raw run data: node name -> runs. */
	async executionRunData(executionId) {
		return (await this.executionData(executionId)).resultData.runData;
	}

	/** One execution's outputs: node name -> runs, each run's output items per output. */
	async executionRuns(executionId) {
		const runData = await this.executionRunData(executionId);
		return Object.fromEntries(Object.entries(runData).map(([node, runs]) => [node, runs.map((run) => run.data?.main ?? [])]));
	}

	async executions(workflowId) {
		const result = await this.rest('GET', `/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}&limit=50`);
		// Filtered here too: not every n8n version applies the filter (2.41 lists every workflow's runs).
		return (Array.isArray(result) ? result : result.results).filter((e) => String(e.workflowId) === String(workflowId));
	}
}

module.exports = { N8nServer, OWNER, sleep };
