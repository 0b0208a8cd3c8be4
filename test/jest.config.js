// `npm test`: unit tests of the domain modules, in-process node tests through n8n-core's engine, and
// the test model server. Runs on the machine's Node 20.
const path = require('node:path');

module.exports = {
	rootDir: path.resolve(__dirname, '..'),
	testEnvironment: 'node',
	testMatch: ['<rootDir>/test/unit/**/*.test.ts', '<rootDir>/test/node/**/*.test.ts', '<rootDir>/test/model-server/**/*.test.ts', '<rootDir>/test/redteam/**/*.test.ts', '<rootDir>/test/crm/**/*.test.ts', '<rootDir>/test/slack/**/*.test.ts', '<rootDir>/test/vendors/**/*.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
	// n8n-core leaves a process-level handle open after in-process executions that jest cannot name.
	forceExit: true,
};
