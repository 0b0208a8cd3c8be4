import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { runNode, type node } from './workflow-runner';

/**
 * What the CRM node does the same on every vendor backend, in n8n's execution engine: run by each
 * backend's node test with its node factory and credentials.
 */
export async function findAndSearchCase(crmNode: (parameters: IDataObject) => ReturnType<typeof node>, credentials: Record<string, IDataObject>): Promise<void> {
	const crm = (item: INodeExecutionData) => item.json.crm as Record<string, any>;
	const written = await runNode(crmNode({ operation: 'upsert', object: 'account', fieldsFrom: 'json', fieldsJson: '={{ $json.fields }}' }), [{ json: { fields: { domain: 'nordwind.example', name: 'Nordwind', employeeCount: 420, tier: 'T1' } } }, { json: { fields: { domain: 'small.example', employeeCount: 12, tier: 'T3' } } }], credentials);
	expect(written.outputs('RevOps CRM')[0].map((i) => crm(i).action)).toEqual(['created', 'created']);
	const found = await runNode(crmNode({ operation: 'find', object: 'account', matchKey: 'NORDWIND.example' }), [{ json: {} }], credentials);
	expect(crm(found.outputs('RevOps CRM')[0][0])).toMatchObject({ found: true, record: { key: 'nordwind.example', revision: 1, fields: { name: 'Nordwind', employeeCount: 420, tier: 'T1' } } });
	const search = await runNode(crmNode({ operation: 'search', object: 'account', conditions: { values: [{ field: 'employeeCount', op: 'gte', value: '100' }] } }), [{ json: {} }], credentials);
	expect(search.outputs('RevOps CRM')[0].map((i) => crm(i).record.key)).toEqual(['nordwind.example']);
}
