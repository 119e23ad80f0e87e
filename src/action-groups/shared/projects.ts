/**
 * Ownership: every project id from the model is checked against the session customer's own
 * projects (PF360 dashboard) before anything is done with it.
 */
import { ForbiddenError } from '../../domain/errors.js';
import { projectCache } from '../../domain/projects.js';
import type { CachedProject, SessionPatch } from '../../domain/session.js';
import type { ActionContext } from './context.js';

export interface OwnedProject {
  project: CachedProject;
  /** Set when the dashboard had to be read: the refreshed cache to store. */
  patch: SessionPatch;
}

/**
 * The project if it is the customer's. With the project list already in the session, a foreign
 * id is refused without any PF360 call; otherwise the customer's dashboard is read once.
 */
export async function requireOwnedProject(context: ActionContext, projectId: string): Promise<OwnedProject> {
  let projects = context.session.projects;
  let patch: SessionPatch = {};
  if (!projects) {
    projects = projectCache(await context.pf360.getDashboard(context.who));
    patch = { projects };
  }
  const project = projects[projectId];
  if (!project) {
    throw new ForbiddenError(
      `Project ${projectId} is not one of this customer's projects. Call list_projects and use a project_id from it (it also refreshes the list if the project is new).`,
    );
  }
  return { project, patch };
}
