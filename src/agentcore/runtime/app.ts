// Placeholder so the packaging can bundle the AgentCore Runtime entry; the lead replaces it with the runtime server.
export {};
