// Placeholder so the packaging can bundle the Gateway REQUEST interceptor; the gateway-identity helper replaces it.
export {};
