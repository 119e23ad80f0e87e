import type { OperationResult } from '../../../bedrock/routes.js';
import { projectCache, summarize } from '../../../domain/projects.js';
import type { ActionContext } from '../../shared/context.js';
import type { ProjectList } from '../types.js';

/** E1, always fresh: the list the customer sees, and the ownership cache for later actions. */
export async function listProjects(_input: unknown, context: ActionContext): Promise<OperationResult<ProjectList>> {
  const projects = projectCache(await context.pf360.getDashboard(context.who));
  const list = Object.entries(projects).map(([id, project]) => summarize(id, project, context.session.scheduling[id]));
  return {
    body: { projects: list, total: list.length, truncated: false },
    sessionPatch: { projects },
  };
}
