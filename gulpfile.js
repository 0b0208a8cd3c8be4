const { src, dest, parallel, task } = require('gulp');

// tsc emits only code; everything n8n or the nodes read at run time is copied next to it, so the
// packed tarball alone is a working install.
function nodeAssets() {
	return src(['nodes/**/*.{png,svg}', 'nodes/**/*.node.json'], { encoding: false }).pipe(dest('dist/nodes'));
}

function credentialAssets() {
	return src('credentials/**/*.{png,svg}', { encoding: false, allowEmpty: true }).pipe(dest('dist/credentials'));
}

function prompts() {
	return src('prompts/**/*', { allowEmpty: true }).pipe(dest('dist/prompts'));
}

function workflows() {
	return src('workflows/**/*.json', { allowEmpty: true }).pipe(dest('dist/workflows'));
}

task('build:assets', parallel(nodeAssets, credentialAssets, prompts, workflows));
