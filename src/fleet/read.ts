/**
 * Reading the runs of a fleet: each run folder holds what one cluster's check wrote (run.json,
 * report.json, alerts.json). A folder named on the command line is a run folder itself or holds
 * one per subfolder (as `gh run download` and `actions/download-artifact` lay artifacts out).
 * Every file is parsed strictly; a run that cannot be read becomes a problem naming the file and
 * what is wrong with it, and the others are read all the same.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { compareStrings } from '../go/strings.js';
import { REPORT_API_VERSION, REPORT_KIND } from '../report/types.js';
import { parseAlertsJson } from '../rules/alerts.js';
import { parseRunRecord, RUN_RECORD_FILE, type RunRecord } from './run-record.js';

export interface Problem {
  /** The file or folder at fault. */
  path: string;
  message: string;
}

/** What the fleet takes from one report.json. */
export interface ReportFacts {
  installed: boolean;
  fluxVersion?: string;
  failing: number;
}

export interface AlertFacts {
  firing: number;
  pending: number;
  /** Firing alerts by alert name. */
  firingByName: Record<string, number>;
}

export interface ClusterRun {
  /** How the fleet names the cluster: run.json's cluster name, else the folder's name. */
  name: string;
  folder: string;
  record: RunRecord;
  /** Absent only for a run that stopped before it had a report (verdict `error`). */
  report?: ReportFacts;
  alerts?: AlertFacts;
}

export interface FleetRead {
  runs: ClusterRun[];
  problems: Problem[];
}

const REPORT = 'report.json';
const ALERTS = 'alerts.json';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The facts of a report.json; throws with one line on anything that is not one we wrote. */
export function parseReportFacts(text: string): ReportFacts {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new Error(`not JSON: ${(err as Error).message}`);
  }
  if (!isObject(doc) || doc['kind'] !== REPORT_KIND || doc['apiVersion'] !== REPORT_API_VERSION)
    throw new Error(`not a ${REPORT_KIND} (${REPORT_API_VERSION})`);
  const spec = doc['spec'];
  const distribution = isObject(spec) ? spec['distribution'] : undefined;
  if (!isObject(spec) || !isObject(distribution) || typeof distribution['status'] !== 'string')
    throw new Error('no spec.distribution.status');
  const health = doc['fluxHealth'];
  if (!isObject(health) || !Array.isArray(health['failing']))
    throw new Error('no fluxHealth.failing list (not written by flux-health)');
  const version = distribution['version'];
  return {
    installed: distribution['status'] === 'Installed',
    ...(typeof version === 'string' && version !== '' ? { fluxVersion: version } : {}),
    failing: health['failing'].length,
  };
}

function alertFacts(text: string, path: string): AlertFacts {
  // parseAlertsJson's messages already start with the path.
  const alerts = parseAlertsJson(text, path);
  const firingByName: Record<string, number> = {};
  let firing = 0;
  for (const a of alerts) {
    if (a.state !== 'firing') continue;
    firing++;
    firingByName[a.name] = (firingByName[a.name] ?? 0) + 1;
  }
  return { firing, pending: alerts.length - firing, firingByName };
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/** One run folder: its run, or the problems that keep it out of the fleet. */
export async function readRun(folder: string): Promise<ClusterRun | Problem> {
  const at = (file: string): string => join(folder, file);
  try {
    const [recordText, reportText, alertsText] = await Promise.all(
      [RUN_RECORD_FILE, REPORT, ALERTS].map((f) => readText(at(f))),
    );
    if (recordText === undefined) {
      return {
        path: at(RUN_RECORD_FILE),
        message: `missing${reportText !== undefined ? ' beside report.json' : ''}: the fleet reads the verdict from it (written by 'flux-health check --out' and the action); check the cluster again with this version`,
      };
    }
    let record: RunRecord;
    try {
      record = parseRunRecord(recordText);
    } catch (err) {
      return { path: at(RUN_RECORD_FILE), message: `not a flux-health run.json: ${(err as Error).message}` };
    }
    const run: ClusterRun = { name: record.cluster ?? basename(folder), folder, record };
    if (reportText === undefined) {
      // Only a run that stopped before judging anything has no report.
      if (record.verdict.level !== 'error')
        return { path: at(REPORT), message: `missing, though run.json says ${record.verdict.level}` };
      return run;
    }
    try {
      run.report = parseReportFacts(reportText);
    } catch (err) {
      return { path: at(REPORT), message: `not a flux-health report.json: ${(err as Error).message}` };
    }
    if (alertsText === undefined) return { path: at(ALERTS), message: 'missing beside report.json' };
    try {
      run.alerts = alertFacts(alertsText, at(ALERTS));
    } catch (err) {
      return { path: at(ALERTS), message: (err as Error).message.replace(`${at(ALERTS)}: `, '') };
    }
    return run;
  } catch (err) {
    return { path: folder, message: (err as Error).message };
  }
}

const isFile = (path: string): Promise<boolean> =>
  stat(path).then(
    (s) => s.isFile(),
    () => false,
  );

async function isRunFolder(dir: string): Promise<boolean> {
  return (await isFile(join(dir, RUN_RECORD_FILE))) || (await isFile(join(dir, REPORT)));
}

/**
 * The run folders among `dirs`: each one that holds run.json or report.json, else its subfolders
 * that do (sorted). A path that is missing, not a folder, or holds no run is a problem.
 */
export async function findRunFolders(
  dirs: readonly string[],
): Promise<{ folders: string[]; problems: Problem[] }> {
  const folders: string[] = [];
  const problems: Problem[] = [];
  for (const dir of dirs) {
    try {
      if (!(await stat(dir)).isDirectory()) {
        problems.push({
          path: dir,
          message: 'not a folder (name the folder that holds run.json and report.json)',
        });
        continue;
      }
    } catch (err) {
      problems.push({
        path: dir,
        message: `cannot read (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
      });
      continue;
    }
    if (await isRunFolder(dir)) {
      folders.push(dir);
      continue;
    }
    const entries = (await readdir(dir, { withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort(compareStrings);
    const found: string[] = [];
    for (const name of entries) if (await isRunFolder(join(dir, name))) found.push(join(dir, name));
    if (found.length === 0)
      problems.push({ path: dir, message: 'holds no run.json or report.json, nor do its subfolders' });
    folders.push(...found);
  }
  return { folders: [...new Set(folders)], problems };
}

/** Reads every run under `dirs`. Names that collide get their folder appended, so each is unique. */
export async function readFleet(dirs: readonly string[]): Promise<FleetRead> {
  const { folders, problems } = await findRunFolders(dirs);
  const runs: ClusterRun[] = [];
  for (const folder of folders) {
    const r = await readRun(folder);
    if ('record' in r) runs.push(r);
    else problems.push(r);
  }
  const count = new Map<string, number>();
  for (const r of runs) count.set(r.name, (count.get(r.name) ?? 0) + 1);
  for (const r of runs) if ((count.get(r.name) ?? 0) > 1) r.name = `${r.name} (${r.folder})`;
  return { runs, problems };
}
