// `npm run test:e2e` runs this through test/harness/e2e.js, which installs the n8n versions and packs
// the package first. Real n8n servers, one at a time: they are CPU-bound and the machine has two cores.
const path = require('node:path');

module.exports = {
	rootDir: path.resolve(__dirname, '..', '..'),
	testEnvironment: 'node',
	testMatch: ['<rootDir>/test/e2e/**/*.e2e.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
	testTimeout: 240_000,
	maxWorkers: 1,
	forceExit: true,
};
