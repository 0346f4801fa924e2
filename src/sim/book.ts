/**
 * Every response the sim writes ends with a tag like `[sim:ab12cd34]`. The book maps tags to
 * what the server knows about the response, so later requests that quote it (refine and
 * aggregate templates copy earlier answers verbatim) and reward calls that score it can be
 * traced back to its hidden quality.
 */

export interface BookEntry {
  quality: number;
  /** The original prompt the response answers (shared string, see `intern`). */
  prompt: string;
  model: string;
}

const TAG_PATTERN = /\[sim:([0-9a-f]{8})\]/g;

export function formatTag(id: string): string {
  return `[sim:${id}]`;
}

/** Tag ids in order of appearance, duplicates removed. */
function tagIds(text: string): string[] {
  return [...new Set(Array.from(text.matchAll(TAG_PATTERN), (m) => m[1]!))];
}

export class ResponseBook {
  private readonly entries = new Map<string, BookEntry>();
  /** One copy of each prompt string: a long run writes many responses per prompt. */
  private readonly prompts = new Map<string, string>();

  has(id: string): boolean {
    return this.entries.has(id);
  }

  add(id: string, entry: BookEntry): void {
    this.entries.set(id, { ...entry, prompt: this.intern(entry.prompt) });
  }

  /** Known responses quoted in `text`, in order of appearance. */
  quoted(text: string): BookEntry[] {
    return tagIds(text).flatMap((id) => this.entries.get(id) ?? []);
  }

  /** The response `text` is: its last known tag (a response ends with its own tag). */
  identify(text: string): BookEntry | undefined {
    return this.quoted(text).at(-1);
  }

  private intern(prompt: string): string {
    const known = this.prompts.get(prompt);
    if (known !== undefined) return known;
    this.prompts.set(prompt, prompt);
    return prompt;
  }
}
