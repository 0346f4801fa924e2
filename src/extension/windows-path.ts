/** `C:\data\sft.jsonl`, `C:/data/sft.jsonl` or a UNC path: absolute on Windows, which a POSIX check misses. */
export function isWindowsAbsolute(path: string): boolean {
  return /^[a-zA-Z]:[\\/]/.test(path) || path.startsWith('\\\\');
}
