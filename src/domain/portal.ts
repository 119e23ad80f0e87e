/**
 * The customer-portal link of a project, as PF360's portal serves it:
 * https://{client_name}.cx-portal.{env}.projectsforce.com/details/{project_id}, where env is the
 * stage's portal name (prod → apps; anything unknown → dev).
 */
const portalEnv: Record<string, string> = { dev: 'dev', qa: 'qa', staging: 'staging', prod: 'apps' };

export function portalLink(stage: string, clientName: string, projectId: string): string {
  const env = portalEnv[stage] ?? 'dev';
  return `https://${encodeURIComponent(clientName)}.cx-portal.${env}.projectsforce.com/details/${encodeURIComponent(projectId)}`;
}
