import { MemoryStore } from './memory-store';
import { storeContract } from './store-contract';

describe('CRM store contract: memory (the reference the real backends are held to)', () => {
	storeContract(async () => new MemoryStore());
});
