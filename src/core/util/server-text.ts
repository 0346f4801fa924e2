import { clip, excerpt } from './excerpt';

/**
 * The longest server text quoted, on one line. A server may send a page: vLLM's validation
 * errors list every field, a Python server adds its stack trace, a proxy sends an HTML page. Its
 * start says what went wrong; the rest would fill the panel, the log and the terminal.
 */
const MAX_SERVER_TEXT = 300;

/**
 * What a server said (an error body, or the message in it), as errors quote it: on one line, at
 * most MAX_SERVER_TEXT characters and "…", a Python traceback as the exception it
 * ends with, and an HTML page as its size and text (see htmlPage).
 */
export function serverText(body: string): string {
  return isHtml(body) ? htmlPage(body) : clip(withoutTraceback(body), MAX_SERVER_TEXT);
}

/**
 * A reply that should have been JSON, as errors quote it: an HTML page (a login portal, a
 * baseURL without /v1) as serverText says it, other text by its start, quoted so that empty or
 * odd text is visible as such.
 */
export function replyExcerpt(body: string): string {
  return isHtml(body) ? htmlPage(body) : excerpt(body);
}

/** A document that starts as HTML does (comments and an XML declaration aside). */
function isHtml(text: string): boolean {
  return /^\s*(?:<\?xml[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*)*<(?:!doctype\s+html|html|head|body|title)\b/i.test(text);
}

/**
 * `an HTML page (183 bytes): "502 Bad Gateway nginx"`: its markup says nothing to a reader.
 * The title leads unless the text starts with it already (nginx repeats it as a heading).
 */
function htmlPage(html: string): string {
  const size = `an HTML page (${new TextEncoder().encode(html).length} bytes)`;
  const title = flat(decodeEntities(/<title\b[^>]*>([\s\S]*?)<\/title\s*>/i.exec(html)?.[1] ?? ''));
  const text = flat(decodeEntities(withoutMarkup(html)));
  const said = !title || text.startsWith(title) ? text : text ? `${title}: ${text}` : title;
  return said ? `${size}: "${clip(said, MAX_SERVER_TEXT - size.length - 5)}"` : size;
}

/** The page's visible text: no comments, no head (the title is read apart), scripts or styles, and no tags. */
function withoutMarkup(html: string): string {
  return html
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<(head|script|style|noscript|template)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<[^>]*>/g, ' ');
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, name: string) => {
    if (name.startsWith('#')) {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
    }
    return ENTITIES[name.toLowerCase()] ?? entity;
  });
}

function flat(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

const TRACEBACK = 'Traceback (most recent call last):';

/**
 * A Python traceback's frames name files on the server; the exception it ends with says what
 * went wrong, and alone fits the length kept. With chained exceptions ("During handling of the
 * above exception..."), the last is the one raised. Text before the traceback stays. The
 * exception is every line after the last traceback's frames (a pydantic error goes on over
 * indented lines); frames are the lines indented under the header.
 */
function withoutTraceback(text: string): string {
  const first = text.indexOf(TRACEBACK);
  if (first < 0) return text;
  const last = text.lastIndexOf(TRACEBACK) + TRACEBACK.length;
  const lines = text.slice(last).split(/\r?\n/);
  const raised = lines.findIndex((line, i) => i > 0 && line.trim() !== '' && !/^\s/.test(line));
  if (raised < 0) return text;
  return `${text.slice(0, first)}${lines.slice(raised).join('\n')}`;
}
