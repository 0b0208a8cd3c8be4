// ESLint 9 flat config. n8n's two rule sets: eslint-plugin-n8n-nodes-base (package.json, node and
// credential conventions) and @n8n/eslint-plugin-community-nodes (the community-package checks n8n
// runs for verification). Every rule switched off is listed below with its reason.
import n8nCommunity from '@n8n/eslint-plugin-community-nodes';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import tseslint from 'typescript-eslint';

const nodesBaseRules = (prefix) =>
	Object.fromEntries(
		Object.entries(n8nNodesBase.rules)
			.filter(([name, rule]) => name.startsWith(prefix) && !rule.meta?.deprecated)
			.map(([name]) => [`n8n-nodes-base/${name}`, 'error']),
	);

export default tseslint.config(
	{
		ignores: ['dist/**', 'node_modules/**', 'coverage/**', '**/*.js', '**/*.mjs', 'test/**'],
	},
	{
		files: ['nodes/**/*.ts', 'credentials/**/*.ts'],
		extends: [tseslint.configs.recommended],
		languageOptions: { parserOptions: { project: './tsconfig.json' } },
		plugins: { 'n8n-nodes-base': n8nNodesBase, '@n8n/community-nodes': n8nCommunity },
		rules: {
			...nodesBaseRules('node-'),
			...nodesBaseRules('cred-'),
			...n8nCommunity.configs.recommended.rules,
			// Community packages may carry runtime dependencies on self-hosted n8n; n8n forbids them only
			// for n8n Cloud verification. We use maintained libraries (libphonenumber-js, tldts,
			// i18n-iso-countries, mailchecker, email-providers, luxon, zod, jsonata, openai) on purpose.
			'@n8n/community-nodes/no-restricted-imports': 'off',
			// Versioned nodes keep their description in a separate file and class (n8n's own layout for
			// versioned nodes); the filename rule only knows single-class node files.
			'n8n-nodes-base/node-filename-against-convention': 'off',
			// Written for n8n's own credentials, whose documentationUrl is a camelCase docs slug; a community
			// credential links its documentation with a full URL.
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
		},
	},
	{
		// A versioned node's per-version class spreads the base description, which carries the icon;
		// the rule reads the class literally and cannot follow the spread.
		files: ['nodes/*/v*/**/*.ts'],
		rules: { '@n8n/community-nodes/icon-validation': 'off' },
	},
	{
		// Domain modules are plain TypeScript so they can be tested and reused without n8n.
		files: ['nodes/shared/domain/**/*.ts'],
		rules: {
			// Domain code cannot know n8n's error classes; it throws ConfigError (message plus fix), which
			// the node layer turns into NodeOperationError with the item index (nodes/shared/n8n/item-router.ts).
			'@n8n/community-nodes/require-node-api-error': 'off',
			'no-restricted-imports': [
				'error',
				{ patterns: [{ group: ['n8n-workflow', 'n8n-core', '../n8n/*', '../../n8n/*', '../../../n8n/*', '../../../*/v*/*'], message: 'Domain code must not depend on n8n.' }] },
			],
		},
	},
	{
		files: ['package.json'],
		// typescript-estree reads a .json file as one object expression, which both plugins' package.json
		// rules expect.
		languageOptions: { parser: tseslint.parser, parserOptions: { extraFileExtensions: ['.json'] } },
		plugins: { 'n8n-nodes-base': n8nNodesBase, '@n8n/community-nodes': n8nCommunity },
		rules: {
			...nodesBaseRules('community-package-json-'),
			...n8nCommunity.configs.recommended.rules,
			// See the note above: runtime dependencies are allowed on self-hosted n8n.
			'@n8n/community-nodes/no-runtime-dependencies': 'off',
		},
	},
);
