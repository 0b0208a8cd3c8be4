#!/usr/bin/env node
// `npm run test:e2e`: installs the tested n8n versions (cached), packs this package once, then runs the
// jest e2e suite against real n8n servers. REVOPS_N8N_VERSIONS=2.41.1 limits the run to one version.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { N8N_VERSIONS, ensureN8n, ensureNode24, log } = require('./runtime');
const { REPO_DIR, packTarball } = require('./package');

const versions = (process.env.REVOPS_N8N_VERSIONS || Object.keys(N8N_VERSIONS).join(','))
	.split(',')
	.map((v) => v.trim())
	.filter(Boolean);

ensureNode24();
for (const version of versions) ensureN8n(version);
const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'revops-pack-'));
const tarball = packTarball(packDir);

log(`running e2e tests against n8n ${versions.join(', ')}`);
const jest = spawnSync(
	process.execPath,
	[require.resolve('jest/bin/jest', { paths: [REPO_DIR] }), '-c', path.join(REPO_DIR, 'test', 'e2e', 'jest.config.js'), ...process.argv.slice(2)],
	{ cwd: REPO_DIR, stdio: 'inherit', env: { ...process.env, REVOPS_TARBALL: tarball, REVOPS_N8N_VERSIONS: versions.join(',') } },
);
fs.rmSync(packDir, { recursive: true, force: true });
process.exit(jest.status ?? 1);
