import { lstat } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';

/**
 * Output paths an untrusted workspace could still redirect. Restricted Mode ignores the output
 * paths its files name, but the default `data/traces.jsonl` lies in the workspace, and a cloned
 * repository can ship `data` (or `data/traces.jsonl`) as a symbolic link to `~/.bashrc`: every
 * run would then append rows there, whose prompt ids the repository's own prompts set (in a
 * shell, `"$(...)"` inside a row runs), and mend the target's last line as a row a crash cut
 * short. So in Restricted Mode no output may be reached through a link inside a workspace folder.
 *
 * Only the part of a path below the folder is checked: the folder itself may be opened through a
 * link, and a path outside every folder comes from the user's own settings (VS Code ignores the
 * workspace's values of the output settings in Restricted Mode).
 *
 * Returns the refusal, naming the link, or undefined when every output is a plain path.
 */
export async function linkedOutputProblem(folders: readonly string[], outputs: readonly string[]): Promise<string | undefined> {
  for (const output of outputs) {
    for (const folder of folders) {
      const link = await linkBelow(folder, output);
      if (link === undefined) continue;
      const shown = (path: string): string => relative(folder, path).split(sep).join('/');
      const through = link === output ? `is a symbolic link` : `goes through the symbolic link ${shown(link)}`;
      return `the output ${shown(output)} ${through}, and this workspace is in Restricted Mode: a link in a repository can point anywhere on this machine, so nothing was written. Remove the link, or trust the workspace.`;
    }
  }
  return undefined;
}

/** The first symbolic link on the way from `folder` down to `path`; undefined when `path` is not below `folder`. */
async function linkBelow(folder: string, path: string): Promise<string | undefined> {
  const rel = relative(folder, path);
  if (!rel || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return undefined;
  let at = folder;
  for (const part of rel.split(sep)) {
    at = join(at, part);
    try {
      if ((await lstat(at)).isSymbolicLink()) return at;
    } catch (error) {
      // What does not exist yet is created by the run itself, as a plain folder or file.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }
  return undefined;
}
