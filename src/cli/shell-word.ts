/**
 * A path as one word of a command the user can paste. Plain paths stay bare. Double quotes are
 * used where they suffice, because they mean the same in sh, PowerShell and cmd.exe (the CLI runs
 * on all three); a path holding a character that double quotes leave live in sh (`"`, `$`, a
 * backtick, `\`, `!`) gets POSIX single quotes instead, with `'` written as `'\''`.
 */
export function shellWord(path: string): string {
  if (/^[\w./:@%+,=-]+$/.test(path)) return path;
  if (!/["$`\\!]/.test(path)) return `"${path}"`;
  return `'${path.replaceAll("'", `'\\''`)}'`;
}
