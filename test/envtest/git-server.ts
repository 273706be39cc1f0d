// A loopback Git smart-HTTP server: `git http-backend` run as a CGI program behind a Node HTTP
// server, the way Apache or nginx serve Git. source-controller's Git client speaks only smart
// HTTP, so this is the smallest real Git remote it can clone from. Tests push to the bare
// repositories through a working copy on the filesystem (see GitRepo).
import { execFile, spawn } from 'node:child_process';
import { access, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

const GIT_ENV = {
  GIT_AUTHOR_NAME: 'Flux Health tests',
  GIT_AUTHOR_EMAIL: 'tests@flux-health.invalid',
  GIT_COMMITTER_NAME: 'Flux Health tests',
  GIT_COMMITTER_EMAIL: 'tests@flux-health.invalid',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_TERMINAL_PROMPT: '0',
};

async function git(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('git', args, {
    cwd,
    env: { ...process.env, ...GIT_ENV, HOME: cwd },
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout.trim();
}

export interface GitServer {
  /** http://127.0.0.1:<port> */
  url: string;
  /** Directory holding the bare repositories. */
  root: string;
  /** Creates (or opens) `<name>.git` with a first commit on `main`; returns a working copy. */
  repository(name: string): Promise<GitRepo>;
  stop(): Promise<void>;
}

/** A working copy of one served repository; every commit is pushed at once. */
export class GitRepo {
  constructor(
    readonly name: string,
    /** The URL a GitRepository's `spec.url` takes. */
    readonly url: string,
    private readonly work: string,
  ) {}

  /**
   * Writes (string) or deletes (null) files on `branch` (created from main when new), commits,
   * pushes, and returns the full commit SHA.
   */
  async commit(branch: string, files: Record<string, string | null>, message = 'update'): Promise<string> {
    await git(this.work, 'checkout', '-q', '-B', branch, `origin/${branch}`).catch(() =>
      git(this.work, 'checkout', '-q', '-B', branch, 'origin/main'),
    );
    for (const [path, content] of Object.entries(files)) {
      const full = join(this.work, path);
      if (content === null) await rm(full, { recursive: true, force: true });
      else {
        await mkdir(dirname(full), { recursive: true });
        await writeFile(full, content);
      }
    }
    await git(this.work, 'add', '-A');
    await git(this.work, 'commit', '-q', '--allow-empty', '-m', message);
    await git(this.work, 'push', '-q', 'origin', `HEAD:refs/heads/${branch}`);
    await git(this.work, 'fetch', '-q', 'origin');
    return git(this.work, 'rev-parse', 'HEAD');
  }
}

function cgiEnv(req: IncomingMessage, root: string, url: URL): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    GIT_PROJECT_ROOT: root,
    GIT_HTTP_EXPORT_ALL: '1',
    GATEWAY_INTERFACE: 'CGI/1.1',
    REQUEST_METHOD: req.method ?? 'GET',
    PATH_INFO: decodeURIComponent(url.pathname),
    QUERY_STRING: url.search.replace(/^\?/, ''),
    CONTENT_TYPE: req.headers['content-type'] ?? '',
    CONTENT_LENGTH: req.headers['content-length'] ?? '',
    HTTP_CONTENT_ENCODING: req.headers['content-encoding'] ?? '',
    HTTP_GIT_PROTOCOL: (req.headers['git-protocol'] as string | undefined) ?? '',
    REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
    REMOTE_USER: 'flux',
    SERVER_PROTOCOL: 'HTTP/1.1',
  };
}

/** Runs git http-backend for one request and relays its CGI response. */
function serveCgi(req: IncomingMessage, res: ServerResponse, root: string): void {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const child = spawn('git', ['http-backend'], { env: cgiEnv(req, root, url) });
  req.pipe(child.stdin);
  let head = Buffer.alloc(0);
  let headersDone = false;
  child.stdout.on('data', (chunk: Buffer) => {
    if (headersDone) {
      res.write(chunk);
      return;
    }
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf('\r\n\r\n');
    const endLf = head.indexOf('\n\n');
    const cut = end >= 0 ? end + 4 : endLf >= 0 ? endLf + 2 : -1;
    if (cut < 0) return;
    headersDone = true;
    let status = 200;
    for (const line of head.subarray(0, cut).toString('latin1').split(/\r?\n/)) {
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      const name = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10) || 200;
      else res.setHeader(name, value);
    }
    res.statusCode = status;
    res.write(head.subarray(cut));
  });
  child.on('close', (code) => {
    if (!headersDone) {
      res.statusCode = 500;
      res.end(`git http-backend exited with ${String(code)}\n`);
    } else res.end();
  });
  child.on('error', (err) => {
    if (!res.headersSent) res.statusCode = 500;
    res.end(String(err));
  });
}

/**
 * Creates `<root>/<name>.git` (bare, first commit on `main`) and a working copy beside it, or
 * opens both when they exist. Any process can do this: the server serves whatever is in `root`.
 */
export async function openRepository(root: string, baseUrl: string, name: string): Promise<GitRepo> {
  const bare = join(root, `${name}.git`);
  const work = join(root, `${name}.work`);
  const url = `${baseUrl}/${name}.git`;
  const exists = await access(join(work, '.git')).then(
    () => true,
    () => false,
  );
  if (exists) return new GitRepo(name, url, work);
  await git(root, 'init', '-q', '--bare', '-b', 'main', bare);
  await git(root, 'init', '-q', '-b', 'main', work);
  await git(work, 'remote', 'add', 'origin', bare);
  await writeFile(join(work, 'README.md'), `# ${name}\n\nServed by the Flux Health test Git server.\n`);
  await git(work, 'add', '-A');
  await git(work, 'commit', '-q', '-m', 'initial commit');
  await git(work, 'push', '-q', 'origin', 'HEAD:refs/heads/main');
  await git(work, 'fetch', '-q', 'origin');
  return new GitRepo(name, url, work);
}

export async function startGitServer(dir?: string): Promise<GitServer> {
  const root = dir ?? (await mkdtemp(join(process.env.TMPDIR ?? '/tmp', 'flux-health-git-')));
  const server: Server = createServer((req, res) => serveCgi(req, res, root));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const addr = server.address();
  if (addr === null || typeof addr === 'string') throw new Error('git server: no address');
  const url = `http://127.0.0.1:${addr.port}`;
  return {
    url,
    root,
    repository: (name: string) => openRepository(root, url, name),
    async stop(): Promise<void> {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (dir === undefined) await rm(root, { recursive: true, force: true });
    },
  };
}
