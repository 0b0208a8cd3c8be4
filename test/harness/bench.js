#!/usr/bin/env node
// `npm run bench`: prints throughput figures; asserts nothing. Each benchmark lives in test/bench/ and
// exports run(), which returns lines to print. Runs against the built package (dist/), so it
// measures what ships.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { REPO_DIR } = require('./package');

const only = process.argv[2];
if (!fs.existsSync(path.join(REPO_DIR, 'dist', 'nodes'))) {
	spawnSync('npm', ['run', 'build'], { cwd: REPO_DIR, stdio: 'inherit' });
}
const dir = path.join(REPO_DIR, 'test', 'bench');
(async () => {
	for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.bench.js')).sort()) {
		if (only && !file.includes(only)) continue;
		process.stdout.write(`\n## ${file.replace('.bench.js', '')}\n`);
		const lines = await require(path.join(dir, file)).run();
		process.stdout.write(`${lines.join('\n')}\n`);
	}
})().catch((error) => {
	process.stderr.write(`${error.stack}\n`);
	process.exit(1);
});
