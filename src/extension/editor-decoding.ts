/**
 * How many bytes of a file are looked at: VS Code's encoding detection reads 512 for zero bytes,
 * and lone carriage returns of old Mac or mixed line endings show in the first lines.
 */
export const SNIFFED_BYTES = 64 * 1024;

/** Where VS Code looks for the zero bytes that make it read a file without a byte-order mark as UTF-16. */
const ZERO_BYTES_WINDOW = 512;

const CR = 0x0d;
const LF = 0x0a;

/**
 * Why the editor would read a file's start otherwise than the disk reader (UTF-8, lines split at
 * `\n` with one `\r` before it dropped), or undefined when both read it alike:
 * - a UTF-16 byte-order mark, or zero bytes in the first 512 (UTF-16 without one): VS Code decodes
 *   UTF-16, while zero bytes are valid UTF-8 and would reach the prompts;
 * - a carriage return not followed by `\n` (old Mac line endings, or `\r\r\n` as Python's text
 *   mode on Windows writes "\r\n"): VS Code breaks lines there, so its line numbers and prompts differ.
 */
export function editorDecodesOtherwise(start: Uint8Array): string | undefined {
  if ((start[0] === 0xff && start[1] === 0xfe) || (start[0] === 0xfe && start[1] === 0xff)) return 'it starts with a UTF-16 byte-order mark';
  if (start.subarray(0, ZERO_BYTES_WINDOW).includes(0)) return 'it holds zero bytes (UTF-16 without a byte-order mark)';
  // A carriage return at the very end may be the first half of a "\r\n" cut by the sniffed length.
  for (let i = 0; i < start.length - 1; i++) if (start[i] === CR && start[i + 1] !== LF) return 'its lines end in carriage returns alone';
  return undefined;
}
