/**
 * What a shell would have expanded in a path and nothing here does: a leading `~` (`~/data`,
 * `~user/data`), an environment variable (`$HOME`, `${HOME}`, `%USERPROFILE%`). Taken as
 * written, such a path makes folders literally named `~` or `$HOME` beside the config (one named
 * `~` is dangerous to clean up: `rm -rf ~` removes the home folder), so the config's outputs and
 * the CLI's --out-dir refuse it. Undefined for a path without any; else what it holds, as a
 * problem's opening: `starts with ~`, `holds the environment variable $HOME`. A `~` inside a name
 * (`PROGRA~1`, `notes~`) and a `$` or `%` not followed by a name (`price$5`, `100%`) stay.
 */
function unexpandedPart(path: string): string | undefined {
  if (/^~(?:[\\/]|$)|^~[\w.+-]+[\\/]/.test(path)) return 'starts with ~';
  const variable = /\$\{[^}]*\}|\$[A-Za-z_]\w*|%[A-Za-z_][\w()]*%/.exec(path)?.[0];
  return variable === undefined ? undefined : `holds the environment variable ${variable}`;
}

/**
 * The problem of a path holding what unexpandedPart finds, saying what to write instead: the
 * path in full, or relative to `base`, the folder a relative path is taken from.
 */
export function unexpandedPathProblem(path: string, base: string): string | undefined {
  const part = unexpandedPart(path);
  return part === undefined ? undefined : `${part}, which is not expanded here: write the path out in full, or relative to ${base}`;
}
