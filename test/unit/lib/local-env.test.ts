import { describe, expect, it } from 'vitest';
import { useLocalStackEnv } from '../../../scripts/local/env.js';

describe('useLocalStackEnv (npm run invoke, npm run mcp)', () => {
  it('points an empty environment at the local stack of npm start', () => {
    const env: NodeJS.ProcessEnv = {};
    useLocalStackEnv(env);
    expect(env).toMatchObject({
      STAGE: 'local',
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000',
      PF360_BASE_URL: 'http://127.0.0.1:4010',
      WEATHER_BASE_URL: 'http://127.0.0.1:4011',
      GEOCODING_BASE_URL: 'http://127.0.0.1:4011',
      AWS_ACCESS_KEY_ID: 'local',
    });
  });

  it('follows the ports npm start was given, and keeps what is already set', () => {
    const env: NodeJS.ProcessEnv = { DYNAMODB_PORT: '9000', PF360_MOCK_PORT: '5010', PF360_BASE_URL: 'http://x:1' };
    useLocalStackEnv(env);
    expect(env.AWS_ENDPOINT_URL_DYNAMODB).toBe('http://127.0.0.1:9000');
    expect(env.PF360_BASE_URL).toBe('http://x:1');
  });

  it('sets nothing for a deployed stage, so its tables and the caller’s credentials are used', () => {
    const env: NodeJS.ProcessEnv = { STAGE: 'qa', AWS_PROFILE: 'pf360-qa' };
    useLocalStackEnv(env);
    expect(env).toEqual({ STAGE: 'qa', AWS_PROFILE: 'pf360-qa' });
  });
});
