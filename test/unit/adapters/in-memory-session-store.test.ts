import { contractTtlSeconds, sessionStoreContract } from '../../contract/session-store-contract.js';
import { InMemorySessionStore } from '../../fakes/in-memory-session-store.js';

sessionStoreContract('InMemorySessionStore', () => new InMemorySessionStore(contractTtlSeconds));
