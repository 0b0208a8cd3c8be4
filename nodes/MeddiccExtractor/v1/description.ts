import type { INodeProperties } from 'n8n-workflow';
import { FIELD_LABELS, MEDDICC_FIELDS } from '../../shared/domain/meddicc/meddicc';
import { modelOptionFields, promptProperty } from '../../shared/n8n/model-access';
import { readPrompt } from '../../shared/n8n/prompt-files';

export const DEFAULT_PROMPT = readPrompt('meddicc-extractor.md');
const FIELD_OPTIONS = MEDDICC_FIELDS.map((f) => ({ name: FIELD_LABELS[f], value: f }));

export const meddiccProperties: INodeProperties[] = [
	{
		displayName: 'Transcript',
		name: 'transcript',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		placeholder: 'Empty: the item\'s transcript, notes or body.transcript',
		description: 'Plain text ("Speaker: text" or "[00:12:03] Speaker: text" lines are read as turns), or an array of segments with speaker, timestamp and text. Empty: the item\'s transcript, else notes, else body.transcript.',
	},
	{
		displayName: 'Current CRM Values',
		name: 'existing',
		type: 'json',
		default: '',
		placeholder: 'Empty: the item\'s meddicc',
		description: 'The opportunity\'s current values, per field: {"economicBuyer": {"value": "...", "validated": true}}. Validated values are never overwritten. Empty: the item\'s meddicc.',
	},
	{
		displayName: 'Include Paper Process (MEDDPICC)',
		name: 'paperProcess',
		type: 'boolean',
		default: false,
	},
	{
		displayName: 'Suggest Only (Never Write Directly)',
		name: 'suggestOnly',
		type: 'multiOptions',
		options: FIELD_OPTIONS,
		default: [],
		description: 'Findings for these fields go to suggestions, not into crmPatch',
	},
	{
		displayName: 'Never Write',
		name: 'neverWrite',
		type: 'multiOptions',
		options: FIELD_OPTIONS,
		default: [],
		description: 'Findings for these fields are reported on the item but neither written nor suggested',
	},
	{
		displayName: 'Completeness Weights',
		name: 'weights',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Weight',
		default: {},
		description: 'Every field weighs 1 unless set here',
		options: [
			{
				name: 'values',
				displayName: 'Weight',
				values: [
					{ displayName: 'Field', name: 'field', type: 'options', options: FIELD_OPTIONS, default: 'economicBuyer' },
					{ displayName: 'Weight', name: 'weight', type: 'number', typeOptions: { minValue: 0 }, default: 1 },
				],
			},
		],
	},
	{
		displayName: 'Last Activity At',
		name: 'lastActivityAt',
		type: 'string',
		default: '',
		placeholder: 'Empty: the item\'s lastActivityAt',
		description: 'ISO date of the last buyer activity; used for the stalled flag. Empty: the item\'s lastActivityAt.',
	},
	{
		displayName: 'Stalled After (Days)',
		name: 'stalledAfterDays',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 14,
	},
	promptProperty(DEFAULT_PROMPT, '{{fields}} is replaced by the field list', 12, undefined),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Call Participants',
				name: 'participants',
				type: 'json',
				default: '[]',
				description: 'The people on the call as your recorder lists them: [{"name": "Daniel Okafor", "email": "daniel@acme.com", "title": "CFO"}]. A contact the transcript names gets the e-mail of the participant of that name (dealContacts), so it can be written to the CRM.',
			},
			{
				displayName: 'Current Stage',
				name: 'currentStage',
				type: 'string',
				default: '',
				placeholder: 'e.g. {{ $json.crm.record.fields.crmStage }}',
				description: 'The deal\'s stage as your CRM names it; with Stage Exit Criteria, the output says whether the deal is ready for the next stage (stage)',
			},
			{
				displayName: 'Stage Exit Criteria',
				name: 'stageExitCriteria',
				type: 'json',
				default: '{}',
				description: 'Per CRM stage: {"Discovery": {"next": "Demo Scheduled", "requires": ["identifyPain", "metrics", "champion"], "minCompleteness": 50}}. Usually the company config\'s stageExitCriteria.',
			},
			{
				displayName: 'Transcript Tokens per Request',
				name: 'maxTokensPerPart',
				type: 'number',
				typeOptions: { minValue: 500 },
				default: 8000,
				description: 'Longer inputs are split on turn boundaries into parts of this size, extracted separately and merged',
			},
			...modelOptionFields('meddicc'),
		],
	},
];
