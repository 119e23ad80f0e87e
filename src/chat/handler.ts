/** Lambda entry point of the chat HTTP API (serverless.yml: chat; POST /chat, POST /chat/confirm). */
import { createChatHandler } from './wiring.js';

export const handler = createChatHandler();
