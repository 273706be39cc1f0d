/**
 * The job summary. GitHub refuses a step's summary over 1 MiB (the upload is aborted with an
 * error annotation and nothing is shown), so the Markdown is cut to fit, with a notice that points
 * at the artifact holding the full report.
 */
import { statSync } from 'node:fs';
import * as core from '@actions/core';
import { measure, truncateMarkdown } from '../render/markdown.js';

/** GitHub's limit for one step's summary file. */
export const SUMMARY_MAX_BYTES = 1024 * 1024;

/** Slack under the limit for GitHub counting differently than we do. */
const SUMMARY_MARGIN_BYTES = 4 * 1024;

export interface WriteSummaryOptions {
  /** Named in the truncation notice. */
  artifactName?: string;
  /** Byte budget for this step's summary file as a whole. Default 1 MiB less a small margin. */
  maxBytes?: number;
  /** Replace what this step already wrote instead of appending. */
  overwrite?: boolean;
}

export interface WriteSummaryResult {
  written: boolean;
  /** Bytes of Markdown written. */
  bytes: number;
  truncated: boolean;
  /** Why nothing was written; already emitted with `core.warning`. */
  warning?: string;
}

/** How much this step has already put into its summary file (it shares the limit). */
function existingBytes(overwrite: boolean): number {
  const path = process.env['GITHUB_STEP_SUMMARY'];
  if (overwrite || !path) return 0;
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

export async function writeJobSummary(
  markdown: string,
  options: WriteSummaryOptions = {},
): Promise<WriteSummaryResult> {
  const overwrite = options.overwrite ?? false;
  const budget = (options.maxBytes ?? SUMMARY_MAX_BYTES - SUMMARY_MARGIN_BYTES) - existingBytes(overwrite);
  // addRaw(…, true) appends a line break, which counts too.
  const cut = truncateMarkdown(markdown, Math.max(0, budget - 1), {
    unit: 'bytes',
    artifactName: options.artifactName,
  });
  try {
    // Checked here rather than left to the toolkit, which remembers the first path it saw.
    if (!process.env['GITHUB_STEP_SUMMARY'])
      throw new Error('GITHUB_STEP_SUMMARY is not set (not running in GitHub Actions)');
    await core.summary.addRaw(cut.text, true).write({ overwrite });
    return { written: true, bytes: measure(cut.text, 'bytes'), truncated: cut.truncated };
  } catch (error) {
    core.summary.emptyBuffer();
    const warning = `Job summary not written: ${error instanceof Error ? error.message : String(error)}`;
    core.warning(warning);
    return { written: false, bytes: 0, truncated: cut.truncated, warning };
  }
}
