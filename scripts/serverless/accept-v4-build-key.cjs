'use strict';
/**
 * A local osls plugin that declares Serverless Framework v4's top-level `build` key, so one
 * serverless.yml carries `build: { esbuild: false }` for v4 (which must not bundle: the
 * serverless-esbuild plugin does) and still passes osls's strict configuration validation
 * ("unrecognized property 'build'" otherwise). Under v4, which knows the key, it does nothing.
 * CommonJS because the repository is "type": "module" and the framework `require`s plugins.
 */
class AcceptV4BuildKey {
  constructor(serverless) {
    const schemaHandler = serverless.configSchemaHandler;
    if (!schemaHandler || schemaHandler.schema?.properties?.build) return;
    try {
      schemaHandler.defineTopLevelProperty('build', {
        type: 'object',
        properties: { esbuild: { anyOf: [{ type: 'boolean' }, { type: 'object' }] } },
      });
    } catch (error) {
      // Already defined (a framework that knows `build`): nothing to add.
      if (error?.code !== 'SCHEMA_COLLISION') throw error;
    }
  }
}

module.exports = AcceptV4BuildKey;
