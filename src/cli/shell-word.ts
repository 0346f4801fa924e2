/**
 * A path as one word of a command the user can paste into their shell. Plain paths stay bare.
 * On Windows, double quotes (cmd.exe and PowerShell take a backslash in them as it is, and a
 * Windows path cannot hold a `"`). Elsewhere double quotes where they suffice; a path holding a
 * character sh reads inside them (`"`, `$`, a backtick, `\`, `!`) gets single quotes, with `'`
 * written as `'\''`.
 */
export function shellWord(path: string, platform: NodeJS.Platform = process.platform): string {
  // Bare only without `,` or `@`, which PowerShell reads as an array and a splat.
  if (/^[\w./:%+=-]+$/.test(path)) return path;
  if (platform === 'win32' || !/["$`\\!]/.test(path)) return `"${path}"`;
  return `'${path.replaceAll("'", `'\\''`)}'`;
}
