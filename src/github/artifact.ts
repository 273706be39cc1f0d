/**
 * Uploads the report files as one workflow artifact. An upload that fails is a warning: the files
 * stay in the output directory either way, and the job's verdict is about Flux, not about the
 * artifact service.
 */
import { existsSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import * as core from '@actions/core';
import { DefaultArtifactClient, type ArtifactClient } from '@actions/artifact';

export interface UploadArtifactsOptions {
  /** Artifact name; empty means no upload. */
  name: string;
  /** Files to upload, absolute or relative to `rootDir`; missing ones are left out with a note. */
  files: readonly string[];
  /** The directory the paths inside the zip are relative to (the output directory). */
  rootDir: string;
  /** Days to keep the artifact; undefined or 0 keeps the repository's default. */
  retentionDays?: number;
  /** For tests or a non-default client. */
  client?: ArtifactClient;
}

export interface UploadArtifactsResult {
  /** False when there was nothing to do (no name, no files) or the upload failed. */
  uploaded: boolean;
  id?: number;
  size?: number;
  digest?: string;
  /** The files that went into the artifact, absolute. */
  files: string[];
  /** Why the upload failed; already emitted with `core.warning`. */
  warning?: string;
}

function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}

export async function uploadArtifacts(options: UploadArtifactsOptions): Promise<UploadArtifactsResult> {
  const name = options.name.trim();
  if (name === '') return { uploaded: false, files: [] };
  const rootDir = resolve(options.rootDir);
  const absolute = options.files.map((file) => (isAbsolute(file) ? file : resolve(rootDir, file)));
  const present = absolute.filter(isFile);
  const missing = absolute.filter((file) => !present.includes(file));
  if (missing.length > 0) core.info(`Not in the artifact (not written): ${missing.join(', ')}`);
  if (present.length === 0) {
    const warning = `Artifact ${name} not uploaded: none of its files exist in ${rootDir}`;
    core.warning(warning);
    return { uploaded: false, files: [], warning };
  }
  const retentionDays =
    options.retentionDays && options.retentionDays > 0 ? Math.floor(options.retentionDays) : undefined;
  try {
    const client = options.client ?? new DefaultArtifactClient();
    const response = await client.uploadArtifact(
      name,
      present,
      rootDir,
      retentionDays ? { retentionDays } : {},
    );
    core.info(
      `Uploaded artifact ${name} (${present.length} files, ${response.size ?? 0} bytes, id ${response.id ?? '?'})`,
    );
    return { uploaded: true, id: response.id, size: response.size, digest: response.digest, files: present };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const warning = `Artifact ${name} not uploaded: ${reason}. The files are still in ${rootDir}.`;
    core.warning(warning);
    return { uploaded: false, files: present, warning };
  }
}
