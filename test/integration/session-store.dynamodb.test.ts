import { contractTtlSeconds, sessionStoreContract } from '../contract/session-store-contract.js';
import { sessionStore } from '../helpers/sessions.js';

sessionStoreContract('DynamoDbSessionStore on DynamoDB Local', () => sessionStore(contractTtlSeconds));
