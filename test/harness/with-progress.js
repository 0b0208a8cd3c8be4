#!/usr/bin/env node
// Runs one long command (an npm install, a native build) and says every few seconds what it is doing,
// how long it has taken and how far it is, so a first start never goes quiet. The command's own output
// is collected and written to stdout when it ends (the caller shows its tail if it failed); the
// progress lines go to stderr, which the caller passes through to the terminal.
//
//   node with-progress.js '<label>' '<dir whose packages to count>' <expected count> -- cmd args...
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');

const [label, countDir, expected] = process.argv.slice(2, 5);
const cmdAt = process.argv.indexOf('--');
const [cmd, ...args] = process.argv.slice(cmdAt + 1);
const EVERY_MS = Number(process.env.REVOPS_PROGRESS_EVERY_MS ?? 5_000);

/**
 * Packages unpacked so far: folders (top level, and inside @scopes) that hold their package.json. npm
 * creates every folder first and fills them as the downloads arrive, so folders alone say nothing.
 */
function packages(dir) {
	const unpacked = (d) => fs.existsSync(path.join(d, 'package.json'));
	try {
		let n = 0;
		for (const entry of fs.readdirSync(dir)) {
			if (entry.startsWith('.')) continue;
			if (entry.startsWith('@')) for (const inner of fs.readdirSync(path.join(dir, entry))) n += unpacked(path.join(dir, entry, inner)) ? 1 : 0;
			else n += unpacked(path.join(dir, entry)) ? 1 : 0;
		}
		return n;
	} catch {
		return 0;
	}
}

const clock = (ms) => `${Math.floor(ms / 60_000)}m${String(Math.floor((ms % 60_000) / 1000)).padStart(2, '0')}s`;
const started = Date.now();
const output = [];
const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
child.stdout.on('data', (c) => output.push(c));
child.stderr.on('data', (c) => output.push(c));
const timer = setInterval(() => {
	const count = countDir && countDir !== '-' ? packages(countDir) : 0;
	const total = Number(expected) || 0;
	// npm resolves the whole tree first (nothing on disk yet), unpacks the top-level packages, then the
	// nested ones and links them: each phase is said as it is, without a percentage it cannot know.
	const how =
		countDir && countDir !== '-'
			? count === 0
				? 'resolving the dependency tree'
				: total && count >= total * 0.98
					? `the top-level packages are unpacked (${count.toLocaleString('en')}); unpacking nested ones and linking`
					: `unpacking: ${count.toLocaleString('en')}${total ? ` of about ${total.toLocaleString('en')}` : ''} top-level packages`
			: 'working';
	process.stderr.write(`[revops]   ${label}: ${clock(Date.now() - started)}, ${how}\n`);
}, EVERY_MS);
child.on('close', (code) => {
	clearInterval(timer);
	process.stdout.write(Buffer.concat(output));
	process.exit(code ?? 1);
});
