/**
 * Secrets and personal data the tests send through the system; the log audit
 * (test/log-audit/logs.test.ts) proves none of them ever reaches a log line. Tests should take
 * their tokens and note texts from here so the audit knows them.
 */
export const sensitive = {
  pf360Token: 'pf360-test-token-7f3a9c',
  portalToken: 'pf360-portal-token-3b8e1d',
  attackerToken: 'pf360-attacker-token-9d2e60',
  rotatedToken: 'pf360-rotated-token-4a7c15',
  e2eToken: 'pf360-e2e-token-51c0',
  gatewayToken: 'tok-gateway-test-2c4d',
  gateNote: 'Gate code is 4417.',
  dogNote: 'Dog in the yard.',
  ladderNote: 'Ladder access:\n\tback yard only',
  garageNote: 'The ladder can go by the garage.',
} as const;

export const sensitiveTestValues: string[] = Object.values(sensitive).map((v) => v.split('\n')[0] ?? v);
