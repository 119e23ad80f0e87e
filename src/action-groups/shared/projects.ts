/**
 * Ownership: every project id from the model is checked against the session customer's own
 * projects (PF360 dashboard) before anything is done with it.
 */
import { AppError } from '../../domain/errors.js';
import { projectCache, projectIdOf } from '../../domain/projects.js';
import type { CachedProject, SessionPatch } from '../../domain/session.js';
import type { DashboardItem } from '../../ports/pf360.js';
import type { ActionContext } from './context.js';

function notOwned(projectId: string): AppError {
  return new AppError(
    'forbidden',
    `Project ${projectId} is not one of this customer's projects. Call list_projects and use a project_id from it (it also refreshes the list if the project is new).`,
  );
}

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
  // hasOwn: an id such as `constructor` or `__proto__` must not find an inherited member.
  const project = Object.hasOwn(projects, projectId) ? projects[projectId] : undefined;
  if (!project) throw notOwned(projectId);
  return { project, patch };
}

export interface FreshProject {
  item: DashboardItem;
  project: CachedProject;
  patch: SessionPatch;
}

/**
 * The project's current dashboard row (read-only answers want PF360's latest view). A project
 * outside the session's known list is refused without calling PF360; one that has vanished from
 * the customer's dashboard since is not found.
 */
export async function readProjectFresh(context: ActionContext, projectId: string): Promise<FreshProject> {
  const known = context.session.projects;
  if (known && !Object.hasOwn(known, projectId)) throw notOwned(projectId);
  const items = await context.pf360.getDashboard(context.who);
  const projects = projectCache(items);
  const item = items.find((i) => projectIdOf(i) === projectId);
  const project = Object.hasOwn(projects, projectId) ? projects[projectId] : undefined;
  if (!item || !project) {
    if (known) {
      throw new AppError(
        'project_not_found',
        `Project ${projectId} is no longer in the customer's project list; call list_projects to see the current projects.`,
      );
    }
    throw notOwned(projectId);
  }
  return { item, project, patch: { projects } };
}
