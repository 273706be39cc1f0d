/**
 * The action's output end on GitHub: the job summary, the sticky pull-request comment and the
 * artifact. Each is best-effort: a failure is one warning line, never a failed job. The Octokit
 * and artifact clients load only when they are used.
 */
import { join } from 'node:path';
import * as core from '@actions/core';
import { decideComment, type CommentMode } from './comment-mode.js';
import type { RunContext } from './context.js';
import { writeJobSummary } from './summary.js';

/** The inputs publishing reads (the action's inputs carry them). */
export interface PublishInputs {
  summary: boolean;
  comment: CommentMode;
  commentTag: string;
  githubToken: string;
  artifactName: string;
  retentionDays: number;
}

export interface Publication {
  summaryMd?: string;
  /** The comment, given what our previous comment on this pull request said (its body). */
  comment?: { render: (previousBody: string | undefined) => string; trailer: string };
  /** Where the output files are, and their names (the artifact's content). */
  dir: string;
  files: string[];
}

/** Writes the comment; its URL when there is one. */
async function comment(
  inputs: PublishInputs,
  ctx: RunContext,
  content: NonNullable<Publication['comment']>,
): Promise<string | undefined> {
  const decision = decideComment(inputs.comment, ctx);
  if (!decision.comment) {
    if (decision.warning) core.warning(decision.warning);
    core.info(`no pull-request comment: ${decision.reason}`);
    return undefined;
  }
  if (!ctx.repository) {
    core.warning('cannot comment: GITHUB_REPOSITORY is not set');
    return undefined;
  }
  if (!inputs.githubToken) {
    core.warning('cannot comment: input `github-token` is empty');
    return undefined;
  }
  const [{ createOctokit }, { upsertStickyComment }] = await Promise.all([
    import('./octokit.js'),
    import('./comment.js'),
  ]);
  const res = await upsertStickyComment({
    octokit: createOctokit(inputs.githubToken, { baseUrl: ctx.apiUrl }),
    owner: ctx.repository.owner,
    repo: ctx.repository.repo,
    prNumber: decision.prNumber,
    tag: inputs.commentTag,
    body: content.render,
    trailer: content.trailer,
    graphqlUrl: ctx.graphqlUrl,
    ...(inputs.artifactName ? { artifactName: inputs.artifactName } : {}),
  });
  if (res.warning) core.warning(res.warning);
  else
    core.info(`pull request #${decision.prNumber}: comment ${res.action}${res.url ? ` (${res.url})` : ''}`);
  return res.url;
}

async function artifact(inputs: PublishInputs, dir: string, files: string[]): Promise<void> {
  const { uploadArtifacts } = await import('./artifact.js');
  const res = await uploadArtifacts({
    name: inputs.artifactName,
    files: files.map((f) => join(dir, f)),
    rootDir: dir,
    ...(inputs.retentionDays > 0 ? { retentionDays: inputs.retentionDays } : {}),
  });
  if (res.warning) core.warning(res.warning);
  else if (res.uploaded) core.info(`uploaded artifact ${inputs.artifactName} (${res.size ?? 0} bytes)`);
}

export interface Published {
  commentUrl?: string;
}

export async function publish(inputs: PublishInputs, ctx: RunContext, p: Publication): Promise<Published> {
  if (inputs.summary && p.summaryMd !== undefined) {
    const res = await writeJobSummary(p.summaryMd, {
      ...(inputs.artifactName ? { artifactName: inputs.artifactName } : {}),
    });
    if (res.warning) core.warning(res.warning);
  }
  const commentUrl = p.comment ? await comment(inputs, ctx, p.comment) : undefined;
  if (inputs.artifactName && p.files.length > 0) await artifact(inputs, p.dir, p.files);
  return commentUrl ? { commentUrl } : {};
}
