/**
 * The `comment` input: when the action writes a pull-request comment at all.
 */
import { PULL_REQUEST_EVENTS, resolvePullRequestNumber, type RunContext } from './context.js';

export type CommentMode = 'auto' | 'always' | 'never';

export const COMMENT_MODES: readonly CommentMode[] = ['auto', 'always', 'never'];

/** Parses the input; empty means `auto`. An unknown value throws (a workflow typo). */
export function parseCommentMode(value: string | undefined): CommentMode {
  const mode = (value ?? '').trim().toLowerCase() || 'auto';
  if ((COMMENT_MODES as readonly string[]).includes(mode)) return mode as CommentMode;
  throw new Error(
    `Invalid comment mode ${JSON.stringify(value)}: expected one of ${COMMENT_MODES.join(', ')}`,
  );
}

export type CommentDecision =
  | { comment: true; prNumber: number }
  | {
      comment: false;
      reason: string;
      /** Set when the user asked for a comment we cannot write. */ warning?: string;
    };

/**
 * Decides whether to comment and where. `auto` comments on pull_request and pull_request_target
 * events, or anywhere an explicit number is given; `always` comments whenever a pull request can
 * be resolved and warns when none can; `never` does not comment.
 */
export function decideComment(
  mode: CommentMode,
  context: RunContext,
  explicitNumber?: string | number,
): CommentDecision {
  if (mode === 'never') return { comment: false, reason: 'comment is never' };
  const explicit =
    explicitNumber === undefined || String(explicitNumber).trim() === '' ? undefined : explicitNumber;
  const prNumber = resolvePullRequestNumber(context, explicit);
  if (mode === 'auto' && explicit === undefined && !PULL_REQUEST_EVENTS.includes(context.eventName)) {
    return { comment: false, reason: `event ${context.eventName || '(none)'} is not a pull request event` };
  }
  if (prNumber === undefined) {
    const reason = `no pull request number for event ${context.eventName || '(none)'}`;
    return mode === 'always'
      ? {
          comment: false,
          reason,
          warning: `comment is always, but there is ${reason}; pass the pull request number to comment`,
        }
      : { comment: false, reason };
  }
  return { comment: true, prNumber };
}
