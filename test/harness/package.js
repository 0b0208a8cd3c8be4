// Packs this repository and installs the tarball into an n8n user folder the way n8n's own
// community-package installer does (n8n 2.41 CommunityPackagesService.downloadPackage), so node types
// load as `n8n-nodes-revops.<name>` exactly as for a user who installed from npm.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { cleanNpmEnv, log, run } = require('./runtime');

const REPO_DIR = path.resolve(__dirname, '..', '..');

function packageJson() {
	return JSON.parse(fs.readFileSync(path.join(REPO_DIR, 'package.json'), 'utf8'));
}

/** `npm pack` runs prepack (clean + build), so the tarball is built from the current sources. */
function packTarball(outDir) {
	fs.mkdirSync(outDir, { recursive: true });
	const { stdout, seconds } = run('npm', ['pack', '--pack-destination', outDir, '--loglevel=error'], { cwd: REPO_DIR, progress: { label: 'building and packing n8n-nodes-revops (tsc, icons, schemas)' } });
	const name = stdout.trim().split('\n').pop().trim();
	log(`packed ${name} in ${seconds}s`);
	return path.join(outDir, name);
}

function installTarball(userFolder, tarball) {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const { name } = packageJson();
	const pkgDir = path.join(nodesDir, 'node_modules', name);
	fs.rmSync(pkgDir, { recursive: true, force: true });
	fs.mkdirSync(pkgDir, { recursive: true });
	run('tar', ['-xzf', tarball, '-C', pkgDir, '--strip-components=1']);

	// n8n strips these before installing, so a package must not need them at run time.
	const pj = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
	delete pj.devDependencies;
	delete pj.peerDependencies;
	delete pj.optionalDependencies;
	fs.writeFileSync(path.join(pkgDir, 'package.json'), JSON.stringify(pj, null, 2));
	const { seconds } = run(
		'npm',
		['install', '--audit=false', '--fund=false', '--bin-links=false', '--install-strategy=shallow', '--ignore-scripts=true', '--package-lock=false', '--loglevel=error'],
		{ cwd: pkgDir, env: cleanNpmEnv(), progress: { label: 'installing the package as Community Nodes does', countDir: path.join(pkgDir, 'node_modules') } },
	);

	const hostPjPath = path.join(nodesDir, 'package.json');
	const hostPj = fs.existsSync(hostPjPath)
		? JSON.parse(fs.readFileSync(hostPjPath, 'utf8'))
		: { name: 'installed-nodes', private: true, dependencies: {} };
	hostPj.dependencies = { ...hostPj.dependencies, [name]: pj.version };
	fs.writeFileSync(hostPjPath, JSON.stringify(hostPj, null, 2));
	log(`installed ${name}@${pj.version} into ${nodesDir} (${seconds}s)`);
	return { name, version: pj.version, dir: pkgDir };
}

module.exports = { REPO_DIR, packageJson, packTarball, installTarball };
